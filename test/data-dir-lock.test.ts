import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/auth/password.ts';
import { createDb } from '../src/db/create-db.ts';

// One process per embedded data directory, checked as a user meets it: real `node src/cli.ts`
// processes (server, CLI, seed-demo) on one real PGlite data directory.

const run = promisify(execFile);
const cli = path.join(import.meta.dirname, '..', 'src', 'cli.ts');
const dirs: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

function freshDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-lock-'));
  dirs.push(d);
  return d;
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Working hours on the day after tomorrow (Jakarta) only: steps ended while these tests run
 *  count no working time, whatever the hour (what is tested here is not the clock). */
function hoursAwayFromNow(): string {
  const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  const jakartaDay = new Date(Date.now() + 7 * 3_600_000).getUTCDay();
  return `${days[(jakartaDay + 2) % 7]} 07:30-16:00`;
}

function envFor(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOKET_DATA_DIR: dataDir,
    LOKET_LOG_LEVEL: 'warn',
    PORT: '0',
    LOKET_WORKING_HOURS: hoursAwayFromNow(),
    ...extra,
  };
  delete env.DATABASE_URL;
  delete env.LOKET_ADMIN_PASSWORD;
  return env;
}

function loket(dataDir: string, args: string[]) {
  return run(process.execPath, [cli, ...args], { env: envFor(dataDir), timeout: 240_000 });
}

/** Starts the server and resolves once it printed that it is ready. */
async function startServer(
  dataDir: string,
): Promise<{ child: ChildProcessWithoutNullStreams; out: () => string }> {
  const child = spawn(process.execPath, [cli, 'start'], { env: envFor(dataDir) });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const started = Date.now();
  while (!out.includes('ready: http') && Date.now() - started < 180_000) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!out.includes('ready: http')) throw new Error(`server not ready: ${out}`);
  return { child, out: () => out };
}

function stop(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): Promise<unknown> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  return exited;
}

const refusal = /in use by another Loket process \(pid (\d+)/;

describe('one process per embedded data directory', () => {
  it('a second server, the CLI and seed-demo refuse while a server holds it; after kill -9 a new server starts', async () => {
    const dir = freshDir();
    const first = await startServer(dir);

    for (const args of [['start'], ['migrate'], ['seed-demo']]) {
      const res = await loket(dir, args).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(res.code, args[0]).toBe(1);
      expect(res.stderr, args[0]).toMatch(/Direktori data .* sedang dipakai proses Loket lain/);
      expect(Number(refusal.exec(res.stderr)?.[1]), args[0]).toBe(first.child.pid);
      expect(res.stderr, args[0]).not.toMatch(/^\s+at /m);
    }
    await stop(first.child, 'SIGKILL');
    const second = await startServer(dir);
    await stop(second.child, 'SIGTERM');
    expect(second.child.exitCode).toBe(0);

    // Closed cleanly, the directory opens again here; the refused seed-demo wrote nothing.
    const h = await createDb({ dataDir: dir });
    try {
      const users = await h.db.selectFrom('users').select('username').execute();
      expect(users.map((u) => u.username)).toEqual(['admin']);
    } finally {
      await h.close();
    }
  }, 600_000);

  it('seed-demo before the first start creates the first administrator as npm start would; run twice it refuses in one line', async () => {
    const dir = freshDir();
    const first = await loket(dir, ['seed-demo']);
    expect(first.stdout).toMatch(/first administrator account created/);
    expect(first.stdout).toMatch(/username: admin/);
    const password = /password: (\S+)/.exec(first.stdout)?.[1] ?? '';
    expect(password).toHaveLength(20);
    expect(first.stdout).toMatch(/Demo data: \d+ cases/);

    const again = await loket(dir, ['seed-demo']).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/empty installation/);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);

    // The administrator is there with the printed password, next to the demo users; the next
    // start therefore creates none (it finds users), exactly as after a first `npm start`.
    const h = await createDb({ dataDir: dir });
    try {
      const admin = await h.db
        .selectFrom('users')
        .select(['roles', 'password_hash'])
        .where('username', '=', 'admin')
        .executeTakeFirstOrThrow();
      expect(admin.roles).toEqual(['admin']);
      expect(await verifyPassword(admin.password_hash, password)).toBe(true);
      const demo = await h.db
        .selectFrom('users')
        .select('username')
        .where('username', '=', 'kabid')
        .execute();
      expect(demo).toHaveLength(1);
    } finally {
      await h.close();
    }
  }, 600_000);
});
