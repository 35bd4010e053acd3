import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

export async function insertLoginFailure(db: Kysely<Database>, username: string, ip: string): Promise<void> {
  await db.insertInto('login_failures').values({ username, ip }).execute();
}

/**
 * Failures of one key (a username or an address) within the window, newest first, at most `limit`:
 * enough to decide whether the key is locked and until when.
 */
export async function recentFailures(
  db: Kysely<Database>,
  key: { username: string } | { ip: string },
  windowMinutes: number,
  limit: number,
): Promise<Date[]> {
  let q = db
    .selectFrom('login_failures')
    .select('at')
    .where('at', '>', sql<Date>`now() - make_interval(mins => ${windowMinutes})`);
  q = 'username' in key ? q.where('username', '=', key.username) : q.where('ip', '=', key.ip);
  const rows = await q.orderBy('at', 'desc').limit(limit).execute();
  return rows.map((r) => r.at);
}

export async function clearUsernameFailures(db: Kysely<Database>, username: string): Promise<void> {
  await db.deleteFrom('login_failures').where('username', '=', username).execute();
}

export async function deleteOldFailures(db: Kysely<Database>, olderThanMinutes: number): Promise<void> {
  await db
    .deleteFrom('login_failures')
    .where('at', '<', sql<Date>`now() - make_interval(mins => ${olderThanMinutes})`)
    .execute();
}

/** Serialises the check-and-record of one login key across requests and app instances. */
export async function lockLoginKey(db: Kysely<Database>, username: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`loket:login:${username}`}))`.execute(db);
}

export async function dbNow(db: Kysely<Database>): Promise<Date> {
  const r = await sql<{ now: Date }>`SELECT now() AS now`.execute(db);
  return (r.rows[0] as { now: Date }).now;
}
