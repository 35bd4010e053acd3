import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
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
import { targz } from '../storage/test-fixtures.ts';
import { queryRecords } from './dns/client.ts';
import { makeProvisioningDeps } from './provisioning-deps.ts';
import { processRun } from './runs.ts';

// A provisioning worker killed with SIGKILL in the middle of a run: the run resumes from the step
// it was in, once the dead worker's lease lapses, and ends with exactly one of everything. Two
// processes share the database, so this runs on PostgreSQL (npm run test:pg, and CI).

const url = process.env.TEST_DATABASE_URL;
const missing = [
  ['bind9', findNamed()],
  ['apache2', findApache()],
]
  .filter(([, found]) => !found)
  .map(([name]) => name);
if (missing.length > 0 && process.env.CI === 'true') {
  throw new Error(`The resume test needs: apt-get install ${missing.join(' ')}`);
}
const why = !url
  ? 'needs PostgreSQL (npm run test:pg)'
  : missing.length
    ? `install ${missing.join(' ')}`
    : '';
if (why) console.warn(`skipping the kill -9 resume test: ${why}`);

const ZONE = 'example-kab.test';
const INDEX = `<h1>Dinas Pendidikan ${crypto.randomUUID()}</h1>`;

let t: TestApp;
let bind: BindServer;
let apache: ApacheServer;
let admin: string;
let localAgent = '';

async function ok(method: 'POST' | 'PUT' | 'PATCH', u: string, payload: unknown, status = 200) {
  const res = await t.app.inject({
    method,
    url: u,
    headers: { cookie: admin },
    payload: payload as Record<string, unknown>,
  });
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as { id: string; version: number };
}

describe.skipIf(Boolean(why))('a worker killed mid-run', () => {
  beforeAll(async () => {
    const keySecret = crypto.randomBytes(32).toString('base64');
    [bind, apache] = await Promise.all([
      startBind({ zones: [ZONE], keyName: 'loket-key', keySecretBase64: keySecret }),
      startApache(),
    ]);
    // Local access to this host's Apache is the installation's choice: its own agent configuration.
    localAgent = writeLocalAgentConfig(apache, fs.mkdtempSync(path.join(os.tmpdir(), 'loket-local-agent-')));
    t = await createTestApp({
      LOKET_DOCROOT_BASE: apache.docrootBase,
      LOKET_PROVISION_LEASE_SECONDS: '2',
      LOKET_LOCAL_AGENT_CONFIG: localAgent,
      // Every server here is on loopback: the installation allows website addresses outside the
      // registered public pools (LOKET_ALLOW_UNPOOLED_ADDRESSES), as only a test installation would.
      LOKET_ALLOW_UNPOOLED_ADDRESSES: 'true',
    });
    admin = (await t.as(['admin'])).cookie;
    const ns = await ok(
      'POST',
      '/api/registry/servers',
      { name: 'ns1', kind: 'virtual', location: 'noc', roles: ['dns'] },
      201,
    );
    const web = await ok(
      'POST',
      '/api/registry/servers',
      { name: 'web-01', kind: 'shared', location: 'noc', roles: ['web'] },
      201,
    );
    await ok('PUT', `/api/registry/servers/${ns.id}/provisioning`, {
      access: { kind: 'local' },
      settings: { dns: { host: '127.0.0.1', port: bind.port, keyName: 'loket-key' } },
      secrets: { dnsKey: keySecret },
    });
    // Local: where Apache's files are and which program runs come from LOKET_LOCAL_AGENT_CONFIG.
    await ok('PUT', `/api/registry/servers/${web.id}/provisioning`, {
      access: { kind: 'local' },
      settings: {},
    });
    await ok('POST', '/api/registry/zones', { name: ZONE, nsServerId: ns.id }, 201);
    const pool = await ok('POST', '/api/registry/pools', { name: 'Loopback', cidr: '127.0.0.0/29' }, 201);
    const opd = await buildOpd(t.db);
    const flow = await driveToInstallation(t, {
      opdId: opd.id,
      requestedHostname: `disdik.${ZONE}`,
      archive: { name: 'situs.tar.gz', type: 'application/gzip', data: targz({ 'index.html': INDEX }) },
    });
    const w = await t.app.inject({
      url: `/api/registry/websites/${flow.websiteId}`,
      headers: { cookie: admin },
    });
    await ok('PATCH', `/api/registry/websites/${flow.websiteId}`, {
      version: w.json().version,
      serverId: web.id,
    });
    await ok(
      'POST',
      `/api/registry/pools/${pool.id}/allocations`,
      { kind: 'website', websiteId: flow.websiteId },
      201,
    );
    Object.assign(state, flow);
  }, 120_000);
  const state = { caseId: '', websiteId: '' };

  afterAll(async () => {
    await t?.close();
    await Promise.allSettled([bind?.stop(), apache?.stop()]);
    if (localAgent) fs.rmSync(path.dirname(localAgent), { recursive: true, force: true });
  });

  it('resumes from the step it was in, without duplicates', async () => {
    const run = await ok(
      'POST',
      `/api/registry/websites/${state.websiteId}/provision`,
      { kind: 'install', caseId: state.caseId },
      202,
    );
    const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(t.db);
    const dbUrl = new URL(url ?? '');
    dbUrl.pathname = `/${rows[0]?.name}`;
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loket-kill-')), 'hanging');
    const child = spawn(
      process.execPath,
      [path.join(import.meta.dirname, '../../test/helpers/provision-worker.ts')],
      {
        env: {
          ...process.env,
          LOKET_TEST_DB_URL: dbUrl.toString(),
          LOKET_DATA_DIR: t.config.dataDir,
          LOKET_DOCROOT_BASE: apache.docrootBase,
          LOKET_PROVISION_LEASE_SECONDS: '2',
          LOKET_LOCAL_AGENT_CONFIG: localAgent,
          // Every server here is on loopback: the installation allows website addresses outside the
          // registered public pools (LOKET_ALLOW_UNPOOLED_ADDRESSES), as only a test installation would.
          LOKET_ALLOW_UNPOOLED_ADDRESSES: 'true',
          LOKET_LOG_LEVEL: 'silent',
          RUN_ID: run.id,
          HANG_AT: 'deploy',
          MARKER: marker,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    for (let i = 0; i < 600 && !fs.existsSync(marker); i++) await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(marker), stderr).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const steps = async () =>
      t.db
        .selectFrom('provision_steps')
        .select(['key', 'status', 'attempts'])
        .where('run_id', '=', run.id)
        .orderBy('seq')
        .execute();
    // Killed inside the deploy step, DNS and vhost done, holding a lease that has not lapsed yet.
    expect((await steps()).map((s) => `${s.key}:${s.status}:${s.attempts}`)).toEqual([
      'dns:done:1',
      'vhost:done:1',
      'database:skipped:1',
      'deploy:running:1',
      'tls:pending:0',
      'check:pending:0',
    ]);
    const held = await t.db
      .selectFrom('provision_runs')
      .select(['status', 'lease_owner'])
      .where('id', '=', run.id)
      .executeTakeFirstOrThrow();
    expect(held.status).toBe('running');
    expect(held.lease_owner).toMatch(/^killed-worker:/);

    // While the lease holds, another worker leaves the run alone.
    await processRun(t.db, run.id, makeProvisioningDeps(t.config));
    expect((await steps()).find((s) => s.key === 'deploy')?.attempts).toBe(1);

    // Once it lapses, the run resumes where it was, and finishes.
    await new Promise((r) => setTimeout(r, 2500));
    await processRun(t.db, run.id, makeProvisioningDeps(t.config));
    expect((await steps()).map((s) => `${s.key}:${s.status}:${s.attempts}`)).toEqual([
      'dns:done:1',
      'vhost:done:1',
      'database:skipped:1',
      'deploy:done:2',
      'tls:skipped:1',
      'check:done:1',
    ]);
    const done = await t.db
      .selectFrom('provision_runs')
      .select(['status', 'error'])
      .where('id', '=', run.id)
      .executeTakeFirstOrThrow();
    expect(done).toEqual({ status: 'done', error: null });
    // Exactly one of everything: one record, one vhost file, the site answering with its page.
    expect(await queryRecords({ host: '127.0.0.1', port: bind.port }, `disdik.${ZONE}`, 'A')).toEqual([
      '127.0.0.1',
    ]);
    expect(
      fs.readdirSync(apache.sitesDir).filter((f) => f.startsWith(`disdik.${ZONE}`) && f.endsWith('.conf')),
    ).toEqual([`disdik.${ZONE}.conf`]);
    expect(fs.readdirSync(apache.docrootBase).filter((f) => f.startsWith(`disdik.${ZONE}`))).toEqual([
      `disdik.${ZONE}`,
    ]);
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get(
          { host: '127.0.0.1', port: apache.httpPort, path: '/', headers: { host: `disdik.${ZONE}` } },
          (res) => {
            let b = '';
            res.on('data', (c: Buffer) => {
              b += c.toString();
            });
            res.on('end', () => resolve(b));
          },
        )
        .on('error', reject);
    });
    expect(body).toBe(INDEX);
    fs.rmSync(path.dirname(marker), { recursive: true, force: true });
  }, 120_000);
});
