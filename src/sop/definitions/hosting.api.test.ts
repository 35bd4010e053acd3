import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../../test/helpers/app.ts';
import { type Detail, type People, people, related } from '../../../test/helpers/related-flow.ts';
import {
  type ApacheServer,
  findApache,
  startApache,
  writeLocalAgentConfig,
} from '../../../test/servers/apache.ts';
import { type BindServer, findNamed, startBind } from '../../../test/servers/bind.ts';
import { findMariadbBin, type MariadbServer, startMariadb } from '../../../test/servers/mariadb.ts';
import { queryRecords } from '../../provisioning/dns/client.ts';
import { makeProvisioningDeps } from '../../provisioning/provisioning-deps.ts';
import { processRun } from '../../provisioning/runs.ts';
import { targz } from '../../storage/test-fixtures.ts';

// Hosting dan Subdomain and Hosting through the HTTP API, provisioned on real servers started on
// loopback for this file (BIND with dynamic update, Apache through the local agent, MariaDB; no
// ACME: the TLS step is skipped and the check is over HTTP). The run is the existing provisioning's:
// plan shown, run started naming the case, processed here as the worker would.

const missing = [
  ['bind9', findNamed()],
  ['apache2', findApache()],
  ['mariadb-server', findMariadbBin()],
]
  .filter(([, found]) => !found)
  .map(([name]) => name);
if (missing.length > 0 && process.env.CI === 'true') {
  throw new Error(`The hosting API tests need: apt-get install ${missing.join(' ')}`);
}
if (missing.length > 0) console.warn(`skipping the hosting API tests: install ${missing.join(' ')}`);

const ZONE = 'hosting-kab.test';

describe.skipIf(missing.length > 0)('hosting services on real servers', () => {
  let t: TestApp;
  let who: People;
  let flow: ReturnType<typeof related>;
  let bind: BindServer;
  let apache: ApacheServer;
  let maria: MariadbServer;
  let tmp: string;
  const ids = { web: '', ns: '', db: '', pool: '' };

  async function admin(
    method: 'POST' | 'PUT',
    url: string,
    payload: Record<string, unknown>,
    status: number,
  ) {
    const res = await t.app.inject({ method, url, headers: { cookie: who.admin.cookie }, payload });
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as { id: string };
  }

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-hosting-'));
    const keySecret = crypto.randomBytes(32).toString('base64');
    [bind, apache, maria] = await Promise.all([
      startBind({ zones: [ZONE], keyName: 'loket-key', keySecretBase64: keySecret }),
      startApache(),
      startMariadb(),
    ]);
    const root = await mysql.createConnection({
      host: maria.host,
      port: maria.port,
      user: 'root',
      password: '',
    });
    await root.query("CREATE USER 'loket'@'127.0.0.1' IDENTIFIED BY 'loket-admin-password-1'");
    await root.query("GRANT ALL PRIVILEGES ON *.* TO 'loket'@'127.0.0.1' WITH GRANT OPTION");
    await root.end();
    t = await createTestApp({
      LOKET_DOCROOT_BASE: apache.docrootBase,
      LOKET_LOCAL_AGENT_CONFIG: writeLocalAgentConfig(apache, tmp),
      LOKET_ALLOW_UNPOOLED_ADDRESSES: 'true',
    });
    who = await people(t);
    flow = related(t, who);
    ids.ns = (
      await admin(
        'POST',
        '/api/registry/servers',
        { name: 'ns1', kind: 'virtual', location: 'noc', roles: ['dns'] },
        201,
      )
    ).id;
    ids.web = (
      await admin(
        'POST',
        '/api/registry/servers',
        { name: 'web-01', kind: 'shared', location: 'noc', roles: ['web'] },
        201,
      )
    ).id;
    ids.db = (
      await admin(
        'POST',
        '/api/registry/servers',
        { name: 'db-01', kind: 'dedicated', location: 'noc', roles: ['database'] },
        201,
      )
    ).id;
    await admin(
      'PUT',
      `/api/registry/servers/${ids.ns}/provisioning`,
      {
        access: { kind: 'local' },
        settings: { dns: { host: '127.0.0.1', port: bind.port, keyName: 'loket-key' } },
        secrets: { dnsKey: keySecret },
      },
      200,
    );
    await admin(
      'PUT',
      `/api/registry/servers/${ids.web}/provisioning`,
      { access: { kind: 'local' }, settings: {} },
      200,
    );
    await admin(
      'PUT',
      `/api/registry/servers/${ids.db}/provisioning`,
      {
        access: { kind: 'local' },
        settings: {
          database: { engine: 'mariadb', host: '127.0.0.1', port: maria.port, adminUser: 'loket' },
        },
        secrets: { dbAdminPassword: 'loket-admin-password-1' },
      },
      200,
    );
    await admin('POST', '/api/registry/zones', { name: ZONE, nsServerId: ids.ns }, 201);
    ids.pool = (
      await admin('POST', '/api/registry/pools', { name: 'Loopback', cidr: '127.0.0.0/29' }, 201)
    ).id;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await Promise.allSettled([bind?.stop(), apache?.stop(), maria?.stop()]);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  function get(hostname: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: apache.httpPort, path: '/', headers: { host: hostname } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });
  }

  /** Shows the plan of an install for the case's website, starts the run naming the case, runs it. */
  async function provision(c: Detail) {
    const websiteId = c.facts.websiteId as string;
    const plan = await flow.call(
      'GET',
      `/api/registry/websites/${websiteId}/provision/plan?kind=install&caseId=${c.id}`,
      'staf',
    );
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    const queued = await flow.call('POST', `/api/registry/websites/${websiteId}/provision`, 'staf', {
      kind: 'install',
      caseId: c.id,
    });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    await processRun(t.db, (queued.body as { id: string }).id, makeProvisioningDeps(t.config));
    const run = await flow.call('GET', `/api/provision-runs/${(queued.body as { id: string }).id}`, 'staf');
    return {
      plan: (plan.body as { plan: { steps: { key: string; skip: string | null }[] } }).plan,
      run: run.body as { status: string; error: string | null; steps: { key: string; status: string }[] },
    };
  }

  it('Hosting dan Subdomain: name reserved, hosting created by provisioning, access handed over once, done', async () => {
    const hostname = `layanan.${ZONE}`;
    const filed = await flow.file('hosting_subdomain', {
      requestedHostname: hostname,
      applicationName: 'Layanan Pengaduan',
      needsDatabase: 'true',
      technicalContact: 'Dewi, 0812-0000-1111',
    });
    expect(filed.ref).toMatch(/^HSD-2026-\d{5}$/);
    let c = await flow.throughOffice(filed);
    c = await flow.act(c, 'kabid', 'start_work', { teamUserIds: [who.staf.id] });
    expect(c.step?.key).toBe('nama');
    c = await flow.act(c, 'staf', 'record_name_reserve', {
      hostname,
      serverId: ids.web,
      poolId: ids.pool,
      dbEngine: 'mariadb',
      dbServerId: ids.db,
    });
    expect(c.step?.key).toBe('pembuatan');
    const websiteId = c.facts.websiteId as string;
    const w = await t.db
      .selectFrom('websites')
      .selectAll()
      .where('id', '=', websiteId)
      .executeTakeFirstOrThrow();
    expect(w).toMatchObject({
      hostname,
      status: 'planned',
      opd_id: who.opd.opdId,
      server_id: ids.web,
      created_case_id: c.id,
    });
    expect(w.ip_address).toMatch(/^127\.0\.0\./);

    // Not complete before a succeeded run.
    await flow.act(c, 'staf', 'complete_pembuatan', {}, 409);
    const { plan, run } = await provision(c);
    expect(plan.steps.map((s) => s.key)).toEqual(['dns', 'vhost', 'database', 'deploy', 'tls', 'check']);
    expect(run.error).toBeNull();
    expect(run.status).toBe('done');
    expect(run.steps.find((s) => s.key === 'dns')?.status).toBe('done');
    expect(run.steps.find((s) => s.key === 'database')?.status).toBe('done');
    expect(await queryRecords({ host: '127.0.0.1', port: bind.port }, hostname, 'A')).toEqual([w.ip_address]);
    c = await flow.act(c, 'staf', 'complete_pembuatan', {});
    expect(c.step?.key).toBe('serah_terima');
    const active = await t.db
      .selectFrom('websites')
      .select(['status', 'db_user', 'db_name'])
      .where('id', '=', websiteId)
      .executeTakeFirstOrThrow();
    expect(active.status).toBe('active');

    // The database password: revealed once, in the handover's answer; it opens the site's database.
    const handOver = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/cases/${c.id}/actions/hand_over`,
        headers: { cookie: who.staf.cookie, 'idempotency-key': `hand-over-${c.id}` },
        payload: {
          version: c.version,
          recipientName: 'Dewi',
          method: 'langsung',
          accessNotes: `mysql -h db-01 -u ${active.db_user}`,
          received: true,
        },
      });
    const first = await handOver();
    expect(first.statusCode, first.body).toBe(200);
    // A replay of the same request answers the case as it was — without the credential.
    const replay = await handOver();
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((replay.json() as Detail).reveal).toBeUndefined();
    c = first.json() as Detail;
    const password = c.reveal?.dbPassword;
    expect(password).toBeTruthy();
    const asSite = await mysql.createConnection({
      host: maria.host,
      port: maria.port,
      user: active.db_user ?? '',
      password,
      database: active.db_name ?? '',
    });
    await asSite.query('CREATE TABLE aduan (id int)');
    await asSite.end();
    expect(c.facts.credentialsHandedOver).toBe(true);
    // Never again: not in the case, its history or audit, for anyone.
    for (const as of ['staf', 'kabid', 'opd'] as const) {
      const again = await flow.call('GET', `/api/cases/${c.id}`, as);
      expect(JSON.stringify(again.body)).not.toContain(password);
    }
    const audit = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('entity_id', '=', c.id)
      .execute();
    expect(JSON.stringify(audit)).not.toContain(password);
    const stored = await t.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain(password);

    c = await flow.act(c, 'staf', 'report', { summary: 'Hosting aktif, akses diserahkan.' });
    c = await flow.act(c, 'kabid', 'close', {});
    expect(c.status).toBe('done');
    expect((await flow.call('GET', `/api/cases/${c.id}`, 'otherOpd')).status).toBe(404);
  }, 120_000);

  it('Hosting: the OPD’s archive checked, installed by provisioning on the chosen server, done', async () => {
    const hostname = `sipeg.${ZONE}`;
    const INDEX = `<!doctype html><title>SIPEG</title><h1>${crypto.randomUUID()}</h1>`;
    const filed = await flow.file('hosting', {
      applicationName: 'SIPEG',
      requestedHostname: hostname,
      technology: 'HTML statis',
      needsDatabase: 'false',
      technicalContact: 'Andi, 0812-2222-3333',
    });
    expect(filed.ref).toMatch(/^HST-2026-\d{5}$/);
    let c = await flow.throughOffice(filed);
    c = await flow.act(c, 'kabid', 'start_work', { teamUserIds: [who.staf.id] });
    expect(c.step?.key).toBe('pemeriksaan');
    const body = multipart(
      { version: String(c.version), technology: 'HTML statis', findings: 'Tidak ada kode server; aman.' },
      [
        {
          field: 'source',
          name: 'sipeg.tar.gz',
          type: 'application/gzip',
          data: targz({ 'sipeg/index.html': INDEX }),
        },
      ],
    );
    const checked = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${c.id}/actions/complete_pemeriksaan`,
      headers: { ...body.headers, cookie: who.staf.cookie },
      payload: body.payload,
    });
    expect(checked.statusCode, checked.body).toBe(200);
    c = checked.json() as Detail;
    expect(c.step?.key).toBe('alamat');
    c = await flow.act(c, 'staf', 'record_name_reserve', { hostname, serverId: ids.web, poolId: ids.pool });
    expect(c.step?.key).toBe('instalasi');
    await flow.act(c, 'staf', 'complete_instalasi', {}, 409);
    const { plan, run } = await provision(c);
    expect(plan.steps.find((s) => s.key === 'deploy')?.skip).toBeNull();
    expect(run.status, run.error ?? '').toBe('done');
    expect(run.steps.find((s) => s.key === 'deploy')?.status).toBe('done');
    const page = await get(hostname);
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX);
    c = await flow.act(c, 'staf', 'complete_instalasi', {});
    expect(c.step?.key).toBe('laporan');
    c = await flow.act(c, 'staf', 'report', { summary: 'Aplikasi berjalan.' });
    c = await flow.act(c, 'kabid', 'close', {});
    expect(c.status).toBe('done');
    const mine = await flow.call('GET', `/api/cases/${c.id}`, 'opd');
    expect(JSON.stringify(mine.body)).toContain(`https://${hostname}`);
  }, 120_000);
});
