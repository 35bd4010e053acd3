import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Which of `keys` a row refers to: case files (letters, attachments, build archives), issued
 * documents, and the letterhead logo in the document settings. A new table that keeps stored-file
 * keys must be added here, or the orphan sweep would remove its files.
 */
export async function referencedKeys(db: Kysely<Database>, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const list = sql.join(keys.map((k) => sql`${k}`));
  const { rows } = await sql<{ key: string }>`
    SELECT storage_key AS key FROM case_files WHERE storage_key IN (${list})
    UNION
    SELECT storage_key FROM documents WHERE storage_key IN (${list})
    UNION
    SELECT value->'logo'->>'key' FROM settings
    WHERE key = 'documents' AND value->'logo'->>'key' IN (${list})`.execute(db);
  return new Set(rows.map((r) => r.key));
}
