import type { Kysely } from 'kysely';
import { websiteOfCase } from '../cases/case-facts.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import type { FieldDef } from '../sop/definition.ts';
import { claimAddressForWebsite } from './ip-pool.service.ts';
import type { Website } from './registry.schemas.ts';
import type { RegistryDeps } from './registry-deps.ts';
import { findWebsiteDetail } from './website.repository.ts';
import { changeWebsiteStatus, createWebsite, updateWebsite } from './website.service.ts';
import { checkNameAvailable, resolveHostname } from './zone.service.ts';

// Cases and the registry meet here: a request names the website it updates (or the address it
// would like) in its facts, the start of work creates the planned record, and the installation
// fills server, address and name and makes it active.

function refError(
  path: string,
  message: string,
  code: 'REFERENCE_INVALID' | 'NAME_TAKEN' = 'REFERENCE_INVALID',
) {
  return new AppError(code, `${path}: ${message}`, { details: { fields: [{ path, message }] } });
}

/**
 * Checks the registry facts of a request (fields of type `website` and `hostname`, as the SOP's
 * request step declares them) and returns the facts the case keeps. A website must be one of the
 * OPD's own and not retired; a wished-for address must be in a managed zone and free (it is not held
 * yet). A request about an existing website wishes for no address: its hostname facts are dropped.
 * The case's website is then named by the well-known facts `websiteId` (the record, if any) and
 * `websiteRef` (its address, or the one wished for), which the case page and the registry read.
 */
export async function resolveRequestFacts(
  db: Kysely<Database>,
  v: { opdId: string; fields: readonly FieldDef[]; facts: Record<string, unknown> },
  deps: RegistryDeps,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...v.facts };
  const websites = v.fields.filter((f) => f.type === 'website');
  const hostnames = v.fields.filter((f) => f.type === 'hostname');
  if (websites.length === 0 && hostnames.length === 0) return out;
  let websiteId: string | null = null;
  let websiteRef: string | null = null;
  for (const f of websites) {
    const id = out[f.key];
    if (typeof id !== 'string') continue;
    const w = await ownWebsite(db, id, v.opdId, f.key);
    out[f.key] = w.id;
    if (!websiteId) {
      websiteId = w.id;
      websiteRef = w.hostname;
    }
  }
  for (const f of hostnames) {
    const hostname = out[f.key];
    if (typeof hostname !== 'string') continue;
    if (websiteId) {
      delete out[f.key];
      continue;
    }
    await resolveHostname(db, hostname, deps, f.key);
    const check = await checkNameAvailable(db, hostname, undefined, deps);
    if (!check.available) throw refError(f.key, check.reason ?? 'not available', 'NAME_TAKEN');
    websiteRef ??= hostname;
  }
  delete out.websiteId;
  delete out.websiteRef;
  return {
    ...out,
    ...(websiteId ? { websiteId } : {}),
    ...(websiteRef ? { websiteRef } : {}),
  };
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
  c: { id: string; opd_id: string; subject: string; facts: Record<string, unknown> },
  v: { websiteExists: boolean; websiteId?: string | undefined },
  ctx: Ctx,
  deps: RegistryDeps,
): Promise<{ websiteId: string; websiteRef: string | null; created: boolean; note: string | null }> {
  const { websiteId, websiteRef } = websiteOfCase(c);
  if (v.websiteExists) {
    const id = v.websiteId ?? websiteId;
    if (!id) throw refError('websiteId', 'pick the existing website');
    const w = await ownWebsite(trx, id, c.opd_id, 'websiteId');
    return { websiteId: w.id, websiteRef: w.hostname, created: false, note: null };
  }
  if (websiteId) {
    const w = await findWebsiteDetail(trx, websiteId);
    if (w && w.status !== 'retired')
      return { websiteId: w.id, websiteRef: w.hostname, created: false, note: null };
  }
  let hostname: string | undefined;
  let note: string | null = null;
  if (websiteRef) {
    const check = await checkNameAvailable(trx, websiteRef, undefined, deps);
    if (check.available) hostname = websiteRef;
    else note = `The requested address ${websiteRef} is no longer available: ${check.reason}`;
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
  c: { id: string; facts: Record<string, unknown> },
  v: { cms: string; template: string },
  ctx: Ctx,
  deps: RegistryDeps,
): Promise<void> {
  const { websiteId } = websiteOfCase(c);
  if (!websiteId) return;
  const w = await findWebsiteDetail(trx, websiteId);
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
  c: { id: string; facts: Record<string, unknown> },
  v: InstallationInput,
  ctx: Ctx,
  deps: RegistryDeps,
): Promise<Website> {
  const { websiteId } = websiteOfCase(c);
  if (!websiteId) throw refError('serverId', 'this request has no website in the registry yet');
  const cur = await findWebsiteDetail(trx, websiteId);
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
