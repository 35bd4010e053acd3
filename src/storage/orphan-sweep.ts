import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { referencedKeys } from './file-references.repository.ts';
import { isFileKey, type LocalFileStore } from './file-store.ts';

/** A file younger than this may belong to a transaction that has not committed yet. */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

const PARTIAL = /^([0-9a-f]{32})\.partial$/;
const BATCH = 500;

/**
 * Removes stored files that no row refers to and that entered the store more than `graceMs` ago:
 * a file is moved into the store before the transaction recording it commits, so a crash, a lost
 * database connection or a failed commit in between leaves it behind. Also removes copies left
 * half-written (`<key>.partial`). Safe with several instances on one store: a file of a transaction
 * still running is younger than the grace period. Returns the keys removed.
 */
export async function sweepOrphanFiles(
  db: Kysely<Database>,
  store: LocalFileStore,
  { graceMs = ORPHAN_GRACE_MS, now = Date.now() }: { graceMs?: number; now?: number } = {},
): Promise<string[]> {
  const cutoff = now - graceMs;
  const removed: string[] = [];
  let shards: string[];
  try {
    shards = await fsp.readdir(store.rootDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return removed;
    throw err;
  }
  for (const shard of shards) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    const dir = path.join(store.rootDir, shard);
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch {
      continue;
    }
    const old: string[] = [];
    for (const name of names) {
      const partial = PARTIAL.exec(name);
      if (!isFileKey(name) && !partial) continue;
      const s = await fsp.lstat(path.join(dir, name)).catch(() => null);
      if (!s?.isFile() || s.mtimeMs >= cutoff) continue;
      if (partial) {
        await fsp.rm(path.join(dir, name), { force: true });
        removed.push(name);
      } else old.push(name);
    }
    for (let i = 0; i < old.length; i += BATCH) {
      const batch = old.slice(i, i + BATCH);
      const kept = await referencedKeys(db, batch);
      for (const key of batch) {
        if (kept.has(key)) continue;
        await store.remove(key);
        removed.push(key);
      }
    }
  }
  return removed;
}
