import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const cli = path.join(import.meta.dirname, '..', '..', 'src', 'cli.ts');

export type LoketProcess = {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Null while it runs; its exit code (or signal name) once it ended. */
  exitStatus(): number | string | null;
  /** Ends it with `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/**
 * Starts `loket start` as a real child process (Node 24, as `npm start` does) and waits until it
 * prints its address. `env` adds to the test's environment; DATABASE_URL is taken only from `env`.
 */
export async function spawnLoket(env: Record<string, string>): Promise<LoketProcess> {
  const full: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    LOKET_LOG_LEVEL: 'warn',
    LOKET_WEB_DIR: '/nonexistent-web-dir',
    LOKET_LOGIN_RATE_PER_MINUTE: '100000',
    LOKET_LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
    DATABASE_URL: '',
    ...env,
  };
  const child = spawn(process.execPath, [cli, 'start'], { env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  let status: number | string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      status = code ?? signal ?? 'exited';
      resolve();
    }),
  );
  const started = Date.now();
  let url: string | undefined;
  while (!url && Date.now() - started < 90_000 && status === null) {
    await new Promise((r) => setTimeout(r, 50));
    url = /ready: (http:\/\/\S+)/.exec(out)?.[1];
  }
  if (!url) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`Loket did not start (${status}):\n${out}`);
  }
  return {
    url,
    child,
    output: () => out,
    exitStatus: () => status,
    async stop(signal = 'SIGTERM') {
      if (status === null) child.kill(signal);
      await exited;
    },
  };
}

/** Signs in over HTTP and returns the Cookie header value. */
export async function httpLogin(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => /loket_session=/.test(c));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] as string;
}
