import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { buildOpd } from '../../test/helpers/factories.ts';
import { purgeExpiredHolds } from './quarantine.ts';
import { makeRegistryDeps } from './registry-deps.ts';
import { open } from './secret-box.ts';

// Websites, zones and names through the HTTP API on a real database.

let t: TestApp;
const cookie: Record<string, string> = {};
let opdA: { id: string };
let opdB: { id: string };
let zoneId: string;
let serverId: string;
let poolId: string;

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely in tests
type Json = Record<string, any>;

async function call(
  as: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await t.app.inject({
    method,
    url,
    headers: { cookie: cookie[as] ?? '' },
    ...(payload !== undefined ? { payload: payload as Json } : {}),
  });
  return { status: res.statusCode, body: res.body ? res.json() : {} };
}

async function ok(as: string, method: 'POST' | 'PATCH', url: string, payload: unknown, status = 200) {
  const r = await call(as, method, url, payload);
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

const count = async (table: 'websites' | 'dns_names' | 'ip_allocations') =>
  Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.db)).rows[0]?.n);

beforeAll(async () => {
  t = await createTestApp({ LOKET_RETIRE_QUARANTINE_DAYS: '30' });
  opdA = await buildOpd(t.db);
  opdB = await buildOpd(t.db);
  for (const role of ['admin', 'kabid', 'staf', 'umum'] as const) cookie[role] = (await t.as([role])).cookie;
  cookie.opdA = (await t.as(['opd'], { opdId: opdA.id })).cookie;
  cookie.opdB = (await t.as(['opd'], { opdId: opdB.id })).cookie;
  zoneId = (await ok('admin', 'POST', '/api/registry/zones', { name: 'example-kab.go.id' }, 201)).id;
  await ok('admin', 'POST', '/api/registry/zones', { name: 'desa.example-kab.go.id' }, 201);
  serverId = (
    await ok(
      'kabid',
      'POST',
      '/api/registry/servers',
      { name: 'web-01', kind: 'shared', location: 'noc', roles: ['web'] },
      201,
    )
  ).id;
  poolId = (
    await ok(
      'admin',
      'POST',
      '/api/registry/pools',
      { name: 'Publik NOC', cidr: '203.0.113.0/24', gateway: '203.0.113.1' },
      201,
    )
  ).id;
});
afterAll(() => t.close());

describe('zones', () => {
  it('managers add zones; names are checked; others may not', async () => {
    expect((await call('admin', 'POST', '/api/registry/zones', { name: 'example-kab.go.id' })).status).toBe(
      409,
    );
    expect((await call('admin', 'POST', '/api/registry/zones', { name: 'Example.go.id' })).status).toBe(400);
    expect((await call('admin', 'POST', '/api/registry/zones', { name: 'bad zone.go.id' })).status).toBe(400);
    expect((await call('staf', 'POST', '/api/registry/zones', { name: 'lain.go.id' })).status).toBe(403);
    expect((await call('opdA', 'GET', '/api/registry/zones')).status).toBe(403);
    const zones = (await call('staf', 'GET', '/api/registry/zones')).body.items as Json[];
    expect(zones.map((z) => z.name)).toEqual(['desa.example-kab.go.id', 'example-kab.go.id']);
  });

  it('a reserved label keeps a name from every website until released', async () => {
    const r = await ok(
      'staf',
      'POST',
      `/api/registry/zones/${zoneId}/names`,
      { label: 'pilkada', note: 'KPU 2029' },
      201,
    );
    expect(r).toMatchObject({ hostname: 'pilkada.example-kab.go.id', kind: 'reserved' });
    const check = (await call('opdA', 'GET', '/api/registry/names/check?hostname=pilkada.example-kab.go.id'))
      .body;
    expect(check).toMatchObject({ available: false });
    const taken = await call('staf', 'POST', '/api/registry/websites', {
      opdId: opdA.id,
      purpose: 'Pilkada',
      hostname: 'pilkada.example-kab.go.id',
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({
      code: 'NAME_TAKEN',
      details: { fields: [{ path: 'hostname' }] },
    });
    expect((await call('staf', 'DELETE', `/api/registry/names/${r.id}?reason=batal`)).status).toBe(204);
    expect(
      (await call('opdA', 'GET', '/api/registry/names/check?hostname=pilkada.example-kab.go.id')).body
        .available,
    ).toBe(true);
  });
});

describe('names that are never accepted', () => {
  const bad: [string, RegExp][] = [
    ['www.example-kab.go.id', /reserved/],
    ['Dinkes.example-kab.go.id', /upper case/],
    ['dinkes.example.com', /managed zone/],
    ['a.b.example-kab.go.id', /labels below the zone/],
    ['din kes.example-kab.go.id', /character/],
    ['dinkes\n.example-kab.go.id', /character/],
    ['dínkes.example-kab.go.id', /character/],
    ['-dinkes.example-kab.go.id', /starts or ends/],
    ['$(reboot).example-kab.go.id', /character/],
    ['example-kab.go.id', /zone/],
  ];
  it.each(bad)('%j is refused with the reason, and nothing is written', async (hostname, why) => {
    const before = await count('websites');
    const r = await call('staf', 'POST', '/api/registry/websites', {
      opdId: opdA.id,
      purpose: 'Uji',
      hostname,
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('NAME_INVALID');
    expect(r.body.error.details.fields[0]).toMatchObject({ path: 'hostname' });
    expect(r.body.error.details.fields[0].message).toMatch(why);
    expect(await count('websites')).toBe(before);
    const check = (
      await call('staf', 'GET', `/api/registry/names/check?hostname=${encodeURIComponent(hostname)}`)
    ).body;
    expect(check.available).toBe(false);
  });
});

describe('websites', () => {
  let dinkes: Json;

  it('creates a website with names, address and a sealed database password', async () => {
    dinkes = await ok(
      'staf',
      'POST',
      '/api/registry/websites',
      {
        opdId: opdA.id,
        purpose: 'Website resmi Dinas Kesehatan',
        hostname: 'dinkes.example-kab.go.id',
        aliases: ['kesehatan.example-kab.go.id'],
        serverId,
        ipAddress: '203.0.113.20',
        cms: 'WordPress',
        cmsVersion: '6.7',
        dbEngine: 'mariadb',
        dbHost: 'db-01',
        dbName: 'dinkes_web',
        dbUser: 'dinkes',
        dbPassword: 'rahasia-sekali-123',
        documentRoot: '/var/www/dinkes',
        contactName: 'Budi',
        contactNip: '198001012005011001',
        contactEmail: 'budi@dinkes.example-kab.go.id',
        status: 'active',
        reason: 'Data lama',
      },
      201,
    );
    expect(dinkes).toMatchObject({
      status: 'active',
      hostname: 'dinkes.example-kab.go.id',
      label: 'dinkes',
      zone: { id: zoneId },
      aliases: [{ hostname: 'kesehatan.example-kab.go.id' }],
      ipAddress: '203.0.113.20',
      server: { id: serverId, name: 'web-01' },
      database: { engine: 'mariadb', name: 'dinkes_web', user: 'dinkes', passwordSet: true },
    });
    // The password is never sent back, and is not stored in the clear.
    expect(JSON.stringify(dinkes)).not.toContain('rahasia');
    const stored = await t.db
      .selectFrom('websites')
      .select('db_password_enc')
      .where('id', '=', dinkes.id)
      .executeTakeFirstOrThrow();
    expect(stored.db_password_enc).not.toContain('rahasia');
    const key = makeRegistryDeps(t.config).secretKey;
    expect(open(key, stored.db_password_enc ?? '', `website:${dinkes.id}:db`)).toBe('rahasia-sekali-123');
    // Sealed to its record: the same ciphertext does not open as another website's.
    expect(() => open(key, stored.db_password_enc ?? '', 'website:other:db')).toThrow();
    const history = (await call('staf', 'GET', `/api/registry/websites/${dinkes.id}/history`)).body
      .items as Json[];
    expect(JSON.stringify(history)).not.toContain('rahasia');
    // The address is the website's in the pool.
    const map = (
      await call('staf', 'GET', `/api/registry/pools/${poolId}/addresses?from=203.0.113.20&limit=1`)
    ).body;
    expect(map.addresses[0]).toMatchObject({ address: '203.0.113.20', state: 'website' });
  });

  it('refuses a name, alias or address another website holds, and writes nothing', async () => {
    const before = await Promise.all([count('websites'), count('dns_names'), count('ip_allocations')]);
    const tries = [
      { hostname: 'dinkes.example-kab.go.id' },
      { hostname: 'kesehatan.example-kab.go.id' },
      { hostname: 'baru.example-kab.go.id', aliases: ['dinkes.example-kab.go.id'] },
      { hostname: 'baru.example-kab.go.id', ipAddress: '203.0.113.20', serverId: null },
      { hostname: 'baru.example-kab.go.id', documentRoot: '/etc/apache2' },
      { hostname: 'baru.example-kab.go.id', documentRoot: '/var/www/../etc' },
    ];
    const codes = [];
    for (const extra of tries) {
      const r = await call('staf', 'POST', '/api/registry/websites', {
        opdId: opdB.id,
        purpose: 'Coba',
        ...extra,
      });
      codes.push(r.body.error?.code);
    }
    expect(codes).toEqual([
      'NAME_TAKEN',
      'NAME_TAKEN',
      'NAME_TAKEN',
      'IP_TAKEN',
      'FIELD_INVALID',
      'FIELD_INVALID',
    ]);
    expect(await Promise.all([count('websites'), count('dns_names'), count('ip_allocations')])).toEqual(
      before,
    );
  });

  it('of parallel claims of one name exactly one wins', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call('staf', 'POST', '/api/registry/websites', {
          opdId: i % 2 ? opdA.id : opdB.id,
          purpose: `Balapan ${i}`,
          hostname: 'balapan.example-kab.go.id',
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'NAME_TAKEN')).toBe(
      true,
    );
  });

  it('an OPD sees only its own websites and cannot write', async () => {
    await ok(
      'staf',
      'POST',
      '/api/registry/websites',
      { opdId: opdB.id, purpose: 'Website B', hostname: 'bapeda.example-kab.go.id' },
      201,
    );
    const mine = (await call('opdA', 'GET', '/api/registry/websites?pageSize=100')).body;
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((w: Json) => w.opd.id === opdA.id)).toBe(true);
    // Asking for the other OPD's websites by filter still yields only its own.
    const sneaky = (await call('opdA', 'GET', `/api/registry/websites?opdId=${opdB.id}`)).body;
    expect(sneaky.items.every((w: Json) => w.opd.id === opdA.id)).toBe(true);
    const theirs = (await call('staf', 'GET', '/api/registry/websites?q=bapeda')).body.items[0];
    expect((await call('opdA', 'GET', `/api/registry/websites/${theirs.id}`)).status).toBe(404);
    expect((await call('opdA', 'GET', `/api/registry/websites/${theirs.id}/history`)).status).toBe(404);
    expect((await call('opdB', 'GET', `/api/registry/websites/${theirs.id}`)).status).toBe(200);
    expect(
      (await call('opdA', 'POST', '/api/registry/websites', { opdId: opdA.id, purpose: 'x' })).status,
    ).toBe(403);
    expect(
      (await call('umum', 'POST', '/api/registry/websites', { opdId: opdA.id, purpose: 'x' })).status,
    ).toBe(403);
    expect((await call('opdA', 'GET', '/api/registry/servers')).status).toBe(403);
  });

  it('edits with optimistic locking; a stale version changes nothing', async () => {
    const w = await ok('staf', 'PATCH', `/api/registry/websites/${dinkes.id}`, {
      version: dinkes.version,
      cmsVersion: '6.8',
      aliases: ['sehat.example-kab.go.id'],
      reason: 'Pembaruan CMS',
    });
    expect(w).toMatchObject({ cmsVersion: '6.8', aliases: [{ hostname: 'sehat.example-kab.go.id' }] });
    expect(w.version).toBe(dinkes.version + 1);
    const stale = await call('staf', 'PATCH', `/api/registry/websites/${dinkes.id}`, {
      version: dinkes.version,
      cmsVersion: '1.0',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    const now = (await call('staf', 'GET', `/api/registry/websites/${dinkes.id}`)).body;
    expect(now.cmsVersion).toBe('6.8');
    // The old alias is free again, the new one taken.
    expect(
      (await call('staf', 'GET', '/api/registry/names/check?hostname=kesehatan.example-kab.go.id')).body
        .available,
    ).toBe(true);
    expect(
      (await call('staf', 'GET', '/api/registry/names/check?hostname=sehat.example-kab.go.id')).body
        .available,
    ).toBe(false);
    expect(
      (
        await call(
          'staf',
          'GET',
          `/api/registry/names/check?hostname=sehat.example-kab.go.id&websiteId=${dinkes.id}`,
        )
      ).body.available,
    ).toBe(false); // an alias is not free to become the main name of the same website either
    const history = (await call('staf', 'GET', `/api/registry/websites/${dinkes.id}/history`)).body
      .items as Json[];
    const edit = history.find((h) => h.action === 'website.update');
    expect(edit).toMatchObject({
      reason: 'Pembaruan CMS',
      before: { cmsVersion: '6.7' },
      after: { cmsVersion: '6.8' },
    });
    expect(edit?.actor).toBeTruthy();
    dinkes = now;
  });

  it('lists with a text filter, status filter, sorting and pages', async () => {
    for (const [i, name] of ['alpha', 'bravo', 'charlie'].entries()) {
      await ok(
        'staf',
        'POST',
        '/api/registry/websites',
        { opdId: opdA.id, purpose: `Situs ${name} ${i}`, hostname: `${name}.desa.example-kab.go.id` },
        201,
      );
    }
    const q = (
      await call('staf', 'GET', '/api/registry/websites?q=desa.example&sort=hostname&dir=desc&pageSize=2')
    ).body;
    expect(q.total).toBe(3);
    expect(q.items.map((w: Json) => w.hostname)).toEqual([
      'charlie.desa.example-kab.go.id',
      'bravo.desa.example-kab.go.id',
    ]);
    const p2 = (
      await call(
        'staf',
        'GET',
        '/api/registry/websites?q=desa.example&sort=hostname&dir=desc&pageSize=2&page=2',
      )
    ).body;
    expect(p2.items.map((w: Json) => w.hostname)).toEqual(['alpha.desa.example-kab.go.id']);
    const active = (await call('staf', 'GET', '/api/registry/websites?status=active')).body;
    expect(active.items.every((w: Json) => w.status === 'active')).toBe(true);
    expect(q.totalCapped).toBe(false);
    // A broad search counts its matches only up to 1000, and says so.
    await sql`INSERT INTO websites (opd_id, purpose) SELECT ${opdA.id}, 'Situs massal ' || g FROM generate_series(1, 1001) g`.execute(
      t.db,
    );
    const broad = (await call('staf', 'GET', '/api/registry/websites?q=massal&pageSize=5')).body;
    expect(broad).toMatchObject({ total: 1000, totalCapped: true });
    expect(broad.items).toHaveLength(5);
    const all = (await call('staf', 'GET', '/api/registry/websites?pageSize=1')).body;
    expect(all.totalCapped).toBe(false);
    expect(all.total).toBeGreaterThan(1001);
    await sql`DELETE FROM websites WHERE purpose LIKE 'Situs massal %'`.execute(t.db);
    const wildcard = (await call('staf', 'GET', '/api/registry/websites?q=%25')).body;
    expect(wildcard.total).toBe(0);
    expect((await call('staf', 'GET', '/api/registry/websites?sort=drop')).status).toBe(400);
  });

  it('status moves only along planned → active → suspended ⇄ active → retired', async () => {
    const planned = await ok(
      'staf',
      'POST',
      '/api/registry/websites',
      { opdId: opdA.id, purpose: 'Rencana' },
      201,
    );
    const early = await call('staf', 'POST', `/api/registry/websites/${planned.id}/status`, {
      version: planned.version,
      status: 'active',
      reason: 'coba',
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('STATUS_TRANSITION');
    expect(early.body.error.details.fields.map((f: Json) => f.path)).toEqual([
      'hostname',
      'serverId',
      'ipAddress',
    ]);
    const noReason = await call('staf', 'POST', `/api/registry/websites/${dinkes.id}/status`, {
      version: dinkes.version,
      status: 'suspended',
    });
    expect(noReason.status).toBe(400);
    const s = await ok('staf', 'POST', `/api/registry/websites/${dinkes.id}/status`, {
      version: dinkes.version,
      status: 'suspended',
      reason: 'Konten tidak diperbarui',
    });
    expect(s.status).toBe('suspended');
    const back = await call('staf', 'POST', `/api/registry/websites/${dinkes.id}/status`, {
      version: s.version,
      status: 'planned',
      reason: 'x',
    });
    expect(back.status).toBe(409);
    dinkes = s;
  });

  it('retiring holds the name and address for the quarantine, then frees them', async () => {
    const r = await ok('staf', 'POST', `/api/registry/websites/${dinkes.id}/status`, {
      version: dinkes.version,
      status: 'retired',
      reason: 'Digabung ke portal',
    });
    expect(r.status).toBe('retired');
    expect(r.retiredAt).toBeTruthy();
    const days = (Date.parse(r.heldUntil) - t.now().getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThan(31);
    // A retired website can no longer be edited.
    const edit = await call('staf', 'PATCH', `/api/registry/websites/${dinkes.id}`, {
      version: r.version,
      notes: 'x',
    });
    expect(edit.body.error.code).toBe('WEBSITE_RETIRED');

    const reuse = {
      opdId: opdB.id,
      purpose: 'Pengganti',
      hostname: 'dinkes.example-kab.go.id',
      serverId,
      ipAddress: '203.0.113.20',
    };
    const held = await call('staf', 'POST', '/api/registry/websites', reuse);
    expect(held.status).toBe(409);
    expect(held.body.error.code).toBe('NAME_TAKEN');
    expect(held.body.error.message).toMatch(/held/);
    const alias = await call('staf', 'POST', '/api/registry/websites', {
      ...reuse,
      hostname: 'sehat.example-kab.go.id',
      ipAddress: undefined,
    });
    expect(alias.status).toBe(409);
    const ip = await call('staf', 'POST', '/api/registry/websites', {
      ...reuse,
      hostname: 'pengganti.example-kab.go.id',
    });
    expect(ip.status).toBe(409);
    expect(ip.body.error.code).toBe('IP_TAKEN');

    // The quarantine ends (by the app's clock): the name and the address may be taken again.
    const ended = new Date(t.now().getTime() - 60_000);
    await sql`UPDATE dns_names SET held_until = ${ended} WHERE website_id = ${dinkes.id}`.execute(t.db);
    await sql`UPDATE ip_allocations SET held_until = ${ended} WHERE website_id = ${dinkes.id}`.execute(t.db);
    const again = await ok('staf', 'POST', '/api/registry/websites', reuse, 201);
    expect(again).toMatchObject({ hostname: 'dinkes.example-kab.go.id', ipAddress: '203.0.113.20' });
    // The retired record keeps its history and its old name as text.
    const old = (await call('staf', 'GET', `/api/registry/websites/${dinkes.id}`)).body;
    expect(old).toMatchObject({ status: 'retired', hostname: 'dinkes.example-kab.go.id' });
    const life = (await call('staf', 'GET', `/api/registry/websites/${dinkes.id}/history`)).body
      .items as Json[];
    expect(life.map((h) => h.action)).toEqual(
      expect.arrayContaining([
        'website.create',
        'website.update',
        'website.status.suspended',
        'website.status.retired',
      ]),
    );
    expect(life.find((h) => h.action === 'website.status.retired')).toMatchObject({
      reason: 'Digabung ke portal',
      before: { status: 'suspended' },
      after: { status: 'retired' },
    });
  });

  it('housekeeping frees holds whose quarantine has ended, and only those', async () => {
    const w = await ok(
      'staf',
      'POST',
      '/api/registry/websites',
      {
        opdId: opdA.id,
        purpose: 'Sementara',
        hostname: 'sementara.example-kab.go.id',
        serverId,
        ipAddress: '203.0.113.77',
        status: 'active',
      },
      201,
    );
    const r = await ok('staf', 'POST', `/api/registry/websites/${w.id}/status`, {
      version: w.version,
      status: 'retired',
      reason: 'Selesai',
    });
    expect(r.heldUntil).toBeTruthy();
    await purgeExpiredHolds(t.db, new Date()); // whatever earlier tests left expired
    expect(await purgeExpiredHolds(t.db, new Date())).toEqual({ names: 0, addresses: 0 });
    await sql`UPDATE dns_names SET held_until = now() - interval '1 minute' WHERE website_id = ${w.id}`.execute(
      t.db,
    );
    await sql`UPDATE ip_allocations SET held_until = now() - interval '1 minute' WHERE website_id = ${w.id}`.execute(
      t.db,
    );
    expect(await purgeExpiredHolds(t.db, new Date())).toEqual({ names: 1, addresses: 1 });
    const left = await t.db.selectFrom('dns_names').select('id').where('website_id', '=', w.id).execute();
    expect(left).toHaveLength(0);
    expect(
      (await call('staf', 'GET', '/api/registry/names/check?hostname=sementara.example-kab.go.id')).body
        .available,
    ).toBe(true);
  });
});
