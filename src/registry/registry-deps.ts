import { hasRole, requireDkisp, requireRole } from '../auth/policy.ts';
import type { Config } from '../config.ts';
import type { Actor } from '../shared/context.ts';
import { loadSecretKey } from './secret-box.ts';

/** What registry services need from configuration. */
export type RegistryDeps = {
  secretKey: Buffer;
  reservedLabels: readonly string[];
  quarantineDays: number;
  docrootBase: string;
  /** A website's address may lie outside the registered pools (LOKET_ALLOW_UNPOOLED_ADDRESSES). */
  allowUnpooledAddresses: boolean;
  now: () => Date;
};

const keys = new Map<string, Buffer>();

/** The registry's deps for this configuration; `now` is the app's clock (holds and retirement dates). */
export function makeRegistryDeps(
  config: Pick<Config, 'registry' | 'dataDir'>,
  now: () => Date = () => new Date(),
): RegistryDeps {
  const cacheKey = config.registry.secretKey ?? config.dataDir;
  let key = keys.get(cacheKey);
  if (!key) {
    key = loadSecretKey({ secretKey: config.registry.secretKey, dataDir: config.dataDir });
    keys.set(cacheKey, key);
  }
  return {
    secretKey: key,
    reservedLabels: config.registry.reservedLabels,
    quarantineDays: config.registry.quarantineDays,
    docrootBase: config.registry.docrootBase,
    allowUnpooledAddresses: config.registry.allowUnpooledAddresses,
    now,
  };
}

/** Who keeps the registry: the application division and administrators. */
export const REGISTRY_EDITORS = ['admin', 'kabid', 'subkoor', 'staf'] as const;
/** Who manages zones, pools and imports: administrators and the head of the division. */
export const REGISTRY_MANAGERS = ['admin', 'kabid'] as const;

export function requireRegistryReader(actor: Actor): void {
  requireDkisp(actor);
}
export function requireRegistryEditor(actor: Actor): void {
  requireRole(actor, ...REGISTRY_EDITORS);
}
export function requireRegistryManager(actor: Actor): void {
  requireRole(actor, ...REGISTRY_MANAGERS);
}
export function isRegistryEditor(actor: Actor): boolean {
  return hasRole(actor, ...REGISTRY_EDITORS);
}

/** The moment a retired website's name and address become free again. */
export function heldUntil(deps: RegistryDeps): Date {
  return new Date(deps.now().getTime() + deps.quarantineDays * 86_400_000);
}
