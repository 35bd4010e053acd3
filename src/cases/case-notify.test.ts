import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { buildUser } from '../../test/helpers/factories.ts';
import { DEFAULT_WORKING_HOURS, parseWorkingHours } from '../calendar/working-hours.ts';
import { createWorkCalendar } from '../calendar/working-time.ts';
import { makeRegistryDeps } from '../registry/registry-deps.ts';
import type { Ctx } from '../shared/context.ts';
import { MemoryFileStore } from '../storage/file-store.ts';
import { calendarClock } from './calendar-clock.ts';
import { insertCaseFile } from './case.repository.ts';
import type { CaseDeps } from './case-deps.ts';
import { createCase } from './create-case.ts';
import { sweepOverdue } from './overdue-sweep.ts';
import { performAction } from './perform-action.ts';

let t: TestApp;
let now = new Date('2026-11-30T01:00:00Z'); // Monday 08:00 WIB
let deps: CaseDeps;
const ctx: Record<string, Ctx> = {};

beforeAll(async () => {
  t = await createTestApp();
  const parsed = parseWorkingHours(DEFAULT_WORKING_HOURS);
  if (!parsed.ok) throw new Error('hours');
  const cal = createWorkCalendar({ timeZone: 'Asia/Jakarta', hours: parsed.hours });
  deps = {
    clock: calendarClock(cal, () => now),
    store: new MemoryFileStore(),
    timeZone: 'Asia/Jakarta',
    agendaPattern: '{nomor4}/{tahun}',
    registry: makeRegistryDeps(t.config),
  };
  const opdUser = await buildUser(t.db, { roles: ['opd'] });
  ctx.opd = {
    actor: { id: opdUser.id, username: opdUser.username, roles: ['opd'], opdId: opdUser.opdId },
    meta: { ip: null, userAgent: null },
  };
  const colleague = await buildUser(t.db, { roles: ['opd'], opdId: opdUser.opdId });
  ctx.colleague = {
    actor: { id: colleague.id, username: colleague.username, roles: ['opd'], opdId: colleague.opdId },
    meta: { ip: null, userAgent: null },
  };
  for (const role of ['umum', 'kabid'] as const) {
    const u = await buildUser(t.db, { roles: [role] });
    ctx[role] = {
      actor: { id: u.id, username: u.username, roles: [role], opdId: null },
      meta: { ip: null, userAgent: null },
    };
  }
});
afterAll(() => t.close());

const inbox = (c: Ctx) =>
  t.db
    .selectFrom('notifications')
    .select(['kind', 'title', 'case_id'])
    .where('user_id', '=', c.actor.id)
    .orderBy('created_at')
    .execute();

describe('notifications at hand-offs and past due time', () => {
  it('tell the next role when a case reaches it, the OPD when it is registered, and never the actor', async () => {
    const opd = ctx.opd as Ctx;
    let c = await t.db.transaction().execute((trx) =>
      createCase(
        trx,
        {
          kind: 'new',
          subject: 'Website baru',
          letterNumber: '1',
          letterDate: '2026-11-30',
          description: 'x',
        },
        [],
        opd,
        deps,
      ),
    );
    await insertCaseFile(t.db, {
      case_id: c.id,
      purpose: 'letter',
      storage_key: 'b'.repeat(32),
      display_name: 's.pdf',
      mime: 'application/pdf',
      size: 1,
      sha256: '0'.repeat(64),
      step_key: 'permohonan',
      uploaded_by: opd.actor.id,
    });
    c = await t.db
      .transaction()
      .execute((trx) =>
        performAction(
          trx,
          { caseId: c.id, action: 'submit', body: { version: c.version }, files: [] },
          opd,
          deps,
        ),
      );
    expect((await inbox(ctx.umum as Ctx)).map((n) => n.kind)).toContain('case.waiting');
    expect((await inbox(opd)).filter((n) => n.case_id === c.id)).toEqual([]);
    await t.db.transaction().execute((trx) =>
      performAction(
        trx,
        {
          caseId: c.id,
          action: 'register',
          body: {
            version: c.version,
            receivedAt: now.toISOString(),
            urgency: 'biasa',
            addressee: 'Kepala DKISP',
            scanConfirmed: true,
          },
          files: [],
        },
        ctx.umum as Ctx,
        deps,
      ),
    );
    expect((await inbox(opd)).map((n) => n.kind)).toEqual(['case.registered']);
    expect((await inbox(ctx.colleague as Ctx)).map((n) => n.kind)).toEqual(['case.registered']);
  });

  it('the sweep flags each overdue step once, to its role and the Kabid', async () => {
    now = new Date('2026-11-30T03:00:00Z'); // two hours later: the disposition (2 minutes) is overdue
    const before = (await inbox(ctx.kabid as Ctx)).length;
    const flagged = await sweepOverdue(t.db, deps);
    expect(flagged).toBeGreaterThanOrEqual(1);
    const after = await inbox(ctx.kabid as Ctx);
    expect(after.length).toBeGreaterThan(before);
    expect(after.at(-1)?.kind).toBe('case.overdue');
    expect(await sweepOverdue(t.db, deps)).toBe(0);
  });
});
