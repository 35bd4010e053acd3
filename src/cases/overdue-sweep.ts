import { type Kysely, sql } from 'kysely';
import type { Database, Role } from '../db/schema.ts';
import { notify, notifyAndEmail } from '../notifications/notification.service.ts';
import { stepOf } from '../sop/engine.ts';
import type { CaseDeps } from './case-deps.ts';
import { holdersOf } from './case-notify.ts';
import { sopOf } from './case-presenter.ts';

/**
 * Finds running steps past their due time that nobody was told about yet, and tells the step's
 * roles and the Kabid — once per step. Safe to run on several instances at once (rows are
 * claimed with SKIP LOCKED). Returns how many steps it flagged.
 */
export async function sweepOverdue(db: Kysely<Database>, deps: CaseDeps, batch = 200): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const due = await trx
      .selectFrom('case_steps as s')
      .innerJoin('cases as c', 'c.id', 's.case_id')
      .select([
        's.id as step_id',
        's.step_key',
        's.due_at',
        'c.id',
        'c.ref',
        'c.subject',
        'c.opd_id',
        'c.sop_key',
        'c.sop_version',
        'c.roles_waiting',
      ])
      .where('s.ended_at', 'is', null)
      .where('s.overdue_notified_at', 'is', null)
      .where('s.due_at', '<', now)
      .where('c.status', '=', 'active')
      .orderBy('s.due_at')
      .limit(batch)
      .forUpdate('s')
      .skipLocked()
      .execute();
    for (const d of due) {
      const step = stepOf(sopOf(d), d.step_key);
      const roles = [...new Set<Role>([...(d.roles_waiting as Role[]), 'kabid'])];
      const to = await holdersOf(trx, d, roles);
      const n = {
        kind: 'case.overdue',
        title: `Melewati waktu baku: ${d.subject}`.slice(0, 200),
        body: `${d.ref} — langkah ${step.no}. ${step.title.id} seharusnya selesai ${d.due_at.toISOString()}.`,
        caseId: d.id,
        link: `/permohonan/${d.id}`,
      };
      if (to.length) {
        if (deps.jobs) await notifyAndEmail(trx, deps.jobs, to, n);
        else await notify(trx, to, n);
      }
      await trx
        .updateTable('case_steps')
        .set({ overdue_notified_at: sql<Date>`now()` })
        .where('id', '=', d.step_id)
        .execute();
    }
    return due.length;
  });
}
