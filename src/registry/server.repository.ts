import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { likePattern, offsetOf, type PageInput } from '../shared/pagination.ts';
import type {
  ServerKind,
  ServerLocation,
  ServerRole,
  ServerRow,
  ServerStatus,
  WebsiteStatus,
} from './registry.tables.ts';

/** A server row with the number of its websites that are not retired. */
export type ServerWithCount = ServerRow & { website_count: number };

export type ServerFilter = {
  q?: string | undefined;
  kind?: ServerKind | undefined;
  location?: ServerLocation | undefined;
  role?: ServerRole | undefined;
  status?: ServerStatus | undefined;
};

export type ServerSort = 'name' | 'kind' | 'location' | 'status' | 'websites' | 'updatedAt';

const SORT_COLUMN: Record<ServerSort, string> = {
  name: 'name',
  kind: 'kind',
  location: 'location',
  status: 'status',
  websites: 'website_count',
  updatedAt: 'updated_at',
};

const websiteCount = sql<string>`(SELECT count(*) FROM websites w WHERE w.server_id = servers.id AND w.status <> 'retired')`;

function withCount(r: ServerRow & { website_count: string | number }): ServerWithCount {
  return { ...r, website_count: Number(r.website_count) };
}

export async function listServers(
  db: Kysely<Database>,
  f: ServerFilter,
  sort: { sort: ServerSort; dir: 'asc' | 'desc' },
  page: PageInput,
): Promise<{ rows: ServerWithCount[]; total: number }> {
  let q = db.selectFrom('servers');
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.location) q = q.where('location', '=', f.location);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.role) q = q.where(sql<boolean>`${f.role} = ANY(roles)`);
  if (f.q) {
    // ILIKE on the column itself, so the trigram index on name answers it.
    const p = likePattern(f.q);
    q = q.where((eb) => eb.or([eb('name', 'ilike', p), eb('os', 'ilike', p)]));
  }
  const dir = sort.dir === 'desc' ? sql`DESC` : sql`ASC`;
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .select(websiteCount.as('website_count'))
      .orderBy(sql`${sql.ref(SORT_COLUMN[sort.sort])} ${dir}`)
      .orderBy('name')
      .orderBy('id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(withCount), total: Number(count.n) };
}

export async function findServer(db: Kysely<Database>, id: string): Promise<ServerWithCount | undefined> {
  const r = await db
    .selectFrom('servers')
    .selectAll()
    .select(websiteCount.as('website_count'))
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? withCount(r) : undefined;
}

/** Locks the server row; count its websites afterwards (a fresh statement sees the latest). */
export function findServerForUpdate(trx: Kysely<Database>, id: string): Promise<ServerRow | undefined> {
  return trx.selectFrom('servers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Websites on the server that are not retired. */
export async function countLiveWebsites(db: Kysely<Database>, serverId: string): Promise<number> {
  const r = await db
    .selectFrom('websites')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('server_id', '=', serverId)
    .where('status', '<>', 'retired')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function findServerByName(db: Kysely<Database>, name: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('servers').select('id').where('name', '=', name).executeTakeFirst();
}

export type ServerValues = {
  name: string;
  kind: ServerKind;
  location: ServerLocation;
  os: string | null;
  addresses: string[];
  roles: ServerRole[];
  capacity_notes: string | null;
  status: ServerStatus;
  notes: string | null;
};

export async function insertServer(trx: Kysely<Database>, v: ServerValues): Promise<ServerWithCount> {
  const row = await trx.insertInto('servers').values(v).returningAll().executeTakeFirstOrThrow();
  return { ...row, website_count: 0 };
}

export async function updateServer(
  trx: Kysely<Database>,
  id: string,
  v: Partial<ServerValues>,
  websiteCountNow: number,
): Promise<ServerWithCount> {
  const row = await trx
    .updateTable('servers')
    .set((eb) => ({ ...v, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...row, website_count: websiteCountNow };
}

/** Serialises writers that check server-name uniqueness before writing. */
export async function lockServerNames(trx: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('loket:servers:names'))`.execute(trx);
}

export type ServerWebsite = { id: string; hostname: string | null; status: WebsiteStatus; opd_name: string };

/** The websites on a server, live ones first, then by host name (at most `limit`). */
export function listServerWebsites(
  db: Kysely<Database>,
  serverId: string,
  limit: number,
): Promise<ServerWebsite[]> {
  return db
    .selectFrom('websites as w')
    .innerJoin('opds as o', 'o.id', 'w.opd_id')
    .select(['w.id', 'w.hostname', 'w.status', 'o.name as opd_name'])
    .where('w.server_id', '=', serverId)
    .orderBy(sql`CASE WHEN w.status = 'retired' THEN 1 ELSE 0 END`)
    .orderBy('w.hostname')
    .orderBy('w.id')
    .limit(limit)
    .execute();
}
