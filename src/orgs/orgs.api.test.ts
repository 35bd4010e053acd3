import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { buildOpd, buildUser, uniq } from '../../test/helpers/factories.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.as(['admin'])).cookie;
});
afterAll(() => t.close());

const req = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

describe('OPDs', () => {
  it('an admin creates, reads, edits and deactivates an OPD, each change audited', async () => {
    const code = `DINKES${uniq()}`.slice(0, 30);
    const created = await req('POST', '/api/opds', admin, { code, name: 'Dinas Kesehatan' });
    expect(created.statusCode).toBe(201);
    const opd = created.json();
    expect(opd).toMatchObject({ code, name: 'Dinas Kesehatan', active: true });
    const edited = await req('PATCH', `/api/opds/${opd.id}`, admin, { name: 'Dinas Kesehatan Kabupaten' });
    expect(edited.json().name).toBe('Dinas Kesehatan Kabupaten');
    const off = await req('PATCH', `/api/opds/${opd.id}`, admin, { active: false });
    expect(off.json().active).toBe(false);
    expect((await req('GET', `/api/opds/${opd.id}`, admin)).json().active).toBe(false);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('entity_id', '=', opd.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['opd.create', 'opd.update', 'opd.update']);
    expect(audit[1]?.details).toMatchObject({
      before: { name: 'Dinas Kesehatan' },
      after: { name: 'Dinas Kesehatan Kabupaten' },
    });
  });

  it('rejects a duplicate code with 409 and bad fields with 400 naming the field', async () => {
    const existing = await buildOpd(t.db);
    const dup = await req('POST', '/api/opds', admin, { code: existing.code, name: 'Another' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('OPD_CODE_TAKEN');
    const bad = await req('POST', '/api/opds', admin, { code: 'lower case!', name: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(
      bad
        .json()
        .error.details.fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(['code', 'name']);
    const unknown = await req('POST', '/api/opds', admin, { code: 'OKCODE', name: 'Okay', extra: 1 });
    expect(unknown.statusCode).toBe(400);
  });

  it('searches and paginates', async () => {
    const tag = uniq();
    for (let i = 0; i < 3; i++)
      await buildOpd(t.db, { code: `S${tag}${i}`.slice(0, 30), name: `Badan Cari ${tag} ${i}` });
    const res = await req('GET', `/api/opds?q=${encodeURIComponent(`cari ${tag}`)}&pageSize=2`, admin);
    expect(res.json()).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(res.json().items).toHaveLength(2);
    const p2 = await req('GET', `/api/opds?q=${encodeURIComponent(`cari ${tag}`)}&pageSize=2&page=2`, admin);
    expect(p2.json().items).toHaveLength(1);
    const literal = await req('GET', `/api/opds?q=${encodeURIComponent('%')}`, admin);
    expect(literal.json().total).toBe(0);
  });

  it('a 404 for an unknown id, a 400 for a malformed one', async () => {
    expect((await req('GET', '/api/opds/00000000-0000-4000-8000-000000000000', admin)).statusCode).toBe(404);
    expect((await req('GET', '/api/opds/not-a-uuid', admin)).statusCode).toBe(400);
  });

  it('only admins change OPDs', async () => {
    for (const role of ['umum', 'kepala', 'kabid', 'subkoor', 'staf', 'opd'] as const) {
      const { cookie } = await t.as([role]);
      const res = await req('POST', '/api/opds', cookie, { code: `NO${uniq()}`.slice(0, 30), name: 'Nope' });
      expect(res.statusCode, role).toBe(403);
    }
  });
});

describe('an OPD user sees only its own OPD', () => {
  it('lists only its own and gets 404 for any other', async () => {
    const mine = await buildOpd(t.db);
    const other = await buildOpd(t.db);
    const u = await buildUser(t.db, { roles: ['opd'], opdId: mine.id });
    const cookie = await t.login(u.username, u.password);
    const list = await req('GET', '/api/opds?pageSize=100', cookie);
    expect(list.json().items.map((o: { id: string }) => o.id)).toEqual([mine.id]);
    expect(list.json().total).toBe(1);
    expect((await req('GET', `/api/opds/${mine.id}`, cookie)).statusCode).toBe(200);
    const theirs = await req('GET', `/api/opds/${other.id}`, cookie);
    expect(theirs.statusCode).toBe(404);
    const search = await req('GET', `/api/opds?q=${encodeURIComponent(other.name)}`, cookie);
    expect(search.json().items).toEqual([]);
  });

  it('cannot read units, users or the audit log', async () => {
    const { cookie } = await t.as(['opd']);
    for (const url of ['/api/units', '/api/users', '/api/audit']) {
      expect((await req('GET', url, cookie)).statusCode, url).toBe(403);
    }
  });
});

describe('CSV import of OPDs', () => {
  it('previews per-row actions and errors without writing, then commits all rows', async () => {
    const existing = await buildOpd(t.db, { name: 'Nama Lama' });
    const a = `IMP${uniq()}`.slice(0, 30);
    const b = `IMP${uniq()}`.slice(0, 30);
    const csv = `kode;nama;aktif\n${a.toLowerCase()};Dinas Pendidikan;ya\n${b};Dinas Sosial;tidak\n${existing.code};Nama Baru;ya\n`;
    const preview = await req('POST', '/api/opds/import', admin, { csv, dryRun: true });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ created: 2, updated: 1, unchanged: 0, errors: 0 });
    expect(await t.db.selectFrom('opds').select('id').where('code', 'in', [a, b]).execute()).toHaveLength(0);
    const commit = await req('POST', '/api/opds/import', admin, { csv, dryRun: false });
    expect(commit.statusCode).toBe(200);
    const rows = await t.db
      .selectFrom('opds')
      .select(['code', 'name', 'active'])
      .where('code', 'in', [a, b, existing.code])
      .orderBy('code')
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { code: a, name: 'Dinas Pendidikan', active: true },
        { code: b, name: 'Dinas Sosial', active: false },
        { code: existing.code, name: 'Nama Baru', active: true },
      ]),
    );
    const again = await req('POST', '/api/opds/import', admin, { csv, dryRun: true });
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('with any bad row writes nothing and says which rows are wrong', async () => {
    const good = `OK${uniq()}`.slice(0, 30);
    const csv = `code,name\n${good},Dinas Baik\nbad code!,X\n${good},Duplikat\n`;
    const res = await req('POST', '/api/opds/import', admin, { csv, dryRun: false });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('IMPORT_INVALID');
    const rows = res.json().error.details.rows;
    expect(rows.map((r: { line: number; action: string }) => [r.line, r.action])).toEqual([
      [2, 'create'],
      [3, 'error'],
      [4, 'error'],
    ]);
    expect(rows[2].errors[0]).toContain('repeats line 2');
    expect(await t.db.selectFrom('opds').select('id').where('code', '=', good).execute()).toHaveLength(0);
  });

  it('rejects a file without the header or without rows', async () => {
    for (const csv of ['', 'DINKES,Dinas Kesehatan\n', 'code,name\n', '"unterminated']) {
      const res = await req('POST', '/api/opds/import', admin, { csv, dryRun: true });
      expect(res.statusCode, csv).toBe(422);
      expect(res.json().error.code).toBe('IMPORT_INVALID');
    }
  });
});

describe('DKISP units', () => {
  it('ships the SOP units and lets an admin add one', async () => {
    const list = await req('GET', '/api/units', admin);
    expect(list.json().items.map((u: { code: string }) => u.code)).toEqual(
      expect.arrayContaining(['SEKRETARIAT', 'APTIKA']),
    );
    const res = await req('POST', '/api/units', admin, {
      code: `UNIT${uniq()}`.slice(0, 30),
      name: 'Bidang Statistik',
    });
    expect(res.statusCode).toBe(201);
    const staff = await t.as(['kabid']);
    expect((await req('GET', '/api/units', staff.cookie)).statusCode).toBe(200);
  });
});
