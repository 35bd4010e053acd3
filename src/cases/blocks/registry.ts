import { installWebsite } from '../../registry/case-link.ts';
import type { RegistryConfig } from '../../sop/blocks/registry.ts';
import { stepConfig } from '../../sop/compile.ts';
import { type Handler, opt, str } from '../action-handlers.ts';

/** The database side of each registry effect (src/sop/blocks/registry.ts lists them). */
export const REGISTRY_EFFECT_HANDLERS: Record<string, Handler> = {
  async 'website.install'({ trx, c, payload, ctx, deps }) {
    // Server, address and name come from the registry; the website becomes active.
    const w = await installWebsite(
      trx,
      c,
      {
        serverId: str(payload.serverId),
        hostname: opt(payload.hostname),
        ipAddress: opt(payload.ipAddress),
        poolId: opt(payload.poolId),
        documentRoot: opt(payload.documentRoot),
      },
      ctx,
      deps.registry,
    );
    return {
      facts: { websiteRef: w.hostname },
      outputs: {
        server: w.server?.name ?? null,
        publicIp: w.ipAddress,
        hostname: w.hostname,
        url: w.hostname ? `https://${w.hostname}` : null,
        networkConfig: payload.networkConfig,
        siteAnswers: payload.siteAnswers,
        notes: payload.notes ?? null,
      },
    };
  },
};

export const registryHandlers: Record<string, Handler> = {
  async record(args) {
    const cfg = stepConfig<RegistryConfig>(args.sop, args.step.key);
    const handler = REGISTRY_EFFECT_HANDLERS[cfg.effect];
    if (!handler) throw new Error(`no handler for registry effect ${cfg.effect}`);
    return handler(args);
  },
};
