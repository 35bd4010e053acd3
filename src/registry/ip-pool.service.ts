import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError, type ErrorCode, notFound } from '../errors.ts';
import { type Ctx, systemCtx } from '../shared/context.ts';
import type { Page, PageInput } from '../shared/pagination.ts';
import { assertWebsiteAddressAllowed } from './address-policy.ts';
import { readChanges, recordChange } from './history.ts';
import {
  type CidrBlock,
  cidrContains,
  formatCidr,
  formatIp,
  type IpAddress,
  parseCidr,
  tryParseIp,
  usableRange,
} from './ip.ts';
import type { AllocationView } from './ip-pool.repository.ts';
import * as repo from './ip-pool.repository.ts';
import {
  type AddressMap,
  type AllocateInput,
  type Allocation,
  type CreatePoolInput,
  type HistoryEntry,
  type ListPoolsQuery,
  type Pool,
  parseBlockLoose,
  type UpdatePoolInput,
} from './registry.schemas.ts';
import type { AllocationKind, IpAllocationRow, IpPoolRow } from './registry.tables.ts';
import {
  type RegistryDeps,
  requireRegistryEditor,
  requireRegistryManager,
  requireRegistryReader,
} from './registry-deps.ts';

// Public IP pools and their allocations. The rule that matters most: no address is ever given out
// twice. Every allocator of a pool first locks the pool's row (SELECT … FOR UPDATE), so allocators
// of one pool run one after the other; the unique indexes on ip_allocations (pool_id, n) and
// (address) are the last guard. Lock order everywhere: website or server row, then pool rows (by
// id), then allocation rows — so two writers never wait on each other in a circle.

/** Rows read per step of the next-free search. */
const CHUNK = 4096;

const BITS = { 4: 32, 6: 128 } as const;

function fieldError(code: ErrorCode, path: string, message: string, extra: Record<string, unknown> = {}) {
  return new AppError(code, message, { details: { fields: [{ path, message }], ...extra } });
}

function ipText(family: 4 | 6, n: bigint): string {
  return formatIp({ version: family, value: n });
}

function blockOf(pool: IpPoolRow): CidrBlock {
  return parseCidr(pool.cidr);
}

function blockEnd(b: CidrBlock): bigint {
  return b.network | ((1n << BigInt(BITS[b.version] - b.prefix)) - 1n);
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

// ---------------------------------------------------------------------------------------------
// Presenting

export function presentAllocation(a: AllocationView): Allocation {
  return {
    id: a.id,
    poolId: a.pool_id,
    address: a.address,
    kind: a.kind,
    server: a.server_id ? { id: a.server_id, name: a.server_name ?? '' } : null,
    website: a.website_id ? { id: a.website_id, hostname: a.website_hostname } : null,
    note: a.note,
    heldUntil: a.held_until ? a.held_until.toISOString() : null,
    createdAt: a.created_at.toISOString(),
  };
}

/** What the pool's history keeps of one allocation. */
function allocationRecord(
  a: IpAllocationRow,
  names: { server?: string | null; website?: string | null } = {},
) {
  return {
    allocationId: a.id,
    address: a.address,
    kind: a.kind,
    serverId: a.server_id,
    serverName: names.server ?? null,
    websiteId: a.website_id,
    websiteHostname: names.website ?? null,
    note: a.note,
    heldUntil: a.held_until ? a.held_until.toISOString() : null,
  };
}

async function presentPool(db: Kysely<Database>, row: IpPoolRow, used?: number): Promise<Pool> {
  const family = row.family;
  const first = BigInt(row.first_n);
  const last = BigInt(row.last_n);
  const size = last - first + 1n;
  const taken = used ?? (await repo.countAllocations(db, [row.id])).get(row.id) ?? 0;
  const next = await findNextFree(db, row);
  return {
    id: row.id,
    name: row.name,
    cidr: row.cidr,
    family,
    gateway: row.gateway,
    firstUsable: ipText(family, first),
    lastUsable: ipText(family, last),
    size: size.toString(),
    used: taken,
    free: (size - BigInt(taken)).toString(),
    nextFree: next === null ? null : ipText(family, next),
    notes: row.notes,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// The next free address

/**
 * The lowest free number of the pool at or above its hint, or null when the pool is full. Every
 * address below the hint is taken (allocating from the hint moves it up; anything freed moves it
 * down), so the search walks the taken numbers upward from the hint, a chunk at a time, and stops
 * at the first gap. Gateway, reserved and held addresses are rows like any other and are skipped.
 */
async function findNextFree(db: Kysely<Database>, pool: IpPoolRow): Promise<bigint | null> {
  const last = BigInt(pool.last_n);
  let expected = BigInt(pool.next_hint);
  for (;;) {
    if (expected > last) return null;
    const taken = await repo.takenNumbersFrom(db, pool.id, expected.toString(), CHUNK);
    for (const text of taken) {
      const n = BigInt(text);
      if (n > expected) return expected;
      expected = n + 1n;
    }
    if (taken.length < CHUNK) return expected <= last ? expected : null;
  }
}

/** Lowers each pool's hint to the smallest number freed in it. */
async function lowerHints(trx: Kysely<Database>, freed: { pool_id: string; n: string }[]): Promise<void> {
  const min = new Map<string, bigint>();
  for (const f of freed) {
    const n = BigInt(f.n);
    const cur = min.get(f.pool_id);
    if (cur === undefined || n < cur) min.set(f.pool_id, n);
  }
  for (const [poolId, n] of min) await repo.lowerNextHint(trx, poolId, n.toString());
}

/** Deletes ended quarantine holds of pools the caller has locked; each is kept in the pool's history. */
async function purgeHolds(trx: Kysely<Database>, poolIds: string[], now: Date): Promise<IpAllocationRow[]> {
  const gone = await repo.deleteExpiredHolds(trx, poolIds, now);
  if (gone.length === 0) return gone;
  await lowerHints(trx, gone);
  const ctx = systemCtx('quarantine');
  for (const a of gone) {
    await recordChange(trx, ctx, {
      entity: 'ip_pool',
      id: a.pool_id,
      action: 'hold_expired',
      reason: 'quarantine ended',
      before: allocationRecord(a),
    });
  }
  return gone;
}

function takenBy(a: AllocationView): string {
  if (a.held_until) return `held until ${a.held_until.toISOString()}`;
  switch (a.kind) {
    case 'gateway':
      return 'the gateway';
    case 'reserved':
      return 'reserved';
    case 'server':
      return `server ${a.server_name ?? a.server_id}`;
    case 'website':
      return `website ${a.website_hostname ?? a.website_id}`;
  }
}

function ipTaken(address: string, a: AllocationView, path: string): AppError {
  return fieldError('IP_TAKEN', path, `${address} is already taken (${takenBy(a)})`, {
    allocation: presentAllocation(a),
  });
}

/**
 * Takes one address of a pool the caller has locked: the given one, or the next free one. Ended
 * holds of the pool are purged first, so their addresses count as free.
 */
async function allocateInLockedPool(
  trx: Kysely<Database>,
  pool: IpPoolRow,
  want: {
    kind: AllocationKind;
    serverId?: string | null | undefined;
    websiteId?: string | null | undefined;
    address?: IpAddress | undefined;
    note?: string | null | undefined;
  },
  now: Date,
  path = 'address',
): Promise<IpAllocationRow> {
  const gone = await purgeHolds(trx, [pool.id], now);
  let hint = BigInt(pool.next_hint);
  for (const g of gone) if (BigInt(g.n) < hint) hint = BigInt(g.n);
  const current: IpPoolRow = { ...pool, next_hint: hint.toString() };

  let n: bigint;
  let fromHint = false;
  if (want.address) {
    const a = want.address;
    const block = blockOf(pool);
    const text = formatIp(a);
    if (!cidrContains(block, a)) {
      throw fieldError('IP_NOT_IN_POOL', path, `${text} is not in pool ${pool.name} (${pool.cidr})`);
    }
    if (a.value < BigInt(pool.first_n) || a.value > BigInt(pool.last_n)) {
      throw fieldError(
        'IP_NOT_USABLE',
        path,
        `${text} is the network or broadcast address of ${pool.cidr}; usable are ${ipText(pool.family, BigInt(pool.first_n))}–${ipText(pool.family, BigInt(pool.last_n))}`,
      );
    }
    const existing = await repo.findAllocationAt(trx, pool.id, a.value.toString());
    if (existing) throw ipTaken(text, existing, path);
    n = a.value;
  } else {
    const next = await findNextFree(trx, current);
    if (next === null) {
      throw new AppError('POOL_FULL', `Pool ${pool.name} (${pool.cidr}) has no free address left`, {
        details: { poolId: pool.id },
      });
    }
    n = next;
    fromHint = true;
  }
  const address = ipText(pool.family, n);
  let row: IpAllocationRow;
  try {
    row = await repo.insertAllocation(trx, {
      pool_id: pool.id,
      address,
      n: n.toString(),
      kind: want.kind,
      server_id: want.kind === 'server' ? (want.serverId ?? null) : null,
      website_id: want.kind === 'website' ? (want.websiteId ?? null) : null,
      note: want.note ?? null,
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw fieldError('IP_TAKEN', path, `${address} is already taken`);
    throw e;
  }
  // A pick at the hint (e.g. an import of addresses already in use) moves it on too, so the next
  // "next free" does not walk over a long run of taken addresses under the pool lock.
  if (fromHint || n === hint) await repo.setNextHint(trx, pool.id, (n + 1n).toString());
  return row;
}

// ---------------------------------------------------------------------------------------------
// Pools

export async function listPools(
  db: Kysely<Database>,
  query: Omit<ListPoolsQuery, 'page' | 'pageSize'>,
  page: PageInput,
  ctx: Ctx,
): Promise<Page<Pool>> {
  requireRegistryReader(ctx.actor);
  const family = query.family === '4' ? 4 : query.family === '6' ? 6 : undefined;
  const { rows, total } = await repo.listPools(db, { q: query.q, family }, page);
  const used = await repo.countAllocations(
    db,
    rows.map((r) => r.id),
  );
  const items: Pool[] = [];
  for (const r of rows) items.push(await presentPool(db, r, used.get(r.id) ?? 0));
  return { items, total, ...page };
}

export async function getPool(db: Kysely<Database>, id: string, ctx: Ctx): Promise<Pool> {
  requireRegistryReader(ctx.actor);
  const row = await repo.findPool(db, id);
  if (!row) throw notFound('IP pool');
  return presentPool(db, row);
}

export async function getPoolHistory(
  db: Kysely<Database>,
  id: string,
  ctx: Ctx,
): Promise<{ items: HistoryEntry[] }> {
  requireRegistryReader(ctx.actor);
  if (!(await repo.findPool(db, id))) throw notFound('IP pool');
  return { items: await readChanges(db, 'ip_pool', id) };
}

/** Parses an address given for this block: same family and inside it, or a field error. */
function addressInBlock(text: string, block: CidrBlock, path: string): IpAddress {
  const ip = tryParseIp(text);
  if (!ip) throw fieldError('FIELD_INVALID', path, 'not an IPv4 or IPv6 address');
  if (!cidrContains(block, ip)) {
    throw fieldError('FIELD_INVALID', path, `${formatIp(ip)} is not inside ${formatCidr(block)}`);
  }
  return ip;
}

export async function createPool(trx: Kysely<Database>, input: CreatePoolInput, ctx: Ctx): Promise<Pool> {
  requireRegistryManager(ctx.actor);
  const typed = parseBlockLoose(input.cidr);
  if (!typed) throw fieldError('FIELD_INVALID', 'cidr', 'not a CIDR block such as 203.0.113.0/24');
  const hostBits = BigInt(BITS[typed.version] - typed.prefix);
  const network = typed.value & ~((1n << hostBits) - 1n);
  const block: CidrBlock = { version: typed.version, network, prefix: typed.prefix };
  const cidr = formatCidr(block);
  if (network !== typed.value) {
    throw fieldError(
      'FIELD_INVALID',
      'cidr',
      `host bits are set: the block's network address is ${formatIp({ version: typed.version, value: network })}, so write ${cidr}`,
      { suggestion: cidr },
    );
  }
  const range = usableRange(block);
  const family = block.version;
  const first = range.first.value;
  const last = range.last.value;
  const usable = `${formatIp(range.first)}–${formatIp(range.last)}`;

  let gateway: IpAddress | null = null;
  if (input.gateway) {
    gateway = addressInBlock(input.gateway, block, 'gateway');
    if (gateway.value < first || gateway.value > last) {
      throw fieldError('FIELD_INVALID', 'gateway', `the gateway must be a usable address (${usable})`);
    }
  }
  const reserved = new Map<bigint, IpAddress>();
  input.reserved.forEach((text, i) => {
    const ip = addressInBlock(text, block, `reserved.${i}`);
    if (ip.value < first || ip.value > last) {
      throw fieldError(
        'FIELD_INVALID',
        `reserved.${i}`,
        `${formatIp(ip)} is the network or broadcast address, never given out anyway (usable: ${usable})`,
      );
    }
    if (gateway?.value !== ip.value) reserved.set(ip.value, ip);
  });

  await repo.lockPoolCatalogue(trx);
  const sameName = await repo.findPoolByName(trx, input.name);
  if (sameName) {
    throw fieldError('POOL_NAME_TAKEN', 'name', `A pool named ${sameName.name} exists already`);
  }
  for (const other of await repo.listPoolBlocks(trx, family)) {
    const o = parseCidr(other.cidr);
    const overlaps =
      cidrContains(o, { version: family, value: block.network }) ||
      cidrContains(block, { version: family, value: o.network });
    if (overlaps) {
      throw fieldError('POOL_OVERLAPS', 'cidr', `${cidr} overlaps pool ${other.name} (${other.cidr})`, {
        pool: { id: other.id, name: other.name, cidr: other.cidr },
      });
    }
  }
  let row: IpPoolRow;
  try {
    row = await repo.insertPool(trx, {
      name: input.name,
      cidr,
      family,
      gateway: gateway ? formatIp(gateway) : null,
      first_n: first.toString(),
      last_n: last.toString(),
      next_hint: first.toString(),
      notes: input.notes ?? null,
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw fieldError('POOL_NAME_TAKEN', 'name', 'This pool exists already');
    throw e;
  }
  if (gateway) {
    await repo.insertAllocation(trx, {
      pool_id: row.id,
      address: formatIp(gateway),
      n: gateway.value.toString(),
      kind: 'gateway',
    });
  }
  const reservedList = [...reserved.values()].sort((a, b) => (a.value < b.value ? -1 : 1));
  for (const ip of reservedList) {
    await repo.insertAllocation(trx, {
      pool_id: row.id,
      address: formatIp(ip),
      n: ip.value.toString(),
      kind: 'reserved',
    });
  }
  const pool = await presentPool(trx, row);
  await recordChange(trx, ctx, {
    entity: 'ip_pool',
    id: row.id,
    action: 'create',
    reason: input.reason,
    caseId: input.caseId,
    after: { ...pool, reserved: reservedList.map(formatIp) },
  });
  return pool;
}

export async function updatePool(
  trx: Kysely<Database>,
  id: string,
  input: UpdatePoolInput,
  ctx: Ctx,
): Promise<Pool> {
  requireRegistryManager(ctx.actor);
  const cur = await repo.findPoolForUpdate(trx, id);
  if (!cur) throw notFound('IP pool');
  if (input.version !== cur.version) {
    throw new AppError('VERSION_CONFLICT', 'The pool was changed by someone else; reload it', {
      details: { currentVersion: cur.version },
    });
  }
  const set: { name?: string; notes?: string | null } = {};
  if (input.name !== undefined && input.name !== cur.name) set.name = input.name;
  if (input.notes !== undefined && input.notes !== cur.notes) set.notes = input.notes;
  const before = await presentPool(trx, cur);
  if (Object.keys(set).length === 0) return before;
  if (set.name !== undefined) {
    await repo.lockPoolCatalogue(trx);
    const sameName = await repo.findPoolByName(trx, set.name);
    if (sameName && sameName.id !== id) {
      throw fieldError('POOL_NAME_TAKEN', 'name', `A pool named ${sameName.name} exists already`);
    }
  }
  const row = await repo.updatePool(trx, id, set);
  const after = await presentPool(trx, row, before.used);
  await recordChange(trx, ctx, {
    entity: 'ip_pool',
    id,
    action: 'update',
    reason: input.reason,
    caseId: input.caseId,
    before,
    after,
  });
  return after;
}

// ---------------------------------------------------------------------------------------------
// The address map

type MapEntry = AddressMap['addresses'][number];

function stateOf(a: AllocationView): MapEntry['state'] {
  return a.held_until ? 'held' : a.kind;
}

export async function getAddressMap(
  db: Kysely<Database>,
  id: string,
  query: { from?: string | undefined; limit: number; usedOnly?: 'true' | 'false' | undefined },
  ctx: Ctx,
): Promise<AddressMap> {
  requireRegistryReader(ctx.actor);
  const row = await repo.findPool(db, id);
  if (!row) throw notFound('IP pool');
  const block = blockOf(row);
  const family = row.family;
  const end = blockEnd(block);
  let from = block.network;
  if (query.from !== undefined) {
    const ip = tryParseIp(query.from);
    if (!ip || !cidrContains(block, ip)) {
      throw fieldError('IP_NOT_IN_POOL', 'from', `${query.from} is not inside ${row.cidr}`);
    }
    from = ip.value;
  }
  const pool = await presentPool(db, row);

  if (query.usedOnly === 'true') {
    const rows = await repo.allocationsFrom(db, id, from.toString(), query.limit + 1);
    const page = rows.slice(0, query.limit);
    const more = rows[query.limit];
    return {
      pool,
      addresses: page.map((a) => ({
        address: a.address,
        state: stateOf(a),
        allocation: presentAllocation(a),
      })),
      next: more ? more.address : null,
    };
  }

  const to = from + BigInt(query.limit) - 1n < end ? from + BigInt(query.limit) - 1n : end;
  const held = new Map<string, AllocationView>();
  for (const a of await repo.allocationsBetween(db, id, from.toString(), to.toString())) {
    held.set(BigInt(a.n).toString(), a);
  }
  const first = BigInt(row.first_n);
  const last = BigInt(row.last_n);
  const addresses: MapEntry[] = [];
  for (let v = from; v <= to; v++) {
    const a = held.get(v.toString());
    let state: MapEntry['state'] = 'free';
    if (a) state = stateOf(a);
    else if (v < first) state = 'network';
    else if (v > last) state = 'broadcast';
    addresses.push({ address: ipText(family, v), state, allocation: a ? presentAllocation(a) : null });
  }
  return { pool, addresses, next: to < end ? ipText(family, to + 1n) : null };
}

// ---------------------------------------------------------------------------------------------
// Allocating and releasing

/** `POST /api/registry/pools/:id/allocations`: one address for a server, a website, or reserved. */
export async function allocateAddress(
  trx: Kysely<Database>,
  poolId: string,
  input: AllocateInput,
  ctx: Ctx,
  deps: Pick<RegistryDeps, 'now'> & Partial<Pick<RegistryDeps, 'allowUnpooledAddresses'>>,
): Promise<Allocation> {
  requireRegistryEditor(ctx.actor);
  if (!(await repo.findPool(trx, poolId))) throw notFound('IP pool');
  let server: { id: string; name: string } | null = null;
  let website: repo.WebsiteIpRow | null = null;
  if (input.kind === 'server' && input.serverId) {
    const s = await repo.findServerForShare(trx, input.serverId);
    if (!s) throw fieldError('FIELD_INVALID', 'serverId', 'no such server');
    if (s.status === 'retired') throw fieldError('FIELD_INVALID', 'serverId', `server ${s.name} is retired`);
    server = s;
  }
  if (input.kind === 'website' && input.websiteId) {
    const w = await repo.findWebsiteForUpdate(trx, input.websiteId);
    if (!w) throw fieldError('FIELD_INVALID', 'websiteId', 'no such website');
    if (w.status === 'retired') {
      throw fieldError('WEBSITE_RETIRED', 'websiteId', `website ${w.hostname ?? w.id} is retired`);
    }
    website = w;
  }
  const pool = await repo.findPoolForUpdate(trx, poolId);
  if (!pool) throw notFound('IP pool');
  let address: IpAddress | undefined;
  if (input.address !== undefined) {
    const ip = tryParseIp(input.address);
    if (!ip) throw fieldError('FIELD_INVALID', 'address', 'not an IPv4 or IPv6 address');
    address = ip;
  }
  const row = await allocateInLockedPool(
    trx,
    pool,
    {
      kind: input.kind,
      serverId: server?.id,
      websiteId: website?.id,
      address,
      note: input.note,
    },
    deps.now(),
  );
  const names = { server: server?.name ?? null, website: website?.hostname ?? null };
  await recordChange(trx, ctx, {
    entity: 'ip_pool',
    id: pool.id,
    action: 'allocate',
    reason: input.reason,
    caseId: input.caseId,
    after: allocationRecord(row, names),
  });
  if (website) {
    // A pool may hold addresses no website may have (a loopback block): refused, the allocation undone.
    assertWebsiteAddressAllowed(row.address, true, deps.allowUnpooledAddresses === true, 'address');
    const after = await repo.setWebsiteIp(trx, website.id, row.address);
    await recordChange(trx, ctx, {
      entity: 'website',
      id: website.id,
      action: 'ip_allocated',
      reason: input.reason,
      caseId: input.caseId,
      before: { ipAddress: website.ip_address, version: website.version },
      after: { ipAddress: after.ip_address, version: after.version, poolId: pool.id, allocationId: row.id },
    });
  }
  return presentAllocation({ ...row, server_name: names.server, website_hostname: names.website });
}

/** `DELETE /api/registry/allocations/:id`: the address is free at once (the gateway's never). */
export async function releaseAllocation(
  trx: Kysely<Database>,
  id: string,
  input: { reason?: string | undefined },
  ctx: Ctx,
): Promise<void> {
  requireRegistryEditor(ctx.actor);
  const seen = await repo.findAllocation(trx, id);
  if (!seen) throw notFound('Allocation');
  if (seen.kind === 'gateway') {
    throw new AppError('CONFLICT', `${seen.address} is the pool's gateway and cannot be released`);
  }
  const website = seen.website_id ? await repo.findWebsiteForUpdate(trx, seen.website_id) : undefined;
  await repo.lockPools(trx, [seen.pool_id]);
  const a = await repo.findAllocation(trx, id);
  if (!a) throw notFound('Allocation');
  await repo.deleteAllocations(trx, [a.id]);
  await repo.lowerNextHint(trx, a.pool_id, String(a.n));
  await recordChange(trx, ctx, {
    entity: 'ip_pool',
    id: a.pool_id,
    action: 'release',
    reason: input.reason,
    before: allocationRecord(a, { server: a.server_name, website: a.website_hostname }),
  });
  if (website && website.ip_address === a.address) {
    const after = await repo.setWebsiteIp(trx, website.id, null);
    await recordChange(trx, ctx, {
      entity: 'website',
      id: website.id,
      action: 'ip_released',
      reason: input.reason,
      before: { ipAddress: website.ip_address, version: website.version },
      after: { ipAddress: after.ip_address, version: after.version },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// For the websites service

/** The pool whose block holds this address, or null when no managed pool does (an external one). */
export async function findPoolForAddress(
  db: Kysely<Database>,
  address: string,
): Promise<{ id: string; name: string; cidr: string } | null> {
  const ip = tryParseIp(address);
  if (!ip) return null;
  for (const p of await repo.listPoolBlocks(db, ip.version)) {
    if (cidrContains(p.cidr, ip)) return p;
  }
  return null;
}

/**
 * Claims an address for a website, in the caller's transaction (it does not touch the websites row).
 * With `address`: inside a managed pool it is allocated to the website when free, accepted when the
 * website holds it already (a hold from retirement is lifted) or when it is the website's server's
 * own address (name-based shared hosting; no allocation then), refused otherwise (IP_TAKEN on
 * `ipAddress`). An address outside every pool is external and accepted as it is. With `poolId` and
 * no address: the pool's next free address.
 */
export async function claimAddressForWebsite(
  trx: Kysely<Database>,
  input: { websiteId: string; serverId: string | null; address?: string; poolId?: string },
  ctx: Ctx,
  deps: RegistryDeps,
): Promise<{ address: string; allocationId: string | null }> {
  let pool: IpPoolRow | undefined;
  let ip: IpAddress | undefined;
  if (input.address !== undefined) {
    const parsed = tryParseIp(input.address);
    if (!parsed) throw fieldError('FIELD_INVALID', 'ipAddress', 'not an IPv4 or IPv6 address');
    ip = parsed;
    const address = formatIp(ip);
    const found = await findPoolForAddress(trx, address);
    // Outside every pool, or loopback/link-local in one: only where the installation allows it.
    assertWebsiteAddressAllowed(address, found !== null, deps.allowUnpooledAddresses);
    if (!found) return { address, allocationId: null };
    pool = await repo.findPoolForUpdate(trx, found.id);
    if (!pool) return { address, allocationId: null };
    await purgeHolds(trx, [pool.id], deps.now());
    const existing = await repo.findAllocationAt(trx, pool.id, ip.value.toString());
    if (existing) {
      if (existing.kind === 'website' && existing.website_id === input.websiteId) {
        if (existing.held_until) await repo.setAllocationsHeld(trx, [existing.id], null);
        return { address, allocationId: existing.id };
      }
      if (existing.kind === 'server' && input.serverId !== null && existing.server_id === input.serverId) {
        return { address, allocationId: null };
      }
      throw ipTaken(address, existing, 'ipAddress');
    }
  } else if (input.poolId !== undefined) {
    pool = await repo.findPoolForUpdate(trx, input.poolId);
    if (!pool) throw fieldError('FIELD_INVALID', 'poolId', 'no such IP pool');
  } else {
    throw fieldError('FIELD_INVALID', 'ipAddress', 'give an address or a pool to take one from');
  }
  const row = await allocateInLockedPool(
    trx,
    pool,
    { kind: 'website', websiteId: input.websiteId, address: ip },
    deps.now(),
    'ipAddress',
  );
  assertWebsiteAddressAllowed(row.address, true, deps.allowUnpooledAddresses);
  await recordChange(trx, ctx, {
    entity: 'ip_pool',
    id: pool.id,
    action: 'allocate',
    after: allocationRecord(row),
  });
  return { address: row.address, allocationId: row.id };
}

/**
 * Lets go of a website's addresses (but `exceptAddress`): with `hold` null they are free at once
 * (a correction); with a date they stay taken, as held, until then (the retirement quarantine).
 * Returns the addresses concerned.
 */
export async function releaseWebsiteAddresses(
  trx: Kysely<Database>,
  websiteId: string,
  hold: Date | null,
  exceptAddress?: string,
): Promise<string[]> {
  const except = exceptAddress !== undefined ? tryParseIp(exceptAddress) : null;
  const keep = except ? formatIp(except) : exceptAddress;
  const mine = (await repo.allocationsOfWebsite(trx, websiteId)).filter((a) => a.address !== keep);
  if (mine.length === 0) return [];
  await repo.lockPools(
    trx,
    mine.map((a) => a.pool_id),
  );
  const ids = mine.map((a) => a.id);
  if (hold === null) {
    await repo.deleteAllocations(trx, ids);
    await lowerHints(trx, mine);
  } else {
    await repo.setAllocationsHeld(trx, ids, hold);
  }
  return mine.map((a) => a.address);
}

/** Frees every address whose quarantine hold has ended, in all pools. Returns how many. */
export async function purgeExpiredAddressHolds(trx: Kysely<Database>, now: Date): Promise<number> {
  const pools = await repo.poolsWithExpiredHolds(trx, now);
  if (pools.length === 0) return 0;
  await repo.lockPools(trx, pools);
  return (await purgeHolds(trx, pools, now)).length;
}
