// Test support for the jobs (not a test file itself): a migrated database on each backend, with
// what startJobs needs: the PGlite instance, or the PostgreSQL database's own URL.
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pino from 'pino';
import { inject } from 'vitest';
import { createTestDb } from '../../test/helpers/db.ts';
import { type DbHandle, fromPglite, PGLITE_OPTIONS } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { JobsLog } from './jobs.ts';

export type JobsBackend = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL as well when TEST_DATABASE_URL is set (`npm run test:pg`). */
export const jobsBackends: JobsBackend[] = process.env.TEST_DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

export type JobsTestDb = {
  handle: DbHandle & { pglite?: PGlite };
  config: { databaseUrl: string | undefined };
  close(): Promise<void>;
};

export async function openJobsTestDb(backend: JobsBackend): Promise<JobsTestDb> {
  if (backend === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    const handle = await createTestDb();
    const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(handle.db);
    const u = new URL(url);
    u.pathname = `/${rows[0]?.name}`;
    return { handle, config: { databaseUrl: u.toString() }, close: () => handle.close() };
  }
  // The run's PGlite template when there is one; under test:pg there is none, so migrate a new one.
  const file = inject('pgliteTemplate');
  const pglite = file
    ? await PGlite.create({ ...PGLITE_OPTIONS, loadDataDir: new Blob([fs.readFileSync(file)]) })
    : await PGlite.create(PGLITE_OPTIONS);
  const handle = { ...fromPglite(pglite), pglite };
  if (!file) await migrateToLatest(handle.db);
  return { handle, config: { databaseUrl: undefined }, close: () => handle.close() };
}

/** A logger that keeps every line, to assert on what was reported. */
export function memoryLog(): JobsLog & { lines: { level: string; obj: unknown; msg?: string }[] } {
  const lines: { level: string; obj: unknown; msg?: string }[] = [];
  const at =
    (level: string) =>
    (obj: unknown, msg?: string): void => {
      lines.push(typeof obj === 'string' ? { level, obj: {}, msg: obj } : { level, obj, msg });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } as never;
}

export const silentLog: JobsLog = pino({ level: 'silent' });

/** Waits until `check` returns a value (not undefined/false), polling every 50 ms. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 45_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
