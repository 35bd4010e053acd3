import { type Insertable, type Kysely, type OrderByItemBuilder, sql, type Updateable } from 'kysely';
import type { Database } from '../db/schema.ts';
import { likePattern, offsetOf, type PageInput } from '../shared/pagination.ts';
import type { WebsiteRow, WebsiteStatus, WebsiteTable } from './registry.tables.ts';

export type WebsiteFilter = {
  q?: string | undefined;
  status?: WebsiteStatus | undefined;
  opdId?: string | undefined;
  serverId?: string | undefined;
  zoneId?: string | undefined;
};
/** Text searches count their matches up to this many. */
export const COUNT_CAP = 1000;

export type WebsiteSort = 'hostname' | 'status' | 'opd' | 'updatedAt' | 'tlsExpiresAt';

export type WebsiteListRow = {
  id: string;
  hostname: string | null;
  purpose: string;
  status: WebsiteStatus;
  ip_address: string | null;
  cms: string | null;
  tls_expires_at: Date | null;
  updated_at: Date;
  opd_id: string;
  opd_code: string;
  opd_name: string;
  server_id: string | null;
  server_name: string | null;
};

const SORT_COLUMN = {
  hostname: 'w.hostname',
  status: 'w.status',
  opd: 'o.name',
  updatedAt: 'w.updated_at',
  tlsExpiresAt: 'w.tls_expires_at',
} as const;

export async function listWebsiteRows(
  db: Kysely<Database>,
  f: WebsiteFilter,
  sort: { by: WebsiteSort; dir: 'asc' | 'desc' },
  page: PageInput,
): Promise<{ rows: WebsiteListRow[]; total: number; totalCapped: boolean }> {
  let q = db.selectFrom('websites as w');
  if (f.opdId) q = q.where('w.opd_id', '=', f.opdId);
  if (f.status) q = q.where('w.status', '=', f.status);
  if (f.serverId) q = q.where('w.server_id', '=', f.serverId);
  if (f.zoneId) q = q.where('w.zone_id', '=', f.zoneId);
  // The generated `search` column carries host name, purpose, CMS, address and contact, under a
  // trigram index; LIKE wildcards in the user's text are escaped.
  if (f.q) q = q.where('w.search', 'like', likePattern(f.q));
  const column = SORT_COLUMN[sort.by];
  const order = (ob: OrderByItemBuilder) =>
    sort.dir === 'asc' ? ob.asc().nullsLast() : ob.desc().nullsLast();
  // The page's ids first (only the sort key and the filter's columns are read), then the page's
  // details: a broad filter then never drags every matching row through the joins.
  const pageIds = (sort.by === 'opd' ? q.innerJoin('opds as o', 'o.id', 'w.opd_id') : q)
    .select(['w.id', sql.ref(column).as('sort_key')])
    .orderBy(column, order)
    .orderBy('w.id')
    .limit(page.pageSize)
    .offset(offsetOf(page));
  const [rows, count] = await Promise.all([
    db
      .with('page', () => pageIds)
      .selectFrom('page')
      .innerJoin('websites as w', 'w.id', 'page.id')
      .innerJoin('opds as o', 'o.id', 'w.opd_id')
      .leftJoin('servers as s', 's.id', 'w.server_id')
      .select([
        'w.id',
        'w.hostname',
        'w.purpose',
        'w.status',
        'w.ip_address',
        'w.cms',
        'w.tls_expires_at',
        'w.updated_at',
        'o.id as opd_id',
        'o.code as opd_code',
        'o.name as opd_name',
        's.id as server_id',
        's.name as server_name',
      ])
      .orderBy('page.sort_key', order)
      .orderBy('page.id')
      .execute(),
    // A text search counts its matches only up to the cap: beyond it the list says "1000+" and
    // the user narrows the search, and a broad word does not cost a count of every match.
    f.q
      ? db
          .selectFrom(
            q
              .select(sql.lit(1).as('one'))
              .limit(COUNT_CAP + 1)
              .as('m'),
          )
          .select((eb) => eb.fn.countAll<string>().as('c'))
          .executeTakeFirstOrThrow()
      : q.select((eb) => eb.fn.countAll<string>().as('c')).executeTakeFirstOrThrow(),
  ]);
  const n = Number(count.c);
  const capped = Boolean(f.q) && n > COUNT_CAP;
  return { rows: rows as WebsiteListRow[], total: capped ? COUNT_CAP : n, totalCapped: capped };
}

export type WebsiteDetailRow = WebsiteRow & {
  opd_code: string;
  opd_name: string;
  zone_name: string | null;
  server_name: string | null;
  db_server_name: string | null;
  case_ref: string | null;
  aliases: { id: string; hostname: string; heldUntil: string | null }[];
  name_held_until: Date | null;
};

/** The website with everything its page shows, in one statement. */
export async function findWebsiteDetail(
  db: Kysely<Database>,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<WebsiteDetailRow | undefined> {
  if (opts.forUpdate) {
    // Lock the row itself first; the joined read below then sees the locked version.
    const locked = await db
      .selectFrom('websites')
      .select('id')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return undefined;
  }
  const { rows } = await sql<WebsiteDetailRow>`
    SELECT w.*, o.code AS opd_code, o.name AS opd_name, z.name AS zone_name, s.name AS server_name,
      ds.name AS db_server_name,
      c.ref AS case_ref,
      (SELECT coalesce(json_agg(json_build_object(
          'id', n.id, 'hostname', n.label || '.' || nz.name, 'heldUntil', n.held_until) ORDER BY n.label), '[]'::json)
        FROM dns_names n JOIN dns_zones nz ON nz.id = n.zone_id
        WHERE n.website_id = w.id AND n.kind = 'alias') AS aliases,
      (SELECT n.held_until FROM dns_names n WHERE n.website_id = w.id AND n.kind = 'website' LIMIT 1)
        AS name_held_until
    FROM websites w
    JOIN opds o ON o.id = w.opd_id
    LEFT JOIN dns_zones z ON z.id = w.zone_id
    LEFT JOIN servers s ON s.id = w.server_id
    LEFT JOIN servers ds ON ds.id = w.db_server_id
    LEFT JOIN cases c ON c.id = w.created_case_id
    WHERE w.id = ${id}`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  // A json value may arrive parsed (pg) or as text (some drivers); accept both.
  const aliases = typeof row.aliases === 'string' ? JSON.parse(row.aliases) : row.aliases;
  const held = row.name_held_until;
  return { ...row, aliases, name_held_until: held ? new Date(held) : null };
}

export function insertWebsiteRow(
  db: Kysely<Database>,
  v: Insertable<WebsiteTable> & { id: string },
): Promise<{ id: string }> {
  return db.insertInto('websites').values(v).returning('id').executeTakeFirstOrThrow();
}

export async function updateWebsiteRow(
  db: Kysely<Database>,
  id: string,
  v: Updateable<WebsiteTable>,
): Promise<void> {
  await db
    .updateTable('websites')
    .set((eb) => ({ ...v, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .execute();
}

/**
 * The cases about a website: those whose facts name it (`facts.websiteId`, the expression of the
 * index cases_website_fact_idx), with the request's kind when its SOP has one.
 */
export function casesOfWebsite(
  db: Kysely<Database>,
  websiteId: string,
): Promise<
  {
    id: string;
    ref: string;
    status: string;
    kind: string | null;
    sop_key: string;
    sop_version: number;
    subject: string;
    created_at: Date;
  }[]
> {
  return (
    db
      .selectFrom('cases')
      .select([
        'id',
        'ref',
        'status',
        sql<string | null>`facts ->> 'kind'`.as('kind'),
        'sop_key',
        'sop_version',
        'subject',
        'created_at',
      ])
      // Facts hold ids as PostgreSQL writes them (lower case); a URL may not.
      .where(sql<string>`facts ->> 'websiteId'`, '=', websiteId.toLowerCase())
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute()
  );
}

export function findServerBrief(
  db: Kysely<Database>,
  id: string,
): Promise<{ id: string; name: string; status: string } | undefined> {
  return db.selectFrom('servers').select(['id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
}
