// Provisioning on the local test servers: the wall time from the POST that applies an install to
// the moment the site answers over HTTPS by its name with its own index.html. Real BIND, Apache,
// MariaDB and pebble (ACME) on loopback, started for the run by the harnesses in test/servers/, and
// Loket on an embedded, migrated PGlite database driven through its API (app.inject), as in
// src/provisioning/provision.integration.test.ts. Each website is a case driven to the installation
// step (test/helpers/case-flow.ts) before the clock starts; the run is then executed at once by
// processRun, as the worker does when pg-boss wakes it (NOTIFY at commit).
//
//   1. single sites: N fresh websites one at a time, POST → run done → the name resolved through the
//      test BIND → https with SNI, trusting only pebble's root → the expected body; min/median/max;
//      each measured unit starts after an untimed pause, on a quiet Apache (see SETTLE_MS);
//   2. a series: 20 fresh websites in a row, total and per-site median (first five vs last five);
//   3. where the time goes: each step's startedAt/finishedAt from the run record, the bookkeeping
//      between steps, and the time acme-client spent sleeping in its status-polling back-off;
//   4. the baseline, measured in the same rounds (interleaved with the single sites): the raw
//      operations done directly without Loket — one TSIG-signed addRecord through the DNS adapter,
//      a hand-written vhost + `apache2 -t` + `-k graceful` (and the wait until it serves), one
//      connection + `CREATE DATABASE` with mysql2, one pebble certificate via obtainCertificate.
//      Loket's install is reported as a ratio to their sum.
// Target (issue): under 10 s for one site (the SOP allows 90 minutes).
// Standalone: `npx node bench/provision.ts` (BENCH_PROVISION_SINGLES, BENCH_PROVISION_SERIES).
// Needs Debian's bind9, apache2, mariadb-server, pebble and openssl; without them it says so and
// skips. Every server, database and temporary directory is removed at the end, also on failure
// or Ctrl-C.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import acme from 'acme-client';
import mysql from 'mysql2/promise';
import { fromPglite, PGLITE_OPTIONS } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createAccountKey, obtainCertificate } from '../src/provisioning/acme/acme.ts';
import { addRecord, queryRecords } from '../src/provisioning/dns/client.ts';
import { makeProvisioningDeps } from '../src/provisioning/provisioning-deps.ts';
import { processRun } from '../src/provisioning/runs.ts';
import { targz } from '../src/storage/test-fixtures.ts';
import { createTestApp, type TestApp } from '../test/helpers/app.ts';
import { driveToInstallation } from '../test/helpers/case-flow.ts';
import { buildOpd } from '../test/helpers/factories.ts';
import {
  type ApacheServer,
  findApache,
  findOpenssl,
  startApache,
  writeLocalAgentConfig,
} from '../test/servers/apache.ts';
import { type BindServer, findNamed, startBind } from '../test/servers/bind.ts';
import { findMariadbBin, type MariadbServer, startMariadb } from '../test/servers/mariadb.ts';
import { findPebble, type PebbleServer, startPebble } from '../test/servers/pebble.ts';

const run = promisify(execFile);
const root = path.join(import.meta.dirname, '..');
const ZONE = 'example-kab.test';
const TARGET_MS = 10_000;
/** The pause (not timed) before each measured single site and raw set. */
const SETTLE_MS = 1500;
const DB_ADMIN = { user: 'loket', password: 'loket-admin-password-1' };

type Json = Record<string, unknown>;

/** One website provisioned by Loket, POST to answer. */
export type SiteFigures = {
  hostname: string;
  /** POST /provision (plan resolved again, run stored, 202) */
  postMs: number;
  /** processRun: every step and its bookkeeping, the website made active */
  runMs: number;
  /** the name resolved through the test BIND and the page fetched over HTTPS, body compared */
  verifyMs: number;
  /** POST to answer: the figure the target is about */
  totalMs: number;
  /** each step's finishedAt − startedAt from the run record */
  steps: Record<string, number>;
  /** runMs minus the steps: leases, step records, the website's status and history */
  bookkeepingMs: number;
  /** what acme-client slept in its status-polling back-off during this run */
  acmeBackoffMs: number;
  /** each of those sleeps: what was polled, how long */
  acmeBackoffOn: string[];
};

/** The raw operations, done directly without Loket, for one name. */
export type RawFigures = {
  /** one TSIG-signed RFC 2136 add through the DNS adapter (addRecord) */
  dnsMs: number;
  /** writing a hand-made vhost, `apache2 -t`, `apache2 -k graceful` */
  apacheReloadMs: number;
  /** after the graceful: until the new vhost answers (polled every 20 ms, as Loket's adapter does) */
  apacheServedMs: number;
  /** one mysql2 connection as the admin, `CREATE DATABASE`, close */
  databaseMs: number;
  /** one certificate from pebble through obtainCertificate (http-01 token written by hand) */
  certMs: number;
  /** acme-client's back-off sleeps within certMs */
  acmeBackoffMs: number;
  /** dns + apache (reload and served) + database + cert */
  sumMs: number;
};

type Stats = { min: number; median: number; max: number };

export type ProvisionBench =
  | { skipped: string }
  | {
      loadavgBefore: string;
      loadavgAfter: string;
      singles: {
        sites: SiteFigures[];
        raw: RawFigures[];
        totalMs: Stats;
        rawSumMs: Stats;
        /** per round: Loket's POST-to-answer / the raw operations' sum of the same round */
        ratios: number[];
        ratioMedian: number;
      };
      series: {
        sites: SiteFigures[];
        totalMs: number;
        perSiteMs: Stats;
        firstFiveMedianMs: number;
        lastFiveMedianMs: number;
      };
      stepMedians: Record<string, number>;
      rawMedians: Omit<RawFigures, 'sumMs'> & { sumMs: number };
      targetMs: number;
      meetsTarget: boolean;
    };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const stats = (xs: number[]): Stats => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const msf = (ms: number) => `${ms.toFixed(0)} ms`;

function loadavg(): string {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

/** The Debian packages this section needs that are not installed. */
export function missingPackages(): string[] {
  return [
    ['bind9', findNamed()],
    ['apache2', findApache()],
    ['mariadb-server', findMariadbBin()],
    ['pebble', findPebble()],
    ['openssl', findOpenssl()],
  ]
    .filter(([, found]) => !found)
    .map(([name]) => name as string);
}

/**
 * acme-client logs "Waiting for valid status from: <url>" and "retrying in N ms" before each
 * back-off sleep: the sleeps, each named by what was polled (pebble's URLs say chalZ, authZ,
 * my-order), read between marks.
 */
function acmeBackoffMeter() {
  const sleeps: { on: string; ms: number }[] = [];
  let polled = 'request';
  acme.setLogger((msg) => {
    const wait = /Waiting for valid status from: (\S+)/.exec(msg);
    if (wait) {
      const url = wait[1] ?? '';
      polled = /chal/i.test(url)
        ? 'challenge'
        : /authz/i.test(url)
          ? 'authorization'
          : /order/i.test(url)
            ? 'order'
            : 'request';
    }
    const m = /retrying in (\d+)ms/.exec(msg);
    if (m) sleeps.push({ on: polled, ms: Number(m[1]) });
  });
  return {
    mark: () => sleeps.length,
    since: (mark: number) => {
      const these = sleeps.slice(mark);
      return { ms: these.reduce((a, b) => a + b.ms, 0), on: these.map((x) => `${x.on} ${x.ms} ms`) };
    },
    stop: () => acme.setLogger(() => {}),
  };
}

function httpsGet(
  port: number,
  ip: string,
  hostname: string,
  ca: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      {
        host: ip,
        port,
        path: '/',
        headers: { host: hostname },
        servername: hostname,
        ca: [ca],
        rejectUnauthorized: true,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
  });
}

function httpStatus(port: number, hostname: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/', headers: { host: hostname, connection: 'close' }, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0));
  });
}

export async function provisionBench(opts: {
  singles: number;
  series: number;
  log?: (line: string) => void;
}): Promise<ProvisionBench> {
  const log = opts.log ?? ((l: string) => console.log(l));
  if (
    !(
      Number.isInteger(opts.singles) &&
      opts.singles >= 1 &&
      Number.isInteger(opts.series) &&
      opts.series >= 1
    )
  ) {
    throw new Error(`singles and series must be whole numbers ≥ 1 (got ${opts.singles}, ${opts.series})`);
  }
  const missing = missingPackages();
  if (missing.length > 0) {
    const skipped = `needs the Debian packages ${missing.join(', ')} (apt-get install ${missing.join(' ')})`;
    log(`  skipped: ${skipped}`);
    return { skipped };
  }

  // Everything started is stopped in reverse order: at the end, on an error, or on Ctrl-C.
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanupAll = async () => {
    for (let f = cleanups.pop(); f; f = cleanups.pop()) {
      try {
        await f();
      } catch (e) {
        log(`  cleanup failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  // On Ctrl-C the handler stops everything and exits; the measurement in flight then fails on a
  // stopped server or database, and that failure is left to wait (see finally) instead of ending
  // the process before the servers are down.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    log(`  ${signal}: stopping the test servers`);
    void cleanupAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const meter = acmeBackoffMeter();
  cleanups.push(async () => meter.stop());

  const loadavgBefore = loadavg();
  try {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-bench-prov-'));
    cleanups.push(async () => fs.rmSync(tmp, { recursive: true, force: true }));
    const keySecret = crypto.randomBytes(32).toString('base64');
    const setupStarted = performance.now();
    const started = await Promise.allSettled([
      startBind({ zones: [ZONE], keyName: 'loket-key', keySecretBase64: keySecret }),
      startApache(),
      startMariadb(),
    ] as const);
    for (const s of started) {
      if (s.status === 'fulfilled') cleanups.push(() => s.value.stop());
    }
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const [bind, apache, maria] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
      BindServer,
      ApacheServer,
      MariadbServer,
    ];
    const pebble: PebbleServer = await startPebble({ httpPort: apache.httpPort, dnsPort: bind.port });
    cleanups.push(() => pebble.stop());
    fs.writeFileSync(path.join(tmp, 'pebble-ca.pem'), pebble.caCertPem);
    fs.writeFileSync(path.join(tmp, 'pebble-root.pem'), pebble.rootCertPem);
    const mroot = await mysql.createConnection({
      host: maria.host,
      port: maria.port,
      user: 'root',
      password: '',
    });
    await mroot.query(`CREATE USER '${DB_ADMIN.user}'@'127.0.0.1' IDENTIFIED BY '${DB_ADMIN.password}'`);
    await mroot.query(`GRANT ALL PRIVILEGES ON *.* TO '${DB_ADMIN.user}'@'127.0.0.1' WITH GRANT OPTION`);
    await mroot.end();

    const pglite = await PGlite.create(PGLITE_OPTIONS);
    const handle = fromPglite(pglite);
    cleanups.push(async () => {
      await handle.close();
      if (!pglite.closed) await pglite.close();
    });
    await migrateToLatest(handle.db);
    const t: TestApp = await createTestApp(
      {
        LOKET_ACME_DIRECTORY_URL: pebble.directoryUrl,
        LOKET_ACME_EMAIL: 'tik@example-kab.test',
        LOKET_ACME_CA_FILE: path.join(tmp, 'pebble-ca.pem'),
        LOKET_TLS_TRUST_FILE: path.join(tmp, 'pebble-root.pem'),
        LOKET_DOCROOT_BASE: apache.docrootBase,
        // Local access to this host's Apache is the installation's choice, with its own agent config.
        LOKET_LOCAL_AGENT_CONFIG: writeLocalAgentConfig(apache, tmp),
        // Every server here is on loopback: the installation allows website addresses outside the
        // registered public pools (LOKET_ALLOW_UNPOOLED_ADDRESSES), as only a test installation would.
        LOKET_ALLOW_UNPOOLED_ADDRESSES: 'true',
      },
      handle,
    );
    cleanups.push(() => t.close());
    const deps = makeProvisioningDeps(t.config);
    const admin = (await t.as(['admin'])).cookie;

    const api = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) => {
      const res = await t.app.inject({
        method,
        url,
        headers: { cookie: admin },
        ...(payload ? { payload: payload as Json } : {}),
      });
      return { status: res.statusCode, body: (res.body ? res.json() : {}) as Json & { id: string } };
    };
    const ok = async (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown, status = 200) => {
      const r = await api(method, url, payload);
      if (r.status !== status) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };

    // The registry: a name server, a shared web server and a database server, each with its
    // provisioning settings; the zone on the name server.
    const opdId = (await buildOpd(t.db)).id;
    const server = async (name: string, kind: string, role: string) =>
      (await ok('POST', '/api/registry/servers', { name, kind, location: 'noc', roles: [role] }, 201)).id;
    const ids = {
      ns: await server('ns1', 'virtual', 'dns'),
      web: await server('web-01', 'shared', 'web'),
      db: await server('db-01', 'dedicated', 'database'),
    };
    await ok('PUT', `/api/registry/servers/${ids.ns}/provisioning`, {
      access: { kind: 'local' },
      settings: { dns: { host: '127.0.0.1', port: bind.port, keyName: 'loket-key' } },
      secrets: { dnsKey: keySecret },
    });
    await ok('PUT', `/api/registry/servers/${ids.web}/provisioning`, {
      access: { kind: 'local' },
      settings: {},
    });
    await ok('PUT', `/api/registry/servers/${ids.db}/provisioning`, {
      access: { kind: 'local' },
      settings: {
        database: { engine: 'mariadb', host: '127.0.0.1', port: maria.port, adminUser: DB_ADMIN.user },
      },
      secrets: { dbAdminPassword: DB_ADMIN.password },
    });
    await ok('POST', '/api/registry/zones', { name: ZONE, nsServerId: ids.ns }, 201);
    log(
      `  BIND, Apache, MariaDB, pebble and Loket (PGlite) ready in ${sec(performance.now() - setupStarted)}`,
    );

    type Ready = { label: string; hostname: string; caseId: string; websiteId: string; index: string };
    /** A case at the installation step; its website on the shared server's address, with a database. */
    const prepare = async (label: string): Promise<Ready> => {
      const hostname = `${label}.${ZONE}`;
      const index = `<!doctype html><title>${label}</title><h1>Website resmi ${crypto.randomUUID()}</h1>`;
      const flow = await driveToInstallation(t, {
        opdId,
        requestedHostname: hostname,
        archive: {
          name: 'situs.tar.gz',
          type: 'application/gzip',
          data: targz({ 'situs/index.html': index, 'situs/css/app.css': 'body{color:#123}' }),
        },
      });
      const w = (await api('GET', `/api/registry/websites/${flow.websiteId}`)).body as unknown as {
        version: number;
      };
      await ok('PATCH', `/api/registry/websites/${flow.websiteId}`, {
        version: w.version,
        serverId: ids.web,
        ipAddress: '127.0.0.1',
        dbEngine: 'mariadb',
        dbServerId: ids.db,
      });
      return { label, hostname, caseId: flow.caseId, websiteId: flow.websiteId, index };
    };

    /** Loket: POST the install, run it, and wait until the site answers by its name over HTTPS. */
    const provision = async (site: Ready): Promise<SiteFigures> => {
      const slept = meter.mark();
      const t0 = performance.now();
      const queued = await api('POST', `/api/registry/websites/${site.websiteId}/provision`, {
        kind: 'install',
        caseId: site.caseId,
      });
      if (queued.status !== 202) throw new Error(`provision ${site.hostname}: ${queued.status}`);
      const t1 = performance.now();
      await processRun(t.db, queued.body.id, deps);
      const t2 = performance.now();
      const [ip] = await queryRecords({ host: '127.0.0.1', port: bind.port }, site.hostname, 'A');
      if (!ip) throw new Error(`${site.hostname} does not resolve`);
      const page = await httpsGet(apache.httpsPort, ip, site.hostname, pebble.rootCertPem);
      const t3 = performance.now();
      const backoff = meter.since(slept);
      const r = (await api('GET', `/api/provision-runs/${queued.body.id}`)).body as unknown as {
        status: string;
        error: string | null;
        steps: { key: string; status: string; startedAt: string | null; finishedAt: string | null }[];
      };
      if (r.status !== 'done') throw new Error(`${site.hostname}: run ${r.status}: ${r.error}`);
      if (page.status !== 200 || page.body !== site.index) {
        throw new Error(`${site.hostname} answered ${page.status} without its index.html`);
      }
      const steps: Record<string, number> = {};
      for (const s of r.steps) {
        steps[s.key] =
          s.startedAt && s.finishedAt ? Date.parse(s.finishedAt) - Date.parse(s.startedAt) : Number.NaN;
      }
      const stepSum = Object.values(steps).reduce((a, b) => a + b, 0);
      return {
        hostname: site.hostname,
        postMs: t1 - t0,
        runMs: t2 - t1,
        verifyMs: t3 - t2,
        totalMs: t3 - t0,
        steps,
        bookkeepingMs: t2 - t1 - stepSum,
        acmeBackoffMs: backoff.ms,
        acmeBackoffOn: backoff.on,
      };
    };

    // The raw operations, without Loket, for a name of their own.
    const rawAccountKey = await createAccountKey();
    const dnsKey = { host: '127.0.0.1', port: bind.port, keyName: 'loket-key', keySecret: bind.keySecret };
    const apacheBin = apache.binary ?? '/usr/sbin/apache2';
    const apacheEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' };
    const raw = async (label: string): Promise<RawFigures> => {
      const name = `${label}.${ZONE}`;
      const docroot = path.join(apache.docrootBase, name);
      fs.mkdirSync(docroot, { recursive: true, mode: 0o755 });
      fs.writeFileSync(path.join(docroot, 'index.html'), `<h1>${label}</h1>`);

      let t0 = performance.now();
      await addRecord(dnsKey, { zone: ZONE, name, type: 'A', value: '127.0.0.1', ttl: 3600 });
      const dnsMs = performance.now() - t0;

      t0 = performance.now();
      fs.writeFileSync(
        path.join(apache.sitesDir, `${name}.conf`),
        `<VirtualHost *:${apache.httpPort}>\n  ServerName ${name}\n  DocumentRoot ${docroot}\n` +
          `  <Directory ${docroot}>\n    Require all granted\n  </Directory>\n</VirtualHost>\n`,
      );
      await run(apacheBin, ['-f', apache.configFile, '-t'], { env: apacheEnv });
      await run(apacheBin, ['-f', apache.configFile, '-k', 'graceful'], { env: apacheEnv });
      const apacheReloadMs = performance.now() - t0;
      t0 = performance.now();
      const deadline = Date.now() + 15_000;
      while ((await httpStatus(apache.httpPort, name)) !== 200) {
        if (Date.now() > deadline) throw new Error(`${name}: Apache does not serve the new vhost`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const apacheServedMs = performance.now() - t0;

      t0 = performance.now();
      const c = await mysql.createConnection({
        host: maria.host,
        port: maria.port,
        user: DB_ADMIN.user,
        password: DB_ADMIN.password,
      });
      await c.query(`CREATE DATABASE \`${label.replaceAll('-', '_')}\``);
      await c.end();
      const databaseMs = performance.now() - t0;

      const slept = meter.mark();
      t0 = performance.now();
      await obtainCertificate(
        {
          directoryUrl: pebble.directoryUrl,
          email: 'tik@example-kab.test',
          accountKeyPem: rawAccountKey,
          caCertPem: pebble.caCertPem,
          skipChallengeVerification: true,
        },
        { hostname: name, aliases: [] },
        {
          put: async (token, content) => fs.writeFileSync(path.join(apache.challengeDir, token), content),
          remove: async (token) => fs.rmSync(path.join(apache.challengeDir, token), { force: true }),
        },
      );
      const certMs = performance.now() - t0;
      const acmeBackoffMs = meter.since(slept).ms;
      return {
        dnsMs,
        apacheReloadMs,
        apacheServedMs,
        databaseMs,
        certMs,
        acmeBackoffMs,
        sumMs: dnsMs + apacheReloadMs + apacheServedMs + databaseMs + certMs,
      };
    };

    // Every website is prepared (a case driven to the installation step) before any clock runs.
    const prepStarted = performance.now();
    const warm = await prepare('bench-warm');
    const singles: Ready[] = [];
    for (let i = 1; i <= opts.singles; i++) singles.push(await prepare(`bench-s${i}`));
    const series: Ready[] = [];
    for (let i = 1; i <= opts.series; i++) series.push(await prepare(`bench-r${i}`));
    log(
      `  ${1 + opts.singles + opts.series} websites prepared at the installation step in ${sec(performance.now() - prepStarted)} (not timed)`,
    );

    // Warm-up (discarded): the first run creates Loket's ACME account, the first raw set the raw one.
    await raw('raw-warm');
    await provision(warm);

    // 1. Single sites, each round next to a raw set (alternating which goes first). Each starts on
    //    a quiet server: a graceful reload within ~100 ms of the previous one often leaves Apache
    //    without a worker accepting for up to 1 s (its parent starts the new generation's child at
    //    its next once-a-second maintenance), which would land on whichever side came second.
    const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));
    const sites: SiteFigures[] = [];
    const raws: RawFigures[] = [];
    for (const [i, site] of singles.entries()) {
      let s: SiteFigures;
      let b: RawFigures;
      await settle();
      if (i % 2 === 0) {
        b = await raw(`raw-${i + 1}`);
        await settle();
        s = await provision(site);
      } else {
        s = await provision(site);
        await settle();
        b = await raw(`raw-${i + 1}`);
      }
      sites.push(s);
      raws.push(b);
      log(
        `  single ${i + 1}: Loket POST → answers ${sec(s.totalMs)} ` +
          `(POST ${msf(s.postMs)}, run ${msf(s.runMs)}, resolve+https ${msf(s.verifyMs)}; steps ` +
          `${Object.entries(s.steps)
            .map(([k, v]) => `${k} ${msf(v)}`)
            .join(', ')}; bookkeeping ${msf(s.bookkeepingMs)}) | raw ops ${sec(b.sumMs)} ` +
          `(dns ${msf(b.dnsMs)}, apache -t+graceful ${msf(b.apacheReloadMs)} + until served ${msf(b.apacheServedMs)}, ` +
          `CREATE DATABASE ${msf(b.databaseMs)}, cert ${msf(b.certMs)}) | ratio ${(s.totalMs / b.sumMs).toFixed(2)}`,
      );
    }
    const ratios = sites.map((s, i) => s.totalMs / (raws[i] as RawFigures).sumMs);

    // 2. A series of sites in a row, without pauses.
    await settle();
    const seriesSites: SiteFigures[] = [];
    const seriesStarted = performance.now();
    for (const site of series) seriesSites.push(await provision(site));
    const seriesTotal = performance.now() - seriesStarted;
    const perSite = seriesSites.map((s) => s.totalMs);
    const ends = Math.min(5, perSite.length);

    // 3. Where the time goes (singles and series together).
    const all = [...sites, ...seriesSites];
    const stepKeys = Object.keys(all[0]?.steps ?? {});
    const stepMedians: Record<string, number> = {};
    for (const k of stepKeys) stepMedians[k] = median(all.map((s) => s.steps[k] ?? Number.NaN));
    for (const k of ['postMs', 'bookkeepingMs', 'verifyMs', 'acmeBackoffMs', 'totalMs'] as const) {
      stepMedians[k] = median(all.map((s) => s[k]));
    }
    const rawMedians = {
      dnsMs: median(raws.map((r) => r.dnsMs)),
      apacheReloadMs: median(raws.map((r) => r.apacheReloadMs)),
      apacheServedMs: median(raws.map((r) => r.apacheServedMs)),
      databaseMs: median(raws.map((r) => r.databaseMs)),
      certMs: median(raws.map((r) => r.certMs)),
      acmeBackoffMs: median(raws.map((r) => r.acmeBackoffMs)),
      sumMs: median(raws.map((r) => r.sumMs)),
    };

    const single = stats(sites.map((s) => s.totalMs));
    const meetsTarget = single.median < TARGET_MS;
    const loadavgAfter = loadavg();
    const total = stepMedians.totalMs as number;
    const share = (ms: number) => `${((ms / total) * 100).toFixed(0)} %`;
    log(
      `  summary (load average before: ${loadavgBefore}; after: ${loadavgAfter}; ${os.cpus().length} CPUs):`,
    );
    log(
      `    one site, POST → answers over HTTPS (${sites.length} fresh sites): min ${sec(single.min)}, ` +
        `median ${sec(single.median)}, max ${sec(single.max)}`,
    );
    log(
      `    ${seriesSites.length} sites in a row: ${sec(seriesTotal)} in all; per site median ${sec(median(perSite))} ` +
        `(min ${sec(Math.min(...perSite))}, max ${sec(Math.max(...perSite))}; median of the first ${ends} ` +
        `${sec(median(perSite.slice(0, ends)))}, of the last ${ends} ${sec(median(perSite.slice(-ends)))})`,
    );
    log(
      `    where the time goes (median of ${all.length} sites; share of the median total ${sec(total)}): ` +
        [
          `POST ${msf(stepMedians.postMs as number)}`,
          ...stepKeys.map(
            (k) => `${k} ${msf(stepMedians[k] as number)} (${share(stepMedians[k] as number)})`,
          ),
          `bookkeeping between steps ${msf(stepMedians.bookkeepingMs as number)}`,
          `client resolve + https ${msf(stepMedians.verifyMs as number)}`,
        ].join(', '),
    );
    log(
      `    of which acme-client slept in its status-polling back-off (pebble not done at the first poll): ` +
        `${all.filter((s) => s.acmeBackoffMs > 0).length} of ${all.length} Loket installs ` +
        `(${all.flatMap((s) => s.acmeBackoffOn).join(', ') || 'none'}), ` +
        `${raws.filter((r) => r.acmeBackoffMs > 0).length} of ${raws.length} raw certificates`,
    );
    log(
      `    raw operations without Loket (median of ${raws.length}): addRecord ${msf(rawMedians.dnsMs)}, ` +
        `vhost + apache2 -t + -k graceful ${msf(rawMedians.apacheReloadMs)} + until served ${msf(rawMedians.apacheServedMs)}, ` +
        `connect + CREATE DATABASE ${msf(rawMedians.databaseMs)}, pebble certificate ${msf(rawMedians.certMs)}; ` +
        `sum ${sec(rawMedians.sumMs)}`,
    );
    const vs = (step: string, rawMs: number) =>
      `${step} ${((stepMedians[step] as number) / rawMs).toFixed(1)}×`;
    log(
      `    Loket's step / the raw operation (medians): ` +
        [
          vs('dns', rawMedians.dnsMs),
          vs('vhost', rawMedians.apacheReloadMs + rawMedians.apacheServedMs),
          vs('database', rawMedians.databaseMs),
          vs('tls', rawMedians.certMs),
        ].join(', ') +
        ' (tls also installs the certificate and reloads Apache a second time)',
    );
    log(
      `    Loket's install = ${median(ratios).toFixed(2)} × the sum of the raw operations ` +
        `(median of the per-round ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}; ` +
        `ratio of the medians ${(single.median / rawMedians.sumMs).toFixed(2)})`,
    );
    log(
      `  target < ${TARGET_MS / 1000} s for one site: ${meetsTarget ? 'met' : 'not met'} (median ${sec(single.median)})`,
    );
    return {
      loadavgBefore,
      loadavgAfter,
      singles: {
        sites,
        raw: raws,
        totalMs: single,
        rawSumMs: stats(raws.map((r) => r.sumMs)),
        ratios,
        ratioMedian: median(ratios),
      },
      series: {
        sites: seriesSites,
        totalMs: seriesTotal,
        perSiteMs: stats(perSite),
        firstFiveMedianMs: median(perSite.slice(0, ends)),
        lastFiveMedianMs: median(perSite.slice(-ends)),
      },
      stepMedians,
      rawMedians,
      targetMs: TARGET_MS,
      meetsTarget,
    };
  } finally {
    if (interrupted) await new Promise(() => {}); // the signal handler finishes and exits
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanupAll();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const singles = Number(process.env.BENCH_PROVISION_SINGLES ?? 5);
  const series = Number(process.env.BENCH_PROVISION_SERIES ?? 20);
  console.log(`Provisioning on the local test servers (${singles} single sites, then ${series} in a row):`);
  const r = await provisionBench({ singles, series });
  if (!('skipped' in r)) {
    const out = path.join(root, 'bench', 'results');
    fs.mkdirSync(out, { recursive: true });
    const file = path.join(out, `provision-${Date.now()}.json`);
    fs.writeFileSync(file, JSON.stringify(r, null, 2));
    console.log(`Results written to ${path.relative(root, file)}`);
  }
}
