import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { likePattern, offsetOf, type PageInput } from '../shared/pagination.ts';
import type { AllocationKind, IpAllocationRow, IpPoolRow, WebsiteStatus } from './registry.tables.ts';

// Addresses travel as numeric(39,0) decimal strings (n, first_n, last_n, next_hint): IPv6 needs
// 128 bits. Every value passed in is a string, cast to numeric where the comparison needs it.

/** Serialises pool creation and renames (overlap and name checks happen under it). */
export async function lockPoolCatalogue(trx: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('loket:ip_pools:catalogue'))`.execute(trx);
}

export function findPool(db: Kysely<Database>, id: string): Promise<IpPoolRow | undefined> {
  return db.selectFrom('ip_pools').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the pool row: every allocator of one pool waits here, one after the other. */
export function findPoolForUpdate(trx: Kysely<Database>, id: string): Promise<IpPoolRow | undefined> {
  return trx.selectFrom('ip_pools').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Locks several pools in one fixed order (by id), so two lockers never wait on each other. */
export async function lockPools(trx: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .selectFrom('ip_pools')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .orderBy('id')
    .forUpdate()
    .execute();
}

export function findPoolByName(
  db: Kysely<Database>,
  name: string,
): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom('ip_pools')
    .select(['id', 'name'])
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .executeTakeFirst();
}

/** Every pool's block of one family (pools are few: dozens, not thousands). */
export function listPoolBlocks(
  db: Kysely<Database>,
  family: 4 | 6,
): Promise<{ id: string; name: string; cidr: string }[]> {
  return db
    .selectFrom('ip_pools')
    .select(['id', 'name', 'cidr'])
    .where('family', '=', family)
    .orderBy('cidr')
    .execute();
}

export function insertPool(
  trx: Kysely<Database>,
  v: {
    name: string;
    cidr: string;
    family: 4 | 6;
    gateway: string | null;
    first_n: string;
    last_n: string;
    next_hint: string;
    notes: string | null;
  },
): Promise<IpPoolRow> {
  return trx.insertInto('ip_pools').values(v).returningAll().executeTakeFirstOrThrow();
}

export function updatePool(
  trx: Kysely<Database>,
  id: string,
  v: Partial<{ name: string; notes: string | null }>,
): Promise<IpPoolRow> {
  return trx
    .updateTable('ip_pools')
    .set((eb) => ({ ...v, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listPools(
  db: Kysely<Database>,
  f: { q?: string | undefined; family?: 4 | 6 | undefined },
  page: PageInput,
): Promise<{ rows: IpPoolRow[]; total: number }> {
  let q = db.selectFrom('ip_pools');
  if (f.family) q = q.where('family', '=', f.family);
  if (f.q) {
    const p = likePattern(f.q);
    q = q.where((eb) => eb.or([eb('name', 'ilike', p), eb('cidr', 'like', p)]));
  }
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('family')
      .orderBy(sql`lower(name)`)
      .orderBy('id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** How many addresses of each pool are taken (gateway, reserved, allocated or held). */
export async function countAllocations(
  db: Kysely<Database>,
  poolIds: string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (poolIds.length === 0) return out;
  const rows = await db
    .selectFrom('ip_allocations')
    .select(['pool_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('pool_id', 'in', poolIds)
    .groupBy('pool_id')
    .execute();
  for (const r of rows) out.set(r.pool_id, Number(r.n));
  return out;
}

/** The taken numbers of a pool from `fromN` upward, in order (one chunk of the gap search). */
export async function takenNumbersFrom(
  db: Kysely<Database>,
  poolId: string,
  fromN: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('ip_allocations')
    .select('n')
    .where('pool_id', '=', poolId)
    .where('n', '>=', sql<string>`${fromN}::numeric`)
    .orderBy('n')
    .limit(limit)
    .execute();
  return rows.map((r) => String(r.n));
}

export function setNextHint(trx: Kysely<Database>, poolId: string, n: string): Promise<unknown> {
  return trx
    .updateTable('ip_pools')
    .set({ next_hint: sql<string>`${n}::numeric` })
    .where('id', '=', poolId)
    .execute();
}

/** Moves the pool's search start down to `n` when `n` lies below it (an address came free). */
export function lowerNextHint(trx: Kysely<Database>, poolId: string, n: string): Promise<unknown> {
  return trx
    .updateTable('ip_pools')
    .set({ next_hint: sql<string>`LEAST(next_hint, ${n}::numeric)` })
    .where('id', '=', poolId)
    .execute();
}

/** An allocation with the names a reader needs. */
export type AllocationView = IpAllocationRow & {
  server_name: string | null;
  website_hostname: string | null;
};

function allocationsView(db: Kysely<Database>) {
  return db
    .selectFrom('ip_allocations as a')
    .leftJoin('servers as s', 's.id', 'a.server_id')
    .leftJoin('websites as w', 'w.id', 'a.website_id')
    .selectAll('a')
    .select(['s.name as server_name', 'w.hostname as website_hostname']);
}

export function findAllocation(db: Kysely<Database>, id: string): Promise<AllocationView | undefined> {
  return allocationsView(db).where('a.id', '=', id).executeTakeFirst();
}

export function findAllocationAt(
  db: Kysely<Database>,
  poolId: string,
  n: string,
): Promise<AllocationView | undefined> {
  return allocationsView(db)
    .where('a.pool_id', '=', poolId)
    .where('a.n', '=', sql<string>`${n}::numeric`)
    .executeTakeFirst();
}

/** The allocations of a pool with fromN <= n <= toN, in order. */
export function allocationsBetween(
  db: Kysely<Database>,
  poolId: string,
  fromN: string,
  toN: string,
): Promise<AllocationView[]> {
  return allocationsView(db)
    .where('a.pool_id', '=', poolId)
    .where('a.n', '>=', sql<string>`${fromN}::numeric`)
    .where('a.n', '<=', sql<string>`${toN}::numeric`)
    .orderBy('a.n')
    .execute();
}

/** Up to `limit` allocations of a pool from n >= fromN, in order. */
export function allocationsFrom(
  db: Kysely<Database>,
  poolId: string,
  fromN: string,
  limit: number,
): Promise<AllocationView[]> {
  return allocationsView(db)
    .where('a.pool_id', '=', poolId)
    .where('a.n', '>=', sql<string>`${fromN}::numeric`)
    .orderBy('a.n')
    .limit(limit)
    .execute();
}

export function allocationsOfServer(db: Kysely<Database>, serverId: string): Promise<AllocationView[]> {
  return allocationsView(db)
    .where('a.server_id', '=', serverId)
    .orderBy('a.pool_id')
    .orderBy('a.n')
    .execute();
}

export function allocationsOfWebsite(db: Kysely<Database>, websiteId: string): Promise<IpAllocationRow[]> {
  return db
    .selectFrom('ip_allocations')
    .selectAll()
    .where('website_id', '=', websiteId)
    .orderBy('pool_id')
    .orderBy('n')
    .execute();
}

export function insertAllocation(
  trx: Kysely<Database>,
  v: {
    pool_id: string;
    address: string;
    n: string;
    kind: AllocationKind;
    server_id?: string | null;
    website_id?: string | null;
    note?: string | null;
    held_until?: Date | null;
  },
): Promise<IpAllocationRow> {
  return trx
    .insertInto('ip_allocations')
    .values({ ...v, n: sql<string>`${v.n}::numeric` })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function deleteAllocations(trx: Kysely<Database>, ids: string[]): Promise<unknown> {
  if (ids.length === 0) return Promise.resolve();
  return trx.deleteFrom('ip_allocations').where('id', 'in', ids).execute();
}

export function setAllocationsHeld(
  trx: Kysely<Database>,
  ids: string[],
  until: Date | null,
): Promise<unknown> {
  if (ids.length === 0) return Promise.resolve();
  return trx.updateTable('ip_allocations').set({ held_until: until }).where('id', 'in', ids).execute();
}

/** Pools that have a hold ending at or before `now`. */
export async function poolsWithExpiredHolds(trx: Kysely<Database>, now: Date): Promise<string[]> {
  const rows = await trx
    .selectFrom('ip_allocations')
    .select('pool_id')
    .distinct()
    .where('held_until', 'is not', null)
    .where('held_until', '<=', now)
    .execute();
  return rows.map((r) => r.pool_id);
}

/** Deletes the holds of these pools ending at or before `now`, and says which they were. */
export function deleteExpiredHolds(
  trx: Kysely<Database>,
  poolIds: string[],
  now: Date,
): Promise<IpAllocationRow[]> {
  if (poolIds.length === 0) return Promise.resolve([]);
  return trx
    .deleteFrom('ip_allocations')
    .where('pool_id', 'in', poolIds)
    .where('held_until', 'is not', null)
    .where('held_until', '<=', now)
    .returningAll()
    .execute();
}

// Servers and websites as allocations see them.

export function findServerForShare(
  trx: Kysely<Database>,
  id: string,
): Promise<{ id: string; name: string; status: string } | undefined> {
  return trx
    .selectFrom('servers')
    .select(['id', 'name', 'status'])
    .where('id', '=', id)
    .forShare()
    .executeTakeFirst();
}

export type WebsiteIpRow = {
  id: string;
  hostname: string | null;
  status: WebsiteStatus;
  ip_address: string | null;
  version: number;
};

export function findWebsiteForUpdate(trx: Kysely<Database>, id: string): Promise<WebsiteIpRow | undefined> {
  return trx
    .selectFrom('websites')
    .select(['id', 'hostname', 'status', 'ip_address', 'version'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function setWebsiteIp(
  trx: Kysely<Database>,
  id: string,
  address: string | null,
): Promise<WebsiteIpRow> {
  return trx
    .updateTable('websites')
    .set((eb) => ({ ip_address: address, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .returning(['id', 'hostname', 'status', 'ip_address', 'version'])
    .executeTakeFirstOrThrow();
}
