import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findPostgresBin, freePort } from './postgres.ts';

const run = promisify(execFile);

export type PostgresAuthServer = {
  host: '127.0.0.1';
  port: number;
  user: 'postgres';
  /** The superuser's password (TCP connections must authenticate; only the Unix socket trusts). */
  password: string;
  stop(): Promise<void>;
};

/**
 * Starts a throw-away PostgreSQL server like startPostgres(), but where TCP connections authenticate
 * with SCRAM-SHA-256 passwords, so a wrong password is really refused. `hbaLines` are inserted before
 * the general `host all all 127.0.0.1/32 scram-sha-256` line (e.g. a `reject` rule to test).
 */
export async function startPostgresWithPasswords(
  opts: { hbaLines?: string[] } = {},
): Promise<PostgresAuthServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
  for (const line of opts.hbaLines ?? []) {
    if (/[\r\n]/.test(line)) throw new Error('an hba line must be one line');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-pg-auth-'));
  const asRoot = process.getuid?.() === 0;
  const exec = (cmd: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args])
      : run(path.join(bin, cmd), args);
  const data = path.join(dir, 'data');
  const password = randomBytes(18).toString('base64url');
  const pwfile = path.join(dir, 'pw');
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (asRoot) await run('chown', ['-R', 'postgres:postgres', dir]);
  let started = false;
  const stop = async () => {
    if (started) await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await exec('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    fs.rmSync(pwfile);
    fs.writeFileSync(
      path.join(data, 'pg_hba.conf'),
      ['local all all trust', ...(opts.hbaLines ?? []), 'host all all 127.0.0.1/32 scram-sha-256', ''].join(
        '\n',
      ),
    );
    const port = await freePort();
    const o = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c password_encryption=scram-sha-256 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await exec('pg_ctl', ['-D', data, '-o', o, '-l', path.join(dir, 'log'), '-w', 'start']);
    started = true;
    return { host: '127.0.0.1', port, user: 'postgres', password, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
