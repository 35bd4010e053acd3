import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { buildOpd, uniq } from '../../test/helpers/factories.ts';

let t: TestApp;
let editor: string;
let admin: string;
let opdUser: string;
beforeAll(async () => {
  t = await createTestApp();
  editor = (await t.as(['staf'])).cookie;
  admin = (await t.as(['admin'])).cookie;
  opdUser = (await t.as(['opd'])).cookie;
});
afterAll(() => t.close());

const req = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const serverName = () => `web-${uniq().toLowerCase()}`;

async function createServer(cookie: string, body: Record<string, unknown> = {}) {
  const res = await req('POST', '/api/registry/servers', cookie, {
    name: serverName(),
    kind: 'virtual',
    location: 'noc',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** A website row on a server, straight into the table (the websites API is tested elsewhere). */
async function addWebsite(serverId: string, status: 'planned' | 'retired' = 'planned') {
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
    .values({ opd_id: opd.id, purpose: 'Profil dinas', status, server_id: serverId, ...naming })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

async function auditCount(entityId: string): Promise<number> {
  const r = await t.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('entity_id', '=', entityId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('servers', () => {
  it('an editor creates a server with canonical addresses and unique roles, edits it, and both changes are in its history', async () => {
    const name = serverName();
    const created = await req('POST', '/api/registry/servers', editor, {
      name,
      kind: 'dedicated',
      location: 'colocation',
      os: 'Debian 12',
      addresses: ['2001:0DB8:0:0:0:0:0:1', '203.0.113.10', '2001:db8::1'],
      roles: ['web', 'dns', 'web'],
      capacityNotes: '32 GB RAM',
      reason: 'Server baru di colocation',
    });
    expect(created.statusCode, created.body).toBe(201);
    const s = created.json();
    expect(s).toMatchObject({
      name,
      kind: 'dedicated',
      location: 'colocation',
      os: 'Debian 12',
      addresses: ['2001:db8::1', '203.0.113.10'],
      roles: ['web', 'dns'],
      capacityNotes: '32 GB RAM',
      status: 'active',
      websiteCount: 0,
      version: 1,
    });
    const stored = await t.db
      .selectFrom('servers')
      .select('addresses')
      .where('id', '=', s.id)
      .executeTakeFirst();
    expect(stored?.addresses).toEqual(['2001:db8::1', '203.0.113.10']);

    const edited = await req('PATCH', `/api/registry/servers/${s.id}`, editor, {
      version: 1,
      status: 'maintenance',
      os: 'Debian 13',
      reason: 'Upgrade OS',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ status: 'maintenance', os: 'Debian 13', version: 2 });

    const history = await req('GET', `/api/registry/servers/${s.id}/history`, admin);
    expect(history.statusCode).toBe(200);
    const items = history.json().items;
    expect(items.map((i: { action: string }) => i.action)).toEqual(['server.update', 'server.create']);
    expect(items[0]).toMatchObject({
      reason: 'Upgrade OS',
      before: { status: 'active', os: 'Debian 12', version: 1 },
      after: { status: 'maintenance', os: 'Debian 13', version: 2 },
    });
    expect(items[1]).toMatchObject({ reason: 'Server baru di colocation', before: null, after: { name } });
    expect(typeof items[0].actor).toBe('string');
  });

  it('a server name is unique: create and rename both answer SERVER_NAME_TAKEN on the name field', async () => {
    const a = await createServer(editor);
    const dup = await req('POST', '/api/registry/servers', editor, {
      name: a.name,
      kind: 'shared',
      location: 'cloud',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('SERVER_NAME_TAKEN');
    expect(dup.json().error.details.fields).toEqual([{ path: 'name', message: expect.any(String) }]);
    const b = await createServer(editor);
    const rename = await req('PATCH', `/api/registry/servers/${b.id}`, editor, { version: 1, name: a.name });
    expect(rename.statusCode).toBe(409);
    expect(rename.json().error.code).toBe('SERVER_NAME_TAKEN');
    const still = await req('GET', `/api/registry/servers/${b.id}`, editor);
    expect(still.json()).toMatchObject({ name: b.name, version: 1 });
  });

  it('refuses invalid fields with 400 naming them', async () => {
    const res = await req('POST', '/api/registry/servers', editor, {
      name: 'Web 01!',
      kind: 'mainframe',
      location: 'noc',
      addresses: ['10.0.0.256'],
      roles: ['mail'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    const paths = res.json().error.details.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'kind', 'addresses.0', 'roles.0']));
  });

  it('a stale version is refused with VERSION_CONFLICT and changes nothing', async () => {
    const s = await createServer(editor, { os: 'Ubuntu 22.04' });
    const first = await req('PATCH', `/api/registry/servers/${s.id}`, editor, {
      version: 1,
      os: 'Ubuntu 24.04',
    });
    expect(first.statusCode).toBe(200);
    const changes = await auditCount(s.id);
    const stale = await req('PATCH', `/api/registry/servers/${s.id}`, editor, {
      version: 1,
      os: 'Rocky 9',
      roles: ['database'],
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
    const now = await req('GET', `/api/registry/servers/${s.id}`, editor);
    expect(now.json()).toMatchObject({ os: 'Ubuntu 24.04', roles: [], version: 2 });
    expect(await auditCount(s.id)).toBe(changes);
  });

  it('counts the websites on a server that are not retired, and will not retire a server still in use', async () => {
    const s = await createServer(editor);
    const live = await addWebsite(s.id, 'planned');
    await addWebsite(s.id, 'retired');
    const detail = await req('GET', `/api/registry/servers/${s.id}`, editor);
    expect(detail.json().websiteCount).toBe(1);
    expect(detail.json().websites).toHaveLength(2);
    expect(detail.json().websites[0]).toMatchObject({ id: live.id, status: 'planned', hostname: null });

    const refused = await req('PATCH', `/api/registry/servers/${s.id}`, editor, {
      version: 1,
      status: 'retired',
      reason: 'Dimatikan',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('SERVER_IN_USE');
    expect((await req('GET', `/api/registry/servers/${s.id}`, editor)).json().status).toBe('active');

    await t.db.updateTable('websites').set({ server_id: null }).where('id', '=', live.id).execute();
    const retired = await req('PATCH', `/api/registry/servers/${s.id}`, editor, {
      version: 1,
      status: 'retired',
      reason: 'Dimatikan',
    });
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json()).toMatchObject({ status: 'retired', websiteCount: 0 });
  });

  it('lists with search, filters, sort by website count and pagination', async () => {
    const tag = uniq().toLowerCase();
    const a = await createServer(editor, { name: `db-${tag}-a`, kind: 'dedicated', roles: ['database'] });
    const b = await createServer(editor, {
      name: `web-${tag}-b`,
      kind: 'virtual',
      location: 'cloud',
      roles: ['web', 'dns'],
      os: `Alpine ${tag}`,
    });
    const c = await createServer(editor, { name: `web-${tag}-c`, kind: 'virtual', roles: ['web'] });
    await addWebsite(c.id);
    await addWebsite(c.id);
    await addWebsite(b.id);

    const all = await req('GET', `/api/registry/servers?q=${tag}`, editor);
    expect(all.json().total).toBe(3);
    expect(all.json().items.map((s: { id: string }) => s.id)).toEqual([a.id, b.id, c.id]);

    const byWebsites = await req('GET', `/api/registry/servers?q=${tag}&sort=websites&dir=desc`, editor);
    expect(byWebsites.json().items.map((s: { websiteCount: number }) => s.websiteCount)).toEqual([2, 1, 0]);

    const web = await req('GET', `/api/registry/servers?q=${tag}&role=web`, editor);
    expect(web.json().items.map((s: { id: string }) => s.id)).toEqual([b.id, c.id]);
    const dns = await req(
      'GET',
      `/api/registry/servers?q=${tag}&role=dns&location=cloud&kind=virtual`,
      editor,
    );
    expect(dns.json().items.map((s: { id: string }) => s.id)).toEqual([b.id]);
    const byOs = await req('GET', `/api/registry/servers?q=${encodeURIComponent(`alpine ${tag}`)}`, editor);
    expect(byOs.json().items.map((s: { id: string }) => s.id)).toEqual([b.id]);
    const dedicated = await req('GET', `/api/registry/servers?q=${tag}&kind=dedicated&status=active`, editor);
    expect(dedicated.json().items.map((s: { id: string }) => s.id)).toEqual([a.id]);

    const p2 = await req('GET', `/api/registry/servers?q=${tag}&pageSize=2&page=2`, editor);
    expect(p2.json()).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(p2.json().items.map((s: { id: string }) => s.id)).toEqual([c.id]);
    expect(
      (await req('GET', `/api/registry/servers?q=${encodeURIComponent('%')}`, editor)).json().total,
    ).toBe(0);
  });

  it('OPD users may not read servers; readers who are not editors may not write; unknown ids are 404', async () => {
    const s = await createServer(editor);
    for (const url of [
      '/api/registry/servers',
      `/api/registry/servers/${s.id}`,
      `/api/registry/servers/${s.id}/history`,
    ]) {
      const res = await req('GET', url, opdUser);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    const umum = (await t.as(['umum'])).cookie;
    expect((await req('GET', `/api/registry/servers/${s.id}`, umum)).statusCode).toBe(200);
    const write = await req('POST', '/api/registry/servers', umum, {
      name: serverName(),
      kind: 'virtual',
      location: 'noc',
    });
    expect(write.statusCode).toBe(403);
    const edit = await req('PATCH', `/api/registry/servers/${s.id}`, opdUser, { version: 1, os: 'x' });
    expect(edit.statusCode).toBe(403);

    const none = '00000000-0000-4000-8000-000000000000';
    expect((await req('GET', `/api/registry/servers/${none}`, editor)).statusCode).toBe(404);
    expect((await req('GET', `/api/registry/servers/${none}/history`, editor)).statusCode).toBe(404);
    expect((await req('PATCH', `/api/registry/servers/${none}`, editor, { version: 1 })).statusCode).toBe(
      404,
    );
    expect((await req('GET', '/api/registry/servers/not-a-uuid', editor)).statusCode).toBe(400);
  });
});
