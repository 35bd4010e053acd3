import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import { buildOpd } from '../../test/helpers/factories.ts';
import { readTable, writeCsv, writeXlsx } from './tabular.ts';

// Import and export of the registry through the HTTP API, on real databases: the preview with
// per-row errors writes nothing, a commit is all or nothing, and export → import into an empty
// instance → export gives the same records back.

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely in tests
type Json = Record<string, any>;

const ZONE = 'example-kab.go.id';
const OPD_CODES = ['DINKES', 'DISDIK', 'BAPPEDA'];
const PASSWORD = 'Rahasia-Sekali-2026!';

type Instance = { t: TestApp; cookie: Record<string, string>; opd: Record<string, string> };

/** A fresh instance with the same OPD codes and zone as every other (what a new site starts with). */
async function instance(): Promise<Instance> {
  const t = await createTestApp();
  const cookie: Record<string, string> = {};
  for (const role of ['admin', 'kabid', 'staf'] as const) cookie[role] = (await t.as([role])).cookie;
  cookie.opd = (await t.as(['opd'])).cookie;
  const opd: Record<string, string> = {};
  for (const code of OPD_CODES) opd[code] = (await buildOpd(t.db, { code, name: `Dinas ${code}` })).id;
  const zone = await t.app.inject({
    method: 'POST',
    url: '/api/registry/zones',
    headers: { cookie: cookie.admin ?? '' },
    payload: { name: ZONE },
  });
  expect(zone.statusCode, zone.body).toBe(201);
  return { t, cookie, opd };
}

async function call(
  i: Instance,
  as: string,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await i.t.app.inject({
    method,
    url,
    headers: { cookie: i.cookie[as] ?? '' },
    ...(payload !== undefined ? { payload: payload as Json } : {}),
  });
  return { status: res.statusCode, body: res.body ? res.json() : {} };
}

async function ok(i: Instance, as: string, method: 'POST' | 'PATCH', url: string, payload: unknown) {
  const r = await call(i, as, method, url, payload);
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function upload(
  i: Instance,
  as: string,
  fields: Record<string, string>,
  file?: { name: string; data: Buffer; type?: string },
) {
  const form = multipart(
    fields,
    file
      ? [{ field: 'file', name: file.name, type: file.type ?? 'application/octet-stream', data: file.data }]
      : [],
  );
  const res = await i.t.app.inject({
    method: 'POST',
    url: '/api/registry/import',
    headers: { ...form.headers, cookie: i.cookie[as] ?? '' },
    payload: form.payload,
  });
  return { status: res.statusCode, body: res.json() as Json };
}

const importCsv = (i: Instance, entity: string, dryRun: boolean, csv: string | Buffer, as = 'admin') =>
  upload(
    i,
    as,
    { entity, dryRun: String(dryRun) },
    { name: `${entity}.csv`, data: typeof csv === 'string' ? Buffer.from(csv) : csv, type: 'text/csv' },
  );

async function exportFile(i: Instance, entity: string, format: 'csv' | 'xlsx', as = 'staf') {
  const res = await i.t.app.inject({
    method: 'GET',
    url: `/api/registry/export?entity=${entity}&format=${format}`,
    headers: { cookie: i.cookie[as] ?? '' },
  });
  return res;
}

async function counts(i: Instance): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['websites', 'servers', 'ip_pools', 'ip_allocations', 'dns_names', 'audit_log']) {
    const r = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(i.t.db);
    out[table] = Number(r.rows[0]?.n);
  }
  return out;
}

let a: Instance;
beforeAll(async () => {
  a = await instance();
});
afterAll(() => a.t.close());

describe('who may', () => {
  it('OPD users may neither export nor import; staff export; only managers import', async () => {
    const csv = 'name,cidr\nUji,198.51.100.0/28\n';
    for (const entity of ['websites', 'servers', 'pools']) {
      expect((await exportFile(a, entity, 'csv', 'opd')).statusCode).toBe(403);
      expect((await exportFile(a, entity, 'xlsx', 'staf')).statusCode).toBe(200);
    }
    expect((await importCsv(a, 'pools', true, csv, 'opd')).status).toBe(403);
    expect((await importCsv(a, 'pools', true, csv, 'staf')).status).toBe(403);
    expect((await importCsv(a, 'pools', true, csv, 'kabid')).status).toBe(200);
    const anon = await a.t.app.inject({ method: 'GET', url: '/api/registry/export?entity=pools&format=csv' });
    expect(anon.statusCode).toBe(401);
  });
});

describe('import: the file', () => {
  it('is told by its content: CSV text or an XLSX workbook, nothing else', async () => {
    const before = await counts(a);
    const pdf = await upload(
      a,
      'admin',
      { entity: 'pools', dryRun: 'true' },
      {
        name: 'pools.csv',
        data: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n\x00\x01', 'latin1'),
      },
    );
    expect(pdf.status).toBe(415);
    expect(pdf.body.error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    const latin1 = await importCsv(a, 'pools', true, Buffer.from('name,cidr\nP\xe9,10.9.0.0/24\n', 'latin1'));
    expect(latin1.status).toBe(415);
    const zip = Buffer.from('504b0506000000000000000000000000000000000000', 'hex');
    expect(
      (await upload(a, 'admin', { entity: 'pools' }, { name: 'x.xlsx', data: zip, type: XLSX })).status,
    ).toBe(415);
    const missing = await upload(a, 'admin', { entity: 'pools', dryRun: 'true' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('FILE_REQUIRED');
    const badEntity = await importCsv(a, 'users', true, 'name\nx\n');
    expect(badEntity.status).toBe(400);
    const json = await a.t.app.inject({
      method: 'POST',
      url: '/api/registry/import',
      headers: { cookie: a.cookie.admin ?? '' },
      payload: { entity: 'pools' },
    });
    expect(json.statusCode).toBe(415);
    expect(await counts(a)).toEqual(before);
  });

  it('refuses a password column, unknown columns and a file without rows, naming them', async () => {
    const pw = await importCsv(
      a,
      'websites',
      true,
      `hostname,opd_code,purpose,db_password\nx.${ZONE},DINKES,P,s3cret\n`,
    );
    expect(pw.status).toBe(422);
    expect(pw.body.error.message).toMatch(/password/i);
    const sandi = await importCsv(a, 'websites', true, `hostname;kata_sandi_db\nx.${ZONE};s3cret\n`);
    expect(sandi.status).toBe(422);
    const unknown = await importCsv(a, 'servers', true, 'name,colour\nweb-9,blue\n');
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toMatch(/colour/);
    const empty = await importCsv(a, 'servers', true, 'name,kind\n\n');
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('IMPORT_INVALID');
  });
});

describe('import: preview and commit', () => {
  beforeAll(async () => {
    await ok(a, 'admin', 'POST', '/api/registry/pools', {
      name: 'Publik NOC',
      cidr: '203.0.113.0/24',
      gateway: '203.0.113.1',
    });
    await ok(a, 'admin', 'POST', '/api/registry/servers', {
      name: 'web-01',
      kind: 'shared',
      location: 'noc',
      roles: ['web'],
    });
  });

  const badFile = [
    'hostname,opd_code,purpose,status,server,ip_address',
    `baik.${ZONE},DINKES,Profil dinas,active,web-01,203.0.113.10`,
    `Bad_Host.${ZONE},DINKES,Nama buruk,planned,,`,
    `tanpa-opd.${ZONE},NOPE,OPD tak dikenal,planned,,`,
    `www.${ZONE},DISDIK,Label terlarang,planned,,`,
    `baik.${ZONE},DISDIK,Ganda,planned,,`,
    `server-hilang.${ZONE},DISDIK,Server tak dikenal,planned,web-99,`,
    `lain.${ZONE},BAPPEDA,Baik juga,planned,,`,
  ].join('\n');

  it('shows every row with its own errors and writes nothing', async () => {
    const before = await counts(a);
    const r = await importCsv(a, 'websites', true, badFile);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ entity: 'websites', created: 2, updated: 0, unchanged: 0, errors: 5 });
    const rows = r.body.rows as Json[];
    expect(rows.map((x) => [x.line, x.action])).toEqual([
      [2, 'create'],
      [3, 'error'],
      [4, 'error'],
      [5, 'error'],
      [6, 'error'],
      [7, 'error'],
      [8, 'create'],
    ]);
    expect(rows[1]?.errors.join()).toMatch(/^hostname: /);
    expect(rows[2]?.errors).toEqual(['opd_code: no OPD has the code NOPE']);
    expect(rows[3]?.errors.join()).toMatch(/hostname: .*reserved/);
    expect(rows[4]?.errors).toEqual([`hostname: baik.${ZONE} repeats line 2`]);
    expect(rows[5]?.errors).toEqual(['server: no server is named web-99']);
    expect(rows[0]).toMatchObject({ key: `baik.${ZONE}`, errors: [] });
    expect(await counts(a)).toEqual(before);

    // The same file for real: 422 with the same rows, and still nothing written.
    const commit = await importCsv(a, 'websites', false, badFile);
    expect(commit.status).toBe(422);
    expect(commit.body.error.code).toBe('IMPORT_INVALID');
    expect(commit.body.error.details.rows).toEqual(rows);
    expect(await counts(a)).toEqual(before);
  });

  it('commits all rows together, then finds them unchanged, and updates what differs', async () => {
    const file = [
      'hostname;kode_opd;tujuan;status;nama_server;alamat_ip;catatan',
      `dinkes.${ZONE};DINKES;Profil dinas;active;web-01;203.0.113.20;=SUM(1)`,
      `disdik.${ZONE};DISDIK;PPDB;planned;;;`,
    ].join('\r\n');
    const before = await counts(a);
    const preview = await importCsv(a, 'websites', true, file);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ created: 2, errors: 0 });
    expect(await counts(a)).toEqual(before);
    const r = await importCsv(a, 'websites', false, file);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ created: 2, errors: 0 });
    expect((await counts(a)).websites).toBe((before.websites ?? 0) + 2);

    const list = (await call(a, 'staf', 'GET', `/api/registry/websites?q=dinkes.${ZONE}`)).body
      .items as Json[];
    const dinkes = (await call(a, 'staf', 'GET', `/api/registry/websites/${list[0]?.id}`)).body;
    expect(dinkes).toMatchObject({
      hostname: `dinkes.${ZONE}`,
      status: 'active',
      server: { name: 'web-01' },
      ipAddress: '203.0.113.20',
      notes: '=SUM(1)',
      opd: { code: 'DINKES' },
    });
    const history = (await call(a, 'staf', 'GET', `/api/registry/websites/${dinkes.id}/history`)).body.items;
    expect(history[0]).toMatchObject({ action: 'website.create', reason: 'Impor registri (websites.csv)' });

    const again = await importCsv(a, 'websites', false, file);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2, errors: 0 });

    const changed = file.replace('PPDB;planned', 'PPDB online;planned');
    const upd = await importCsv(a, 'websites', false, changed);
    expect(upd.body.rows.map((x: Json) => x.action)).toEqual(['unchanged', 'update']);

    // One bad row among good ones: none of them is written.
    const mixed = [
      'hostname,opd_code,purpose',
      `baru-1.${ZONE},DINKES,Satu`,
      `disdik.${ZONE},DISDIK,`,
      `baru-2.${ZONE},DINKES,Dua`,
    ].join('\n');
    const beforeMixed = await counts(a);
    const m = await importCsv(a, 'websites', false, mixed);
    expect(m.status).toBe(422);
    expect(m.body.error.details.rows.map((x: Json) => x.action)).toEqual(['create', 'error', 'create']);
    expect(m.body.error.details.rows[1].errors.join()).toMatch(/^purpose: /);
    expect(await counts(a)).toEqual(beforeMixed);
  });

  it('reports service errors for servers and pools by column', async () => {
    const servers = [
      'name,kind,location,roles,public_ips',
      'db-01,virtual,noc,database,203.0.113.30',
      'dns-01,virtual,noc,dns,192.0.2.7',
      'web-01,virtual,noc,web,203.0.113.1',
      'bad name,virtual,noc,web,',
      'mail-01,box,noc,web,',
    ].join('\n');
    const before = await counts(a);
    const r = await importCsv(a, 'servers', true, servers);
    expect(r.status).toBe(200);
    const rows = r.body.rows as Json[];
    expect(rows.map((x) => x.action)).toEqual(['create', 'error', 'error', 'error', 'error']);
    expect(rows[1]?.errors).toEqual(['public_ips: 192.0.2.7 is in no IP pool of the registry']);
    expect(rows[2]?.errors.join()).toMatch(/^public_ips: .*gateway/);
    expect(rows[3]?.errors.join()).toMatch(/^name: /);
    expect(rows[4]?.errors.join()).toMatch(/^kind: /);
    const pools = ['cidr,name,gateway', '203.0.113.0/24,Publik NOC,203.0.113.254', '10.1.2.3/24,Salah,'].join(
      '\n',
    );
    const p = await importCsv(a, 'pools', true, pools);
    expect(p.body.rows.map((x: Json) => x.errors.join())).toEqual([
      expect.stringMatching(/^gateway: /),
      expect.stringMatching(/^cidr: host bits/),
    ]);
    expect(await counts(a)).toEqual(before);
  });
});

describe('a server’s placement (owner OPD, rack, unit, power, virtual size)', () => {
  it('is imported, updated and cleared by its cells, with a history entry; bad cells are errors by column', async () => {
    const file = (...rows: string[]) =>
      ['nama,jenis,lokasi,kode_opd_pemilik,rak,posisi_unit,daya_watt,vcpu,memori_gb,disk_gb', ...rows].join(
        '\n',
      );
    const created = await importCsv(
      a,
      'servers',
      false,
      file('colo-01,dedicated,colocation,dinkes,R-01,U3,350,,,'),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.rows.map((x: Json) => x.action)).toEqual(['create']);
    const row = () =>
      a.t.db
        .selectFrom('servers')
        .select(['id', 'owner_opd_id', 'rack', 'rack_position', 'power_watts', 'vcpu', 'version'])
        .where('name', '=', 'colo-01')
        .executeTakeFirstOrThrow();
    const first = await row();
    expect(first).toMatchObject({
      owner_opd_id: a.opd.DINKES,
      rack: 'R-01',
      rack_position: 'U3',
      power_watts: 350,
    });
    const detail = (await call(a, 'staf', 'GET', `/api/registry/servers/${first.id}`)).body;
    expect(detail.placement).toMatchObject({ ownerOpdId: a.opd.DINKES, rack: 'R-01', powerWatts: 350 });

    // The same cells again: nothing changes.
    const same = await importCsv(
      a,
      'servers',
      true,
      file('colo-01,dedicated,colocation,DINKES,R-01,U3,0350,,,'),
    );
    expect(same.body.rows.map((x: Json) => x.action)).toEqual(['unchanged']);

    // Moved to another rack, the power cell emptied (cleared), a new owner.
    const moved = await importCsv(
      a,
      'servers',
      false,
      file('colo-01,dedicated,colocation,DISDIK,R-07,U3,,2,,'),
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.rows.map((x: Json) => x.action)).toEqual(['update']);
    const second = await row();
    expect(second).toMatchObject({
      owner_opd_id: a.opd.DISDIK,
      rack: 'R-07',
      rack_position: 'U3',
      power_watts: null,
      vcpu: 2,
    });
    expect(second.version).toBeGreaterThan(first.version);
    const history = await a.t.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('entity_id', '=', first.id)
      .where('action', '=', 'server.placement')
      .orderBy('at')
      .execute();
    expect(history).toHaveLength(2);
    expect(history[1]?.details).toMatchObject({
      reason: 'Impor registri (servers.csv)',
      before: { ownerOpdId: a.opd.DINKES, rack: 'R-01', powerWatts: 350, vcpu: null },
      after: { ownerOpdId: a.opd.DISDIK, rack: 'R-07', powerWatts: null, vcpu: 2 },
    });

    const before = await counts(a);
    const bad = await importCsv(
      a,
      'servers',
      true,
      file(
        'colo-02,dedicated,colocation,TIDAKADA,R-01,U1,100,,,',
        'colo-03,dedicated,colocation,,R-01,U1,0,,,',
        'colo-04,virtual,cloud,,,,,dua,16,,',
        `colo-05,dedicated,colocation,,${'R'.repeat(51)},U1,,,,`,
        'colo-01,dedicated,colocation,DISDIK,R-07,U3,,2,-4,',
      ),
    );
    expect(bad.status).toBe(200);
    expect(bad.body.rows.map((x: Json) => x.errors)).toEqual([
      ['owner_opd_code: no OPD has the code TIDAKADA'],
      ['power_watts: 0 is not a whole number above 0'],
      ['vcpu: dua is not a whole number above 0'],
      ['rack: at most 50 characters'],
      ['memory_gb: -4 is not a whole number above 0'],
    ]);
    expect(await counts(a)).toEqual(before);
    expect(await row()).toEqual(second);
  });
});

// ---------------------------------------------------------------------------------------------
// Round trip

/** Records as the list and detail APIs show them, without what differs by nature between instances. */
async function snapshot(i: Instance): Promise<Json> {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const out: Json = {};
      for (const [k, x] of Object.entries(v)) {
        if (['id', 'version', 'createdAt', 'updatedAt', 'heldUntil', 'retiredAt', 'passwordSet'].includes(k))
          continue;
        out[k] = strip(x);
      }
      return out;
    }
    return v;
  };
  const websites = (await call(i, 'staf', 'GET', '/api/registry/websites?pageSize=100')).body.items as Json[];
  const details = [];
  for (const w of websites)
    details.push((await call(i, 'staf', 'GET', `/api/registry/websites/${w.id}`)).body);
  details.sort((x, y) => `${x.hostname}|${x.purpose}`.localeCompare(`${y.hostname}|${y.purpose}`));
  const servers = (await call(i, 'staf', 'GET', '/api/registry/servers?pageSize=100')).body.items as Json[];
  // Where an OPD's server stands (its detail), the owner by code: OPD ids differ between instances.
  const codeOf = new Map(Object.entries(i.opd).map(([code, id]) => [id, code]));
  for (const server of servers) {
    const placement = (await call(i, 'staf', 'GET', `/api/registry/servers/${server.id}`)).body.placement;
    server.placement = placement && { ...placement, ownerOpdId: codeOf.get(placement.ownerOpdId) ?? null };
  }
  const pools = (await call(i, 'staf', 'GET', '/api/registry/pools?pageSize=100')).body.items;
  return strip({ websites: details, servers, pools }) as Json;
}

describe('round trip', () => {
  let src: Instance;
  const exported: Record<string, { csv: Buffer; xlsx: Buffer }> = {};

  beforeAll(async () => {
    src = await instance();
    const i = src;
    const noc = await ok(i, 'admin', 'POST', '/api/registry/pools', {
      name: 'Publik NOC',
      cidr: '203.0.113.0/24',
      gateway: '203.0.113.1',
      reserved: ['203.0.113.250', '203.0.113.2'],
      notes: 'Blok dari ISP; "utama"',
    });
    const v6 = await ok(i, 'admin', 'POST', '/api/registry/pools', {
      name: 'IPv6 NOC',
      cidr: '2001:db8:10::/64',
      reserved: ['2001:db8:10::53'],
    });
    await ok(i, 'admin', 'POST', '/api/registry/pools', { name: 'Cadangan', cidr: '198.51.100.0/28' });

    const web01 = await ok(i, 'admin', 'POST', '/api/registry/servers', {
      name: 'web-01',
      kind: 'shared',
      location: 'noc',
      os: 'Debian 12',
      addresses: ['10.0.0.11', 'fd00::11'],
      roles: ['web', 'dns'],
      capacityNotes: '64 GB RAM, 2 × 1 TB NVMe',
      notes: 'Rak A3\nbaris kedua',
    });
    const db01 = await ok(i, 'admin', 'POST', '/api/registry/servers', {
      name: 'db-01',
      kind: 'virtual',
      location: 'cloud',
      roles: ['database'],
      status: 'maintenance',
    });
    const old01 = await ok(i, 'admin', 'POST', '/api/registry/servers', {
      name: 'old-01',
      kind: 'dedicated',
      location: 'colocation',
      status: 'retired',
    });
    // What a colocation case and a cloud server case record (migration 0016; no API writes it).
    await i.t.db
      .updateTable('servers')
      .set({ owner_opd_id: i.opd.DINKES, rack: 'R-02', rack_position: 'U10-U12', power_watts: 450 })
      .where('id', '=', old01.id)
      .execute();
    await i.t.db
      .updateTable('servers')
      .set({ owner_opd_id: i.opd.DISDIK, vcpu: 4, memory_gb: 16, disk_gb: 200 })
      .where('id', '=', db01.id)
      .execute();
    for (const [poolId, address] of [
      [noc.id, '203.0.113.10'],
      [noc.id, '203.0.113.11'],
      [v6.id, '2001:db8:10::10'],
    ]) {
      await ok(i, 'admin', 'POST', `/api/registry/pools/${poolId}/allocations`, {
        kind: 'server',
        serverId: web01.id,
        address,
      });
    }
    await ok(i, 'admin', 'POST', `/api/registry/pools/${noc.id}/allocations`, {
      kind: 'server',
      serverId: db01.id,
      address: '203.0.113.12',
    });

    const site = (body: Json) => ok(i, 'staf', 'POST', '/api/registry/websites', body);
    await site({
      opdId: i.opd.DINKES,
      hostname: `dinkes.${ZONE}`,
      aliases: [`sehat.${ZONE}`, `kesehatan.${ZONE}`],
      purpose: 'Profil Dinas Kesehatan',
      status: 'active',
      serverId: web01.id,
      ipAddress: '203.0.113.20',
      cms: 'WordPress',
      cmsVersion: '6.7',
      template: 'Astra',
      dbEngine: 'mariadb',
      dbHost: 'db-01',
      dbName: 'wp_dinkes',
      dbUser: 'dinkes',
      dbPassword: PASSWORD,
      tlsIssuer: "Let's Encrypt",
      tlsExpiresAt: '2027-02-28T12:00:00Z',
      documentRoot: '/var/www/dinkes',
      contactName: 'dr. Siti Rahma, M.Kes.',
      contactNip: '198001012005012001',
      contactPhone: '0812-3456-7890',
      contactEmail: 'siti@example-kab.go.id',
      notes: '=HYPERLINK("http://evil.example","klik")',
    });
    await site({
      opdId: i.opd.DISDIK,
      hostname: `ppdb.${ZONE}`,
      purpose: 'PPDB online, "zonasi"; tahunan',
      status: 'active',
      serverId: web01.id,
      ipAddress: '203.0.113.10',
      dbEngine: 'postgresql',
      dbName: 'ppdb',
      notes: '-catatan; +62 812 @ops',
    });
    const suspended = await site({
      opdId: i.opd.DISDIK,
      hostname: `lama.${ZONE}`,
      purpose: 'Situs lama',
      status: 'active',
      serverId: web01.id,
      ipAddress: '2001:db8:10::20',
    });
    await ok(i, 'staf', 'POST', `/api/registry/websites/${suspended.id}/status`, {
      version: suspended.version,
      status: 'suspended',
      reason: 'Konten tidak diperbarui',
    });
    const retired = await site({
      opdId: i.opd.BAPPEDA,
      hostname: `pensiun.${ZONE}`,
      aliases: [`arsip.${ZONE}`],
      purpose: 'Sudah ditutup',
      status: 'active',
      serverId: web01.id,
      ipAddress: '203.0.113.21',
    });
    await ok(i, 'staf', 'POST', `/api/registry/websites/${retired.id}/status`, {
      version: retired.version,
      status: 'retired',
      reason: 'Digabung ke portal',
    });
    await site({
      opdId: i.opd.BAPPEDA,
      hostname: `rencana.${ZONE}`,
      purpose: 'Perencanaan',
      contactEmail: 'bappeda@example-kab.go.id',
    });
    await site({ opdId: i.opd.BAPPEDA, purpose: 'Belum bernama: Satu Data' });

    for (const entity of ['pools', 'servers', 'websites']) {
      const csv = await exportFile(src, entity, 'csv');
      const xlsx = await exportFile(src, entity, 'xlsx');
      expect(csv.statusCode, csv.body).toBe(200);
      expect(xlsx.statusCode).toBe(200);
      exported[entity] = { csv: csv.rawPayload, xlsx: xlsx.rawPayload };
    }
  });
  afterAll(() => src.t.close());

  it('exports downloads: content types, file names, BOM, key order, formulas neutralised, no password', async () => {
    const res = await exportFile(src, 'websites', 'csv');
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="registri-website-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const x = await exportFile(src, 'pools', 'xlsx');
    expect(x.headers['content-type']).toBe(XLSX);
    expect(x.headers['content-disposition']).toMatch(/registri-pool-ip-\d{4}-\d{2}-\d{2}\.xlsx/);

    const csv = exported.websites?.csv as Buffer;
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text.toLowerCase()).not.toContain('password');
    expect((await exportFile(src, 'websites', 'xlsx')).rawPayload.toString('latin1')).not.toContain(PASSWORD);
    expect(text).toContain(`'=HYPERLINK(""http://evil.example"",""klik"")`);
    expect(text).toContain(`"'-catatan; +62 812 @ops"`);

    const t = await readTable(csv);
    expect(t.header).toEqual([
      'hostname',
      'aliases',
      'opd_code',
      'purpose',
      'status',
      'server',
      'ip_address',
      'cms',
      'cms_version',
      'template',
      'db_engine',
      'db_host',
      'db_name',
      'db_user',
      'tls_issuer',
      'tls_expires_at',
      'document_root',
      'contact_name',
      'contact_nip',
      'contact_phone',
      'contact_email',
      'notes',
    ]);
    expect(t.rows.map((r) => r.cells[0])).toEqual([
      `dinkes.${ZONE}`,
      `lama.${ZONE}`,
      `pensiun.${ZONE}`,
      `ppdb.${ZONE}`,
      `rencana.${ZONE}`,
      '',
    ]);
    const dinkes = t.rows[0]?.cells ?? [];
    expect(dinkes[1]).toBe(`kesehatan.${ZONE} sehat.${ZONE}`);
    expect(dinkes[15]).toBe('2027-02-28T12:00:00.000Z');
    expect(dinkes[21]).toBe('=HYPERLINK("http://evil.example","klik")');

    const servers = await readTable(exported.servers?.csv as Buffer);
    expect(servers.header).toEqual([
      'name',
      'kind',
      'location',
      'os',
      'addresses',
      'roles',
      'capacity_notes',
      'status',
      'notes',
      'public_ips',
      'owner_opd_code',
      'rack',
      'rack_position',
      'power_watts',
      'vcpu',
      'memory_gb',
      'disk_gb',
    ]);
    expect(servers.rows.map((r) => [r.cells[0], ...r.cells.slice(9)])).toEqual([
      ['db-01', '203.0.113.12', 'DISDIK', '', '', '', '4', '16', '200'],
      ['old-01', '', 'DINKES', 'R-02', 'U10-U12', '450', '', '', ''],
      ['web-01', '203.0.113.10 203.0.113.11 2001:db8:10::10', '', '', '', '', '', '', ''],
    ]);
    const pools = await readTable(exported.pools?.csv as Buffer);
    expect(pools.rows.map((r) => r.cells.slice(1, 4))).toEqual([
      ['198.51.100.0/28', '', ''],
      ['203.0.113.0/24', '203.0.113.1', '203.0.113.2 203.0.113.250'],
      ['2001:db8:10::/64', '', '2001:db8:10::53'],
    ]);
  });

  for (const format of ['csv', 'xlsx'] as const) {
    it(`${format.toUpperCase()}: export → import into an empty instance → the same export and the same records`, async () => {
      const dst = await instance();
      try {
        for (const entity of ['pools', 'servers', 'websites']) {
          const data = exported[entity]?.[format] as Buffer;
          const r = await upload(
            dst,
            'admin',
            { entity, dryRun: 'false' },
            { name: `registri-${entity}.${format}`, data, type: format === 'csv' ? 'text/csv' : XLSX },
          );
          expect(r.status, JSON.stringify(r.body)).toBe(200);
          expect(r.body.errors).toBe(0);
          expect(r.body.created).toBe(r.body.rows.length);
        }
        for (const entity of ['pools', 'servers', 'websites']) {
          const again = await exportFile(dst, entity, format);
          if (format === 'csv') {
            expect(again.rawPayload.toString('utf8')).toBe(exported[entity]?.csv.toString('utf8'));
          } else {
            const mine = await readTable(again.rawPayload);
            const theirs = await readTable(exported[entity]?.xlsx as Buffer);
            expect(mine).toEqual(theirs);
          }
        }
        expect(await snapshot(dst)).toEqual(await snapshot(src));

        // Importing the same files again changes nothing (a website without a name is new each time).
        for (const entity of ['pools', 'servers']) {
          const data = exported[entity]?.[format] as Buffer;
          const r = await upload(
            dst,
            'admin',
            { entity, dryRun: 'true' },
            { name: `again.${format}`, data, type: format === 'csv' ? 'text/csv' : XLSX },
          );
          expect(r.body.rows.map((x: Json) => x.action)).toEqual(r.body.rows.map(() => 'unchanged'));
        }
        const w = await upload(
          dst,
          'admin',
          { entity: 'websites', dryRun: 'true' },
          { name: `again.${format}`, data: exported.websites?.[format] as Buffer },
        );
        expect(w.body.rows.map((x: Json) => x.action)).toEqual([
          'unchanged',
          'unchanged',
          'unchanged',
          'unchanged',
          'unchanged',
          'create',
        ]);
      } finally {
        await dst.t.close();
      }
    });
  }

  it('an XLSX written by hand (typed cells, Indonesian headers) imports like the export', async () => {
    const dst = await instance();
    try {
      await ok(dst, 'admin', 'POST', '/api/registry/pools', { name: 'Publik', cidr: '203.0.113.0/24' });
      const servers = await writeXlsx(
        ['Nama', 'Jenis', 'Lokasi', 'Peran', 'IP Publik'],
        [['web-02', 'virtual', 'noc', 'web', '203.0.113.40']],
      );
      const s = await upload(
        dst,
        'admin',
        { entity: 'servers', dryRun: 'false' },
        { name: 'server.xlsx', data: servers, type: XLSX },
      );
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      const websites = writeCsv(
        ['hostname', 'kode_opd', 'tujuan', 'status', 'server', 'alamat_ip', 'tls_expires_at'],
        [[`portal.${ZONE}`, 'dinkes', 'Portal', 'active', 'web-02', '203.0.113.40', '2027-03-01']],
      );
      const w = await importCsv(dst, 'websites', false, websites);
      expect(w.status, JSON.stringify(w.body)).toBe(200);
      const items = (await call(dst, 'staf', 'GET', '/api/registry/websites')).body.items as Json[];
      expect(items[0]).toMatchObject({
        hostname: `portal.${ZONE}`,
        ipAddress: '203.0.113.40',
        tlsExpiresAt: '2027-03-01T00:00:00.000Z',
        opd: { code: 'DINKES' },
      });
    } finally {
      await dst.t.close();
    }
  });
});
