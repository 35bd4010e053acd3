import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { insertManyCases } from '../../test/helpers/case-bulk.ts';

let t: TestApp;
let kabid: string;
let opd: string;
const N = 1200;

beforeAll(async () => {
  t = await createTestApp();
  const k = await t.as(['kabid']);
  kabid = k.cookie;
  const o = await t.as(['opd']);
  opd = o.cookie;
  await insertManyCases(t.db, { n: N, opdId: o.user.opdId as string, createdBy: o.user.id, prefix: 'LST' });
  await t.db
    .updateTable('cases')
    .set({ agenda_number: '0777/BU/2026' })
    .where('ref', '=', 'LST-0000777')
    .execute();
  // Open cases waiting for the Kabid: 60; make more than 1000 of them wait, for the badge's cap.
  await t.db
    .updateTable('cases')
    .set({ roles_waiting: ['kabid'], status: 'active', step_key: 'pengkajian', current_due_at: new Date(0) })
    .where('ref', '<=', 'LST-0001100')
    .execute();
}, 120_000);
afterAll(() => t.close());

const list = async (cookie: string, query: string) => {
  const res = await t.app.inject({ url: `/api/cases?${query}`, headers: { cookie } });
  return { status: res.statusCode, body: res.json() };
};

describe('case lists count up to 1000 and say when there are more', () => {
  it('"Semua" with 1,200 cases: total 1000, capped, one page of 20, newest change first', async () => {
    const r = await list(kabid, 'view=all');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ total: 1000, totalCapped: true, page: 1, pageSize: 20 });
    expect(r.body.items).toHaveLength(20);
    expect(r.body.items[0].ref).toBe('LST-0001200');
  });

  it("the OPD's own list, the inbox and overdue are capped alike", async () => {
    expect((await list(opd, 'view=all')).body).toMatchObject({ total: 1000, totalCapped: true });
    expect((await list(kabid, 'view=inbox')).body).toMatchObject({ total: 1000, totalCapped: true });
    expect((await list(kabid, 'view=overdue')).body).toMatchObject({ total: 1000, totalCapped: true });
    expect((await list(kabid, 'view=all&status=done')).body).toMatchObject({ total: 95, totalCapped: false });
  });

  it('the menu badges are capped too', async () => {
    const res = await t.app.inject({ url: '/api/cases/counts', headers: { cookie: kabid } });
    expect(res.json()).toEqual({ inbox: 1000, inboxCapped: true, overdue: 1000, overdueCapped: true });
  });

  it('a narrow search counts exactly', async () => {
    const r = await list(kabid, `view=all&q=${encodeURIComponent('nomor 1111')}`);
    expect(r.body).toMatchObject({ total: 1, totalCapped: false });
    expect(r.body.items[0].ref).toBe('LST-0001111');
  });

  it('pages go as deep as the count: page 50 of 20 answers, page 51 is refused', async () => {
    const last = await list(kabid, 'view=all&page=50');
    expect(last.status).toBe(200);
    expect(last.body.items).toHaveLength(20);
    const beyond = await list(kabid, 'view=all&page=51');
    expect(beyond.status).toBe(400);
    expect(beyond.body.error.code).toBe('VALIDATION_FAILED');
    expect((await list(kabid, 'view=all&page=11&pageSize=100')).status).toBe(400);
  });
});

describe('text search', () => {
  const refs = async (q: string) => {
    const r = await list(kabid, `view=all&q=${encodeURIComponent(q)}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (r.body.items as { ref: string }[]).map((i) => i.ref).sort();
  };

  it('finds by reference, subject, letter number and agenda number, whatever the case', async () => {
    expect(await refs('lst-0000042')).toEqual(['LST-0000042']);
    expect(await refs('WEBSITE NOMOR 1199')).toEqual(['LST-0001199']);
    expect(await refs('027/43/2026')).toEqual(['LST-0000043']);
    expect(await refs('0777/bu')).toEqual(['LST-0000777']);
  });

  it('never matches across two fields', async () => {
    // "…0042" ends the reference and "Permohonan" begins the subject.
    expect(await refs('0000042 Permohonan')).toEqual([]);
    expect(await refs('0000042Permohonan')).toEqual([]);
  });

  it('a search shorter than 3 characters is refused (no index could answer it)', async () => {
    const r = await list(kabid, 'view=all&q=42');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    // An empty search is no search.
    expect((await list(kabid, 'view=all&q=')).body).toMatchObject({ total: 1000, totalCapped: true });
  });
});
