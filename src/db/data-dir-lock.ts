import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * One process per embedded data directory. PGlite keeps the database in memory and writes it back
 * to the directory; a second process on the same directory sees none of the first one's writes and
 * overwrites them. The lock is a listening local socket whose name comes from the directory:
 *
 * - Linux: an abstract Unix socket. The kernel refuses a second bind of the name and frees it when
 *   the holder exits in any way, kill -9 included: no stale lock, no pid reuse, nothing to clean up.
 * - Windows: a named pipe, with the same properties.
 * - Elsewhere (macOS): a socket file in the temporary directory; one that nobody answers on is
 *   stale (its holder died) and is taken over.
 *
 * The name is a hash of the directory's real path and a random id stored in it (`lock-id`), so a
 * local user who cannot read the data directory cannot take the name first and block Loket.
 * The holder answers a connection with who it is, for the refusal's message. Scope: one machine
 * (and one network namespace); a directory shared over the network between hosts is not covered.
 */
export type DataDirLock = { release(): Promise<void> };

type Holder = { pid: number; hostname: string; startedAt: string; command: string };

/** Another process holds the data directory. The message is for the person who ran the command. */
export class DataDirLockedError extends Error {
  readonly dataDir: string;
  constructor(dataDir: string, holder: Holder | null) {
    const who = holder
      ? ` (pid ${holder.pid}, host ${holder.hostname}, sejak/since ${holder.startedAt}, "${holder.command}")`
      : '';
    super(
      `Direktori data ${dataDir} sedang dipakai proses Loket lain${who}. Hentikan proses itu dulu, ` +
        'atau pakai LOKET_DATA_DIR lain.\n' +
        `The data directory ${dataDir} is in use by another Loket process${who}. Stop that process ` +
        'first, or use another LOKET_DATA_DIR.',
    );
    this.name = 'DataDirLockedError';
    this.dataDir = dataDir;
  }
}

/** The directory's lock id: created once, atomically (link fails if another process made it first). */
function lockId(dir: string): string {
  const file = path.join(dir, 'lock-id');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(tmp, `${randomBytes(16).toString('hex')}\n`, { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

function socketAddress(dir: string): { address: string; isFile: boolean } {
  const key = createHash('sha256')
    .update(`${fs.realpathSync(dir)}\0${lockId(dir)}`)
    .digest('hex')
    .slice(0, 32);
  if (process.platform === 'linux') return { address: `\0loket-data-${key}`, isFile: false };
  if (process.platform === 'win32') return { address: `\\\\.\\pipe\\loket-data-${key}`, isFile: false };
  return { address: path.join(os.tmpdir(), `loket-${key.slice(0, 16)}.sock`), isFile: true };
}

function listen(server: net.Server, address: string): Promise<'ok' | 'in-use'> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') resolve('in-use');
      else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve('ok');
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(address);
  });
}

/** Asks the holder who it is; null when nobody answers (a dead holder's socket file) or in time. */
function askHolder(address: string): Promise<{ alive: boolean; holder: Holder | null }> {
  return new Promise((resolve) => {
    let data = '';
    let alive = false;
    const socket = net.connect(address);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      let holder: Holder | null = null;
      try {
        holder = data ? (JSON.parse(data) as Holder) : null;
      } catch {
        holder = null;
      }
      resolve({ alive, holder });
    };
    // A busy holder may answer late; it is alive all the same, the message just says less.
    const timer = setTimeout(done, 2000);
    socket.on('connect', () => {
      alive = true;
    });
    socket.on('data', (d) => {
      data += d;
    });
    socket.on('end', done);
    socket.on('error', done);
  });
}

/**
 * Takes the embedded data directory for this process, or throws `DataDirLockedError` naming the
 * process that holds it. Release it after closing the database; process exit releases it too.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  fs.mkdirSync(dataDir, { recursive: true });
  const { address, isFile } = socketAddress(dataDir);
  const me: Holder = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv.slice(2).join(' ').slice(0, 200),
  };
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.end(JSON.stringify(me));
  });
  let result = await listen(server, address);
  if (result === 'in-use' && isFile) {
    const { alive } = await askHolder(address);
    if (!alive) {
      fs.rmSync(address, { force: true });
      result = await listen(server, address);
    }
  }
  if (result === 'in-use') {
    const { holder } = await askHolder(address);
    throw new DataDirLockedError(dataDir, holder);
  }
  // The lock must not keep a process alive that has nothing else to do.
  server.unref();
  let released = false;
  return {
    // Closing unbinds the name at once; a prober's connection still open does not hold it.
    async release() {
      if (released) return;
      released = true;
      server.close();
    },
  };
}
