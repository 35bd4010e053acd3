import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import { jakartaDate } from '../../test/helpers/clock.ts';
import { createTestDb } from '../../test/helpers/db.ts';
import type { DbHandle } from '../db/create-db.ts';
import { pdf } from '../storage/test-fixtures.ts';

// SOP versions are immutable once published: a process keeps them, reads of cases never go back to
// `sop_versions`, and what is current is checked with one small aggregate — which still sees a
// version another Loket instance published.

let handle: DbHandle;
let t: TestApp;
let opd: string;
let kabid: string;
/** Statements naming sop_versions, and those reading its rows (not just the stamp). */
let touched = 0;
let rowReads = 0;
const spy: KyselyPlugin = {
  transformQuery: (args) => {
    const text = JSON.stringify(args.node);
    if (text.includes('"sop_versions"')) touched++;
    if (text.includes('"sop_versions"') && text.includes('"standard_times"')) rowReads++;
    return args.node;
  },
  transformResult: async (args) => args.result,
};

beforeAll(async () => {
  handle = await createTestDb();
  t = await createTestApp({}, { ...handle, db: handle.db.withPlugin(spy) });
  opd = (await t.as(['opd'])).cookie;
  kabid = (await t.as(['kabid'])).cookie;
});
afterAll(async () => {
  await t.close();
  await handle.close();
});
beforeEach(() => {
  touched = 0;
  rowReads = 0;
});

async function file(): Promise<{ id: string; sop: { version: number } }> {
  const body = multipart(
    {
      kind: 'new',
      subject: 'Versi SOP di-cache',
      letterNumber: '9/9/9',
      letterDate: jakartaDate(t.now()),
      description: 'x',
    },
    [{ field: 'letter', name: 's.pdf', type: 'application/pdf', data: pdf() }],
  );
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { ...body.headers, cookie: opd },
    payload: body.payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('SOP versions cached in the process', () => {
  it('lists, badges and case pages do not read sop_versions', async () => {
    const c = await file();
    touched = 0;
    for (let i = 0; i < 3; i++) {
      for (const [url, cookie] of [
        ['/api/cases?view=all', opd],
        ['/api/cases?view=inbox', kabid],
        ['/api/cases/counts', kabid],
        [`/api/cases/${c.id}`, opd],
      ] as const) {
        const res = await t.app.inject({ url, headers: { cookie } });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    expect(touched).toBe(0);
  });

  it('filing a request checks the current version with one small query when nothing changed', async () => {
    await file();
    rowReads = 0;
    touched = 0;
    await file();
    expect(rowReads).toBe(0);
    expect(touched).toBe(1);
  });

  it('a version another instance published is taken by the next request, and old cases keep theirs', async () => {
    const old = await file();
    expect(old.sop.version).toBe(1);
    // As another Loket process on the same database would: the row only, not this process's cache.
    const creator = await handle.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    await handle.db
      .insertInto('sop_versions')
      .values({
        key: 'website',
        version: 2,
        base_version: 1,
        standard_times: JSON.stringify({ registrasi: { minutes: 10 } }),
        created_by: creator.id,
      })
      .execute();
    const fresh = await file();
    expect(fresh.sop.version).toBe(2);
    const services = await t.app.inject({ url: '/api/services', headers: { cookie: opd } });
    expect(services.json()[0].version).toBe(2);
    const page = await t.app.inject({ url: `/api/cases/${old.id}`, headers: { cookie: opd } });
    expect(page.json().sop.version).toBe(1);
  });

  it('a retirement another instance made is seen by the next request, with the same one small query', async () => {
    const listed = async () =>
      (
        (await t.app.inject({ url: '/api/services', headers: { cookie: opd } })).json() as { key: string }[]
      ).map((s) => s.key);
    expect(await listed()).toContain('website');
    touched = 0;
    await listed();
    expect(touched).toBe(1);
    const admin = await handle.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    await handle.db
      .insertInto('sop_services')
      .values({ key: 'website', retired: true, retired_at: new Date(), retired_by: admin.id })
      .execute();
    expect(await listed()).not.toContain('website');
    await handle.db
      .updateTable('sop_services')
      .set({ retired: false, retired_at: null, retired_by: null, revision: 2 })
      .where('key', '=', 'website')
      .execute();
    expect(await listed()).toContain('website');
  });
});
