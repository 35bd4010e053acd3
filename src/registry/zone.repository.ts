import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { likePattern, offsetOf, type PageInput } from '../shared/pagination.ts';
import type { DnsNameRow, DnsNameTable, DnsZoneRow } from './registry.tables.ts';

export type ZoneWithCount = DnsZoneRow & { names_in_use: string; ns_server_name: string | null };

export async function listZoneRows(db: Kysely<Database>): Promise<ZoneWithCount[]> {
  return db
    .selectFrom('dns_zones as z')
    .leftJoin('servers as ns', 'ns.id', 'z.ns_server_id')
    .selectAll('z')
    .select('ns.name as ns_server_name')
    .select((eb) =>
      eb
        .selectFrom('dns_names as n')
        .whereRef('n.zone_id', '=', 'z.id')
        .select(eb.fn.countAll<string>().as('c'))
        .as('names_in_use'),
    )
    .orderBy('z.name')
    .execute() as Promise<ZoneWithCount[]>;
}

export function findZone(db: Kysely<Database>, id: string): Promise<DnsZoneRow | undefined> {
  return db.selectFrom('dns_zones').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findZoneForUpdate(db: Kysely<Database>, id: string): Promise<DnsZoneRow | undefined> {
  return db.selectFrom('dns_zones').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findZoneByName(db: Kysely<Database>, name: string): Promise<DnsZoneRow | undefined> {
  return db.selectFrom('dns_zones').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Active zones: the ones a new name may be placed in. */
export function activeZones(db: Kysely<Database>): Promise<Pick<DnsZoneRow, 'id' | 'name'>[]> {
  return db.selectFrom('dns_zones').select(['id', 'name']).where('active', '=', true).execute();
}

export function insertZone(
  db: Kysely<Database>,
  v: { name: string; notes: string | null; ns_server_id?: string | null },
): Promise<DnsZoneRow> {
  return db
    .insertInto('dns_zones')
    .values(v)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst() as Promise<DnsZoneRow>;
}

export function updateZoneRow(
  db: Kysely<Database>,
  id: string,
  v: { notes?: string | null; active?: boolean; ns_server_id?: string | null },
): Promise<DnsZoneRow> {
  return db
    .updateTable('dns_zones')
    .set((eb) => ({ ...v, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type NameListRow = DnsNameRow & {
  zone_name: string;
  website_status: string | null;
  opd_name: string | null;
};

export async function listNameRows(
  db: Kysely<Database>,
  zoneId: string,
  f: { q?: string | undefined; kind?: DnsNameTable['kind'] | undefined },
  page: PageInput,
): Promise<{ rows: NameListRow[]; total: number }> {
  let q = db
    .selectFrom('dns_names as n')
    .innerJoin('dns_zones as z', 'z.id', 'n.zone_id')
    .leftJoin('websites as w', 'w.id', 'n.website_id')
    .leftJoin('opds as o', 'o.id', 'w.opd_id')
    .where('n.zone_id', '=', zoneId);
  if (f.kind) q = q.where('n.kind', '=', f.kind);
  if (f.q) q = q.where('n.label', 'like', likePattern(f.q));
  const [rows, count] = await Promise.all([
    q
      .selectAll('n')
      .select(['z.name as zone_name', 'w.status as website_status', 'o.name as opd_name'])
      .orderBy('n.label')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('c')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as NameListRow[], total: Number(count.c) };
}

export function findNameRow(db: Kysely<Database>, id: string): Promise<DnsNameRow | undefined> {
  return db.selectFrom('dns_names').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findName(
  db: Kysely<Database>,
  zoneId: string,
  label: string,
): Promise<DnsNameRow | undefined> {
  return db
    .selectFrom('dns_names')
    .selectAll()
    .where('zone_id', '=', zoneId)
    .where('label', '=', label)
    .executeTakeFirst();
}

/** Frees one name whose quarantine has ended, so it can be claimed again. */
export async function purgeExpiredName(
  db: Kysely<Database>,
  zoneId: string,
  label: string,
  now: Date,
): Promise<void> {
  await db
    .deleteFrom('dns_names')
    .where('zone_id', '=', zoneId)
    .where('label', '=', label)
    .where('held_until', '<=', now)
    .execute();
}

export async function purgeExpiredNames(db: Kysely<Database>, now: Date): Promise<number> {
  const r = await db.deleteFrom('dns_names').where('held_until', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Inserts the name unless it exists; undefined means someone holds it already. */
export function insertNameIfFree(
  db: Kysely<Database>,
  v: {
    zone_id: string;
    label: string;
    kind: DnsNameTable['kind'];
    website_id: string | null;
    note?: string | null;
  },
): Promise<DnsNameRow | undefined> {
  return db
    .insertInto('dns_names')
    .values(v)
    .onConflict((oc) => oc.columns(['zone_id', 'label']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function deleteName(db: Kysely<Database>, id: string): Promise<unknown> {
  return db.deleteFrom('dns_names').where('id', '=', id).execute();
}

export function namesOfWebsite(
  db: Kysely<Database>,
  websiteId: string,
): Promise<(DnsNameRow & { zone_name: string })[]> {
  return db
    .selectFrom('dns_names as n')
    .innerJoin('dns_zones as z', 'z.id', 'n.zone_id')
    .selectAll('n')
    .select('z.name as zone_name')
    .where('n.website_id', '=', websiteId)
    .orderBy('n.kind')
    .orderBy('n.label')
    .execute();
}

/** Holds (quarantine) or deletes every name of a website. */
export async function releaseNamesOfWebsite(
  db: Kysely<Database>,
  websiteId: string,
  hold: Date | null,
): Promise<void> {
  if (hold) {
    await db.updateTable('dns_names').set({ held_until: hold }).where('website_id', '=', websiteId).execute();
  } else {
    await db.deleteFrom('dns_names').where('website_id', '=', websiteId).execute();
  }
}

export async function zoneHasNames(db: Kysely<Database>, zoneId: string): Promise<boolean> {
  const r = await sql<{ x: number }>`SELECT 1 AS x FROM dns_names WHERE zone_id = ${zoneId} LIMIT 1`.execute(
    db,
  );
  return r.rows.length > 0;
}
