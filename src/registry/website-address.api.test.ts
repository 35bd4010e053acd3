// A website's address is where the provisioning check connects and what DNS publishes: it must lie in
// an IP pool a manager registered, and never be loopback, link-local, unspecified or multicast —
// unless the installation allows others (LOKET_ALLOW_UNPOOLED_ADDRESSES). Issue 10, section 4.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { buildOpd } from '../../test/helpers/factories.ts';

type Json = Record<string, unknown> & {
  error?: { code?: string; details?: { fields?: { path: string }[] } };
};

let t: TestApp;
let lenient: TestApp;
const cookie: Record<string, string> = {};
const ids = { opd: '', server: '', loopPool: '', site: '' };

async function call(
  app: TestApp,
  as: string,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: unknown,
) {
  const res = await app.app.inject({
    method,
    url,
    headers: { cookie: cookie[as] ?? '' },
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
  return { status: res.statusCode, body: (res.body ? res.json() : {}) as Json };
}

beforeAll(async () => {
  t = await createTestApp();
  // The same database, an installation that allows other addresses (a test installation on loopback).
  lenient = await createTestApp({ LOKET_ALLOW_UNPOOLED_ADDRESSES: 'true' }, t.handle);
  for (const role of ['admin', 'staf'] as const) cookie[role] = (await t.as([role])).cookie;
  ids.opd = (await buildOpd(t.db)).id;
  ids.server = (
    await call(t, 'admin', 'POST', '/api/registry/servers', {
      name: 'web-01',
      kind: 'shared',
      location: 'noc',
      roles: ['web'],
    })
  ).body.id as string;
  await call(t, 'admin', 'POST', '/api/registry/zones', { name: 'example-kab.go.id' });
  await call(t, 'admin', 'POST', '/api/registry/pools', { name: 'Publik', cidr: '203.0.113.0/24' });
  await call(t, 'admin', 'POST', '/api/registry/pools', { name: 'Publik v6', cidr: '2001:db8:10::/64' });
  // A manager may register a loopback block; no website may take an address from it.
  ids.loopPool = (await call(t, 'admin', 'POST', '/api/registry/pools', { name: 'Lo', cidr: '127.0.0.0/29' }))
    .body.id as string;
  const site = await call(t, 'staf', 'POST', '/api/registry/websites', {
    opdId: ids.opd,
    purpose: 'Uji',
    hostname: 'uji.example-kab.go.id',
    serverId: ids.server,
  });
  expect(site.status, JSON.stringify(site.body)).toBe(201);
  ids.site = site.body.id as string;
});

afterAll(async () => {
  await lenient?.app.close();
  await t?.close();
});

async function versionOf(id: string): Promise<number> {
  return (await call(t, 'staf', 'GET', `/api/registry/websites/${id}`)).body.version as number;
}

describe("a website's address", () => {
  it('outside every registered pool is refused on create and on update, and nothing changes', async () => {
    const created = await call(t, 'staf', 'POST', '/api/registry/websites', {
      opdId: ids.opd,
      purpose: 'Luar',
      hostname: 'luar.example-kab.go.id',
      ipAddress: '198.51.100.7',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(422);
    expect(created.body.error?.code).toBe('IP_NOT_IN_POOL');
    expect(created.body.error?.details?.fields?.[0]?.path).toBe('ipAddress');
    const v = await versionOf(ids.site);
    for (const ipAddress of ['10.1.2.3', '192.168.1.10', '198.51.100.7', '2001:db8:99::1']) {
      const r = await call(t, 'staf', 'PATCH', `/api/registry/websites/${ids.site}`, {
        version: v,
        ipAddress,
      });
      expect(r.status, `${ipAddress}: ${JSON.stringify(r.body)}`).toBe(422);
      expect(r.body.error?.code).toBe('IP_NOT_IN_POOL');
    }
    expect(await versionOf(ids.site)).toBe(v);
  });

  it('loopback, link-local, unspecified and multicast are refused even inside a registered pool', async () => {
    const v = await versionOf(ids.site);
    for (const ipAddress of [
      '127.0.0.1',
      '127.0.0.2',
      '169.254.169.254',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ]) {
      const r = await call(t, 'staf', 'PATCH', `/api/registry/websites/${ids.site}`, {
        version: v,
        ipAddress,
      });
      expect(r.status, `${ipAddress}: ${JSON.stringify(r.body)}`).toBe(422);
      expect(r.body.error?.code).toMatch(/^IP_NOT_(USABLE|IN_POOL)$/);
    }
    // The next free address of a loopback pool: refused, and nothing allocated.
    const r = await call(t, 'staf', 'POST', `/api/registry/pools/${ids.loopPool}/allocations`, {
      kind: 'website',
      websiteId: ids.site,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.error?.code).toBe('IP_NOT_USABLE');
    const n = await t.db
      .selectFrom('ip_allocations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('pool_id', '=', ids.loopPool)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
    expect(await versionOf(ids.site)).toBe(v);
  });

  it('inside a registered pool is taken', async () => {
    for (const ipAddress of ['203.0.113.20', '2001:db8:10::20']) {
      const r = await call(t, 'staf', 'PATCH', `/api/registry/websites/${ids.site}`, {
        version: await versionOf(ids.site),
        ipAddress,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.ipAddress).toBe(ipAddress);
    }
  });

  it('stored before the rule, is refused when a run is planned', async () => {
    await t.db.updateTable('websites').set({ ip_address: '127.0.0.1' }).where('id', '=', ids.site).execute();
    const plan = await call(
      t,
      'admin',
      'GET',
      `/api/registry/websites/${ids.site}/provision/plan?kind=install`,
    );
    expect(plan.status, JSON.stringify(plan.body)).toBe(422);
    expect(plan.body.error?.code).toBe('IP_NOT_USABLE');
  });

  it('may be anything where the installation allows it (LOKET_ALLOW_UNPOOLED_ADDRESSES=true)', async () => {
    for (const ipAddress of ['198.51.100.7', '127.0.0.3']) {
      const r = await call(lenient, 'staf', 'PATCH', `/api/registry/websites/${ids.site}`, {
        version: await versionOf(ids.site),
        ipAddress,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
  });
});
