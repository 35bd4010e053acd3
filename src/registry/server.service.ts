import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import type { Page, PageInput } from '../shared/pagination.ts';
import { readChanges, recordChange } from './history.ts';
import { formatIp, parseIp } from './ip.ts';
import { allocationsOfServer } from './ip-pool.repository.ts';
import { presentAllocation } from './ip-pool.service.ts';
import type {
  CreateServerInput,
  HistoryEntry,
  ListServersQuery,
  Server,
  ServerDetail,
  UpdateServerInput,
} from './registry.schemas.ts';
import type { ServerRole, ServerRow } from './registry.tables.ts';
import { requireRegistryEditor, requireRegistryReader } from './registry-deps.ts';
import type { ServerValues, ServerWithCount } from './server.repository.ts';
import * as repo from './server.repository.ts';

/** How many of a server's websites its detail lists. */
const DETAIL_WEBSITES = 50;

export function presentServer(r: ServerWithCount): Server {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    location: r.location,
    os: r.os,
    addresses: r.addresses,
    roles: r.roles,
    capacityNotes: r.capacity_notes,
    status: r.status,
    notes: r.notes,
    websiteCount: r.website_count,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Addresses in canonical form (IPv6 per RFC 5952), each once, in the order given. */
function canonicalAddresses(list: string[]): string[] {
  return [...new Set(list.map((a) => formatIp(parseIp(a))))];
}

function uniqueRoles(list: ServerRole[]): ServerRole[] {
  return [...new Set(list)];
}

function nameTaken(name: string): AppError {
  return new AppError('SERVER_NAME_TAKEN', `A server named ${name} exists already`, {
    details: { fields: [{ path: 'name', message: 'already used by another server' }] },
  });
}

async function assertNameFree(trx: Kysely<Database>, name: string, exceptId?: string): Promise<void> {
  await repo.lockServerNames(trx);
  const other = await repo.findServerByName(trx, name);
  if (other && other.id !== exceptId) throw nameTaken(name);
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

export async function listServers(
  db: Kysely<Database>,
  query: Omit<ListServersQuery, 'page' | 'pageSize'>,
  page: PageInput,
  ctx: Ctx,
): Promise<Page<Server>> {
  requireRegistryReader(ctx.actor);
  const { sort, dir, ...filter } = query;
  const { rows, total } = await repo.listServers(db, filter, { sort, dir }, page);
  return { items: rows.map(presentServer), total, ...page };
}

export async function getServer(db: Kysely<Database>, id: string, ctx: Ctx): Promise<ServerDetail> {
  requireRegistryReader(ctx.actor);
  const row = await repo.findServer(db, id);
  if (!row) throw notFound('Server');
  const [allocations, websites] = await Promise.all([
    allocationsOfServer(db, id),
    repo.listServerWebsites(db, id, DETAIL_WEBSITES),
  ]);
  return {
    ...presentServer(row),
    allocations: allocations.map(presentAllocation),
    websites: websites.map((w) => ({
      id: w.id,
      hostname: w.hostname,
      status: w.status,
      opdName: w.opd_name,
    })),
    placement:
      row.owner_opd_id || row.created_case_id
        ? {
            ownerOpdId: row.owner_opd_id,
            rack: row.rack,
            rackPosition: row.rack_position,
            powerWatts: row.power_watts,
            vcpu: row.vcpu,
            memoryGb: row.memory_gb,
            diskGb: row.disk_gb,
            caseId: row.created_case_id,
          }
        : null,
  };
}

export async function getServerHistory(
  db: Kysely<Database>,
  id: string,
  ctx: Ctx,
): Promise<{ items: HistoryEntry[] }> {
  requireRegistryReader(ctx.actor);
  if (!(await repo.findServer(db, id))) throw notFound('Server');
  return { items: await readChanges(db, 'server', id) };
}

export async function createServer(
  trx: Kysely<Database>,
  input: CreateServerInput,
  ctx: Ctx,
): Promise<Server> {
  requireRegistryEditor(ctx.actor);
  await assertNameFree(trx, input.name);
  let row: ServerWithCount;
  try {
    row = await repo.insertServer(trx, {
      name: input.name,
      kind: input.kind,
      location: input.location,
      os: input.os ?? null,
      addresses: canonicalAddresses(input.addresses),
      roles: uniqueRoles(input.roles),
      capacity_notes: input.capacityNotes ?? null,
      status: input.status,
      notes: input.notes ?? null,
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(input.name);
    throw e;
  }
  const server = presentServer(row);
  await recordChange(trx, ctx, {
    entity: 'server',
    id: row.id,
    action: 'create',
    reason: input.reason,
    caseId: input.caseId,
    after: server,
  });
  return server;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export async function updateServer(
  trx: Kysely<Database>,
  id: string,
  input: UpdateServerInput,
  ctx: Ctx,
): Promise<Server> {
  requireRegistryEditor(ctx.actor);
  const cur: ServerRow | undefined = await repo.findServerForUpdate(trx, id);
  if (!cur) throw notFound('Server');
  if (input.version !== cur.version) {
    throw new AppError('VERSION_CONFLICT', 'The server was changed by someone else; reload it', {
      details: { currentVersion: cur.version },
    });
  }
  const websiteCount = await repo.countLiveWebsites(trx, id);
  const before = presentServer({ ...cur, website_count: websiteCount });

  const wanted: Partial<ServerValues> = {};
  if (input.name !== undefined) wanted.name = input.name;
  if (input.kind !== undefined) wanted.kind = input.kind;
  if (input.location !== undefined) wanted.location = input.location;
  if (input.os !== undefined) wanted.os = input.os;
  if (input.addresses !== undefined) wanted.addresses = canonicalAddresses(input.addresses);
  if (input.roles !== undefined) wanted.roles = uniqueRoles(input.roles);
  if (input.capacityNotes !== undefined) wanted.capacity_notes = input.capacityNotes;
  if (input.status !== undefined) wanted.status = input.status;
  if (input.notes !== undefined) wanted.notes = input.notes;
  const set: Partial<ServerValues> = {};
  for (const [k, v] of Object.entries(wanted) as [keyof ServerValues, unknown][]) {
    if (!same(v, cur[k])) Object.assign(set, { [k]: v });
  }
  if (Object.keys(set).length === 0) return before;

  if (set.name !== undefined) await assertNameFree(trx, set.name, id);
  if (set.status === 'retired' && websiteCount > 0) {
    throw new AppError(
      'SERVER_IN_USE',
      `Server ${cur.name} still hosts ${websiteCount} website(s); move or retire them first`,
      { details: { websiteCount, fields: [{ path: 'status', message: 'websites still run on it' }] } },
    );
  }
  let row: ServerWithCount;
  try {
    row = await repo.updateServer(trx, id, set, websiteCount);
  } catch (e) {
    if (isUniqueViolation(e) && set.name !== undefined) throw nameTaken(set.name);
    throw e;
  }
  const after = presentServer(row);
  await recordChange(trx, ctx, {
    entity: 'server',
    id,
    action: 'update',
    reason: input.reason,
    caseId: input.caseId,
    before,
    after,
  });
  return after;
}
