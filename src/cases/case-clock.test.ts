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
import { loadDetail } from './case-presenter.ts';
import { createCase } from './create-case.ts';
import { sweepOverdue } from './overdue-sweep.ts';
import { performAction } from './perform-action.ts';
import { listCases } from './read-cases.ts';

// Step clocks on the working-time calendar, with "now" under the test's control.

let t: TestApp;
let now = new Date('2026-11-27T09:20:00Z'); // Friday 16:20 WIB
let deps: CaseDeps;
const ctx: Record<string, Ctx> = {};

beforeAll(async () => {
  t = await createTestApp();
  const parsed = parseWorkingHours(DEFAULT_WORKING_HOURS);
  if (!parsed.ok) throw new Error('hours');
  // Christmas 2026 (Friday 25 December) is a holiday.
  const cal = createWorkCalendar({ timeZone: 'Asia/Jakarta', hours: parsed.hours, holidays: ['2026-12-25'] });
  deps = {
    clock: calendarClock(cal, () => now),
    store: new MemoryFileStore(),
    timeZone: 'Asia/Jakarta',
    agendaPattern: '{nomor4}/BU/{tahun}',
    registry: makeRegistryDeps(t.config),
  };
  for (const role of ['opd', 'umum'] as const) {
    const u = await buildUser(t.db, { roles: [role] });
    ctx[role] = {
      actor: { id: u.id, username: u.username, roles: [role], opdId: u.opdId },
      meta: { ip: null, userAgent: null },
    };
  }
});
afterAll(() => t.close());

const at = (iso: string) => {
  now = new Date(iso);
};

describe('step clocks', () => {
  it('count working time only: a request filed Friday 16:20 WIB and submitted Monday 08:00 took 40 working minutes', async () => {
    at('2026-11-27T09:20:00Z');
    const opd = ctx.opd as Ctx;
    let c = await t.db.transaction().execute((trx) =>
      createCase(
        trx,
        {
          kind: 'new',
          subject: 'Jam kerja',
          letterNumber: '1',
          letterDate: '2026-11-27',
          description: 'x',
        },
        [],
        opd,
        deps,
      ),
    );
    expect(c.dueAt).toBe('2026-11-27T09:22:00.000Z'); // 2 minutes: Friday 16:22 WIB
    await insertCaseFile(t.db, {
      case_id: c.id,
      purpose: 'letter',
      storage_key: 'a'.repeat(32),
      display_name: 's.pdf',
      mime: 'application/pdf',
      size: 1,
      sha256: '0'.repeat(64),
      step_key: 'permohonan',
      uploaded_by: opd.actor.id,
    });
    at('2026-11-30T01:00:00Z'); // Monday 08:00 WIB
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
    const first = c.steps[0];
    expect(first).toMatchObject({
      key: 'permohonan',
      actualSeconds: 40 * 60,
      standardSeconds: 120,
      late: true,
    });
    expect(c.steps[1]).toMatchObject({ key: 'registrasi', dueAt: '2026-11-30T01:03:00.000Z', late: false });

    at('2026-11-30T01:10:00Z'); // Monday 08:10: registration is 7 minutes late
    const list = await listCases(t.db, { view: 'overdue', page: 1, pageSize: 50 }, ctx.umum as Ctx, deps);
    expect(list.items.map((i) => i.id)).toContain(c.id);
    expect(list.items.find((i) => i.id === c.id)?.overdue).toBe(true);
  });

  it('a 2-minute step started Thursday 24 December 15:59 WIB is due Monday 28th 07:31, skipping Christmas and the weekend', async () => {
    at('2026-12-24T08:59:00Z');
    const opd = ctx.opd as Ctx;
    const c = await t.db
      .transaction()
      .execute((trx) =>
        createCase(
          trx,
          { kind: 'new', subject: 'Libur', letterNumber: '2', letterDate: '2026-12-24', description: 'x' },
          [],
          opd,
          deps,
        ),
      );
    // Step 1 is 2 minutes: Thursday ends at 16:00, so 1 minute Thursday + 1 minute Monday.
    expect(c.dueAt).toBe('2026-12-28T00:31:00.000Z');
  });

  it('ending a step inside office hours stores its working time (Tuesday 09:00 WIB, 3 s later)', async () => {
    at('2026-12-01T02:00:00Z'); // Tuesday 1 December 2026, 09:00 WIB: a working day
    const opd = ctx.opd as Ctx;
    let c = await t.db.transaction().execute((trx) =>
      createCase(
        trx,
        {
          kind: 'new',
          subject: 'Jam kantor',
          letterNumber: '3',
          letterDate: '2026-12-01',
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
    at('2026-12-01T02:00:03.400Z');
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
    expect(c.steps[0]).toMatchObject({ key: 'permohonan', actualSeconds: 3, standardSeconds: 120 });
    const row = await t.db
      .selectFrom('case_steps')
      .select('working_seconds')
      .where('case_id', '=', c.id)
      .where('step_key', '=', 'permohonan')
      .executeTakeFirstOrThrow();
    expect(row.working_seconds).toBe(3);
  });

  it("a step started after Friday's office hours is overdue only once Monday's working minutes have passed", async () => {
    at('2026-12-04T09:40:00Z'); // Friday 4 December 2026, 16:40 WIB: after office hours
    const opd = ctx.opd as Ctx;
    let c = await t.db
      .transaction()
      .execute((trx) =>
        createCase(
          trx,
          { kind: 'new', subject: 'Sore', letterNumber: '4', letterDate: '2026-12-04', description: 'x' },
          [],
          opd,
          deps,
        ),
      );
    await insertCaseFile(t.db, {
      case_id: c.id,
      purpose: 'letter',
      storage_key: 'c'.repeat(32),
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
    // Registration (3 working minutes) started Friday 16:40: due Monday 07:33 WIB.
    expect(c.steps[1]).toMatchObject({
      key: 'registrasi',
      dueAt: '2026-12-07T00:33:00.000Z',
      actualSeconds: 0,
    });
    const flagged = async () =>
      (
        await t.db
          .selectFrom('case_steps')
          .select('overdue_notified_at')
          .where('case_id', '=', c.id)
          .where('step_key', '=', 'registrasi')
          .executeTakeFirstOrThrow()
      ).overdue_notified_at !== null;
    for (const instant of ['2026-12-05T03:00:00Z', '2026-12-06T17:00:00Z', '2026-12-07T00:32:59Z']) {
      at(instant); // Saturday 10:00, Monday 00:00, Monday 07:32:59 WIB
      await sweepOverdue(t.db, deps);
      expect(await flagged(), instant).toBe(false);
    }
    at('2026-12-07T00:33:01Z'); // Monday 07:33:01 WIB
    await sweepOverdue(t.db, deps);
    expect(await flagged()).toBe(true);
    // The running step has had 3 working minutes and 1 second; the weekend did not count.
    const seen = await loadDetail(t.db, c.id, opd.actor, deps.clock);
    expect(seen.steps[1]).toMatchObject({ key: 'registrasi', actualSeconds: 181, late: true });
    expect(seen.overdue).toBe(true);
  });
});
