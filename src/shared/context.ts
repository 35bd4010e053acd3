import type { Role } from '../db/schema.ts';

/** Who is acting. Services take it as their last argument and decide with it. */
export type Actor = {
  id: string;
  username: string;
  roles: readonly Role[];
  /** Set for OPD users: the only agency whose data they may see. */
  opdId: string | null;
};

/** Where a request came from, for the audit log. */
export type RequestMeta = { ip: string | null; userAgent: string | null };

export type Ctx = { actor: Actor; meta: RequestMeta };

/** The system itself (CLI, first start): audited under this name. */
export function systemCtx(what = 'system'): Ctx {
  return {
    actor: { id: '00000000-0000-0000-0000-000000000000', username: what, roles: ['admin'], opdId: null },
    meta: { ip: null, userAgent: what },
  };
}

export function isSystemActor(actor: Actor): boolean {
  return actor.id === '00000000-0000-0000-0000-000000000000';
}
