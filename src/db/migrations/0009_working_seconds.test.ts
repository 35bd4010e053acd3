import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { buildUser } from '../../../test/helpers/factories.ts';
import { DEFAULT_WORKING_HOURS, parseWorkingHours } from '../../calendar/working-hours.ts';
import { createWorkCalendar } from '../../calendar/working-time.ts';
import { calendarClock } from '../../cases/calendar-clock.ts';
import { insertCaseFile } from '../../cases/case.repository.ts';
import { createCase } from '../../cases/create-case.ts';
import { performAction } from '../../cases/perform-action.ts';
import { makeRegistryDeps } from '../../registry/registry-deps.ts';
import type { Ctx } from '../../shared/context.ts';
import { MemoryFileStore } from '../../storage/file-store.ts';
import * as m0009 from './0009_working_seconds.ts';

// Migration 0009 turns the stored working time of ended steps from whole minutes into seconds.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('migration 0009', () => {
  it('turns stored minutes into seconds, and back', async () => {
    const parsed = parseWorkingHours(DEFAULT_WORKING_HOURS);
    if (!parsed.ok) throw new Error('hours');
    const cal = createWorkCalendar({ timeZone: 'Asia/Jakarta', hours: parsed.hours });
    let now = new Date('2026-12-01T02:00:00Z'); // Tuesday 09:00 WIB
    const deps = {
      clock: calendarClock(cal, () => now),
      store: new MemoryFileStore(),
      timeZone: 'Asia/Jakarta',
      agendaPattern: '{nomor4}/BU/{tahun}',
      registry: makeRegistryDeps(t.config),
    };
    const u = await buildUser(t.db, { roles: ['opd'] });
    const opd: Ctx = {
      actor: { id: u.id, username: u.username, roles: ['opd'], opdId: u.opdId },
      meta: { ip: null, userAgent: null },
    };
    const c = await t.db
      .transaction()
      .execute((trx) =>
        createCase(
          trx,
          { kind: 'new', subject: 'Migrasi', letterNumber: '1', letterDate: '2026-12-01', description: 'x' },
          [],
          opd,
          deps,
        ),
      );
    await insertCaseFile(t.db, {
      case_id: c.id,
      purpose: 'letter',
      storage_key: 'd'.repeat(32),
      display_name: 's.pdf',
      mime: 'application/pdf',
      size: 1,
      sha256: '0'.repeat(64),
      step_key: 'permohonan',
      uploaded_by: u.id,
    });
    now = new Date('2026-12-01T02:40:00Z'); // 40 working minutes later
    await t.db
      .transaction()
      .execute((trx) =>
        performAction(
          trx,
          { caseId: c.id, action: 'submit', body: { version: c.version }, files: [] },
          opd,
          deps,
        ),
      );
    const read = async (column: string) =>
      (
        await sql<{
          v: number;
        }>`SELECT ${sql.ref(column)} AS v FROM case_steps WHERE case_id = ${c.id} AND step_key = 'permohonan'`.execute(
          t.db,
        )
      ).rows[0]?.v;
    expect(await read('working_seconds')).toBe(2400);
    await m0009.down(t.db);
    expect(await read('working_minutes')).toBe(40);
    await m0009.up(t.db);
    expect(await read('working_seconds')).toBe(2400);
    await expect(
      sql`UPDATE case_steps SET working_seconds = -1 WHERE case_id = ${c.id}`.execute(t.db),
    ).rejects.toThrow(/working_seconds_check/);
  });
});
