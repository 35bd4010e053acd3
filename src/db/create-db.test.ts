import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createDb, type DbHandle } from './create-db.ts';

// The embedded database as `npm start` opens it (a data directory on disk), not the in-memory
// copies the other tests use: its settings and whether a commit reaches the disk.
describe('the embedded database is durable by default', () => {
  let dir: string;
  let handle: DbHandle;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-durable-'));
    // Start from the run's migrated template when there is one (no initdb in WebAssembly here).
    const template = inject('pgliteTemplate');
    if (template) {
      fs.mkdirSync(path.join(dir, 'pglite'));
      await tar.x({ file: template, cwd: path.join(dir, 'pglite') });
    }
    handle = await createDb({ dataDir: dir });
  }, 180_000);

  afterAll(async () => {
    await handle?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs with fsync, synchronous commit and full page writes on', async () => {
    const show = async (name: string) =>
      Object.values((await sql.raw(`SHOW ${name}`).execute(handle.db)).rows[0] as object)[0];
    expect(await show('fsync')).toBe('on');
    expect(await show('synchronous_commit')).toBe('on');
    expect(await show('full_page_writes')).toBe('on');
    // fdatasync() is a no-op in PGlite's C library; fsync() is the call that reaches the disk.
    expect(await show('wal_sync_method')).toBe('fsync');
  });

  it('flushes the WAL to the disk (fsync(2) on a pg_wal file) before a commit is acknowledged', async () => {
    await sql`CREATE TABLE IF NOT EXISTS durable_probe (id int)`.execute(handle.db);
    const synced: string[] = [];
    const realFsync = fs.fsyncSync;
    const spy = vi.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
      synced.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
      realFsync(fd);
    });
    try {
      await sql`INSERT INTO durable_probe VALUES (1)`.execute(handle.db);
    } finally {
      spy.mockRestore();
    }
    expect(synced.some((f) => f.startsWith(path.join(dir, 'pglite', 'pg_wal') + path.sep))).toBe(true);
  });
});
