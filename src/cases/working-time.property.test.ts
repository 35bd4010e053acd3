import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import { jakartaDate } from '../../test/helpers/clock.ts';
import { pdf } from '../storage/test-fixtures.ts';

// Steps ended at any instant of a week — inside and outside office hours, across midnight, on a
// shipped holiday and on one an administrator adds — store their working time as whole seconds,
// equal to the working time between the two instants rounded to the nearest second. The expected
// value comes from a small oracle written here for Asia/Jakarta (UTC+7, no DST), not from the
// calendar module the app uses.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WIB = 7 * HOUR;
/** Monday 21 December 2026, 00:00 WIB. The week holds cuti bersama (24th) and Christmas (25th). */
const WEEK_START = Date.UTC(2026, 11, 21) - WIB;
/** Tuesday 22 December: made a holiday by the administrator in this test. */
const ADMIN_HOLIDAY = '2026-12-22';
const HOLIDAYS = new Set([ADMIN_HOLIDAY, '2026-12-24', '2026-12-25']);

/** Working milliseconds in [a, b): Mon–Thu 07:30–16:00, Fri 07:30–16:30 WIB, minus holidays. */
function oracleWorkingMs(a: number, b: number): number {
  let total = 0;
  const firstDay = Math.floor((a + WIB) / DAY) - 1;
  const lastDay = Math.floor((b + WIB) / DAY) + 1;
  for (let d = firstDay; d <= lastDay; d++) {
    const midnight = d * DAY - WIB;
    const date = new Date(d * DAY).toISOString().slice(0, 10);
    const weekday = new Date(d * DAY).getUTCDay();
    if (weekday === 0 || weekday === 6 || HOLIDAYS.has(date)) continue;
    const start = midnight + 7.5 * HOUR;
    const end = midnight + (weekday === 5 ? 16.5 : 16) * HOUR;
    total += Math.max(0, Math.min(end, b) - Math.max(start, a));
  }
  return total;
}

let t: TestApp;
let current = new Date(WEEK_START);
const who: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({}, undefined, { now: () => current });
  for (const role of ['opd', 'umum', 'admin'] as const) who[role] = (await t.as([role])).cookie;
  const holiday = await t.app.inject({
    method: 'POST',
    url: '/api/holidays',
    headers: { cookie: who.admin ?? '' },
    payload: { date: ADMIN_HOLIDAY, name: 'Libur daerah (uji)', kind: 'local' },
  });
  expect(holiday.statusCode, holiday.body).toBe(201);
});
afterAll(() => t.close());

type Step = { key: string; dueAt: string; actualSeconds: number; standardTime: { minutes?: number } };
type Detail = { id: string; version: number; steps: Step[] };

async function act(c: Detail, cookie: string, action: string, payload: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${c.id}/actions/${action}`,
    headers: { cookie },
    payload: { version: c.version, ...payload },
  });
  expect(res.statusCode, `${action} at ${current.toISOString()}: ${res.body}`).toBe(200);
  return res.json() as Detail;
}

async function storedSeconds(caseId: string, stepKey: string): Promise<number | null> {
  const r = await t.db
    .selectFrom('case_steps')
    .select('working_seconds')
    .where('case_id', '=', caseId)
    .where('step_key', '=', stepKey)
    .executeTakeFirstOrThrow();
  return r.working_seconds;
}

/** An instant of the week, biased towards the edges of working intervals and midnight. */
const instant = fc.oneof(
  fc.integer({ min: 0, max: 7 * DAY - 1 }).map((ms) => WEEK_START + ms),
  fc
    .tuple(
      fc.integer({ min: 0, max: 6 }),
      fc.constantFrom(0, 7.5 * HOUR, 16 * HOUR, 16.5 * HOUR, DAY),
      fc.integer({ min: -1500, max: 1500 }),
    )
    .map(([day, at, jitter]) => Math.max(WEEK_START, WEEK_START + day * DAY + at + jitter)),
);

describe('stored working time over a week (property)', () => {
  it('submit at A and register at B ≥ A: both succeed, each step stores its rounded working seconds', async () => {
    await fc.assert(
      fc.asyncProperty(instant, instant, async (x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        // Filed at the start of the week; the letter is dated that day.
        current = new Date(WEEK_START);
        const body = multipart(
          {
            kind: 'new',
            subject: 'Jam kerja (properti)',
            letterNumber: '1/PROP',
            letterDate: jakartaDate(current),
            description: 'x',
          },
          [{ field: 'letter', name: 'surat.pdf', type: 'application/pdf', data: pdf() }],
        );
        const filed = await t.app.inject({
          method: 'POST',
          url: '/api/cases',
          headers: { ...body.headers, cookie: who.opd ?? '' },
          payload: body.payload,
        });
        expect(filed.statusCode, filed.body).toBe(201);
        let c = filed.json() as Detail;

        current = new Date(a);
        c = await act(c, who.opd ?? '', 'submit');
        const filing = Math.round(oracleWorkingMs(WEEK_START, a) / 1000);
        expect(await storedSeconds(c.id, 'permohonan')).toBe(filing);
        const registration = c.steps.find((s) => s.key === 'registrasi') as Step;
        // The registration step's due time: exactly its standard in working time after A, and no earlier.
        const standardMs = (registration.standardTime.minutes ?? 0) * 60_000;
        const due = Date.parse(registration.dueAt);
        expect(oracleWorkingMs(a, due)).toBe(standardMs);
        expect(oracleWorkingMs(a, due - 1)).toBeLessThan(standardMs);

        current = new Date(b);
        c = await act(c, who.umum ?? '', 'register', {
          receivedAt: new Date(a).toISOString(),
          urgency: 'biasa',
          addressee: 'Kepala DKISP',
          scanConfirmed: true,
        });
        const expected = Math.round(oracleWorkingMs(a, b) / 1000);
        const stored = await storedSeconds(c.id, 'registrasi');
        expect(stored).toBe(expected);
        expect(Number.isInteger(stored) && (stored ?? -1) >= 0).toBe(true);
        expect(c.steps.find((s) => s.key === 'registrasi')?.actualSeconds).toBe(expected);
      }),
      { numRuns: 40, seed: Number(process.env.FC_SEED ?? 20261201) },
    );
  }, 180_000);
});
