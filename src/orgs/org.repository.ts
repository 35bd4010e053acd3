import { type Kysely, sql } from 'kysely';
import type { Database, OrgRow } from '../db/schema.ts';
import { likePattern, offsetOf, type PageInput } from '../shared/pagination.ts';

/** OPDs and DKISP units share one shape; every query names which table it serves. */
export type OrgTableName = 'opds' | 'units';

export type OrgFilter = { q?: string | undefined; active?: boolean | undefined; onlyId?: string | undefined };

export async function listOrgs(
  db: Kysely<Database>,
  table: OrgTableName,
  f: OrgFilter,
  page: PageInput,
): Promise<{ rows: OrgRow[]; total: number }> {
  let q = db.selectFrom(table);
  if (f.onlyId) q = q.where('id', '=', f.onlyId);
  if (f.active !== undefined) q = q.where('active', '=', f.active);
  if (f.q) {
    const p = likePattern(f.q);
    q = q.where((eb) =>
      eb.or([eb(eb.fn('lower', ['name']), 'like', p), eb(eb.fn('lower', ['code']), 'like', p)]),
    );
  }
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('name').orderBy('id').limit(page.pageSize).offset(offsetOf(page)).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export function findOrgById(
  db: Kysely<Database>,
  table: OrgTableName,
  id: string,
): Promise<OrgRow | undefined> {
  return db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOrgByIdForUpdate(
  db: Kysely<Database>,
  table: OrgTableName,
  id: string,
): Promise<OrgRow | undefined> {
  return db.selectFrom(table).selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findOrgByCode(
  db: Kysely<Database>,
  table: OrgTableName,
  code: string,
): Promise<OrgRow | undefined> {
  return db.selectFrom(table).selectAll().where('code', '=', code).executeTakeFirst();
}

export function findOrgsByCodes(
  db: Kysely<Database>,
  table: OrgTableName,
  codes: string[],
): Promise<OrgRow[]> {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom(table).selectAll().where('code', 'in', codes).forUpdate().execute();
}

export function insertOrg(
  db: Kysely<Database>,
  table: OrgTableName,
  v: { code: string; name: string; active: boolean },
): Promise<OrgRow> {
  return db.insertInto(table).values(v).returningAll().executeTakeFirstOrThrow();
}

export function updateOrg(
  db: Kysely<Database>,
  table: OrgTableName,
  id: string,
  v: Partial<{ code: string; name: string; active: boolean }>,
): Promise<OrgRow> {
  return db
    .updateTable(table)
    .set({ ...v, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Serialises writers that check code uniqueness before inserting (advisory lock per table). */
export async function lockOrgCodes(db: Kysely<Database>, table: OrgTableName): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`loket:${table}:codes`}))`.execute(db);
}
