import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import type { Page, PageInput } from '../shared/pagination.ts';
import { recordChange } from './history.ts';
import { checkHostname } from './names.ts';
import type { CreateZoneInput, DnsName, UpdateZoneInput, Zone } from './registry.schemas.ts';
import type { DnsNameRow, DnsNameTable, DnsZoneRow } from './registry.tables.ts';
import {
  type RegistryDeps,
  requireRegistryEditor,
  requireRegistryManager,
  requireRegistryReader,
} from './registry-deps.ts';
import {
  activeZones,
  deleteName,
  findName,
  findNameRow,
  findZone,
  findZoneForUpdate,
  insertNameIfFree,
  insertZone,
  listNameRows,
  listZoneRows,
  type NameListRow,
  purgeExpiredName,
  updateZoneRow,
  type ZoneWithCount,
} from './zone.repository.ts';

function presentZone(z: ZoneWithCount): Zone {
  return {
    id: z.id,
    name: z.name,
    notes: z.notes,
    active: z.active,
    nsServer: z.ns_server_id && z.ns_server_name ? { id: z.ns_server_id, name: z.ns_server_name } : null,
    namesInUse: Number(z.names_in_use ?? 0),
    version: z.version,
    createdAt: z.created_at.toISOString(),
    updatedAt: z.updated_at.toISOString(),
  };
}

function presentName(n: NameListRow): DnsName {
  return {
    id: n.id,
    zoneId: n.zone_id,
    label: n.label,
    hostname: `${n.label}.${n.zone_name}`,
    kind: n.kind,
    website: n.website_id
      ? {
          id: n.website_id,
          status: (n.website_status ?? 'planned') as NonNullable<DnsName['website']>['status'],
          opdName: n.opd_name,
        }
      : null,
    note: n.note,
    heldUntil: n.held_until ? n.held_until.toISOString() : null,
    createdAt: n.created_at.toISOString(),
  };
}

export async function listZones(db: Kysely<Database>, ctx: Ctx): Promise<Zone[]> {
  requireRegistryReader(ctx.actor);
  return (await listZoneRows(db)).map(presentZone);
}

async function zoneById(db: Kysely<Database>, id: string): Promise<Zone> {
  const z = (await listZoneRows(db)).find((r) => r.id === id);
  if (!z) throw notFound('Zone');
  return presentZone(z);
}

export async function createZone(trx: Kysely<Database>, input: CreateZoneInput, ctx: Ctx): Promise<Zone> {
  requireRegistryManager(ctx.actor);
  if (input.nsServerId) await assertNameServer(trx, input.nsServerId);
  const row = await insertZone(trx, {
    name: input.name,
    notes: input.notes ?? null,
    ns_server_id: input.nsServerId ?? null,
  });
  if (!row) {
    throw new AppError('ZONE_EXISTS', `The zone ${input.name} is already registered`, {
      details: { fields: [{ path: 'name', message: 'already registered' }] },
    });
  }
  const zone = await zoneById(trx, row.id);
  await recordChange(trx, ctx, {
    entity: 'dns_zone',
    id: row.id,
    action: 'create',
    reason: input.reason,
    caseId: input.caseId,
    after: zone,
  });
  return zone;
}

export async function updateZone(
  trx: Kysely<Database>,
  id: string,
  input: UpdateZoneInput,
  ctx: Ctx,
): Promise<Zone> {
  requireRegistryManager(ctx.actor);
  const cur = await findZoneForUpdate(trx, id);
  if (!cur) throw notFound('Zone');
  if (cur.version !== input.version) {
    throw new AppError('VERSION_CONFLICT', 'The zone was changed by someone else; reload it and try again');
  }
  const before = await zoneById(trx, id);
  if (input.nsServerId) await assertNameServer(trx, input.nsServerId);
  await updateZoneRow(trx, id, {
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
    ...(input.nsServerId !== undefined ? { ns_server_id: input.nsServerId } : {}),
  });
  const after = await zoneById(trx, id);
  await recordChange(trx, ctx, {
    entity: 'dns_zone',
    id,
    action: 'update',
    reason: input.reason,
    caseId: input.caseId,
    before,
    after,
  });
  return after;
}

export async function listZoneNames(
  db: Kysely<Database>,
  zoneId: string,
  f: { q?: string | undefined; kind?: DnsNameTable['kind'] | undefined },
  page: PageInput,
  ctx: Ctx,
): Promise<Page<DnsName>> {
  requireRegistryReader(ctx.actor);
  if (!(await findZone(db, zoneId))) throw notFound('Zone');
  const { rows, total } = await listNameRows(db, zoneId, f, page);
  return { items: rows.map(presentName), total, ...page };
}

/** Keeps a label in a zone for later (nobody's website may take it until it is released). */
export async function reserveName(
  trx: Kysely<Database>,
  zoneId: string,
  input: {
    label: string;
    note?: string | null | undefined;
    reason?: string | undefined;
    caseId?: string | undefined;
  },
  ctx: Ctx,
  deps: RegistryDeps,
): Promise<DnsName> {
  requireRegistryEditor(ctx.actor);
  const zone = await findZone(trx, zoneId);
  if (!zone) throw notFound('Zone');
  const hostname = `${input.label}.${zone.name}`;
  const check = checkHostname(hostname, { zones: [zone.name], reserved: deps.reservedLabels });
  if (!check.ok) throw nameError('label', check.reason);
  await purgeExpiredName(trx, zoneId, input.label, deps.now());
  const row = await insertNameIfFree(trx, {
    zone_id: zoneId,
    label: input.label,
    kind: 'reserved',
    website_id: null,
    note: input.note ?? null,
  });
  if (!row) throw takenError('label', hostname);
  await recordChange(trx, ctx, {
    entity: 'dns_zone',
    id: zoneId,
    action: 'name_reserved',
    reason: input.reason,
    caseId: input.caseId,
    after: { hostname, note: row.note },
  });
  return presentName({ ...row, zone_name: zone.name, website_status: null, opd_name: null });
}

/** Releases a reserved label; names held by websites go with their website, never from here. */
export async function unreserveName(
  trx: Kysely<Database>,
  id: string,
  reason: string | undefined,
  ctx: Ctx,
): Promise<void> {
  requireRegistryEditor(ctx.actor);
  const row = await findNameRow(trx, id);
  if (!row) throw notFound('Name');
  if (row.kind !== 'reserved') {
    throw new AppError('CONFLICT', 'This name belongs to a website; change or retire the website instead');
  }
  const zone = await findZone(trx, row.zone_id);
  await deleteName(trx, id);
  await recordChange(trx, ctx, {
    entity: 'dns_zone',
    id: row.zone_id,
    action: 'name_released',
    reason,
    before: { hostname: `${row.label}.${zone?.name ?? ''}`, note: row.note },
  });
}

/** A zone's name server must be a registry server with the DNS role. */
async function assertNameServer(db: Kysely<Database>, serverId: string): Promise<void> {
  const s = await db
    .selectFrom('servers')
    .select(['roles', 'status'])
    .where('id', '=', serverId)
    .executeTakeFirst();
  const message = !s
    ? 'no such server'
    : !s.roles.includes('dns')
      ? 'the server has no DNS role'
      : s.status === 'retired'
        ? 'the server is retired'
        : null;
  if (message) {
    throw new AppError('FIELD_INVALID', `nsServerId: ${message}`, {
      details: { fields: [{ path: 'nsServerId', message }] },
    });
  }
}

function nameError(path: string, reason: string): AppError {
  return new AppError('NAME_INVALID', `The name is not allowed: ${reason}`, {
    details: { fields: [{ path, message: reason }] },
  });
}

function takenError(path: string, hostname: string, held?: Date | null): AppError {
  const message = held
    ? `${hostname} is held after its website was retired, until ${held.toISOString().slice(0, 10)}`
    : `${hostname} is already in use or reserved`;
  return new AppError('NAME_TAKEN', message, { details: { fields: [{ path, message }] } });
}

/** A host name split into its managed zone and label, after every rule of names.ts. */
export type ResolvedName = { zoneId: string; zone: string; label: string; hostname: string };

/** Checks a full host name against the managed zones and the reserved list; throws NAME_INVALID. */
export async function resolveHostname(
  db: Kysely<Database>,
  hostname: string,
  deps: RegistryDeps,
  path = 'hostname',
): Promise<ResolvedName> {
  return resolveIn(await activeZones(db), hostname, deps, path);
}

function resolveIn(
  zones: Pick<DnsZoneRow, 'id' | 'name'>[],
  hostname: string,
  deps: RegistryDeps,
  path: string,
): ResolvedName {
  const check = checkHostname(hostname, { zones: zones.map((z) => z.name), reserved: deps.reservedLabels });
  if (!check.ok) throw nameError(path, check.reason);
  const zone = zones.find((z) => z.name === check.zone);
  if (!zone) throw nameError(path, 'not inside a managed zone');
  return { zoneId: zone.id, zone: zone.name, label: check.label, hostname };
}

/**
 * Claims a name for a website, atomically (the unique index decides between concurrent claims).
 * Claiming a name the website already holds is a no-op; a name held by anything else is refused.
 */
export async function claimName(
  trx: Kysely<Database>,
  name: ResolvedName,
  websiteId: string,
  kind: 'website' | 'alias',
  deps: RegistryDeps,
  path = 'hostname',
): Promise<DnsNameRow> {
  await purgeExpiredName(trx, name.zoneId, name.label, deps.now());
  const row = await insertNameIfFree(trx, {
    zone_id: name.zoneId,
    label: name.label,
    kind,
    website_id: websiteId,
  });
  if (row) return row;
  const existing = await findName(trx, name.zoneId, name.label);
  if (existing && existing.website_id === websiteId && !existing.held_until) {
    if (existing.kind !== kind) {
      throw new AppError(
        'NAME_TAKEN',
        `${name.hostname} is already this website's ${existing.kind === 'alias' ? 'alias' : 'main name'}`,
        {
          details: { fields: [{ path, message: 'already used by this website' }] },
        },
      );
    }
    return existing;
  }
  throw takenError(path, name.hostname, existing?.held_until);
}

/**
 * Whether a host name could be taken now (for forms): the same rules as a real claim, without
 * claiming. The website's own current names count as available to it.
 */
export async function checkNameAvailable(
  db: Kysely<Database>,
  hostname: string,
  websiteId: string | undefined,
  deps: RegistryDeps,
): Promise<{ hostname: string; available: boolean; reason: string | null; zones: string[] }> {
  const managed = await activeZones(db);
  const zones = managed.map((z) => z.name).sort();
  const answer = (available: boolean, reason: string | null) => ({ hostname, available, reason, zones });
  let name: ResolvedName;
  try {
    name = resolveIn(managed, hostname, deps, 'hostname');
  } catch (e) {
    if (e instanceof AppError) return answer(false, e.message);
    throw e;
  }
  const existing = await findName(db, name.zoneId, name.label);
  if (!existing) return answer(true, null);
  if (existing.held_until && existing.held_until <= deps.now()) return answer(true, null);
  if (websiteId && existing.website_id === websiteId && existing.kind === 'website' && !existing.held_until) {
    return answer(true, null);
  }
  return answer(false, takenError('hostname', hostname, existing.held_until).message);
}
