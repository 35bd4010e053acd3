import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../src/db/create-db.ts';
import { LocalFileStore } from '../src/storage/file-store.ts';
import { sweepOrphanFiles } from '../src/storage/orphan-sweep.ts';
import { pdf } from '../src/storage/test-fixtures.ts';
import { multipart } from './helpers/app.ts';
import { buildUser } from './helpers/factories.ts';
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
let env: Record<string, string>;

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
    env = { DATABASE_URL: server.url, LOKET_DATA_DIR: dataDir, LOKET_ADMIN_PASSWORD: PASSWORD };
    loket = await spawnLoket(env);
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

  it('kill -9 of Loket mid-request: a retry with the same Idempotency-Key files the request once, numbers stay gapless, and no file is left without its row', async () => {
    const handle: DbHandle = await createDb({ databaseUrl: server.url, dataDir, onIdleError: () => {} });
    try {
      const user = await buildUser(handle.db, { roles: ['opd'] });
      let opd = await httpLogin(loket.url, user.username, user.password);
      const today = new Date().toISOString().slice(0, 10);
      const send = (subject: string, key: string) => {
        const body = multipart(
          { kind: 'new', subject, letterNumber: '027/1/KILL/2026', letterDate: today, description: 'Uji.' },
          [{ field: 'letter', name: 'surat.pdf', type: 'application/pdf', data: pdf(256 * 1024) }],
        );
        return fetch(`${loket.url}/api/cases`, {
          method: 'POST',
          headers: { ...body.headers, cookie: opd, 'idempotency-key': key },
          body: new Uint8Array(body.payload),
        });
      };
      const delays = [25, 150, 600];
      const rounds = delays.length;
      const committedBeforeRetry: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const subject = `Mati mendadak ${i}`;
        const key = crypto.randomUUID();
        // The kill lands anywhere from before the upload is read to after the commit.
        const killer = setTimeout(() => loket.child.kill('SIGKILL'), delays[i]);
        const first = await send(subject, key).catch(() => null);
        clearTimeout(killer);
        await loket.stop('SIGKILL');
        expect(first === null || first.status === 201 || first.status >= 500).toBe(true);
        const before = await handle.db
          .selectFrom('cases')
          .select('id')
          .where('subject', '=', subject)
          .execute();
        committedBeforeRetry.push(before.length);
        loket = await spawnLoket(env);
        opd = await httpLogin(loket.url, user.username, user.password);
        // The client never saw an answer (or saw 201 and retries anyway): it retries with its key.
        const retry = await send(subject, key);
        expect(retry.status, await retry.clone().text()).toBe(201);
        const cases = await handle.db
          .selectFrom('cases')
          .select('id')
          .where('subject', '=', subject)
          .execute();
        expect(cases).toHaveLength(1);
        expect(cases[0]?.id).toBe(((await retry.json()) as { id: string }).id);
      }
      const refs = await handle.db
        .selectFrom('cases')
        .select('ref')
        .where('subject', 'like', 'Mati mendadak %')
        .orderBy('ref')
        .execute();
      const numbers = refs.map((r) => Number(r.ref.slice(-5)));
      expect(numbers).toHaveLength(rounds);
      expect(numbers).toEqual(numbers.map((_, k) => (numbers[0] ?? 0) + k));

      // Files: after the grace period every stored file has its row, and every row its file.
      await loket.stop('SIGKILL');
      const store = new LocalFileStore(path.join(dataDir, 'files'));
      await sweepOrphanFiles(handle.db, store, { now: Date.now() + 2 * 60 * 60 * 1000 });
      const rows = await handle.db.selectFrom('case_files').select('storage_key').execute();
      const stored = fs.existsSync(store.rootDir)
        ? fs.readdirSync(store.rootDir).flatMap((d) => fs.readdirSync(path.join(store.rootDir, d)))
        : [];
      expect(stored.sort()).toEqual(rows.map((r) => r.storage_key).sort());
      // Where the kills landed (timing, so only reported): 1 = it had committed, 0 = it had not.
      console.info(`kill -9 rounds committed before the retry: ${committedBeforeRetry.join(', ')}`);
    } finally {
      await handle.close();
    }
  }, 300_000);
});
