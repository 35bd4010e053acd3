import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries Debian installed, or undefined. */
export function findPostgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export type PostgresServer = {
  url: string;
  stop(): Promise<void>;
  /** `pg_ctl restart` in the given shutdown mode (fast: sessions terminated; immediate: a crash). */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server but keeps its data, so `start` can bring it back (an outage). */
  halt(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
};

/**
 * Starts a throw-away PostgreSQL server on a free loopback port in a temporary directory, as the
 * `postgres` user when run as root (initdb and postgres refuse root). Trust auth, loopback only.
 * Tests run it with durability off (fsync, synchronous commit, full-page writes) for speed;
 * `durable: true` keeps PostgreSQL's defaults, as benchmarks must.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await run('chown', ['postgres:postgres', dir]);
  const exec = (cmd: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args])
      : run(path.join(bin, cmd), args);
  const data = path.join(dir, 'data');
  await exec('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    ...(options.durable ? [] : ['--no-sync']),
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  const port = await freePort();
  const fast = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${fast} -c max_connections=200`;
  const log = path.join(dir, 'log');
  await exec('pg_ctl', ['-D', data, '-o', opts, '-l', log, '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart(mode) {
      await exec('pg_ctl', ['-D', data, '-o', opts, '-l', log, '-m', mode, '-w', 'restart']);
    },
    async halt(mode) {
      await exec('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    },
    async start() {
      await exec('pg_ctl', ['-D', data, '-o', opts, '-l', log, '-w', 'start']);
    },
    async stop() {
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
