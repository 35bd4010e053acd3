import { type CompiledQuery, type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { PROFILE_COLUMNS, type Profile } from '../users/user.repository.ts';

/** Everything a request needs about its session and user, read in one indexed query. */
export type SessionUser = Profile & { session_id: string; last_seen_at: Date };

function liveSessionBuilder(db: Kysely<Database>, id: string, idleMinutes: number) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('opds as o', 'o.id', 'u.opd_id')
    .leftJoin('units as n', 'n.id', 'u.unit_id')
    .select(['s.id as session_id', 's.last_seen_at', ...PROFILE_COLUMNS])
    .where('s.id', '=', id)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
    .where('u.active', '=', true)
    .where((eb) => eb.or([eb('u.opd_id', 'is', null), eb('o.active', '=', true)]));
}

// This query runs on every request, so it is compiled once with sentinel values and then only
// its parameters change (building and compiling it each time cost ~7% of a request's CPU).
const ID_SENTINEL = '\u0000session-id';
const IDLE_SENTINEL = -424242;
let compiled: CompiledQuery<SessionUser> | undefined;

/**
 * The live session for a token hash: not past its absolute expiry, not idle too long, its user
 * active and (for OPD users) its OPD active. Anything else is no session at all.
 */
export function liveSessionQuery(
  db: Kysely<Database>,
  id: string,
  idleMinutes: number,
): CompiledQuery<SessionUser> {
  compiled ??= liveSessionBuilder(db, ID_SENTINEL, IDLE_SENTINEL).compile() as CompiledQuery<SessionUser>;
  const parameters = compiled.parameters.map((p) =>
    p === ID_SENTINEL ? id : p === IDLE_SENTINEL ? idleMinutes : p,
  );
  return { ...compiled, parameters };
}

export async function findLiveSession(
  db: Kysely<Database>,
  id: string,
  idleMinutes: number,
): Promise<SessionUser | undefined> {
  const r = await db.executeQuery(liveSessionQuery(db, id, idleMinutes));
  return r.rows[0];
}

export async function insertSession(
  db: Kysely<Database>,
  v: { id: string; userId: string; absoluteHours: number; ip: string | null; userAgent: string | null },
): Promise<void> {
  // Both ends of a session's life are on the database's clock, the one `findLiveSession` compares
  // with: the app's own clock (which tests may shift) can neither end nor extend a session.
  await db
    .insertInto('sessions')
    .values({
      id: v.id,
      user_id: v.userId,
      last_seen_at: sql<Date>`now()`,
      expires_at: sql<Date>`now() + make_interval(hours => ${v.absoluteHours})`,
      ip: v.ip,
      user_agent: v.userAgent?.slice(0, 500) ?? null,
    })
    .execute();
}

export async function touchSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of a user, optionally keeping one (the one that made the change). */
export async function deleteUserSessions(
  db: Kysely<Database>,
  userId: string,
  exceptId?: string,
): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function deleteDeadSessions(db: Kysely<Database>, idleMinutes: number): Promise<number> {
  const res = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', sql<Date>`now()`),
        eb('last_seen_at', '<=', sql<Date>`now() - make_interval(mins => ${idleMinutes})`),
      ]),
    )
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
