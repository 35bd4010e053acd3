import { open } from '../../registry/secret-box.ts';
import type { HandlerArgs, HandlerResult } from '../action-handlers.ts';
import { findWebsiteAccess } from './related.repository.ts';
import { textOf } from './related-common.ts';

export const HANDOVER_HANDLERS = {
  /**
   * Access handed over. The case's website's database password, sealed in the registry, is
   * revealed in this answer only — once: the case remembers it was handed over and the history
   * keeps who received it, never the secret.
   */
  async hand_over({ trx, c, payload, deps, now }: HandlerArgs): Promise<HandlerResult> {
    const websiteId = textOf(c.facts.websiteId);
    let reveal: Record<string, string> | undefined;
    let access: Record<string, unknown> = {};
    if (websiteId && c.facts.credentialsHandedOver !== true) {
      const w = await findWebsiteAccess(trx, websiteId);
      if (w) {
        access = { hostname: w.hostname, dbHost: w.db_host, dbName: w.db_name, dbUser: w.db_user };
        if (w.db_password_enc) {
          reveal = {
            dbPassword: open(deps.registry.secretKey, w.db_password_enc, `website:${websiteId}:db`),
          };
        }
      }
    }
    return {
      facts: { handedOverAt: now.toISOString(), ...(reveal ? { credentialsHandedOver: true } : {}) },
      outputs: {
        recipientName: payload.recipientName,
        recipientNip: payload.recipientNip ?? null,
        method: payload.method,
        accessNotes: payload.accessNotes ?? null,
        handedOverAt: now.toISOString(),
        ...access,
        credentialsRevealed: reveal !== undefined,
      },
      ...(reveal ? { reveal } : {}),
    };
  },
};
