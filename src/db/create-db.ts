import fs from 'node:fs';
import path from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export type DbHandle = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The embedded instance, for pg-boss's PGlite adapter. */
  pglite?: PGlite;
  close(): Promise<void>;
};

// Both drivers answer alike: timestamptz as Date; int8 (bigserial ids, counts) and date as the
// server's text — a `date` is a calendar day, never a local-midnight instant.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/**
 * The embedded server's settings (docs/adr/0012-memory-and-start-up.md). PGlite starts postgres with
 * `-F` (fsync off); Loket drops it and states durability explicitly: every commit is flushed to
 * the WAL with fsync before it is acknowledged. `wal_sync_method=fsync` because the WebAssembly C
 * library turns fdatasync() into a no-op while fsync() reaches DurableNodeFS below. Shared buffers
 * are 16 MB instead of 128 MB: the operating system's page cache holds the rest of the data files,
 * and the process stays small.
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams.filter((p) => p !== '-F'),
  ...['fsync=on', 'synchronous_commit=on', 'full_page_writes=on', 'wal_sync_method=fsync'],
  ...['shared_buffers=16MB', 'temp_buffers=2MB', 'wal_buffers=1MB'],
].flatMap((p, i, all) => (p.includes('=') && all[i - 1] !== '-c' ? ['-c', p] : [p]));

/** PGlite options that make it answer like `pg` above; use them wherever PGlite is opened. */
export const PGLITE_OPTIONS = {
  extensions: { pg_trgm },
  parsers: { 20: (v: string) => v, 1082: (v: string) => v },
  startParams: [...PGLITE_START_PARAMS],
} satisfies PGliteOptions;

type Mod = Parameters<NodeFS['init']>[1];
type NodeStream = { nfd?: number };

/**
 * PGlite's NodeFS, with fsync. Emscripten's NODEFS has no fsync of its own: postgres' fsync() of a
 * WAL or data file returned success without anything reaching the disk, so a power cut could lose
 * acknowledged commits even with `fsync=on`. Here fsync() is fsync(2) on the host file descriptor,
 * and a failure is an I/O error postgres sees (and, as on any PostgreSQL, stops on).
 */
export class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Mod) {
    const { emscriptenOpts } = await super.init(pg, opts);
    const makeDurable = (mod: Mod) => {
      const ops = (mod.NODEFS as unknown as { stream_ops: Record<string, unknown> }).stream_ops;
      const FS = mod.FS as unknown as { ErrnoError: new (errno: number) => Error };
      ops.fsync = (stream: NodeStream) => {
        if (typeof stream.nfd !== 'number') return 0;
        try {
          fs.fsyncSync(stream.nfd);
        } catch {
          throw new FS.ErrnoError(29); // EIO
        }
        return 0;
      };
    };
    return { emscriptenOpts: { ...emscriptenOpts, preRun: [...(emscriptenOpts.preRun ?? []), makeDurable] } };
  }
}

function defaultIdleError(err: Error): void {
  process.stderr.write(`database connection lost: ${err.message}\n`);
}

/**
 * Marks an error as "the database server is unreachable" (refused, reset, timed out). Socket
 * errors carry the same codes whichever server they came from; the mark says it was ours, so the
 * HTTP layer answers 503 DB_UNAVAILABLE for it and not for, say, a refused SMTP server.
 */
export function markDatabaseUnavailable<E>(err: E): E {
  if (err && typeof err === 'object') (err as { databaseUnavailable?: boolean }).databaseUnavailable = true;
  return err;
}

function markCheckedOutError(err: Error): void {
  // The statement in flight rejects with this same error, after this listener ran.
  markDatabaseUnavailable(err);
}

/**
 * Opens a PostgreSQL server when a URL is given, else the embedded PGlite database in `dataDir`,
 * which only one process may hold: another one holding it gives `DataDirLockedError`.
 */
export async function createDb(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
  onIdleError?: (err: Error) => void;
}): Promise<DbHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle client losing its connection (server restart, admin shutdown) must not crash the
    // process; the pool replaces it on next use.
    pool.on('error', (err) => (options.onIdleError ?? defaultIdleError)(err));
    // pg-pool takes its own error listener off a client while it is checked out, and a connection
    // that dies then (server restart, pg_terminate_backend) emits 'error' on the client: unheard,
    // that ends the process. The statement in flight rejects with the same error, so the request
    // fails (503 DB_UNAVAILABLE); the pool drops the dead client when it is released.
    pool.on('connect', (client) => client.on('error', markCheckedOutError));
    const dialectPool = {
      Client: pg.Client,
      options: pool.options,
      connect: () => pool.connect().catch((err: unknown) => Promise.reject(markDatabaseUnavailable(err))),
      end: () => pool.end(),
    };
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: dialectPool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  // One process per embedded data directory: taken before PGlite opens it, released after it closed.
  const lock = await lockDataDir(options.dataDir);
  return openEmbedded(options).then(
    (h): DbHandle => ({ ...h, close: () => h.close().finally(() => lock.release()) }),
    async (err: unknown) => {
      await lock.release();
      throw err;
    },
  );
}

async function openEmbedded(options: { dataDir: string }): Promise<DbHandle> {
  const dir = path.join(options.dataDir, 'pglite');
  fs.mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create({ ...PGLITE_OPTIONS, fs: new DurableNodeFS(dir) });
  return fromPglite(pglite);
}

/** Wraps an already open PGlite instance (tests clone a migrated template and wrap the clone). */
export function fromPglite(pglite: PGlite): DbHandle {
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return { db, kind: 'pglite', pglite, close: () => db.destroy() };
}
