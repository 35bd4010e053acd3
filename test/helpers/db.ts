import fs from 'node:fs';
import os from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type DbHandle, fromPglite, PGLITE_OPTIONS } from '../../src/db/create-db.ts';

/**
 * A fresh, migrated database for one test file: a copy of the run's template, on PostgreSQL when
 * TEST_DATABASE_URL is set, else in PGlite. Never a mock.
 */
export async function createTestDb(): Promise<DbHandle> {
  const url = process.env.TEST_DATABASE_URL;
  const template = inject('pgTemplate');
  if (url && template) {
    const name = `loket_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const handle = await createDb({ databaseUrl: u.toString(), dataDir: os.tmpdir(), onIdleError: () => {} });
    return {
      ...handle,
      async close() {
        await handle.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const file = inject('pgliteTemplate');
  const pglite = await PGlite.create({ ...PGLITE_OPTIONS, loadDataDir: new Blob([fs.readFileSync(file)]) });
  const handle = fromPglite(pglite);
  return handle;
}
