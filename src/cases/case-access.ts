import { isDkisp, opdScope } from '../auth/policy.ts';
import { notFound } from '../errors.ts';
import type { Actor } from '../shared/context.ts';
import type { EngineActor } from '../sop/engine.ts';

/**
 * Who may see a case: DKISP staff and administrators see every case; an OPD user only its own
 * OPD's. A case the actor may not see does not exist for it (404, never 403).
 */
export function assertCanSee(actor: Actor, c: { opd_id: string }): void {
  const own = opdScope(actor);
  if (own !== null && own !== c.opd_id) throw notFound('Case');
  if (own === null && !isDkisp(actor)) throw notFound('Case');
}

export function engineActor(actor: Actor, c: { opd_id: string }): EngineActor {
  return { roles: actor.roles, ownsCase: actor.opdId !== null && actor.opdId === c.opd_id };
}
