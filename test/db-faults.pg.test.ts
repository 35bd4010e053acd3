import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpLogin, type LoketProcess, spawnLoket } from './helpers/loket-process.ts';
import { type PostgresServer, startPostgres } from './servers/postgres.ts';

// The database going away under a running Loket: a terminated connection, a restarted server, an
// outage. Loket runs as a real process on its own throw-away PostgreSQL server (so the test may
// kill it); runs in `npm run test:pg`, skipped on PGlite.

const why = process.env.TEST_DATABASE_URL ? '' : 'needs PostgreSQL (npm run test:pg)';
if (why) console.warn(`skipping the database fault tests: ${why}`);

const PASSWORD = 'Faults-Test-Password-2026!';

let server: PostgresServer;
let loket: LoketProcess;
let dataDir: string;
let cookie: string;

type Outcome = { status: number; code?: string; retryAfter?: string | null };

/** `workers` loops of authenticated reads until `until` resolves; every answer is collected. */
async function underLoad(until: Promise<unknown>, workers = 8): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let done = false;
  until.finally(() => {
    done = true;
  });
  const loop = async () => {
    while (!done) {
      try {
        const res = await fetch(`${loket.url}/api/cases`, { headers: { cookie } });
        const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
        outcomes.push({
          status: res.status,
          code: body.error?.code,
          retryAfter: res.headers.get('retry-after'),
        });
      } catch {
        outcomes.push({ status: 0 });
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  await Promise.all([until, ...Array.from({ length: workers }, loop)]);
  expect(outcomes.length).toBeGreaterThan(0);
  return outcomes;
}

async function waitReady(): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 30_000) {
    const res = await fetch(`${loket.url}/readyz`).catch(() => null);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Loket did not become ready again');
}

/** After the fault: the process lives, is ready again, answers reads, and no answer was a 500. */
async function expectSurvived(outcomes: Outcome[]): Promise<void> {
  expect(loket.exitStatus(), loket.output().slice(-3000)).toBeNull();
  await waitReady();
  const res = await fetch(`${loket.url}/api/cases`, { headers: { cookie } });
  expect(res.status).toBe(200);
  for (const o of outcomes) {
    expect([0, 200, 503]).toContain(o.status);
    if (o.status === 503) {
      expect(o.code).toBe('DB_UNAVAILABLE');
      expect(o.retryAfter).toMatch(/^\d+$/);
    }
  }
}

describe.skipIf(Boolean(why))('the database going away', () => {
  beforeAll(async () => {
    server = await startPostgres();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-faults-'));
    loket = await spawnLoket({
      DATABASE_URL: server.url,
      LOKET_DATA_DIR: dataDir,
      LOKET_ADMIN_PASSWORD: PASSWORD,
    });
    cookie = await httpLogin(loket.url, 'admin', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await loket?.stop('SIGKILL');
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('terminating every connection of Loket under load fails requests, not the process', async () => {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      const terminate = (async () => {
        for (let i = 0; i < 5; i++) {
          await new Promise((r) => setTimeout(r, 150));
          await admin.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = $1',
            ['client backend'],
          );
        }
        await new Promise((r) => setTimeout(r, 150));
      })();
      const outcomes = await underLoad(terminate);
      await expectSurvived(outcomes);
    } finally {
      await admin.end();
    }
  }, 60_000);

  it.each(['fast', 'immediate'] as const)(
    'a restart of PostgreSQL (-m %s) under load',
    async (mode) => {
      const restart = (async () => {
        await new Promise((r) => setTimeout(r, 200));
        await server.restart(mode);
        await new Promise((r) => setTimeout(r, 300));
      })();
      const outcomes = await underLoad(restart);
      await expectSurvived(outcomes);
    },
    60_000,
  );

  it('during an outage requests get 503 DB_UNAVAILABLE with Retry-After, and work again after it', async () => {
    await server.halt('fast');
    try {
      const res = await fetch(`${loket.url}/api/cases`, { headers: { cookie } });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DB_UNAVAILABLE');
      expect((await fetch(`${loket.url}/readyz`)).status).toBe(503);
      // A while with no database at all: the job workers keep failing their polls meanwhile.
      await new Promise((r) => setTimeout(r, 3000));
      expect(loket.exitStatus(), loket.output().slice(-3000)).toBeNull();
    } finally {
      await server.start();
    }
    await expectSurvived([]);
  }, 60_000);
});
