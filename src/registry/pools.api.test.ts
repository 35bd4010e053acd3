import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { buildOpd, buildUser, uniq } from '../../test/helpers/factories.ts';
import { systemCtx } from '../shared/context.ts';
import {
  claimAddressForWebsite,
  purgeExpiredAddressHolds,
  releaseWebsiteAddresses,
} from './ip-pool.service.ts';
import { makeRegistryDeps } from './registry-deps.ts';

let t: TestApp;
let manager: string;
let editor: string;
let opdUser: string;
beforeAll(async () => {
  t = await createTestApp();
  manager = (await t.as(['kabid'])).cookie;
  editor = (await t.as(['staf'])).cookie;
  opdUser = (await t.as(['opd'])).cookie;
});
afterAll(() => t.close());

const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, cookie: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

type PoolJson = { id: string; [k: string]: unknown };

async function createPool(body: Record<string, unknown>): Promise<PoolJson> {
  const res = await req('POST', '/api/registry/pools', manager, { name: `Pool ${uniq()}`, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const allocate = (poolId: string, body: Record<string, unknown> = { kind: 'reserved' }, cookie = editor) =>
  req('POST', `/api/registry/pools/${poolId}/allocations`, cookie, body);

async function allocated(
  poolId: string,
  body?: Record<string, unknown>,
): Promise<{ id: string; address: string }> {
  const res = await allocate(poolId, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function newServer(): Promise<{ id: string; name: string }> {
  const res = await req('POST', '/api/registry/servers', editor, {
    name: `srv-${uniq().toLowerCase()}`,
    kind: 'virtual',
    location: 'noc',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function newWebsite(status: 'planned' | 'retired' = 'planned') {
  const opd = await buildOpd(t.db);
  let naming = {};
  if (status !== 'planned') {
    const zone = await t.db
      .insertInto('dns_zones')
      .values({ name: `z${uniq().toLowerCase()}.go.id` })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
    const label = `s${uniq().toLowerCase()}`;
    naming = { zone_id: zone.id, label, hostname: `${label}.${zone.name}` };
  }
  return t.db
    .insertInto('websites')
    .values({ opd_id: opd.id, purpose: 'Portal', status, ...naming })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
}

function allocationRows(poolId: string) {
  return t.db
    .selectFrom('ip_allocations')
    .select(['address', 'kind', 'held_until', 'website_id', 'server_id'])
    .where('pool_id', '=', poolId)
    .orderBy('n')
    .execute();
}

describe('creating pools', () => {
  it('a manager creates an IPv4 pool; gateway and reserved addresses are taken from the start', async () => {
    const res = await req('POST', '/api/registry/pools', manager, {
      name: `Publik ${uniq()}`,
      cidr: '203.0.113.0/24',
      gateway: '203.0.113.1',
      reserved: ['203.0.113.3', '203.0.113.2', '203.0.113.3', '203.0.113.1'],
      notes: 'Blok dari ISP',
      reason: 'Blok baru',
    });
    expect(res.statusCode, res.body).toBe(201);
    const pool = res.json();
    expect(pool).toMatchObject({
      cidr: '203.0.113.0/24',
      family: 4,
      gateway: '203.0.113.1',
      firstUsable: '203.0.113.1',
      lastUsable: '203.0.113.254',
      size: '254',
      used: 3,
      free: '251',
      nextFree: '203.0.113.4',
      notes: 'Blok dari ISP',
      version: 1,
    });
    expect(await allocationRows(pool.id)).toEqual([
      expect.objectContaining({ address: '203.0.113.1', kind: 'gateway' }),
      expect.objectContaining({ address: '203.0.113.2', kind: 'reserved' }),
      expect.objectContaining({ address: '203.0.113.3', kind: 'reserved' }),
    ]);
    const stored = await t.db
      .selectFrom('ip_pools')
      .select(['first_n', 'last_n', 'next_hint'])
      .where('id', '=', pool.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ first_n: '3405803777', last_n: '3405804030', next_hint: '3405803777' });

    const list = await req('GET', '/api/registry/pools?family=4&q=203.0.113', editor);
    expect(list.json().items.map((p: PoolJson) => p.id)).toEqual([pool.id]);
    expect(list.json().items[0]).toMatchObject({ used: 3, free: '251' });
  });

  it('refuses a malformed block (400), a block with host bits set (FIELD_INVALID naming the network address)', async () => {
    for (const cidr of ['203.0.113.0', '203.0.113.0/33', '10.0.0.0/08', 'fe80::/129', 'x/24']) {
      const res = await req('POST', '/api/registry/pools', manager, { name: `Bad ${uniq()}`, cidr });
      expect(res.statusCode, cidr).toBe(400);
      expect(res.json().error.details.fields[0].path).toBe('cidr');
    }
    const v4 = await req('POST', '/api/registry/pools', manager, {
      name: `Host ${uniq()}`,
      cidr: '192.0.2.77/24',
    });
    expect(v4.statusCode).toBe(422);
    expect(v4.json().error.code).toBe('FIELD_INVALID');
    expect(v4.json().error.details.fields[0]).toMatchObject({ path: 'cidr' });
    expect(v4.json().error.message).toContain('192.0.2.0/24');
    const v6 = await req('POST', '/api/registry/pools', manager, {
      name: `Host ${uniq()}`,
      cidr: '2001:DB8:9::1/64',
    });
    expect(v6.statusCode).toBe(422);
    expect(v6.json().error.message).toContain('2001:db8:9::/64');
  });

  it('refuses overlapping blocks (IPv4 and IPv6, either way round), naming the other pool', async () => {
    const big = await createPool({ cidr: '10.20.0.0/16' });
    const inside = await req('POST', '/api/registry/pools', manager, {
      name: `In ${uniq()}`,
      cidr: '10.20.5.0/24',
    });
    expect(inside.statusCode).toBe(409);
    expect(inside.json().error).toMatchObject({
      code: 'POOL_OVERLAPS',
      details: { pool: { id: big.id, cidr: '10.20.0.0/16' } },
    });
    expect(inside.json().error.message).toContain(String(big.name));
    const around = await req('POST', '/api/registry/pools', manager, {
      name: `Out ${uniq()}`,
      cidr: '10.0.0.0/8',
    });
    expect(around.json().error.code).toBe('POOL_OVERLAPS');
    const same = await req('POST', '/api/registry/pools', manager, {
      name: `Same ${uniq()}`,
      cidr: '10.20.0.0/16',
    });
    expect(same.json().error.code).toBe('POOL_OVERLAPS');
    // Next door is fine.
    await createPool({ cidr: '10.21.0.0/16' });

    const v6 = await createPool({ cidr: '2001:db8:100::/48' });
    const v6in = await req('POST', '/api/registry/pools', manager, {
      name: `V6 ${uniq()}`,
      cidr: '2001:db8:100:7::/64',
    });
    expect(v6in.statusCode).toBe(409);
    expect(v6in.json().error.details.pool.id).toBe(v6.id);
    const v6around = await req('POST', '/api/registry/pools', manager, {
      name: `V6 ${uniq()}`,
      cidr: '2001:db8::/32',
    });
    expect(v6around.json().error.code).toBe('POOL_OVERLAPS');
  });

  it('refuses a gateway or reserved address outside the usable range, and a duplicate name in any case', async () => {
    const outside = await req('POST', '/api/registry/pools', manager, {
      name: `Gw ${uniq()}`,
      cidr: '192.0.2.0/26',
      gateway: '192.0.2.100',
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().error.details.fields[0].path).toBe('gateway');
    const broadcast = await req('POST', '/api/registry/pools', manager, {
      name: `Gw ${uniq()}`,
      cidr: '192.0.2.0/26',
      gateway: '192.0.2.63',
    });
    expect(broadcast.statusCode).toBe(422);
    expect(broadcast.json().error.details.fields[0].path).toBe('gateway');
    const otherFamily = await req('POST', '/api/registry/pools', manager, {
      name: `Gw ${uniq()}`,
      cidr: '192.0.2.0/26',
      gateway: '2001:db8::1',
    });
    expect(otherFamily.statusCode).toBe(422);
    const reserved = await req('POST', '/api/registry/pools', manager, {
      name: `Rs ${uniq()}`,
      cidr: '192.0.2.0/26',
      reserved: ['192.0.2.5', '192.0.2.64'],
    });
    expect(reserved.statusCode).toBe(422);
    expect(reserved.json().error.details.fields[0].path).toBe('reserved.1');

    const name = `Kantor ${uniq()}`;
    await createPool({ name, cidr: '192.0.2.0/26' });
    const dup = await req('POST', '/api/registry/pools', manager, {
      name: name.toUpperCase(),
      cidr: '192.0.2.64/26',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('POOL_NAME_TAKEN');
    expect(dup.json().error.details.fields[0].path).toBe('name');
  });

  it('edits name and notes with the version; a stale version changes nothing; rename to a taken name is refused', async () => {
    const a = await createPool({ cidr: '192.0.2.128/27' });
    const b = await createPool({ cidr: '192.0.2.160/27', notes: 'awal' });
    const ok = await req('PATCH', `/api/registry/pools/${b.id}`, manager, {
      version: 1,
      notes: 'diubah',
      reason: 'catatan',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ notes: 'diubah', version: 2 });
    const stale = await req('PATCH', `/api/registry/pools/${b.id}`, manager, { version: 1, notes: 'lama' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    const taken = await req('PATCH', `/api/registry/pools/${b.id}`, manager, {
      version: 2,
      name: String(a.name).toLowerCase(),
    });
    expect(taken.json().error.code).toBe('POOL_NAME_TAKEN');
    const now = (await req('GET', `/api/registry/pools/${b.id}`, editor)).json();
    expect(now).toMatchObject({ name: b.name, notes: 'diubah', version: 2 });
  });

  it('who may do what: OPD users nothing, editors allocate but do not create pools', async () => {
    const pool = await createPool({ cidr: '192.0.2.192/28' });
    for (const url of [
      '/api/registry/pools',
      `/api/registry/pools/${pool.id}`,
      `/api/registry/pools/${pool.id}/addresses`,
      `/api/registry/pools/${pool.id}/history`,
    ]) {
      const res = await req('GET', url, opdUser);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    expect((await allocate(pool.id, { kind: 'reserved' }, opdUser)).statusCode).toBe(403);
    const notManager = await req('POST', '/api/registry/pools', editor, {
      name: `No ${uniq()}`,
      cidr: '192.0.2.240/28',
    });
    expect(notManager.statusCode).toBe(403);
    expect(
      (await req('PATCH', `/api/registry/pools/${pool.id}`, editor, { version: 1, notes: 'x' })).statusCode,
    ).toBe(403);
    const reader = (await t.as(['kepala'])).cookie;
    expect((await req('GET', `/api/registry/pools/${pool.id}`, reader)).statusCode).toBe(200);
    expect((await allocate(pool.id, { kind: 'reserved' }, reader)).statusCode).toBe(403);
    expect((await allocationRows(pool.id)).length).toBe(0);

    const none = '00000000-0000-4000-8000-000000000000';
    expect((await req('GET', `/api/registry/pools/${none}`, editor)).statusCode).toBe(404);
    expect((await allocate(none)).statusCode).toBe(404);
    expect((await req('DELETE', `/api/registry/allocations/${none}`, editor)).statusCode).toBe(404);
    expect((await req('GET', `/api/registry/pools/${none}/addresses`, editor)).statusCode).toBe(404);
  });
});

describe('allocating', () => {
  it('gives the next free address, skipping network, gateway, reserved and broadcast, until the pool is full', async () => {
    const pool = await createPool({
      cidr: '198.51.100.0/29',
      gateway: '198.51.100.1',
      reserved: ['198.51.100.3'],
    });
    const server = await newServer();
    const got: string[] = [];
    for (let i = 0; i < 4; i++) {
      got.push((await allocated(pool.id, { kind: 'server', serverId: server.id })).address);
    }
    expect(got).toEqual(['198.51.100.2', '198.51.100.4', '198.51.100.5', '198.51.100.6']);
    const full = await allocate(pool.id, { kind: 'server', serverId: server.id });
    expect(full.statusCode).toBe(409);
    expect(full.json().error.code).toBe('POOL_FULL');
    const p = (await req('GET', `/api/registry/pools/${pool.id}`, editor)).json();
    expect(p).toMatchObject({ size: '6', used: 6, free: '0', nextFree: null });

    const detail = (await req('GET', `/api/registry/servers/${server.id}`, editor)).json();
    expect(detail.allocations.map((a: { address: string }) => a.address)).toEqual(got);
    expect(detail.allocations[0]).toMatchObject({
      kind: 'server',
      server: { id: server.id, name: server.name },
    });
  });

  it('a /30 has two usable addresses', async () => {
    const pool = await createPool({ cidr: '198.51.100.8/30' });
    expect((await allocated(pool.id)).address).toBe('198.51.100.9');
    expect((await allocated(pool.id)).address).toBe('198.51.100.10');
    expect((await allocate(pool.id)).json().error.code).toBe('POOL_FULL');
  });

  it('picks a given address; taken, network, broadcast and outside addresses are refused', async () => {
    const pool = await createPool({ cidr: '198.51.100.64/26', gateway: '198.51.100.65' });
    const pick = await allocate(pool.id, { kind: 'reserved', address: '198.51.100.100', note: 'router' });
    expect(pick.statusCode, pick.body).toBe(201);
    expect(pick.json()).toMatchObject({
      address: '198.51.100.100',
      kind: 'reserved',
      note: 'router',
      poolId: pool.id,
    });
    const again = await allocate(pool.id, { kind: 'reserved', address: '198.51.100.100' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('IP_TAKEN');
    expect(again.json().error.details.fields[0].path).toBe('address');
    const gw = await allocate(pool.id, { kind: 'reserved', address: '198.51.100.65' });
    expect(gw.json().error.code).toBe('IP_TAKEN');
    for (const address of ['198.51.100.64', '198.51.100.127']) {
      const res = await allocate(pool.id, { kind: 'reserved', address });
      expect(res.statusCode, address).toBe(422);
      expect(res.json().error.code).toBe('IP_NOT_USABLE');
    }
    for (const address of ['198.51.100.128', '2001:db8::1']) {
      const res = await allocate(pool.id, { kind: 'reserved', address });
      expect(res.statusCode, address).toBe(422);
      expect(res.json().error.code).toBe('IP_NOT_IN_POOL');
    }
    // Picking does not disturb the next-free order.
    expect((await allocated(pool.id)).address).toBe('198.51.100.66');
  });

  it('checks the server or website an allocation is for', async () => {
    const pool = await createPool({ cidr: '198.51.100.128/28' });
    const missing = await allocate(pool.id, {
      kind: 'server',
      serverId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.details.fields[0].path).toBe('serverId');
    const noId = await allocate(pool.id, { kind: 'server' });
    expect(noId.statusCode).toBe(400);
    const retiredSite = await newWebsite('retired');
    const retired = await allocate(pool.id, { kind: 'website', websiteId: retiredSite.id });
    expect(retired.statusCode).toBe(409);
    expect(retired.json().error.code).toBe('WEBSITE_RETIRED');
    const server = await newServer();
    await req('PATCH', `/api/registry/servers/${server.id}`, editor, { version: 1, status: 'retired' });
    const retiredServer = await allocate(pool.id, { kind: 'server', serverId: server.id });
    expect(retiredServer.statusCode).toBe(422);
    expect(await allocationRows(pool.id)).toEqual([]);
  });

  it('an address given to a website is written on the website and in its history; releasing clears it', async () => {
    const pool = await createPool({ cidr: '198.51.100.144/28' });
    const site = await newWebsite();
    const res = await allocate(pool.id, { kind: 'website', websiteId: site.id, reason: 'IP untuk portal' });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      address: '198.51.100.145',
      kind: 'website',
      website: { id: site.id, hostname: null },
    });
    const row = await t.db
      .selectFrom('websites')
      .select(['ip_address', 'version'])
      .where('id', '=', site.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ ip_address: '198.51.100.145', version: site.version + 1 });
    const changes = await t.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('entity_type', '=', 'website')
      .where('entity_id', '=', site.id)
      .orderBy('id')
      .execute();
    expect(changes.map((c) => c.action)).toEqual(['website.ip_allocated']);
    expect(changes[0]?.details).toMatchObject({
      reason: 'IP untuk portal',
      before: { ipAddress: null },
      after: { ipAddress: '198.51.100.145' },
    });

    const del = await req(
      'DELETE',
      `/api/registry/allocations/${a.id}?reason=${encodeURIComponent('salah input')}`,
      editor,
    );
    expect(del.statusCode, del.body).toBe(204);
    const after = await t.db
      .selectFrom('websites')
      .select('ip_address')
      .where('id', '=', site.id)
      .executeTakeFirst();
    expect(after?.ip_address).toBeNull();
    expect(await allocationRows(pool.id)).toEqual([]);
  });

  it('a released address is given out again, and the gateway cannot be released', async () => {
    const pool = await createPool({ cidr: '198.51.100.160/28', gateway: '198.51.100.161' });
    const a = await allocated(pool.id);
    const b = await allocated(pool.id);
    expect([a.address, b.address]).toEqual(['198.51.100.162', '198.51.100.163']);
    expect((await req('DELETE', `/api/registry/allocations/${a.id}`, editor)).statusCode).toBe(204);
    expect((await req('GET', `/api/registry/pools/${pool.id}`, editor)).json().nextFree).toBe(
      '198.51.100.162',
    );
    expect((await allocated(pool.id)).address).toBe('198.51.100.162');
    expect((await allocated(pool.id)).address).toBe('198.51.100.164');
    expect((await req('DELETE', `/api/registry/allocations/${a.id}`, editor)).statusCode).toBe(404);

    const gw = await t.db
      .selectFrom('ip_allocations')
      .select('id')
      .where('pool_id', '=', pool.id)
      .where('kind', '=', 'gateway')
      .executeTakeFirstOrThrow();
    const refused = await req('DELETE', `/api/registry/allocations/${gw.id}`, editor);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('CONFLICT');
  });

  it('an IPv6 /120 pool: the subnet-router address is never given out, the last one is', async () => {
    const pool = await createPool({ cidr: '2001:DB8:0:1:0:0:0:0/120', gateway: '2001:db8:0:1::1' });
    expect(pool).toMatchObject({
      cidr: '2001:db8:0:1::/120',
      family: 6,
      firstUsable: '2001:db8:0:1::1',
      lastUsable: '2001:db8:0:1::ff',
      size: '255',
      used: 1,
      nextFree: '2001:db8:0:1::2',
    });
    expect((await allocated(pool.id)).address).toBe('2001:db8:0:1::2');
    const last = await allocate(pool.id, { kind: 'reserved', address: '2001:0db8:0:1::00ff' });
    expect(last.statusCode, last.body).toBe(201);
    expect(last.json().address).toBe('2001:db8:0:1::ff');
    const network = await allocate(pool.id, { kind: 'reserved', address: '2001:db8:0:1::' });
    expect(network.json().error.code).toBe('IP_NOT_USABLE');
    const big = await createPool({ cidr: '2001:db8:ffff::/64' });
    expect(big).toMatchObject({ size: '18446744073709551615', free: '18446744073709551615' });
    expect((await allocated(big.id)).address).toBe('2001:db8:ffff::1');
  });
});

describe('quarantine holds', () => {
  it('a retired website keeps its address held until the hold ends; then it is free again', async () => {
    const pool = await createPool({ cidr: '198.51.100.176/29' });
    const site = await newWebsite();
    const deps = makeRegistryDeps(t.config);
    const ctx = systemCtx('test');
    const claimed = await t.db
      .transaction()
      .execute((trx) =>
        claimAddressForWebsite(trx, { websiteId: site.id, serverId: null, poolId: pool.id }, ctx, deps),
      );
    expect(claimed.address).toBe('198.51.100.177');
    const hold = new Date(t.now().getTime() + 30 * 86_400_000);
    const released = await t.db.transaction().execute((trx) => releaseWebsiteAddresses(trx, site.id, hold));
    expect(released).toEqual(['198.51.100.177']);

    // Held: not given to anyone else, shown as held.
    expect((await allocated(pool.id)).address).toBe('198.51.100.178');
    const map = (await req('GET', `/api/registry/pools/${pool.id}/addresses?limit=3`, editor)).json();
    expect(map.addresses.map((a: { state: string }) => a.state)).toEqual(['network', 'held', 'reserved']);
    expect(map.addresses[1].allocation).toMatchObject({
      heldUntil: hold.toISOString(),
      website: { id: site.id },
    });
    const taken = await allocate(pool.id, { kind: 'reserved', address: '198.51.100.177' });
    expect(taken.json().error.code).toBe('IP_TAKEN');
    expect(taken.json().error.message).toContain('held until');

    // The hold ends: the next allocation purges it and takes the address back.
    await t.db
      .updateTable('ip_allocations')
      .set({ held_until: new Date(t.now().getTime() - 1000) })
      .where('address', '=', '198.51.100.177')
      .execute();
    expect((await allocated(pool.id)).address).toBe('198.51.100.177');
    const history = (await req('GET', `/api/registry/pools/${pool.id}/history`, editor)).json().items;
    expect(history.map((h: { action: string }) => h.action)).toContain('ip_pool.hold_expired');
  });

  it('purgeExpiredAddressHolds frees ended holds in every pool and lowers the next-free start', async () => {
    const p1 = await createPool({ cidr: '198.51.100.184/29' });
    const p2 = await createPool({ cidr: '2001:db8:0:2::/124' });
    const site = await newWebsite();
    const deps = makeRegistryDeps(t.config);
    const ctx = systemCtx('test');
    await t.db.transaction().execute(async (trx) => {
      await claimAddressForWebsite(trx, { websiteId: site.id, serverId: null, poolId: p1.id }, ctx, deps);
      await claimAddressForWebsite(trx, { websiteId: site.id, serverId: null, poolId: p2.id }, ctx, deps);
    });
    const soon = new Date(Date.now() + 60_000);
    await t.db.transaction().execute((trx) => releaseWebsiteAddresses(trx, site.id, soon));
    expect(await t.db.transaction().execute((trx) => purgeExpiredAddressHolds(trx, new Date()))).toBe(0);
    expect((await req('GET', `/api/registry/pools/${p1.id}`, editor)).json().nextFree).toBe('198.51.100.186');
    const later = new Date(soon.getTime() + 1000);
    expect(await t.db.transaction().execute((trx) => purgeExpiredAddressHolds(trx, later))).toBe(2);
    expect(await allocationRows(p1.id)).toEqual([]);
    expect(await allocationRows(p2.id)).toEqual([]);
    expect((await req('GET', `/api/registry/pools/${p1.id}`, editor)).json().nextFree).toBe('198.51.100.185');
    expect((await req('GET', `/api/registry/pools/${p2.id}`, editor)).json().nextFree).toBe(
      '2001:db8:0:2::1',
    );
  });

  it('claimAddressForWebsite: free, own, the server’s shared address, someone else’s, and external addresses', async () => {
    const pool = await createPool({ cidr: '198.51.100.192/28' });
    const server = await newServer();
    const serverIp = await allocated(pool.id, { kind: 'server', serverId: server.id });
    const site = await newWebsite();
    const other = await newWebsite();
    const deps = makeRegistryDeps(t.config);
    const ctx = systemCtx('test');
    const claim = (input: Parameters<typeof claimAddressForWebsite>[1]) =>
      t.db.transaction().execute((trx) => claimAddressForWebsite(trx, input, ctx, deps));

    const free = await claim({ websiteId: site.id, serverId: server.id, address: '198.51.100.200' });
    expect(free.allocationId).toEqual(expect.any(String));
    const own = await claim({ websiteId: site.id, serverId: server.id, address: '198.51.100.200' });
    expect(own).toEqual(free);
    const shared = await claim({ websiteId: other.id, serverId: server.id, address: serverIp.address });
    expect(shared).toEqual({ address: serverIp.address, allocationId: null });
    await expect(
      claim({ websiteId: other.id, serverId: server.id, address: '198.51.100.200' }),
    ).rejects.toMatchObject({
      code: 'IP_TAKEN',
      details: { fields: [{ path: 'ipAddress', message: expect.any(String) }] },
    });
    await expect(
      claim({ websiteId: other.id, serverId: null, address: serverIp.address }),
    ).rejects.toMatchObject({
      code: 'IP_TAKEN',
    });
    await expect(
      claim({ websiteId: other.id, serverId: null, address: '198.51.100.192' }),
    ).rejects.toMatchObject({
      code: 'IP_NOT_USABLE',
    });
    // An address outside every pool: refused, unless the installation allows others.
    await expect(
      claim({ websiteId: other.id, serverId: null, address: '2001:0db8:dead::1' }),
    ).rejects.toMatchObject({ code: 'IP_NOT_IN_POOL' });
    const external = await t.db
      .transaction()
      .execute((trx) =>
        claimAddressForWebsite(
          trx,
          { websiteId: other.id, serverId: null, address: '2001:0db8:dead::1' },
          ctx,
          { ...deps, allowUnpooledAddresses: true },
        ),
      );
    expect(external).toEqual({ address: '2001:db8:dead::1', allocationId: null });
    const rows = await allocationRows(pool.id);
    expect(rows.map((r) => [r.address, r.kind, r.website_id])).toEqual([
      [serverIp.address, 'server', null],
      ['198.51.100.200', 'website', site.id],
    ]);

    // A correction releases at once, except the address the website keeps.
    const next = await claim({ websiteId: site.id, serverId: null, poolId: pool.id });
    expect(next.address).toBe('198.51.100.194');
    const gone = await t.db
      .transaction()
      .execute((trx) => releaseWebsiteAddresses(trx, site.id, null, '198.51.100.194'));
    expect(gone).toEqual(['198.51.100.200']);
    expect((await allocationRows(pool.id)).map((r) => r.address)).toEqual([
      serverIp.address,
      '198.51.100.194',
    ]);
  });
});

describe('the address map', () => {
  it('shows windows of consecutive addresses with their state, and only the used ones on request', async () => {
    const pool = await createPool({
      cidr: '198.51.100.224/28',
      gateway: '198.51.100.225',
      reserved: ['198.51.100.230'],
    });
    const server = await newServer();
    await allocated(pool.id, { kind: 'server', serverId: server.id });
    const first = await req('GET', `/api/registry/pools/${pool.id}/addresses?limit=4`, editor);
    expect(first.statusCode, first.body).toBe(200);
    expect(
      first.json().addresses.map((a: { address: string; state: string }) => [a.address, a.state]),
    ).toEqual([
      ['198.51.100.224', 'network'],
      ['198.51.100.225', 'gateway'],
      ['198.51.100.226', 'server'],
      ['198.51.100.227', 'free'],
    ]);
    expect(first.json().addresses[2].allocation.server).toEqual({ id: server.id, name: server.name });
    expect(first.json().next).toBe('198.51.100.228');
    expect(first.json().pool).toMatchObject({ id: pool.id, used: 3 });

    const last = await req(
      'GET',
      `/api/registry/pools/${pool.id}/addresses?from=198.51.100.236&limit=100`,
      editor,
    );
    expect(last.json().addresses.map((a: { state: string }) => a.state)).toEqual([
      'free',
      'free',
      'free',
      'broadcast',
    ]);
    expect(last.json().next).toBeNull();

    const used = await req('GET', `/api/registry/pools/${pool.id}/addresses?usedOnly=true&limit=2`, editor);
    expect(used.json().addresses.map((a: { address: string }) => a.address)).toEqual([
      '198.51.100.225',
      '198.51.100.226',
    ]);
    expect(used.json().next).toBe('198.51.100.230');
    const rest = await req(
      'GET',
      `/api/registry/pools/${pool.id}/addresses?usedOnly=true&from=198.51.100.230`,
      editor,
    );
    expect(rest.json().addresses.map((a: { state: string }) => a.state)).toEqual(['reserved']);
    expect(rest.json().next).toBeNull();

    const outside = await req('GET', `/api/registry/pools/${pool.id}/addresses?from=198.51.100.1`, editor);
    expect(outside.statusCode).toBe(422);
    expect(outside.json().error.code).toBe('IP_NOT_IN_POOL');
    const tooMany = await req('GET', `/api/registry/pools/${pool.id}/addresses?limit=5000`, editor);
    expect(tooMany.statusCode).toBe(400);
  });

  it('an IPv6 window is just `limit` addresses, however large the block', async () => {
    const pool = await createPool({ cidr: '2001:db8:aaaa::/48' });
    const res = await req('GET', `/api/registry/pools/${pool.id}/addresses?limit=3`, editor);
    expect(res.json().addresses.map((a: { address: string; state: string }) => [a.address, a.state])).toEqual(
      [
        ['2001:db8:aaaa::', 'network'],
        ['2001:db8:aaaa::1', 'free'],
        ['2001:db8:aaaa::2', 'free'],
      ],
    );
    expect(res.json().next).toBe('2001:db8:aaaa::3');
    const end = await req(
      'GET',
      `/api/registry/pools/${pool.id}/addresses?from=2001:db8:aaaa:ffff:ffff:ffff:ffff:fffe`,
      editor,
    );
    expect(end.json().addresses.map((a: { state: string }) => a.state)).toEqual(['free', 'free']);
    expect(end.json().next).toBeNull();
  });
});

describe('history', () => {
  it('keeps who, why, which case, before and after for creating, editing, allocating and releasing', async () => {
    const u = await buildUser(t.db, { roles: ['kabid'] });
    const cookie = await t.login(u.username, u.password);
    const opd = await buildOpd(t.db);
    const kase = await t.db
      .insertInto('cases')
      .values({
        ref: `HIST-${uniq()}`,
        sop_key: 'website',
        sop_version: 1,
        facts: JSON.stringify({ kind: 'new' }),
        opd_id: opd.id,
        created_by: u.id,
        subject: 'Hosting',
        letter_number: '1/2026',
        letter_date: '2026-01-05',
        description: 'x',
        status: 'active',
        step_key: 'keputusan',
        roles_waiting: ['kabid'],
      })
      .returning(['id', 'ref'])
      .executeTakeFirstOrThrow();
    const created = await req('POST', '/api/registry/pools', cookie, {
      name: `Hist ${uniq()}`,
      cidr: '192.0.2.248/29',
      reserved: ['192.0.2.254'],
      reason: 'Blok baru',
      caseId: kase.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    const pool = created.json();
    await req('PATCH', `/api/registry/pools/${pool.id}`, cookie, {
      version: 1,
      notes: 'catatan',
      reason: 'Catat',
    });
    const a = (
      await req('POST', `/api/registry/pools/${pool.id}/allocations`, cookie, {
        kind: 'reserved',
        reason: 'Untuk VPN',
        caseId: kase.id,
      })
    ).json();
    await req(
      'DELETE',
      `/api/registry/allocations/${a.id}?reason=${encodeURIComponent('Tidak jadi')}`,
      cookie,
    );

    const items = (await req('GET', `/api/registry/pools/${pool.id}/history`, cookie)).json().items;
    expect(items.map((i: { action: string }) => i.action)).toEqual([
      'ip_pool.release',
      'ip_pool.allocate',
      'ip_pool.update',
      'ip_pool.create',
    ]);
    for (const i of items) expect(i.actor).toBe(u.username);
    expect(items[0]).toMatchObject({
      reason: 'Tidak jadi',
      before: { address: '192.0.2.249', kind: 'reserved' },
      after: null,
    });
    expect(items[1]).toMatchObject({
      reason: 'Untuk VPN',
      case: { id: kase.id, ref: kase.ref },
      before: null,
      after: { address: '192.0.2.249', allocationId: a.id },
    });
    expect(items[2]).toMatchObject({
      before: { notes: null, version: 1 },
      after: { notes: 'catatan', version: 2 },
    });
    expect(items[3]).toMatchObject({
      reason: 'Blok baru',
      case: { id: kase.id, ref: kase.ref },
      after: { cidr: '192.0.2.248/29', reserved: ['192.0.2.254'] },
    });
  });
});
