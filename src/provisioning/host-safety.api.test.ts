// No value a user of the web app or the API can set decides which program Loket runs on its own
// host, or which file that program reads as configuration (issue 10, section 1). The attack that
// worked: a Kabid named `/bin/sh` as the server's Apache `binary` and a shell script deployed into a
// document root as its `configFile`, switched the server to local access, and the vhost step ran
// `binary -f configFile -t` — the script, as Loket's user.
//
// These tests need no Apache: before the fix the script runs at the configtest, whether or not an
// Apache is installed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, testConfig } from '../../test/helpers/app.ts';
import { buildOpd } from '../../test/helpers/factories.ts';
import { ConfigError } from '../config.ts';
import { up } from '../db/migrations/0013_operator_agent_settings.ts';
import { makeRegistryDeps } from '../registry/registry-deps.ts';
import { systemCtx } from '../shared/context.ts';
import { loadHelperConfig } from './agent/helper.ts';
import type { RunParams } from './plan.ts';
import { executeStep } from './steps.ts';

type Json = Record<string, unknown>;

const ZONE = 'example-kab.go.id';
const HOSTNAME = `evil.${ZONE}`;

// Made when the file loads: the table of hostile agent configurations below names these paths.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-host-safety-'));
const www = path.join(tmp, 'www');
const marker = path.join(tmp, 'ran-as-loket');
const script = path.join(www, HOSTNAME, 'index.sh');
let t: TestApp;
const cookie: Record<string, string> = {};
const ids = { server: '', website: '', opd: '' };

async function call(as: string, method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const res = await t.app.inject({
    method,
    url,
    headers: { cookie: cookie[as] ?? '' },
    ...(payload !== undefined ? { payload: payload as Json } : {}),
  });
  return { status: res.statusCode, body: (res.body ? res.json() : {}) as Json & { error?: Json } };
}

/** Apache settings as a manager could send them before the fix, with the program and its config named. */
function hostileApache() {
  return {
    configFile: script,
    binary: '/bin/sh',
    sitesDir: path.join(tmp, 'sites'),
    docrootBase: www,
    challengeDir: path.join(tmp, 'acme'),
    certDir: path.join(tmp, 'certs'),
    listenAddress: '*',
    httpPort: 8080,
    httpsPort: 8443,
  };
}

const SSH = {
  kind: 'ssh',
  host: '192.0.2.10',
  port: 22,
  username: 'loket',
  hostKeySha256: 'A'.repeat(43),
};

beforeAll(async () => {
  for (const d of ['www', 'sites', 'acme', 'certs']) fs.mkdirSync(path.join(tmp, d));
  // What a build archive deployed into a document root could hold.
  fs.mkdirSync(path.join(www, HOSTNAME));
  fs.writeFileSync(script, `id > ${marker}\n`, { mode: 0o644 });

  t = await createTestApp({ LOKET_DOCROOT_BASE: www });
  for (const role of ['admin', 'kabid'] as const) cookie[role] = (await t.as([role])).cookie;
  ids.opd = (await buildOpd(t.db)).id;
  ids.server = (
    await call('admin', 'POST', '/api/registry/servers', {
      name: 'web-01',
      kind: 'shared',
      location: 'noc',
      roles: ['web'],
    })
  ).body.id as string;
  await call('admin', 'POST', '/api/registry/zones', { name: ZONE });
  await call('admin', 'POST', '/api/registry/pools', { name: 'Publik', cidr: '203.0.113.0/24' });
  const w = await call('admin', 'POST', '/api/registry/websites', {
    opdId: ids.opd,
    purpose: 'Uji',
    hostname: HOSTNAME,
    serverId: ids.server,
    ipAddress: '203.0.113.20',
  });
  expect(w.status, JSON.stringify(w.body)).toBe(201);
  ids.website = w.body.id as string;
});

afterAll(async () => {
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Writes settings straight into the row, as they may have been stored before the fix. */
async function storeRaw(access: Json, settings: Json) {
  await t.db
    .updateTable('servers')
    .set({ access: JSON.stringify(access), settings: JSON.stringify(settings) })
    .where('id', '=', ids.server)
    .execute();
}

function params(): RunParams {
  return {
    websiteId: ids.website,
    hostname: HOSTNAME,
    aliases: [],
    ip: '203.0.113.20',
    web: { serverId: ids.server, serverName: 'web-01' },
    dns: null,
    database: null,
    site: {
      hostname: HOSTNAME,
      aliases: [],
      ip: null,
      docroot: path.join(www, HOSTNAME),
      tls: false,
      maintenance: false,
    },
    archive: null,
    check: { httpPort: 8080, httpsPort: 8443 },
  };
}

describe('the program Loket runs and its configuration are not a user setting', () => {
  it.each(['kabid', 'admin'])(
    '%s cannot set the Apache binary or config file (refused, nothing stored)',
    async (as) => {
      const before = (await call(as, 'GET', `/api/registry/servers/${ids.server}/provisioning`)).body;
      for (const apache of [
        hostileApache(),
        { ...hostileApache(), binary: undefined },
        { ...hostileApache(), configFile: undefined },
      ]) {
        const r = await call(as, 'PUT', `/api/registry/servers/${ids.server}/provisioning`, {
          access: SSH,
          settings: { apache },
          secrets: {
            sshPrivateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
          },
        });
        expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
      }
      expect((await call(as, 'GET', `/api/registry/servers/${ids.server}/provisioning`)).body).toEqual(
        before,
      );
    },
  );

  it('local access is refused while the installation has not enabled it', async () => {
    const { configFile: _c, binary: _b, ...apache } = hostileApache();
    const r = await call('kabid', 'PUT', `/api/registry/servers/${ids.server}/provisioning`, {
      access: { kind: 'local' },
      settings: { apache },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.error?.code).toBe('LOCAL_ACCESS_DISABLED');
  });

  it('a server stored with local access before the fix cannot be planned or run while local access is off', async () => {
    await storeRaw({ kind: 'local' }, { apache: hostileApache() });
    const plan = await call(
      'kabid',
      'GET',
      `/api/registry/websites/${ids.website}/provision/plan?kind=install`,
    );
    expect(plan.status, JSON.stringify(plan.body)).toBe(422);
    expect(plan.body.error?.code).toBe('LOCAL_ACCESS_DISABLED');
    // A run queued before the upgrade executes its stored parameters: the step refuses too.
    const err = await executeStep(
      {
        db: t.db,
        config: t.config,
        registry: makeRegistryDeps(t.config),
        archivePath: () => '/nonexistent',
        ctx: systemCtx('test'),
        caseId: null,
      },
      'vhost',
      params(),
      'install',
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toMatch(/local access/i);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('with local access enabled, the stored binary and config file are ignored: the chain cannot run', async () => {
    // The operator's own configuration: a harmless (absent) Apache config outside every document root.
    const apacheDir = path.join(tmp, 'operator-apache');
    fs.mkdirSync(apacheDir);
    const localConfig = path.join(tmp, 'local-agent.json');
    fs.writeFileSync(
      localConfig,
      JSON.stringify({
        apache: {
          configFile: path.join(apacheDir, 'httpd.conf'),
          sitesDir: path.join(tmp, 'sites'),
          docrootBase: www,
          challengeDir: path.join(tmp, 'acme'),
          certDir: path.join(tmp, 'certs'),
          listenAddress: '*',
          httpPort: 8080,
          httpsPort: 8443,
        },
      }),
    );
    await storeRaw({ kind: 'local' }, { apache: hostileApache() });
    const config = testConfig({ LOKET_DOCROOT_BASE: www, LOKET_LOCAL_AGENT_CONFIG: localConfig });
    const err = await executeStep(
      {
        db: t.db,
        config,
        registry: makeRegistryDeps(config),
        archivePath: () => '/nonexistent',
        ctx: systemCtx('test'),
        caseId: null,
      },
      'vhost',
      params(),
      'install',
    ).catch((e: unknown) => e);
    // The operator's Apache config does not exist: the configtest fails — and the script never ran.
    expect(err).toBeInstanceOf(Error);
    expect(fs.existsSync(marker)).toBe(false);
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });
});

describe('a sealed secret follows the server it was given for', () => {
  it('the database admin password is not sent to a new address unless it is typed again', async () => {
    const id = (
      await call('admin', 'POST', '/api/registry/servers', {
        name: 'db-01',
        kind: 'dedicated',
        location: 'noc',
        roles: ['database'],
      })
    ).body.id as string;
    const database = { engine: 'mariadb', host: '192.0.2.30', port: 3306, adminUser: 'loket' };
    const put = (body: Json) => call('kabid', 'PUT', `/api/registry/servers/${id}/provisioning`, body);
    const local = { kind: 'local' };
    expect(
      (await put({ access: local, settings: { database }, secrets: { dbAdminPassword: 'rahasia' } })).status,
    ).toBe(200);
    // The same server, other settings unchanged: the stored password is kept.
    expect((await put({ access: local, settings: { database }, reason: 'tanpa perubahan' })).status).toBe(
      200,
    );
    for (const moved of [
      { ...database, host: '198.51.100.66' },
      { ...database, port: 3307 },
      { ...database, adminUser: 'root' },
      { ...database, engine: 'postgresql', port: 5432 },
    ]) {
      const r = await put({ access: local, settings: { database: moved } });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.error?.code).toBe('FIELD_INVALID');
      expect(JSON.stringify(r.body.error)).toContain('secrets.dbAdminPassword');
    }
    const stored = (await call('kabid', 'GET', `/api/registry/servers/${id}/provisioning`)).body;
    expect(stored.settings).toEqual({ database });
    // Typed again with the new address: taken.
    const moved = { ...database, host: '198.51.100.66' };
    const r = await put({
      access: local,
      settings: { database: moved },
      secrets: { dbAdminPassword: 'baru' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((r.body.secretsSet as Json).dbAdminPassword).toBe(true);
  });
});

describe('settings stored before the fix (migration 0013)', () => {
  it("drops binary and configFile, and a local server's Apache settings; keeps the rest", async () => {
    const make = async (name: string, access: Json, settings: Json) =>
      (
        await t.db
          .insertInto('servers')
          .values({
            name,
            kind: 'shared',
            location: 'noc',
            roles: ['web'],
            access: JSON.stringify(access),
            settings: JSON.stringify(settings),
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id as string;
    const dns = { host: '192.0.2.53', port: 53, keyName: 'loket-key' };
    const viaSsh = await make('old-ssh', SSH, { apache: hostileApache(), dns });
    const local = await make('old-local', { kind: 'local' }, { apache: hostileApache(), dns });
    await up(t.db);
    const settingsOf = async (id: string) =>
      (await t.db.selectFrom('servers').select('settings').where('id', '=', id).executeTakeFirstOrThrow())
        .settings as Json;
    const { configFile: _c, binary: _b, ...kept } = hostileApache();
    expect(await settingsOf(viaSsh)).toEqual({ apache: kept, dns });
    expect(await settingsOf(local)).toEqual({ dns });
    // What is left passes today's schema: the server is usable again over ssh.
    const r = await call('kabid', 'GET', `/api/registry/servers/${viaSsh}/provisioning`);
    expect(r.body.settings).toEqual({ apache: kept, dns });
  });
});

describe("the installation's own agent configuration is checked at start", () => {
  function agentFile(apache: Json, extra: Json = {}): string {
    const file = path.join(tmp, `agent-${Math.random().toString(16).slice(2)}.json`);
    const base = {
      configFile: '/etc/apache2/apache2.conf',
      sitesDir: '/etc/apache2/sites-loket',
      docrootBase: www,
      challengeDir: '/var/lib/loket-acme',
      certDir: '/etc/ssl/loket',
      listenAddress: '*',
      httpPort: 80,
      httpsPort: 443,
    };
    fs.writeFileSync(file, JSON.stringify({ apache: { ...base, ...apache }, ...extra }));
    return file;
  }
  function problemsOf(env: Record<string, string>): string[] {
    try {
      const c = testConfig(env);
      fs.rmSync(c.dataDir, { recursive: true, force: true });
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
  }

  it('accepts a sound file', () => {
    expect(problemsOf({ LOKET_DOCROOT_BASE: www, LOKET_LOCAL_AGENT_CONFIG: agentFile({}) })).toEqual([]);
  });

  it.each([
    ['a config file inside a document root', { configFile: script }, /configFile/],
    ['a shell as the program', { binary: '/bin/sh' }, /binary/],
    ['a program that is not Apache', { binary: '/usr/bin/python3' }, /binary/],
    ['the sites directory inside the document root base', { sitesDir: path.join(www, 'sites') }, /sitesDir/],
    ['the certificate directory inside the document root base', { certDir: path.join(www, 'c') }, /certDir/],
    ['a document root base holding the system', { docrootBase: '/' }, /docrootBase/],
  ])('refuses %s', (_what, apache, field) => {
    const problems = problemsOf({ LOKET_DOCROOT_BASE: www, LOKET_LOCAL_AGENT_CONFIG: agentFile(apache) });
    expect(problems.join('\n')).toMatch(/LOKET_LOCAL_AGENT_CONFIG/);
    expect(problems.join('\n')).toMatch(field);
  });

  it("refuses paths inside Loket's data directory (the database, the files store, the secret key)", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-host-safety-data-'));
    try {
      const file = agentFile({ configFile: path.join(dataDir, 'files', 'ab', 'cd') });
      const problems = problemsOf({ LOKET_DATA_DIR: dataDir, LOKET_LOCAL_AGENT_CONFIG: file });
      expect(problems.join('\n')).toMatch(/configFile.*data directory/);
      const base = agentFile({ docrootBase: path.dirname(dataDir) });
      expect(problemsOf({ LOKET_DATA_DIR: dataDir, LOKET_LOCAL_AGENT_CONFIG: base }).join('\n')).toMatch(
        /docrootBase/,
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a missing or unreadable file is a start-up problem', () => {
    expect(problemsOf({ LOKET_LOCAL_AGENT_CONFIG: path.join(tmp, 'absent.json') }).join('\n')).toMatch(
      /LOKET_LOCAL_AGENT_CONFIG/,
    );
  });

  it('the ssh helper refuses the same things in its agent.json', async () => {
    for (const apache of [{ binary: '/bin/sh' }, { configFile: path.join(www, 'x', 'a.conf') }]) {
      const err = await loadHelperConfig(agentFile(apache)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as { code?: string }).code).toBe('HELPER_CONFIG');
    }
  });
});
