import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import { claimAddressForWebsite } from './ip-pool.service.ts';
import type { Website } from './registry.schemas.ts';
import type { RegistryDeps } from './registry-deps.ts';
import { findWebsiteDetail } from './website.repository.ts';
import { changeWebsiteStatus, createWebsite, updateWebsite } from './website.service.ts';
import { checkNameAvailable, resolveHostname } from './zone.service.ts';

// The website SOP's cases and the registry meet here: a request names the website it updates (or
// the address it would like), the start of work creates the planned record, and the installation
// fills server, address and name and makes it active.

function refError(
  path: string,
  message: string,
  code: 'REFERENCE_INVALID' | 'NAME_TAKEN' = 'REFERENCE_INVALID',
) {
  return new AppError(code, `${path}: ${message}`, { details: { fields: [{ path, message }] } });
}

/** Checks what a request says about its website; returns what the case keeps. */
export async function resolveRequestWebsite(
  db: Kysely<Database>,
  v: {
    kind: 'new' | 'update';
    opdId: string;
    websiteId?: string | undefined;
    requestedHostname?: string | undefined;
  },
  deps: RegistryDeps,
): Promise<{ websiteId: string | null; websiteRef: string | null }> {
  if (v.kind === 'update') {
    if (!v.websiteId) throw refError('websiteId', 'pick the website to update');
    const w = await ownWebsite(db, v.websiteId, v.opdId, 'websiteId');
    return { websiteId: w.id, websiteRef: w.hostname };
  }
  if (!v.requestedHostname) return { websiteId: null, websiteRef: null };
  await resolveHostname(db, v.requestedHostname, deps, 'requestedHostname');
  const check = await checkNameAvailable(db, v.requestedHostname, undefined, deps);
  if (!check.available) {
    throw refError('requestedHostname', check.reason ?? 'not available', 'NAME_TAKEN');
  }
  return { websiteId: null, websiteRef: v.requestedHostname };
}

/** A website of this OPD that is not retired; another OPD's website is reported as not found. */
async function ownWebsite(db: Kysely<Database>, id: string, opdId: string, path: string) {
  const w = await findWebsiteDetail(db, id);
  if (!w || w.opd_id !== opdId) throw refError(path, 'no such website of this OPD');
  if (w.status === 'retired') throw refError(path, 'the website is retired');
  return w;
}

/**
 * Start of work. A new website gets its planned record now (with the requested address when it is
 * still free); an update is tied to the OPD's existing website.
 */
export async function linkWebsiteAtStart(
  trx: Kysely<Database>,
  c: { id: string; opd_id: string; subject: string; website_id: string | null; website_ref: string | null },
  v: { websiteExists: boolean; websiteId?: string | undefined },
  ctx: Ctx,
  deps: RegistryDeps,
): Promise<{ websiteId: string; websiteRef: string | null; created: boolean; note: string | null }> {
  if (v.websiteExists) {
    const id = v.websiteId ?? c.website_id;
    if (!id) throw refError('websiteId', 'pick the existing website');
    const w = await ownWebsite(trx, id, c.opd_id, 'websiteId');
    return { websiteId: w.id, websiteRef: w.hostname, created: false, note: null };
  }
  if (c.website_id) {
    const w = await findWebsiteDetail(trx, c.website_id);
    if (w && w.status !== 'retired')
      return { websiteId: w.id, websiteRef: w.hostname, created: false, note: null };
  }
  let hostname: string | undefined;
  let note: string | null = null;
  if (c.website_ref) {
    const check = await checkNameAvailable(trx, c.website_ref, undefined, deps);
    if (check.available) hostname = c.website_ref;
    else note = `The requested address ${c.website_ref} is no longer available: ${check.reason}`;
  }
  const w: Website = await createWebsite(
    trx,
    {
      opdId: c.opd_id,
      status: 'planned',
      purpose: c.subject.slice(0, 500),
      hostname: hostname ?? null,
      createdCaseId: c.id,
      reason: 'Start of work on the request',
    },
    ctx,
    deps,
  );
  return { websiteId: w.id, websiteRef: w.hostname, created: true, note };
}

/** The build's CMS and template go into the record as soon as they are handed over. */
export async function recordBuild(
  trx: Kysely<Database>,
  c: { id: string; website_id: string | null },
  v: { cms: string; template: string },
  ctx: Ctx,
  deps: RegistryDeps,
): Promise<void> {
  if (!c.website_id) return;
  const w = await findWebsiteDetail(trx, c.website_id);
  if (!w || w.status === 'retired') return;
  await updateWebsite(
    trx,
    w.id,
    {
      version: w.version,
      cms: v.cms.slice(0, 100),
      template: v.template.slice(0, 200),
      caseId: c.id,
      reason: 'Build handed over',
    },
    ctx,
    deps,
  );
}

export type InstallationInput = {
  serverId: string;
  hostname?: string | undefined;
  ipAddress?: string | undefined;
  poolId?: string | undefined;
  documentRoot?: string | undefined;
};

/**
 * The installation step: the website gets its server, address (picked, or the next free one of a
 * pool) and name from the registry, and becomes active.
 */
export async function installWebsite(
  trx: Kysely<Database>,
  c: { id: string; website_id: string | null },
  v: InstallationInput,
  ctx: Ctx,
  deps: RegistryDeps,
): Promise<Website> {
  if (!c.website_id) throw refError('serverId', 'this request has no website in the registry yet');
  const cur = await findWebsiteDetail(trx, c.website_id);
  if (!cur) throw refError('serverId', 'the website record is missing');
  if (cur.status === 'retired') throw new AppError('WEBSITE_RETIRED', 'The website is retired');
  if (!v.ipAddress && !v.poolId && !cur.ip_address) {
    throw refError('poolId', 'pick an address, or a pool to take the next free address from');
  }
  let w = await updateWebsite(
    trx,
    cur.id,
    {
      version: cur.version,
      serverId: v.serverId,
      ...(v.hostname !== undefined ? { hostname: v.hostname } : {}),
      ...(v.ipAddress !== undefined ? { ipAddress: v.ipAddress } : {}),
      ...(v.documentRoot !== undefined ? { documentRoot: v.documentRoot } : {}),
      caseId: c.id,
      reason: 'Installation',
    },
    ctx,
    deps,
  );
  if (!v.ipAddress && v.poolId) {
    const { address } = await claimAddressForWebsite(
      trx,
      { websiteId: w.id, serverId: v.serverId, poolId: v.poolId },
      ctx,
      deps,
    );
    const fresh = await findWebsiteDetail(trx, w.id);
    w = await updateWebsite(
      trx,
      w.id,
      {
        version: fresh?.version ?? w.version,
        ipAddress: address,
        caseId: c.id,
        reason: 'Installation: next free address',
      },
      ctx,
      deps,
    );
  }
  if (w.status !== 'active') {
    w = await changeWebsiteStatus(
      trx,
      w.id,
      { version: w.version, status: 'active', reason: 'Installed', caseId: c.id },
      ctx,
      deps,
    );
  }
  return w;
}
