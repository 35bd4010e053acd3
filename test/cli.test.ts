import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The command line, run as a user would: real processes on a real PGlite data directory.

const run = promisify(execFile);
const cli = path.join(import.meta.dirname, '..', 'src', 'cli.ts');
let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-cli-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function loket(args: string[], opts: { env?: Record<string, string>; input?: string } = {}) {
  const env = { ...process.env, LOKET_DATA_DIR: dataDir, LOKET_LOG_LEVEL: 'warn', ...opts.env };
  delete (env as Record<string, string | undefined>).DATABASE_URL;
  const p = run(process.execPath, [cli, ...args], { env, timeout: 60_000 });
  if (opts.input !== undefined) {
    p.child.stdin?.end(opts.input);
  }
  return p;
}

/** Starts the server, waits for /readyz, returns what it printed, stops it. */
async function startOnce(): Promise<string> {
  const child = spawn(process.execPath, [cli, 'start'], {
    env: { ...process.env, LOKET_DATA_DIR: dataDir, LOKET_LOG_LEVEL: 'warn', PORT: '0', DATABASE_URL: '' },
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const started = Date.now();
  while (!out.includes('ready: http') && Date.now() - started < 60_000) {
    await new Promise((r) => setTimeout(r, 100));
    if (child.exitCode !== null) break;
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return out;
}

describe('loket CLI', () => {
  it('first start creates the admin and prints its generated password once; the next start does not', async () => {
    const first = await startOnce();
    expect(first).toMatch(/username: admin/);
    const pw = /password: (\S+)/.exec(first)?.[1] ?? '';
    expect(pw).toHaveLength(20);
    const second = await startOnce();
    expect(second).not.toMatch(/password:/);
  }, 120_000);

  it('migrate says the database is up to date', async () => {
    const { stdout } = await loket(['migrate']);
    expect(stdout).toContain('up to date');
  }, 60_000);

  it('create-admin takes a password on stdin and refuses a duplicate', async () => {
    const { stdout } = await loket(
      ['create-admin', 'kepala.it', '--full-name', 'Kepala TI', '--password-stdin'],
      {
        input: 'Rendang-Padang-Enak-88\n',
      },
    );
    expect(stdout).toContain('Administrator kepala.it created.');
    expect(stdout).not.toContain('Rendang');
    await expect(
      loket(['create-admin', 'kepala.it', '--password-stdin'], { input: 'Rendang-Padang-Enak-88' }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('USERNAME_TAKEN'),
    });
  }, 60_000);

  it('reset-password generates and prints a new password, and refuses a weak one', async () => {
    const { stdout } = await loket(['reset-password', 'kepala.it']);
    expect(stdout).toMatch(/New password: \S{20}/);
    await expect(
      loket(['reset-password', 'kepala.it', '--password-stdin'], { input: 'password' }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('PASSWORD_TOO_WEAK'),
    });
    await expect(loket(['reset-password', 'nobody'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('NOT_FOUND'),
    });
  }, 60_000);

  it('a bad configuration lists every problem and exits non-zero', async () => {
    await expect(
      loket(['migrate'], { env: { PORT: 'x', LOKET_SESSION_IDLE_MINUTES: '0' } }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/PORT[\s\S]*LOKET_SESSION_IDLE_MINUTES/),
    });
  });

  it('an unknown command shows the usage', async () => {
    await expect(loket(['frobnicate'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Usage:'),
    });
  });
});
