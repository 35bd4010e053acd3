import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { holidayRoutes } from '../server/routes/holidays.ts';
import { invalidateWorkCalendar, loadWorkCalendar } from './calendar.loader.ts';
import { dueAt, isWorkingDay } from './working-time.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  // The lead registers these routes in buildApp; until then (or if not yet), register them here.
  if (!t.app.hasRoute({ method: 'GET', url: '/api/holidays' }))
    holidayRoutes(t.app, { db: t.db, config: t.config });
  admin = (await t.as(['admin'])).cookie;
});
afterAll(() => t.close());

const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, cookie: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const wib = (local: string) => new Date(`${local}+07:00`);

describe('the shipped holidays', () => {
  it('lists 2026 as in the SKB: 17 national holidays and 8 cuti bersama', async () => {
    const res = await req('GET', '/api/holidays?year=2026&pageSize=100', admin);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { date: string; kind: string; name: string }[];
    expect(res.json().total).toBe(25);
    expect(items.filter((h) => h.kind === 'national')).toHaveLength(17);
    expect(items.filter((h) => h.kind === 'cuti_bersama').map((h) => h.date)).toEqual([
      '2026-02-16',
      '2026-03-18',
      '2026-03-20',
      '2026-03-23',
      '2026-03-24',
      '2026-05-15',
      '2026-05-28',
      '2026-12-24',
    ]);
    expect(items.find((h) => h.date === '2026-03-19')?.name).toMatch(/Nyepi/);
    expect(items.some((h) => h.name.includes('perkiraan'))).toBe(false);
    const cuti = await req('GET', '/api/holidays?year=2026&kind=cuti_bersama', admin);
    expect(cuti.json().total).toBe(8);
  });

  it('has 2025 with the 18 August change, and 2027 with its estimates marked', async () => {
    const y2025 = (await req('GET', '/api/holidays?year=2025&pageSize=100', admin)).json();
    expect(y2025.total).toBe(28);
    expect(y2025.items.find((h: { date: string }) => h.date === '2025-08-18')?.kind).toBe('cuti_bersama');
    const y2027 = (await req('GET', '/api/holidays?year=2027&pageSize=100', admin)).json();
    expect(y2027.total).toBeGreaterThanOrEqual(20);
    const idulFitri = y2027.items.find((h: { name: string }) => h.name.startsWith('Idul Fitri'));
    expect(idulFitri.name).toMatch(/\(perkiraan\)$/);
  });

  it('feed the work calendar: a span over Idul Fitri 2026 skips the whole Lebaran week', async () => {
    invalidateWorkCalendar(t.db);
    const cal = await loadWorkCalendar(t.db, t.config);
    expect(cal.timeZone).toBe('Asia/Jakarta');
    for (const d of ['2026-03-18', '2026-03-19', '2026-03-20', '2026-03-23', '2026-03-24'])
      expect(isWorkingDay(cal, d), d).toBe(false);
    expect(dueAt(cal, wib('2026-03-17T15:00'), { minutes: 90 }).toISOString()).toBe(
      wib('2026-03-25T08:00').toISOString(),
    );
    expect(await loadWorkCalendar(t.db, t.config)).toBe(cal); // cached
  });
});

describe('holiday administration', () => {
  it('an admin adds, edits, moves and deletes a holiday; each change audited and the calendar follows', async () => {
    const before = await loadWorkCalendar(t.db, t.config);
    expect(isWorkingDay(before, '2026-07-01')).toBe(true);

    const created = await req('POST', '/api/holidays', admin, {
      date: '2026-07-01',
      name: '  Hari Jadi Kabupaten  ',
      kind: 'local',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ date: '2026-07-01', name: 'Hari Jadi Kabupaten', kind: 'local' });
    const afterCreate = await loadWorkCalendar(t.db, t.config);
    expect(afterCreate).not.toBe(before);
    expect(isWorkingDay(afterCreate, '2026-07-01')).toBe(false);

    const edited = await req('PATCH', '/api/holidays/2026-07-01', admin, {
      name: 'Hari Jadi Kabupaten ke-200',
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().name).toBe('Hari Jadi Kabupaten ke-200');

    const moved = await req('PATCH', '/api/holidays/2026-07-01', admin, { date: '2026-07-02' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ date: '2026-07-02', kind: 'local' });
    const afterMove = await loadWorkCalendar(t.db, t.config);
    expect(isWorkingDay(afterMove, '2026-07-01')).toBe(true);
    expect(isWorkingDay(afterMove, '2026-07-02')).toBe(false);

    const deleted = await req('DELETE', '/api/holidays/2026-07-02', admin);
    expect(deleted.statusCode).toBe(204);
    expect((await req('DELETE', '/api/holidays/2026-07-02', admin)).statusCode).toBe(404);
    expect(isWorkingDay(await loadWorkCalendar(t.db, t.config), '2026-07-02')).toBe(true);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'details'])
      .where('entity_type', '=', 'holiday')
      .where('entity_id', 'in', ['2026-07-01', '2026-07-02'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.entity_id])).toEqual([
      ['holiday.create', '2026-07-01'],
      ['holiday.update', '2026-07-01'],
      ['holiday.update', '2026-07-01'],
      ['holiday.delete', '2026-07-02'],
    ]);
    expect(audit[2]?.details).toMatchObject({
      before: { date: '2026-07-01' },
      after: { date: '2026-07-02' },
    });
    expect(audit[3]?.details).toMatchObject({ before: { name: 'Hari Jadi Kabupaten ke-200' } });
  });

  it('refuses a second holiday on a date with 409 HOLIDAY_EXISTS, also when moving onto one', async () => {
    const dup = await req('POST', '/api/holidays', admin, {
      date: '2026-03-19',
      name: 'Lagi',
      kind: 'local',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({
      code: 'HOLIDAY_EXISTS',
      details: { fields: [{ path: 'date', message: 'already a holiday' }] },
    });
    const move = await req('PATCH', '/api/holidays/2026-03-18', admin, { date: '2026-03-19' });
    expect(move.statusCode).toBe(409);
    expect(move.json().error.code).toBe('HOLIDAY_EXISTS');
    // Moving onto itself is no conflict.
    const same = await req('PATCH', '/api/holidays/2026-03-18', admin, { date: '2026-03-18' });
    expect(same.statusCode).toBe(200);
  });

  it('answers 400 for bad dates, names, kinds and unknown fields, naming the fields', async () => {
    const bad = await req('POST', '/api/holidays', admin, { date: '2026-02-30', name: 'x', kind: 'party' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(
      bad
        .json()
        .error.details.fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(['date', 'kind', 'name']);
    for (const date of ['2026-1-01', '01-01-2026', '2026-13-01', 'tomorrow']) {
      const res = await req('POST', '/api/holidays', admin, { date, name: 'Libur', kind: 'local' });
      expect(res.statusCode, date).toBe(400);
    }
    const extra = await req('POST', '/api/holidays', admin, {
      date: '2026-07-03',
      name: 'Libur',
      kind: 'local',
      extra: 1,
    });
    expect(extra.statusCode).toBe(400);
    expect((await req('PATCH', '/api/holidays/2026-02-30', admin, { name: 'Libur' })).statusCode).toBe(400);
    expect((await req('PATCH', '/api/holidays/2026-03-19', admin, {})).statusCode).toBe(400);
    expect((await req('DELETE', '/api/holidays/not-a-date', admin)).statusCode).toBe(400);
    expect((await req('PATCH', '/api/holidays/2026-07-09', admin, { name: 'Libur' })).statusCode).toBe(404);
    expect((await req('GET', '/api/holidays?year=20x6', admin)).statusCode).toBe(400);
    expect((await req('GET', '/api/holidays?kind=party', admin)).statusCode).toBe(400);
  });

  it('lets every signed-in user read, only admins change, and nobody without a session', async () => {
    for (const role of ['opd', 'umum', 'kepala', 'kabid', 'subkoor', 'staf'] as const) {
      const { cookie } = await t.as([role]);
      const list = await req('GET', '/api/holidays?year=2026', cookie);
      expect(list.statusCode, role).toBe(200);
      expect(list.json().total, role).toBe(25);
      const create = await req('POST', '/api/holidays', cookie, {
        date: '2026-07-06',
        name: 'Nope',
        kind: 'local',
      });
      expect(create.statusCode, role).toBe(403);
      expect(
        (await req('PATCH', '/api/holidays/2026-03-19', cookie, { name: 'Nope' })).statusCode,
        role,
      ).toBe(403);
      expect((await req('DELETE', '/api/holidays/2026-03-19', cookie)).statusCode, role).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/holidays' })).statusCode).toBe(401);
    const nyepi = await req('GET', '/api/holidays?year=2026&pageSize=100', admin);
    expect(nyepi.json().items.find((h: { date: string }) => h.date === '2026-03-19').name).toMatch(/Nyepi/);
    const count = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('entity_id', '=', '2026-07-06')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths['/api/holidays'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/holidays/{date}'] ?? {}).sort()).toEqual(['delete', 'patch']);
  });

  it('pages through a year in date order', async () => {
    const p1 = (await req('GET', '/api/holidays?year=2026&pageSize=10', admin)).json();
    const p3 = (await req('GET', '/api/holidays?year=2026&pageSize=10&page=3', admin)).json();
    expect(p1).toMatchObject({ total: 25, page: 1, pageSize: 10 });
    expect(p1.items[0].date).toBe('2026-01-01');
    expect(p3.items).toHaveLength(5);
    expect(p3.items[4].date).toBe('2026-12-25');
  });
});
