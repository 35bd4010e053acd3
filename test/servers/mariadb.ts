import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from './postgres.ts';

const run = promisify(execFile);

/** Debian's mariadb-server binaries, or undefined when the package is not installed. */
export function findMariadbBin(): { mariadbd: string; installDb: string } | undefined {
  const first = (names: string[]) => names.find((p) => fs.existsSync(p));
  const mariadbd = first(['/usr/sbin/mariadbd', '/usr/bin/mariadbd', '/usr/libexec/mariadbd']);
  const installDb = first(['/usr/bin/mariadb-install-db', '/usr/sbin/mariadb-install-db']);
  return mariadbd && installDb ? { mariadbd, installDb } : undefined;
}

export type MariadbServer = {
  host: '127.0.0.1';
  port: number;
  user: 'root';
  password: '';
  stop(): Promise<void>;
};

/**
 * Starts a throw-away MariaDB server on a free loopback port in a temporary directory (root with an
 * empty password, native authentication; no test database, no anonymous accounts) and waits until it
 * accepts connections. `--skip-name-resolve`: accounts match by IP, as on a production server.
 */
export async function startMariadb(): Promise<MariadbServer> {
  const bin = findMariadbBin();
  if (!bin) throw new Error('MariaDB server binaries not found (apt-get install mariadb-server)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-mariadb-'));
  const asRoot = process.getuid?.() === 0;
  const userArgs = asRoot ? ['--user=root'] : [];
  const data = path.join(dir, 'data');
  let child: ChildProcess | undefined;
  const cleanup = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(bin.installDb, [
      '--no-defaults',
      `--datadir=${data}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      ...userArgs,
    ]);
    const socketPath = path.join(dir, 's.sock');
    const logFile = path.join(dir, 'error.log');
    let port = 0;
    // A free port can be taken by another process between freePort() and mariadbd's bind: then
    // mariadbd exits ("Bind on TCP/IP port") and we try another port.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const log = fs.openSync(logFile, 'a');
      child = spawn(
        bin.mariadbd,
        [
          '--no-defaults',
          `--datadir=${data}`,
          `--socket=${socketPath}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--pid-file=${path.join(dir, 'mariadbd.pid')}`,
          `--tmpdir=${dir}`,
          '--skip-name-resolve',
          '--innodb-buffer-pool-size=32M',
          '--innodb-flush-log-at-trx-commit=0',
          '--max-connections=200',
          ...userArgs,
        ],
        { stdio: ['ignore', log, log] },
      );
      fs.closeSync(log);
      try {
        // Through our own socket: a server answering on the port could be someone else's.
        await waitUntilAccepting(child, socketPath, logFile);
        break;
      } catch (e) {
        if (attempt >= 3 || !/Bind on TCP\/IP port/.test(tail(logFile))) throw e;
      }
    }
    // Like mysql_secure_installation: no anonymous accounts (they would shadow '%' accounts).
    const c = await mysql.createConnection({ socketPath, user: 'root', password: '' });
    await c.query("DELETE FROM mysql.global_priv WHERE User = ''");
    await c.query('FLUSH PRIVILEGES');
    await c.end();
    return { host: '127.0.0.1', port, user: 'root', password: '', stop: cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

async function waitUntilAccepting(child: ChildProcess, socketPath: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`mariadbd exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile)}`);
    }
    try {
      const c = await mysql.createConnection({ socketPath, user: 'root', password: '' });
      await c.end();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`mariadbd did not accept connections:\n${tail(logFile)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
