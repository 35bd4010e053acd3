import { AppError } from '../../errors.ts';
import { recordChange } from '../../registry/history.ts';
import { allocateAddress, claimAddressForWebsite } from '../../registry/ip-pool.service.ts';
import { findServer } from '../../registry/server.repository.ts';
import { createServer, updateServer } from '../../registry/server.service.ts';
import { findWebsiteDetail } from '../../registry/website.repository.ts';
import { createWebsite, updateWebsite } from '../../registry/website.service.ts';
import { checkNameAvailable } from '../../registry/zone.service.ts';
import type {
  AddressAllocateInput,
  NameReserveInput,
  RelatedEffect,
  ServerRecordInput,
} from '../../sop/blocks/registry-effects.ts';
import type { HandlerArgs, HandlerResult } from '../action-handlers.ts';
import { type ServerPlacement, setServerPlacement } from './related.repository.ts';
import { fieldError, notYet, textOf } from './related-common.ts';

// The database side of the registry block's related effects (src/sop/blocks/registry-effects.ts):
// each writes through the registry's own services, so its rules, its history (with the case named)
// and its audit apply as when a person edits the registry.

const reasonOf = (a: HandlerArgs) => `${a.c.ref}: ${a.step.title.id}`.slice(0, 2000);

/** A server recorded for the requesting OPD (colocation: rack, unit, power; cloud: its size). */
async function serverRecord(a: HandlerArgs): Promise<HandlerResult> {
  const { trx, c, ctx } = a;
  const v = a.payload as ServerRecordInput;
  if (textOf(c.facts.serverId)) throw notYet('this case has recorded its server already');
  const server = await createServer(
    trx,
    {
      name: v.name,
      kind: v.kind,
      location: v.location,
      os: v.os ?? null,
      addresses: [],
      roles: [],
      capacityNotes: null,
      status: 'active',
      notes: v.notes ?? null,
      reason: reasonOf(a),
      caseId: c.id,
    },
    ctx,
  );
  const placement: ServerPlacement = {
    owner_opd_id: c.opd_id,
    rack: v.rack ?? null,
    rack_position: v.rackPosition ?? null,
    power_watts: v.powerWatts ?? null,
    vcpu: v.vcpu ?? null,
    memory_gb: v.memoryGb ?? null,
    disk_gb: v.diskGb ?? null,
    created_case_id: c.id,
  };
  await setServerPlacement(trx, server.id, placement);
  await recordChange(trx, ctx, {
    entity: 'server',
    id: server.id,
    action: 'placement',
    reason: reasonOf(a),
    caseId: c.id,
    after: {
      ownerOpdId: c.opd_id,
      rack: placement.rack,
      rackPosition: placement.rack_position,
      powerWatts: placement.power_watts,
      vcpu: placement.vcpu,
      memoryGb: placement.memory_gb,
      diskGb: placement.disk_gb,
    },
  });
  return {
    facts: {
      serverId: server.id,
      serverName: server.name,
      server: {
        name: server.name,
        kind: server.kind,
        location: server.location,
        rack: placement.rack,
        rackPosition: placement.rack_position,
        powerWatts: placement.power_watts,
        vcpu: placement.vcpu,
        memoryGb: placement.memory_gb,
        diskGb: placement.disk_gb,
      },
    },
    outputs: {
      serverId: server.id,
      server: server.name,
      kind: server.kind,
      location: server.location,
      rack: placement.rack,
      rackPosition: placement.rack_position,
      powerWatts: placement.power_watts,
      vcpu: placement.vcpu,
      memoryGb: placement.memory_gb,
      diskGb: placement.disk_gb,
    },
  };
}

/** Addresses for the server this case recorded: picked, or the next free ones of a pool. */
async function addressAllocate(a: HandlerArgs): Promise<HandlerResult> {
  const { trx, c, ctx, deps } = a;
  const v = a.payload as AddressAllocateInput;
  const serverId = textOf(c.facts.serverId);
  if (!serverId) throw notYet('record the server first: the addresses are allocated to it');
  if (v.address && v.count > 1)
    throw fieldError('FIELD_INVALID', 'count', 'one address when a particular one is picked');
  const addresses: string[] = [];
  for (let i = 0; i < v.count; i++) {
    const al = await allocateAddress(
      trx,
      v.poolId,
      {
        kind: 'server',
        serverId,
        ...(v.address ? { address: v.address } : {}),
        note: `${c.ref}`,
        reason: reasonOf(a),
        caseId: c.id,
      },
      ctx,
      deps.registry,
    );
    addresses.push(al.address);
  }
  const cur = await findServer(trx, serverId);
  if (!cur) throw new AppError('NOT_FOUND', 'The case’s server is gone from the registry');
  await updateServer(
    trx,
    serverId,
    {
      version: cur.version,
      addresses: [...cur.addresses, ...addresses],
      reason: reasonOf(a),
      caseId: c.id,
    },
    ctx,
  );
  const all = [...(Array.isArray(c.facts.addresses) ? (c.facts.addresses as string[]) : []), ...addresses];
  return { facts: { addresses: all }, outputs: { addresses, server: cur.name, notes: v.notes ?? null } };
}

/**
 * The name checked and reserved for the requesting OPD: a planned website in the registry under a
 * managed zone, with the server it will run on, its address and (when asked) its database.
 */
async function nameReserve(a: HandlerArgs): Promise<HandlerResult> {
  const { trx, c, ctx, deps } = a;
  const v = a.payload as NameReserveInput;
  if (textOf(c.facts.websiteId)) throw notYet('this case has reserved its name already');
  const check = await checkNameAvailable(trx, v.hostname, undefined, deps.registry);
  if (!check.available) {
    throw new AppError('NAME_TAKEN', `hostname: ${check.reason ?? 'not available'}`, {
      details: { fields: [{ path: 'hostname', message: check.reason ?? 'not available' }] },
    });
  }
  let w = await createWebsite(
    trx,
    {
      opdId: c.opd_id,
      status: 'planned',
      purpose: c.subject.slice(0, 500),
      hostname: v.hostname,
      serverId: v.serverId,
      ...(v.ipAddress ? { ipAddress: v.ipAddress } : {}),
      ...(v.dbEngine ? { dbEngine: v.dbEngine, dbServerId: v.dbServerId } : {}),
      createdCaseId: c.id,
      reason: reasonOf(a),
    },
    ctx,
    deps.registry,
  );
  if (!v.ipAddress && v.poolId) {
    const { address } = await claimAddressForWebsite(
      trx,
      { websiteId: w.id, serverId: v.serverId, poolId: v.poolId },
      ctx,
      deps.registry,
    );
    const fresh = await findWebsiteDetail(trx, w.id);
    w = await updateWebsite(
      trx,
      w.id,
      {
        version: fresh?.version ?? w.version,
        ipAddress: address,
        caseId: c.id,
        reason: reasonOf(a),
      },
      ctx,
      deps.registry,
    );
  }
  return {
    facts: { websiteId: w.id, websiteRef: w.hostname },
    outputs: { websiteId: w.id, hostname: w.hostname, ipAddress: w.ipAddress, notes: v.notes ?? null },
  };
}

/** The related effects' `record` handlers, by effect. */
export const RELATED_EFFECT_HANDLERS: Record<RelatedEffect, (a: HandlerArgs) => Promise<HandlerResult>> = {
  'server.record': serverRecord,
  'address.allocate': addressAllocate,
  'name.reserve': nameReserve,
};
