import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
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

/** PGlite options that make it answer like `pg` above; use them wherever PGlite is opened. */
export const PGLITE_OPTIONS = {
  extensions: { pg_trgm },
  parsers: { 20: (v: string) => v, 1082: (v: string) => v },
} as const;

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

/** Opens a PostgreSQL server when a URL is given, else the embedded PGlite database in `dataDir`. */
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
  const dir = path.join(options.dataDir, 'pglite');
  fs.mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create(dir, PGLITE_OPTIONS);
  return fromPglite(pglite);
}

/** Wraps an already open PGlite instance (tests clone a migrated template and wrap the clone). */
export function fromPglite(pglite: PGlite): DbHandle {
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return { db, kind: 'pglite', pglite, close: () => db.destroy() };
}
