import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * The next number of a yearly running sequence (case references, agenda numbers, outgoing
 * letters), inside the caller's transaction: concurrent callers queue on the counter's row lock,
 * and a number whose transaction rolls back is given again — numbers are never skipped or reused.
 */
export async function nextNumber(trx: Kysely<Database>, name: string, year: number): Promise<number> {
  const r = await sql<{ last: number }>`
    INSERT INTO counters (name, year, last) VALUES (${name}, ${year}, 1)
    ON CONFLICT (name, year) DO UPDATE SET last = counters.last + 1
    RETURNING last`.execute(trx);
  return Number((r.rows[0] as { last: number }).last);
}
