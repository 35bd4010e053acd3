import { readdirSync, readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { compileDefinition } from './compile.ts';
import { sopDefinitionSchema } from './definition.ts';
import type { SopDef } from './types.ts';

/** The built-in definitions: every JSON file in src/sop/definitions/, each version 1. */
function builtIn(): SopDef[] {
  const dir = new URL('./definitions/', import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    // The website SOP first (the catalogue's order), then the others by name.
    .sort((a, b) => (a === 'website.json' ? -1 : b === 'website.json' ? 1 : a.localeCompare(b)));
  return files.map((f) => {
    const raw: unknown = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
    const parsed = sopDefinitionSchema.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new Error(`src/sop/definitions/${f}: ${i?.path.join('.')}: ${i?.message}`);
    }
    if (`${parsed.data.key}.json` !== f) throw new Error(`src/sop/definitions/${f}: key ${parsed.data.key}`);
    return compileDefinition(parsed.data, 1);
  });
}

/**
 * Every SOP definition Loket knows, every version. A case keeps the version it started with, so a
 * definition is never changed in place: a change is a new version appended here.
 */
const DEFINITIONS: SopDef[] = builtIn();

/** A built-in SOP as shipped (version 1), e.g. for tests and fixtures. */
export function builtInSop(key: string): SopDef {
  const def = DEFINITIONS.find((d) => d.key === key && d.version === 1);
  if (!def) throw new Error(`No built-in SOP ${key}`);
  return def;
}

/**
 * Adds a new version of an SOP (e.g. with changed standard times); it must be newer than every
 * version known. New cases take it; running cases keep theirs.
 */
export function addSopVersion(def: SopDef): void {
  const newest = DEFINITIONS.filter((d) => d.key === def.key).reduce((n, d) => Math.max(n, d.version), 0);
  if (def.version <= newest) throw new Error(`SOP ${def.key} v${def.version} is not newer than v${newest}`);
  DEFINITIONS.push(def);
}

export function currentSop(key: string): SopDef {
  const versions = DEFINITIONS.filter((d) => d.key === key).sort((a, b) => b.version - a.version);
  const latest = versions[0];
  if (!latest) throw new AppError('NOT_FOUND', `No SOP ${key}`);
  return latest;
}

export function sopVersion(key: string, version: number): SopDef {
  const def = DEFINITIONS.find((d) => d.key === key && d.version === version);
  if (!def) throw new Error(`SOP ${key} v${version} is not defined`);
  return def;
}

export function hasSopVersion(key: string, version: number): boolean {
  return DEFINITIONS.some((d) => d.key === key && d.version === version);
}

export function allCurrentSops(): SopDef[] {
  const keys = [...new Set(DEFINITIONS.map((d) => d.key))];
  return keys.map(currentSop);
}

// ---- publishing (helper "publish") ----

/** The current version of a service, or null when there is none. */
export function currentSopOrNull(key: string): SopDef | null {
  let latest: SopDef | null = null;
  for (const d of DEFINITIONS) if (d.key === key && (!latest || d.version > latest.version)) latest = d;
  return latest;
}

/** Every version of every service this process knows. */
export function allSopVersions(): readonly SopDef[] {
  return DEFINITIONS;
}

/** Services retired by the administrator (no new requests), as last read from `sop_services`. */
let retired = new Set<string>();

/** Sets which services are retired (sop-versions.ts, after reading `sop_services`). */
export function setRetiredServices(keys: readonly string[]): void {
  retired = new Set(keys);
}

/** Is a service taking requests, as this process last synced it (`syncSopVersions`)? */
export function serviceStatus(key: string): 'active' | 'retired' | null {
  if (!DEFINITIONS.some((d) => d.key === key)) return null;
  return retired.has(key) ? 'retired' : 'active';
}

/** Each service's current version with whether it is retired, in the catalogue's order. */
export function allCurrentSopsWithRetired(): { sop: SopDef; retired: boolean }[] {
  return allCurrentSops().map((sop) => ({ sop, retired: retired.has(sop.key) }));
}

/**
 * Is the service retired (no new requests; running cases go on)? Read from the database in the
 * caller's transaction, so a request filed right after another instance retired it is refused.
 */
export async function isServiceRetired(db: Kysely<Database>, key: string): Promise<boolean> {
  const row = await db.selectFrom('sop_services').select('retired').where('key', '=', key).executeTakeFirst();
  return row?.retired ?? false;
}
