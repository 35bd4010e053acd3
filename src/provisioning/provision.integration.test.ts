import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { driveToInstallation } from '../../test/helpers/case-flow.ts';
import { buildOpd } from '../../test/helpers/factories.ts';
import {
  type ApacheServer,
  findApache,
  startApache,
  writeLocalAgentConfig,
} from '../../test/servers/apache.ts';
import { type BindServer, findNamed, startBind } from '../../test/servers/bind.ts';
import { findMariadbBin, type MariadbServer, startMariadb } from '../../test/servers/mariadb.ts';
import { findPebble, type PebbleServer, startPebble } from '../../test/servers/pebble.ts';
import { findSshd, type SshdServer, startSshd } from '../../test/servers/sshd.ts';
import { makeRegistryDeps } from '../registry/registry-deps.ts';
import { open } from '../registry/secret-box.ts';
import { targz, zip } from '../storage/test-fixtures.ts';
import { siteDatabaseState } from './database/index.ts';
import { queryRecords } from './dns/client.ts';
import { makeProvisioningDeps } from './provisioning-deps.ts';
import { processRun } from './runs.ts';

// The installation step done by Loket on real servers: BIND (RFC 2136 + TSIG), Apache, MariaDB,
// pebble (ACME), all started on loopback for this file. One website is provisioned end to end and
// fetched over HTTPS by its name through the test DNS server with the pebble-issued certificate;
// then suspended, resumed, and retired — after which no trace of it is left on any server.

const missing = [
  ['bind9', findNamed()],
  ['apache2', findApache()],
  ['mariadb-server', findMariadbBin()],
  ['pebble', findPebble()],
  ['openssh-server', findSshd()],
]
  .filter(([, found]) => !found)
  .map(([name]) => name);
if (missing.length > 0 && process.env.CI === 'true') {
  throw new Error(`Provisioning integration tests need: apt-get install ${missing.join(' ')}`);
}
if (missing.length > 0) console.warn(`skipping provisioning integration tests: install ${missing.join(' ')}`);

const ZONE = 'example-kab.test';
const INDEX = `<!doctype html><title>Dinas Kesehatan</title><h1>Website resmi ${crypto.randomUUID()}</h1>`;

let t: TestApp;
let bind: BindServer;
let apache: ApacheServer;
let maria: MariadbServer;
let pebble: PebbleServer;
let sshd: SshdServer;
let tmp: string;
let admin: string;
const ids = { web: '', webSsh: '', ns: '', db: '', pool: '', opd: '' };

type Json = Record<string, unknown>;

async function api(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, cookie = admin) {
  const res = await t.app.inject({
    method,
    url,
    headers: { cookie },
    ...(payload ? { payload: payload as Json } : {}),
  });
  return { status: res.statusCode, body: res.body ? (res.json() as Json) : {} };
}
async function ok(method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown, status = 200) {
  const r = await api(method, url, payload);
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body as Json & { id: string; version: number };
}

function get(secure: boolean, hostname: string, ip: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const options = {
      host: ip,
      port: secure ? apache.httpsPort : apache.httpPort,
      path: '/',
      headers: { host: hostname },
    };
    const done = (res: http.IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    };
    const req = secure
      ? https.get(
          { ...options, servername: hostname, ca: [pebble.rootCertPem], rejectUnauthorized: true },
          done,
        )
      : http.get(options, done);
    req.on('error', reject);
  });
}

/** Resolves the name through the test DNS server, as a browser would through its resolver. */
async function resolve(hostname: string): Promise<string> {
  const [ip] = await queryRecords({ host: '127.0.0.1', port: bind.port }, hostname, 'A');
  if (!ip) throw new Error(`${hostname} does not resolve`);
  return ip;
}

async function runToEnd(runId: string) {
  await processRun(t.db, runId, makeProvisioningDeps(t.config));
  return (await api('GET', `/api/provision-runs/${runId}`)).body as Json & {
    status: string;
    steps: { key: string; status: string; attempts: number; error: string | null; result: Json | null }[];
    error: string | null;
  };
}

describe.skipIf(missing.length > 0)('provisioning on real servers', () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-prov-'));
    const keySecret = crypto.randomBytes(32).toString('base64');
    [bind, apache, maria] = await Promise.all([
      startBind({ zones: [ZONE], keyName: 'loket-key', keySecretBase64: keySecret }),
      startApache(),
      startMariadb(),
    ]);
    pebble = await startPebble({ httpPort: apache.httpPort, dnsPort: bind.port });
    fs.writeFileSync(path.join(tmp, 'pebble-ca.pem'), pebble.caCertPem);
    fs.writeFileSync(path.join(tmp, 'pebble-root.pem'), pebble.rootCertPem);
    // A database administrator for Loket, with a password (the harness's root has none).
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
      LOKET_ACME_DIRECTORY_URL: pebble.directoryUrl,
      LOKET_ACME_EMAIL: 'tik@example-kab.test',
      LOKET_ACME_CA_FILE: path.join(tmp, 'pebble-ca.pem'),
      LOKET_TLS_TRUST_FILE: path.join(tmp, 'pebble-root.pem'),
      LOKET_DOCROOT_BASE: apache.docrootBase,
      LOKET_PROVISION_LEASE_SECONDS: '2',
      // Local access to this host's Apache is the installation's choice, with its own agent config.
      LOKET_LOCAL_AGENT_CONFIG: writeLocalAgentConfig(apache, tmp),
      // Every server here is on loopback: the installation allows website addresses outside the
      // registered public pools (LOKET_ALLOW_UNPOOLED_ADDRESSES), as only a test installation would.
      LOKET_ALLOW_UNPOOLED_ADDRESSES: 'true',
    });
    admin = (await t.as(['admin'])).cookie;
    ids.opd = (await buildOpd(t.db)).id;

    ids.ns = (
      await ok(
        'POST',
        '/api/registry/servers',
        { name: 'ns1', kind: 'virtual', location: 'noc', roles: ['dns'] },
        201,
      )
    ).id;
    ids.web = (
      await ok(
        'POST',
        '/api/registry/servers',
        { name: 'web-01', kind: 'shared', location: 'noc', roles: ['web'] },
        201,
      )
    ).id;
    ids.db = (
      await ok(
        'POST',
        '/api/registry/servers',
        { name: 'db-01', kind: 'dedicated', location: 'noc', roles: ['database'] },
        201,
      )
    ).id;
    await ok('PUT', `/api/registry/servers/${ids.ns}/provisioning`, {
      access: { kind: 'local' },
      settings: { dns: { host: '127.0.0.1', port: bind.port, keyName: 'loket-key' } },
      secrets: { dnsKey: keySecret },
    });
    // Local: where Apache's files are and which program runs come from LOKET_LOCAL_AGENT_CONFIG.
    await ok('PUT', `/api/registry/servers/${ids.web}/provisioning`, {
      access: { kind: 'local' },
      settings: {},
    });
    // The same Apache, reached the other way: over ssh, through the fixed helper of a forced command.
    // Loket stores only a description of it; the helper's agent.json says where the files are.
    const apacheSettings = {
      sitesDir: apache.sitesDir,
      docrootBase: apache.docrootBase,
      challengeDir: apache.challengeDir,
      certDir: apache.certDir,
      listenAddress: apache.listenAddress,
      httpPort: apache.httpPort,
      httpsPort: apache.httpsPort,
    };
    sshd = await startSshd({
      helperConfig: { apache: { ...apacheSettings, configFile: apache.configFile } },
    });
    ids.webSsh = (
      await ok(
        'POST',
        '/api/registry/servers',
        { name: 'web-02', kind: 'shared', location: 'colocation', roles: ['web'] },
        201,
      )
    ).id;
    await ok('PUT', `/api/registry/servers/${ids.webSsh}/provisioning`, {
      access: {
        kind: 'ssh',
        host: '127.0.0.1',
        port: sshd.port,
        username: sshd.username,
        hostKeySha256: sshd.hostKeySha256,
      },
      settings: { apache: apacheSettings },
      secrets: { sshPrivateKey: sshd.privateKeyPem },
    });
    await ok('PUT', `/api/registry/servers/${ids.db}/provisioning`, {
      access: { kind: 'local' },
      settings: { database: { engine: 'mariadb', host: '127.0.0.1', port: maria.port, adminUser: 'loket' } },
      secrets: { dbAdminPassword: 'loket-admin-password-1' },
    });
    await ok('POST', '/api/registry/zones', { name: ZONE, nsServerId: ids.ns }, 201);
    ids.pool = (await ok('POST', '/api/registry/pools', { name: 'Loopback', cidr: '127.0.0.0/29' }, 201)).id;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await Promise.allSettled([bind?.stop(), apache?.stop(), maria?.stop(), pebble?.stop(), sshd?.stop()]);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A case at the installation step, its website given server, address and database. */
  async function readyWebsite(
    label: string,
    archive: { name: string; type: string; data: Buffer },
    on: { serverId?: string; database?: boolean } = {},
  ) {
    const flow = await driveToInstallation(t, {
      opdId: ids.opd,
      requestedHostname: `${label}.${ZONE}`,
      archive,
    });
    const w = (await api('GET', `/api/registry/websites/${flow.websiteId}`)).body as Json & {
      version: number;
    };
    await ok('PATCH', `/api/registry/websites/${flow.websiteId}`, {
      version: w.version,
      serverId: on.serverId ?? ids.web,
      ...(on.database === false ? {} : { dbEngine: 'mariadb', dbServerId: ids.db }),
    });
    await ok(
      'POST',
      `/api/registry/pools/${ids.pool}/allocations`,
      { kind: 'website', websiteId: flow.websiteId },
      201,
    );
    return flow;
  }

  let site: { caseId: string; websiteId: string; cookies: Record<string, string> };
  const hostname = `dinkes.${ZONE}`;

  it('shows the plan, then installs: DNS, vhost, database, code, TLS; the site answers over HTTPS by name', async () => {
    site = await readyWebsite('dinkes', {
      name: 'situs.tar.gz',
      type: 'application/gzip',
      data: targz({ 'situs/index.html': INDEX, 'situs/css/app.css': 'body{color:#123}' }),
    });
    const plan = (
      await api(
        'GET',
        `/api/registry/websites/${site.websiteId}/provision/plan?kind=install&caseId=${site.caseId}`,
      )
    ).body.plan as {
      steps: { key: string; server: string | null; changes: { target: string }[]; skip: string | null }[];
    };
    expect(plan.steps.map((s) => s.key)).toEqual(['dns', 'vhost', 'database', 'deploy', 'tls', 'check']);
    expect(plan.steps.every((s) => s.skip === null)).toBe(true);
    expect(plan.steps[0]?.changes[0]?.target).toBe(`${hostname}. 3600 IN A 127.0.0.1`);
    expect(plan.steps[0]?.server).toBe('ns1');
    expect(plan.steps[2]?.changes.map((c) => c.target)).toEqual(['w_dinkes', 'w_dinkes']);

    const queued = await ok(
      'POST',
      `/api/registry/websites/${site.websiteId}/provision`,
      { kind: 'install', caseId: site.caseId },
      202,
    );
    expect(queued.status).toBe('queued');
    // One run at a time per website.
    expect(
      (await api('POST', `/api/registry/websites/${site.websiteId}/provision`, { kind: 'install' })).status,
    ).toBe(409);
    const run = await runToEnd(queued.id);
    expect(run.error).toBeNull();
    expect(run.status).toBe('done');
    expect(run.steps.map((s) => `${s.key}:${s.status}`)).toEqual([
      'dns:done',
      'vhost:done',
      'database:done',
      'deploy:done',
      'tls:done',
      'check:done',
    ]);

    // The site, by its name, through the test DNS server, over HTTPS with pebble's certificate.
    const ip = await resolve(hostname);
    expect(ip).toBe('127.0.0.1');
    const page = await get(true, hostname, ip);
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX);

    // The registry knows what was done: active, TLS expiry, the database with its sealed password.
    const w = (await api('GET', `/api/registry/websites/${site.websiteId}`)).body as Json & {
      status: string;
      tls: { issuer: string | null; expiresAt: string | null };
      database: { name: string; user: string; passwordSet: boolean };
    };
    expect(w.status).toBe('active');
    expect(w.tls.issuer).toMatch(/Pebble/i);
    expect(Date.parse(w.tls.expiresAt ?? '')).toBeGreaterThan(Date.now());
    expect(w.database).toMatchObject({ name: 'w_dinkes', user: 'w_dinkes', passwordSet: true });
    const sealed = await t.db
      .selectFrom('websites')
      .select('db_password_enc')
      .where('id', '=', site.websiteId)
      .executeTakeFirstOrThrow();
    const password = open(
      makeRegistryDeps(t.config).secretKey,
      sealed.db_password_enc ?? '',
      `website:${site.websiteId}:db`,
    );
    const asSite = await mysql.createConnection({
      host: maria.host,
      port: maria.port,
      user: 'w_dinkes',
      password,
      database: 'w_dinkes',
    });
    await asSite.query('CREATE TABLE berita (id int)');
    await expect(asSite.query('SELECT * FROM mysql.user')).rejects.toThrow();
    await asSite.end();
    const life = (await api('GET', `/api/registry/websites/${site.websiteId}/history`)).body.items as {
      action: string;
    }[];
    expect(life.map((e) => e.action)).toEqual(
      expect.arrayContaining(['website.provision.install.done', 'website.provision.tls']),
    );
  }, 120_000);

  it('suspends (maintenance page, database account locked) and resumes', async () => {
    const suspend = await ok(
      'POST',
      `/api/registry/websites/${site.websiteId}/provision`,
      { kind: 'suspend' },
      202,
    );
    const s = await runToEnd(suspend.id);
    expect(s.status, s.error ?? '').toBe('done');
    const down = await get(true, hostname, '127.0.0.1');
    expect(down.status).toBe(503);
    expect(down.body).toMatch(/pemeliharaan/i);
    const admin = await t.db
      .selectFrom('websites')
      .select(['status'])
      .where('id', '=', site.websiteId)
      .executeTakeFirstOrThrow();
    expect(admin.status).toBe('suspended');
    const state = await siteDatabaseState(
      {
        engine: 'mariadb',
        host: '127.0.0.1',
        port: maria.port,
        user: 'loket',
        password: 'loket-admin-password-1',
      },
      { name: 'w_dinkes', user: 'w_dinkes' },
    );
    expect(state.locked).toBe(true);

    const resume = await ok(
      'POST',
      `/api/registry/websites/${site.websiteId}/provision`,
      { kind: 'resume' },
      202,
    );
    const r = await runToEnd(resume.id);
    expect(r.status, r.error ?? '').toBe('done');
    expect((await get(true, hostname, '127.0.0.1')).body).toBe(INDEX);
  }, 60_000);

  it('a failed install names the step, and rolling it back removes what it made', async () => {
    // A zip with a path that climbs out of the document root: the deploy step refuses it.
    const evil = zip({ 'index.html': 'ok', '../../etc/evil.conf': 'x' });
    const other = await readyWebsite('dinsos', { name: 'situs.zip', type: 'application/zip', data: evil });
    const queued = await ok(
      'POST',
      `/api/registry/websites/${other.websiteId}/provision`,
      { kind: 'install', caseId: other.caseId },
      202,
    );
    const run = await runToEnd(queued.id);
    expect(run.status).toBe('failed');
    expect(run.steps.find((s) => s.key === 'deploy')).toMatchObject({ status: 'failed' });
    expect(run.steps.find((s) => s.key === 'deploy')?.error).toMatch(/\.\./);
    expect(run.steps.slice(0, 3).every((s) => s.status === 'done')).toBe(true);
    expect(fs.existsSync(path.join(apache.docrootBase, '..', 'etc', 'evil.conf'))).toBe(false);
    // The other site is unharmed.
    expect((await get(true, hostname, '127.0.0.1')).body).toBe(INDEX);

    const rollback = await ok('POST', `/api/provision-runs/${queued.id}/rollback`, {}, 202);
    expect((rollback.steps as { key: string }[]).map((s) => s.key)).toEqual([
      'site_remove',
      'db_drop',
      'dns_remove',
    ]);
    const undone = await runToEnd(rollback.id);
    expect(undone.status, undone.error ?? '').toBe('done');
    expect(await queryRecords({ host: '127.0.0.1', port: bind.port }, `dinsos.${ZONE}`, 'A')).toEqual([]);
    expect(fs.existsSync(path.join(apache.sitesDir, `dinsos.${ZONE}.conf`))).toBe(false);
    expect(fs.existsSync(path.join(apache.docrootBase, `dinsos.${ZONE}`))).toBe(false);
    const state = await siteDatabaseState(
      {
        engine: 'mariadb',
        host: '127.0.0.1',
        port: maria.port,
        user: 'loket',
        password: 'loket-admin-password-1',
      },
      { name: 'w_dinsos', user: 'w_dinsos' },
    );
    expect(state).toEqual({ database: false, user: false, locked: false });
  }, 120_000);

  it('retiring removes every trace: DNS record, vhost, certificate, document root, database and user', async () => {
    const retire = await ok(
      'POST',
      `/api/registry/websites/${site.websiteId}/provision`,
      { kind: 'retire' },
      202,
    );
    const run = await runToEnd(retire.id);
    expect(run.status, run.error ?? '').toBe('done');
    expect(await queryRecords({ host: '127.0.0.1', port: bind.port }, hostname, 'A')).toEqual([]);
    expect(fs.existsSync(path.join(apache.sitesDir, `${hostname}.conf`))).toBe(false);
    expect(fs.existsSync(path.join(apache.certDir, hostname))).toBe(false);
    expect(fs.existsSync(path.join(apache.docrootBase, hostname))).toBe(false);
    const state = await siteDatabaseState(
      {
        engine: 'mariadb',
        host: '127.0.0.1',
        port: maria.port,
        user: 'loket',
        password: 'loket-admin-password-1',
      },
      { name: 'w_dinkes', user: 'w_dinkes' },
    );
    expect(state).toEqual({ database: false, user: false, locked: false });
    const after = await get(false, hostname, '127.0.0.1');
    expect(after.body).not.toBe(INDEX);
    const w = (await api('GET', `/api/registry/websites/${site.websiteId}`)).body as {
      status: string;
      heldUntil: string | null;
    };
    expect(w.status).toBe('retired');
    expect(w.heldUntil).toBeTruthy();
    // Nothing is left to roll back of a retired website's installation.
    const runs = (await api('GET', `/api/registry/websites/${site.websiteId}/provision-runs`)).body.items as {
      id: string;
      kind: string;
    }[];
    const install = runs.find((r) => r.kind === 'install');
    expect((await api('POST', `/api/provision-runs/${install?.id}/rollback`, {})).status).toBe(409);
  }, 60_000);

  it('installs the same way on a web server reached over ssh (pinned host key, forced-command helper)', async () => {
    // The test Apache listens on 127.0.0.1 (held by the retired site) and 127.0.0.2: free the
    // latter from the rolled-back site, which is still only planned.
    const dinsos = (await api('GET', '/api/registry/websites?q=dinsos')).body.items as { id: string }[];
    const d = (await api('GET', `/api/registry/websites/${dinsos[0]?.id}`)).body as {
      id: string;
      version: number;
    };
    await ok('PATCH', `/api/registry/websites/${d.id}`, { version: d.version, ipAddress: null });
    const page = `<h1>Disperkim ${crypto.randomUUID()}</h1>`;
    const other = await readyWebsite(
      'disperkim',
      { name: 'situs.zip', type: 'application/zip', data: zip({ 'index.html': page }) },
      { serverId: ids.webSsh, database: false },
    );
    const queued = await ok(
      'POST',
      `/api/registry/websites/${other.websiteId}/provision`,
      { kind: 'install', caseId: other.caseId },
      202,
    );
    const run = await runToEnd(queued.id);
    expect(run.error).toBeNull();
    expect(run.steps.map((s) => `${s.key}:${s.status}`)).toEqual([
      'dns:done',
      'vhost:done',
      'database:skipped',
      'deploy:done',
      'tls:done',
      'check:done',
    ]);
    const name = `disperkim.${ZONE}`;
    expect((await get(true, name, await resolve(name))).body).toBe(page);
    // sshd accepted Loket's key, and only ever ran the helper.
    expect(sshd.log()).toMatch(/Accepted publickey/);
  }, 180_000);
});
