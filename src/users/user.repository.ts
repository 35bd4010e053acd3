import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Database, NewUser, Role, UserUpdate } from '../db/schema.ts';
import { likePattern, offsetOf, type PageInput } from '../shared/pagination.ts';

/**
 * The columns that describe a person to the rest of the product (name, roles, OPD, unit), read
 * from `users as u` joined to `opds as o` and `units as n`. Sessions read the same columns.
 */
export const PROFILE_COLUMNS = [
  'u.id',
  'u.username',
  'u.full_name',
  'u.nip',
  'u.email',
  'u.phone',
  'u.roles',
  'u.opd_id',
  'o.code as opd_code',
  'o.name as opd_name',
  'u.unit_id',
  'n.code as unit_code',
  'n.name as unit_name',
] as const;

export type Profile = {
  id: string;
  username: string;
  full_name: string;
  nip: string | null;
  email: string | null;
  phone: string | null;
  roles: Role[];
  opd_id: string | null;
  opd_code: string | null;
  opd_name: string | null;
  unit_id: string | null;
  unit_code: string | null;
  unit_name: string | null;
};

/** A user as administrators see it. */
export type UserView = Profile & {
  active: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
};

function selectView(db: Kysely<Database>) {
  return db
    .selectFrom('users as u')
    .leftJoin('opds as o', 'o.id', 'u.opd_id')
    .leftJoin('units as n', 'n.id', 'u.unit_id')
    .select([...PROFILE_COLUMNS, 'u.active', 'u.created_at', 'u.updated_at', 'u.last_login_at']);
}

export function findUserView(db: Kysely<Database>, id: string): Promise<UserView | undefined> {
  return selectView(db).where('u.id', '=', id).executeTakeFirst();
}

export type UserFilter = {
  q?: string | undefined;
  role?: Role | undefined;
  opdId?: string | undefined;
  active?: boolean | undefined;
};

export async function listUserViews(
  db: Kysely<Database>,
  f: UserFilter,
  page: PageInput,
): Promise<{ rows: UserView[]; total: number }> {
  // biome-ignore lint/suspicious/noExplicitAny: the same filters apply to two differently shaped queries
  const filter = <Q extends SelectQueryBuilder<any, any, any>>(q: Q): Q => {
    let r = q;
    if (f.role) r = r.where(sql<boolean>`${f.role} = ANY(u.roles)`) as Q;
    if (f.opdId) r = r.where('u.opd_id', '=', f.opdId) as Q;
    if (f.active !== undefined) r = r.where('u.active', '=', f.active) as Q;
    if (f.q) {
      const p = likePattern(f.q);
      r = r.where(
        sql<boolean>`(u.username LIKE ${p} OR lower(u.full_name) LIKE ${p} OR u.nip LIKE ${p})`,
      ) as Q;
    }
    return r;
  };
  const [rows, count] = await Promise.all([
    filter(selectView(db))
      .orderBy('u.full_name')
      .orderBy('u.id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    filter(
      db.selectFrom('users as u').select((eb) => eb.fn.countAll<string>().as('n')),
    ).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export function findUserByUsername(db: Kysely<Database>, username: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('opds as o', 'o.id', 'u.opd_id')
    .select(['u.id', 'u.username', 'u.password_hash', 'u.active', 'u.roles', 'o.active as opd_active'])
    .where('u.username', '=', username)
    .executeTakeFirst();
}

export function findUserForUpdate(db: Kysely<Database>, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function usernameExists(db: Kysely<Database>, username: string): Promise<boolean> {
  return db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst()
    .then((r) => r !== undefined);
}

export async function insertUser(db: Kysely<Database>, v: NewUser): Promise<string> {
  const row = await db.insertInto('users').values(v).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUser(db: Kysely<Database>, id: string, v: UserUpdate): Promise<void> {
  await db
    .updateTable('users')
    .set({ ...v, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Active admins, locked so two requests cannot each remove "the other" last admin. */
export async function lockActiveAdmins(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where(sql<boolean>`'admin' = ANY(roles)`)
    .where('active', '=', true)
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

export async function lockUsernames(db: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('loket:users:username'))`.execute(db);
}
