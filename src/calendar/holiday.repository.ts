import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { offsetOf, type PageInput } from '../shared/pagination.ts';
import type { HolidayKind } from './calendar.tables.ts';

export type HolidayRow = {
  date: string;
  name: string;
  kind: HolidayKind;
  created_at: Date;
  updated_at: Date;
};
export type HolidayFilter = { year?: number | undefined; kind?: HolidayKind | undefined };

/** `date` as `YYYY-MM-DD` text whatever the driver (pg would parse it into a local-midnight Date). */
const dateText = sql<string>`to_char(date, 'YYYY-MM-DD')`.as('date');
const COLUMNS = [dateText, 'name', 'kind', 'created_at', 'updated_at'] as const;

export async function listHolidayRows(
  db: Kysely<Database>,
  f: HolidayFilter,
  page: PageInput,
): Promise<{ rows: HolidayRow[]; total: number }> {
  let q = db.selectFrom('holidays');
  if (f.year !== undefined) {
    q = q.where('date', '>=', `${f.year}-01-01`).where('date', '<', `${f.year + 1}-01-01`);
  }
  if (f.kind) q = q.where('kind', '=', f.kind);
  const [rows, count] = await Promise.all([
    q.select(COLUMNS).orderBy('holidays.date').limit(page.pageSize).offset(offsetOf(page)).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Every holiday date (the work calendar needs them all; a few dozen a year). */
export async function allHolidayDates(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('holidays').select(dateText).orderBy('holidays.date').execute();
  return rows.map((r) => r.date);
}

export function findHolidayForUpdate(db: Kysely<Database>, date: string): Promise<HolidayRow | undefined> {
  return db.selectFrom('holidays').select(COLUMNS).where('date', '=', date).forUpdate().executeTakeFirst();
}

export function findHoliday(db: Kysely<Database>, date: string): Promise<HolidayRow | undefined> {
  return db.selectFrom('holidays').select(COLUMNS).where('date', '=', date).executeTakeFirst();
}

export function insertHoliday(
  db: Kysely<Database>,
  v: { date: string; name: string; kind: HolidayKind },
): Promise<HolidayRow> {
  return db.insertInto('holidays').values(v).returning(COLUMNS).executeTakeFirstOrThrow();
}

export function updateHolidayRow(
  db: Kysely<Database>,
  date: string,
  v: Partial<{ date: string; name: string; kind: HolidayKind }>,
): Promise<HolidayRow> {
  return db
    .updateTable('holidays')
    .set({ ...v, updated_at: new Date() })
    .where('date', '=', date)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function deleteHolidayRow(db: Kysely<Database>, date: string): Promise<void> {
  await db.deleteFrom('holidays').where('date', '=', date).execute();
}

/** Serialises writers that check a date is free before inserting or moving a holiday. */
export async function lockHolidayDates(db: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('loket:holidays:dates'))`.execute(db);
}
