import { type Kysely, sql } from 'kysely';
import type { Database, Role } from '../db/schema.ts';
import { type NewNotification, notify, notifyAndEmail } from '../notifications/notification.service.ts';
import { stepOf } from '../sop/engine.ts';
import type { ActionDef, CaseState, SopDef } from '../sop/types.ts';
import type { CaseDeps } from './case-deps.ts';

type CaseRef = { id: string; ref: string; subject: string; opd_id: string };

/** Active users who hold one of `roles`; for `opd`, the users of the case's own OPD. */
export async function holdersOf(
  trx: Kysely<Database>,
  c: Pick<CaseRef, 'opd_id'>,
  roles: readonly Role[],
): Promise<string[]> {
  if (roles.length === 0) return [];
  const dkisp = roles.filter((r) => r !== 'opd');
  const rows = await trx
    .selectFrom('users')
    .select('id')
    .where('active', '=', true)
    .where((eb) =>
      eb.or([
        ...(dkisp.length
          ? [eb.and([eb('opd_id', 'is', null), sql<boolean>`roles && ${sql.val(dkisp)}::text[]`])]
          : []),
        ...(roles.includes('opd') ? [eb('opd_id', '=', c.opd_id)] : []),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}

async function send(trx: Kysely<Database>, deps: CaseDeps, to: string[], n: NewNotification): Promise<void> {
  if (to.length === 0) return;
  if (deps.jobs) await notifyAndEmail(trx, deps.jobs, to, n);
  else await notify(trx, to, n);
}

/**
 * Tells the people concerned after an action: whoever must act next (the roles the case now waits
 * for), and the requesting OPD when its request is answered or finished. Never the actor itself.
 */
export async function notifyHandOff(
  trx: Kysely<Database>,
  deps: CaseDeps,
  v: {
    c: CaseRef;
    sop: SopDef;
    before: CaseState;
    after: CaseState;
    waiting: Role[];
    action: ActionDef;
    actorId: string;
  },
): Promise<void> {
  const link = `/permohonan/${v.c.id}`;
  const base = { caseId: v.c.id, link };
  const others = (ids: string[]) => ids.filter((id) => id !== v.actorId);
  const moved =
    v.before.step !== v.after.step ||
    v.before.status !== v.after.status ||
    v.before.pendingDecision !== v.after.pendingDecision;
  if (moved && v.waiting.length > 0) {
    const step = stepOf(v.sop, v.after.step);
    const to = others(await holdersOf(trx, v.c, v.waiting));
    await send(trx, deps, to, {
      ...base,
      kind: 'case.waiting',
      title: `Menunggu tindakan Anda: ${v.c.subject}`.slice(0, 200),
      body: `${v.c.ref} — langkah ${step.no}. ${step.title.id}.`,
    });
  }
  // The OPD hears how its request went (the action's own news); not when it was just told above
  // that the case waits for it (a return for revision).
  const news = v.action.opdNews?.(v.before, v.after) ?? null;
  const toldAlready = moved && v.waiting.includes('opd');
  if (news && !toldAlready) {
    const to = others(await holdersOf(trx, v.c, ['opd']));
    await send(trx, deps, to, {
      ...base,
      kind: news.kind,
      title: `${news.title}: ${v.c.subject}`.slice(0, 200),
      body: `${v.c.ref}. Lihat rinciannya di Loket.`,
    });
  }
}
