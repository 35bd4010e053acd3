import { randomUUID } from 'node:crypto';
import type { Kysely, Updateable } from 'kysely';
import { audienceOf, opdScope } from '../auth/policy.ts';
import type { Database } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { findOrgById } from '../orgs/org.repository.ts';
import type { Ctx } from '../shared/context.ts';
import type { Page, PageInput } from '../shared/pagination.ts';
import { currentSopOrNull, hasSopVersion, sopVersion } from '../sop/catalogue.ts';
import { readChanges, recordChange } from './history.ts';
import { claimAddressForWebsite, releaseWebsiteAddresses } from './ip-pool.service.ts';
import { checkDocumentRootPath } from './names.ts';
import type {
  ChangeStatusInput,
  CreateWebsiteInput,
  HistoryEntry,
  UpdateWebsiteInput,
  Website,
  WebsiteListItem,
} from './registry.schemas.ts';
import type { WebsiteStatus, WebsiteTable } from './registry.tables.ts';
import { heldUntil, type RegistryDeps, requireRegistryEditor } from './registry-deps.ts';
import { seal } from './secret-box.ts';
import {
  casesOfWebsite,
  findServerBrief,
  findWebsiteDetail,
  insertWebsiteRow,
  listWebsiteRows,
  updateWebsiteRow,
  type WebsiteDetailRow,
  type WebsiteFilter,
  type WebsiteListRow,
  type WebsiteSort,
} from './website.repository.ts';
import { deleteName, namesOfWebsite, releaseNamesOfWebsite } from './zone.repository.ts';
import { claimName, resolveHostname } from './zone.service.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentListItem(r: WebsiteListRow): WebsiteListItem {
  return {
    id: r.id,
    hostname: r.hostname,
    purpose: r.purpose,
    status: r.status,
    opd: { id: r.opd_id, code: r.opd_code, name: r.opd_name },
    server: r.server_id && r.server_name ? { id: r.server_id, name: r.server_name } : null,
    ipAddress: r.ip_address,
    cms: r.cms,
    tlsExpiresAt: iso(r.tls_expires_at),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The website as every client sees it: the stored password never leaves, only whether one is set. */
export function presentWebsite(r: WebsiteDetailRow): Website {
  return {
    ...presentListItem({ ...r, server_name: r.server_name }),
    label: r.label,
    zone: r.zone_id && r.zone_name ? { id: r.zone_id, name: r.zone_name } : null,
    aliases: r.aliases.map((a) => ({
      id: a.id,
      hostname: a.hostname,
      heldUntil: a.heldUntil ? new Date(a.heldUntil).toISOString() : null,
    })),
    cmsVersion: r.cms_version,
    template: r.template,
    database: {
      engine: r.db_engine,
      server: r.db_server_id && r.db_server_name ? { id: r.db_server_id, name: r.db_server_name } : null,
      host: r.db_host,
      name: r.db_name,
      user: r.db_user,
      passwordSet: r.db_password_enc !== null,
    },
    tls: { issuer: r.tls_issuer, expiresAt: iso(r.tls_expires_at) },
    documentRoot: r.document_root,
    contact: { name: r.contact_name, nip: r.contact_nip, phone: r.contact_phone, email: r.contact_email },
    notes: r.notes,
    createdCase: r.created_case_id && r.case_ref ? { id: r.created_case_id, ref: r.case_ref } : null,
    heldUntil: r.status === 'retired' ? iso(r.name_held_until) : null,
    retiredAt: iso(r.retired_at),
    version: r.version,
    createdAt: r.created_at.toISOString(),
  };
}

/** What the history keeps of a website: its presented form minus bookkeeping. */
function snapshot(w: Website): Record<string, unknown> {
  const { version: _v, updatedAt: _u, createdAt: _c, ...rest } = w;
  return rest;
}

function fieldError(path: string, message: string, code: 'FIELD_INVALID' | 'OPD_INACTIVE' = 'FIELD_INVALID') {
  return new AppError(code, `${path}: ${message}`, { details: { fields: [{ path, message }] } });
}

async function loadVisible(db: Kysely<Database>, id: string, ctx: Ctx): Promise<WebsiteDetailRow> {
  const own = opdScope(ctx.actor);
  const row = await findWebsiteDetail(db, id);
  if (!row || (own && row.opd_id !== own)) throw notFound('Website');
  return row;
}

export async function listWebsites(
  db: Kysely<Database>,
  filter: WebsiteFilter,
  sort: { by: WebsiteSort; dir: 'asc' | 'desc' },
  page: PageInput,
  ctx: Ctx,
): Promise<Page<WebsiteListItem> & { totalCapped: boolean }> {
  // An OPD sees only its own agency's websites, whatever filter it sends.
  const own = opdScope(ctx.actor);
  const f = own ? { ...filter, opdId: own } : filter;
  const { rows, total, totalCapped } = await listWebsiteRows(db, f, sort, page);
  return { items: rows.map(presentListItem), total, totalCapped, ...page };
}

/**
 * A website for its reader: DKISP staff see the whole record; its OPD sees it without DKISP's
 * internal notes (docs/adr/0009-what-the-opd-sees.md).
 */
export async function getWebsite(db: Kysely<Database>, id: string, ctx: Ctx): Promise<Website> {
  const w = presentWebsite(await loadVisible(db, id, ctx));
  return audienceOf(ctx.actor) === 'staff' ? w : { ...w, notes: null };
}

async function reload(trx: Kysely<Database>, id: string): Promise<Website> {
  const row = await findWebsiteDetail(trx, id);
  if (!row) throw notFound('Website');
  return presentWebsite(row);
}

async function checkOpd(trx: Kysely<Database>, opdId: string): Promise<void> {
  const opd = await findOrgById(trx, 'opds', opdId);
  if (!opd) throw fieldError('opdId', 'no such OPD');
  if (!opd.active) throw fieldError('opdId', 'the OPD is inactive', 'OPD_INACTIVE');
}

async function checkServer(trx: Kysely<Database>, serverId: string, path = 'serverId'): Promise<void> {
  const s = await findServerBrief(trx, serverId);
  if (!s) throw fieldError(path, 'no such server');
  if (s.status === 'retired') throw fieldError(path, `the server ${s.name} is retired`);
}

function checkDocroot(path: string, deps: RegistryDeps): void {
  const c = checkDocumentRootPath(path, deps.docrootBase);
  if (!c.ok) throw fieldError('documentRoot', c.reason);
}

function dbFields(input: Partial<CreateWebsiteInput>): Updateable<WebsiteTable> {
  const v: Updateable<WebsiteTable> = {};
  if (input.cms !== undefined) v.cms = input.cms;
  if (input.cmsVersion !== undefined) v.cms_version = input.cmsVersion;
  if (input.template !== undefined) v.template = input.template;
  if (input.dbEngine !== undefined) v.db_engine = input.dbEngine;
  if (input.dbHost !== undefined) v.db_host = input.dbHost;
  if (input.dbName !== undefined) v.db_name = input.dbName;
  if (input.dbUser !== undefined) v.db_user = input.dbUser;
  if (input.tlsIssuer !== undefined) v.tls_issuer = input.tlsIssuer;
  if (input.tlsExpiresAt !== undefined)
    v.tls_expires_at = input.tlsExpiresAt ? new Date(input.tlsExpiresAt) : null;
  if (input.documentRoot !== undefined) v.document_root = input.documentRoot;
  if (input.contactName !== undefined) v.contact_name = input.contactName;
  if (input.contactNip !== undefined) v.contact_nip = input.contactNip;
  if (input.contactPhone !== undefined) v.contact_phone = input.contactPhone;
  if (input.contactEmail !== undefined) v.contact_email = input.contactEmail;
  if (input.notes !== undefined) v.notes = input.notes;
  if (input.purpose !== undefined) v.purpose = input.purpose;
  return v;
}

function sealPassword(deps: RegistryDeps, websiteId: string, password: string | null): string | null {
  return password === null ? null : seal(deps.secretKey, password, `website:${websiteId}:db`);
}

async function syncAliases(
  trx: Kysely<Database>,
  websiteId: string,
  wanted: string[],
  primary: string | null,
  deps: RegistryDeps,
): Promise<void> {
  const unique = [...new Set(wanted)];
  if (primary && unique.includes(primary)) throw fieldError('aliases', `${primary} is the main name already`);
  const current = (await namesOfWebsite(trx, websiteId)).filter((n) => n.kind === 'alias');
  for (const n of current) {
    if (!unique.includes(`${n.label}.${n.zone_name}`)) await deleteName(trx, n.id);
  }
  for (const [i, hostname] of unique.entries()) {
    const name = await resolveHostname(trx, hostname, deps, `aliases.${i}`);
    await claimName(trx, name, websiteId, 'alias', deps, `aliases.${i}`);
  }
}

function assertActivatable(w: {
  hostname: string | null;
  server_id: string | null;
  ip_address: string | null;
}): void {
  const missing = [
    ...(w.hostname ? [] : ['hostname']),
    ...(w.server_id ? [] : ['serverId']),
    ...(w.ip_address ? [] : ['ipAddress']),
  ];
  if (missing.length > 0) {
    throw new AppError('STATUS_TRANSITION', `An active website needs ${missing.join(', ')}`, {
      details: { fields: missing.map((path) => ({ path, message: 'required for an active website' })) },
    });
  }
}

/** Creates a website record; names and the address are claimed in the same transaction. */
export async function createWebsite(
  trx: Kysely<Database>,
  input: CreateWebsiteInput & { createdCaseId?: string | undefined },
  ctx: Ctx,
  deps: RegistryDeps,
): Promise<Website> {
  requireRegistryEditor(ctx.actor);
  await checkOpd(trx, input.opdId);
  if (input.serverId) await checkServer(trx, input.serverId);
  if (input.dbServerId) await checkServer(trx, input.dbServerId, 'dbServerId');
  if (input.documentRoot) checkDocroot(input.documentRoot, deps);
  const name = input.hostname ? await resolveHostname(trx, input.hostname, deps) : null;
  const id = randomUUID();
  await insertWebsiteRow(trx, {
    id,
    opd_id: input.opdId,
    zone_id: name?.zoneId ?? null,
    label: name?.label ?? null,
    hostname: name?.hostname ?? null,
    purpose: input.purpose,
    status: 'planned',
    server_id: input.serverId ?? null,
    ip_address: null,
    cms: input.cms ?? null,
    cms_version: input.cmsVersion ?? null,
    template: input.template ?? null,
    db_engine: input.dbEngine ?? null,
    db_server_id: input.dbServerId ?? null,
    db_host: input.dbHost ?? null,
    db_name: input.dbName ?? null,
    db_user: input.dbUser ?? null,
    db_password_enc: input.dbPassword ? sealPassword(deps, id, input.dbPassword) : null,
    tls_issuer: input.tlsIssuer ?? null,
    tls_expires_at: input.tlsExpiresAt ? new Date(input.tlsExpiresAt) : null,
    document_root: input.documentRoot ?? null,
    contact_name: input.contactName ?? null,
    contact_nip: input.contactNip ?? null,
    contact_phone: input.contactPhone ?? null,
    contact_email: input.contactEmail ?? null,
    notes: input.notes ?? null,
    created_case_id: input.createdCaseId ?? null,
    retired_at: null,
  });
  if (name) await claimName(trx, name, id, 'website', deps);
  if (input.aliases?.length) await syncAliases(trx, id, input.aliases, name?.hostname ?? null, deps);
  let ip: string | null = null;
  if (input.ipAddress) {
    ip = (
      await claimAddressForWebsite(
        trx,
        { websiteId: id, serverId: input.serverId ?? null, address: input.ipAddress },
        ctx,
        deps,
      )
    ).address;
  }
  const status: WebsiteStatus = input.status ?? 'planned';
  if (status === 'active') {
    assertActivatable({
      hostname: name?.hostname ?? null,
      server_id: input.serverId ?? null,
      ip_address: ip,
    });
  }
  if (ip || status !== 'planned') {
    await trx.updateTable('websites').set({ ip_address: ip, status }).where('id', '=', id).execute();
  }
  const website = await reload(trx, id);
  await recordChange(trx, ctx, {
    entity: 'website',
    id,
    action: 'create',
    reason: input.reason,
    caseId: input.caseId ?? input.createdCaseId,
    after: snapshot(website),
  });
  return website;
}

/** The website, locked for a change the client based on `version`; a stale version changes nothing. */
async function lockForChange(trx: Kysely<Database>, id: string, version: number): Promise<WebsiteDetailRow> {
  const cur = await findWebsiteDetail(trx, id, { forUpdate: true });
  if (!cur) throw notFound('Website');
  if (cur.version !== version) {
    throw new AppError(
      'VERSION_CONFLICT',
      'The website was changed by someone else; reload it and try again',
    );
  }
  return cur;
}

/** Changes a website's record (not its status: see changeWebsiteStatus). */
export async function updateWebsite(
  trx: Kysely<Database>,
  id: string,
  input: UpdateWebsiteInput,
  ctx: Ctx,
  deps: RegistryDeps,
): Promise<Website> {
  requireRegistryEditor(ctx.actor);
  const cur = await lockForChange(trx, id, input.version);
  if (cur.status === 'retired') throw new AppError('WEBSITE_RETIRED', 'A retired website cannot be changed');
  const before = presentWebsite(cur);
  const set = dbFields(input);

  if (input.opdId !== undefined && input.opdId !== cur.opd_id) {
    await checkOpd(trx, input.opdId);
    set.opd_id = input.opdId;
  }
  const serverId = input.serverId !== undefined ? input.serverId : cur.server_id;
  if (input.serverId !== undefined && input.serverId !== cur.server_id) {
    if (input.serverId) await checkServer(trx, input.serverId);
    set.server_id = input.serverId;
  }
  if (input.documentRoot) checkDocroot(input.documentRoot, deps);
  if (input.dbServerId !== undefined && input.dbServerId !== cur.db_server_id) {
    if (input.dbServerId) await checkServer(trx, input.dbServerId, 'dbServerId');
    set.db_server_id = input.dbServerId;
  }

  let hostname = cur.hostname;
  if (input.hostname !== undefined && input.hostname !== cur.hostname) {
    if (input.hostname === null && cur.status !== 'planned') {
      throw fieldError('hostname', 'an active or suspended website keeps a name');
    }
    const old = (await namesOfWebsite(trx, id)).find((n) => n.kind === 'website');
    if (old) await deleteName(trx, old.id);
    if (input.hostname) {
      const name = await resolveHostname(trx, input.hostname, deps);
      await claimName(trx, name, id, 'website', deps);
      Object.assign(set, { zone_id: name.zoneId, label: name.label, hostname: name.hostname });
    } else {
      Object.assign(set, { zone_id: null, label: null, hostname: null });
    }
    hostname = input.hostname;
  }
  if (input.aliases !== undefined) await syncAliases(trx, id, input.aliases, hostname, deps);

  if (input.ipAddress !== undefined && input.ipAddress !== cur.ip_address) {
    if (input.ipAddress === null && cur.status !== 'planned') {
      throw fieldError('ipAddress', 'an active or suspended website keeps an address');
    }
    let address: string | null = null;
    if (input.ipAddress) {
      address = (
        await claimAddressForWebsite(trx, { websiteId: id, serverId, address: input.ipAddress }, ctx, deps)
      ).address;
    }
    await releaseWebsiteAddresses(trx, id, null, address ?? undefined);
    set.ip_address = address;
  }
  if (input.dbPassword !== undefined) set.db_password_enc = sealPassword(deps, id, input.dbPassword);

  await updateWebsiteRow(trx, id, set);
  const after = await reload(trx, id);
  await recordChange(trx, ctx, {
    entity: 'website',
    id,
    action: 'update',
    reason: input.reason,
    caseId: input.caseId,
    before: snapshot(before),
    after: {
      ...snapshot(after),
      ...(input.dbPassword !== undefined ? { databasePasswordChanged: true } : {}),
    },
  });
  return after;
}

const TRANSITIONS: Record<WebsiteStatus, WebsiteStatus[]> = {
  planned: ['active', 'retired'],
  active: ['suspended', 'retired'],
  suspended: ['active', 'retired'],
  retired: [],
};

/**
 * planned → active → suspended ⇄ active → retired. Retiring holds the website's names and
 * addresses for the configured quarantine, after which anyone may take them.
 */
export async function changeWebsiteStatus(
  trx: Kysely<Database>,
  id: string,
  input: ChangeStatusInput,
  ctx: Ctx,
  deps: RegistryDeps,
): Promise<Website> {
  requireRegistryEditor(ctx.actor);
  const cur = await lockForChange(trx, id, input.version);
  if (!TRANSITIONS[cur.status].includes(input.status)) {
    throw new AppError('STATUS_TRANSITION', `A ${cur.status} website cannot become ${input.status}`, {
      details: { from: cur.status, to: input.status, allowed: TRANSITIONS[cur.status] },
    });
  }
  const before = presentWebsite(cur);
  const set: Updateable<WebsiteTable> = { status: input.status };
  if (input.status === 'active') assertActivatable(cur);
  if (input.status === 'retired') {
    const hold = deps.quarantineDays > 0 ? heldUntil(deps) : null;
    await releaseNamesOfWebsite(trx, id, hold);
    await releaseWebsiteAddresses(trx, id, hold);
    set.retired_at = deps.now();
  }
  await updateWebsiteRow(trx, id, set);
  const after = await reload(trx, id);
  await recordChange(trx, ctx, {
    entity: 'website',
    id,
    action: `status.${input.status}`,
    reason: input.reason,
    caseId: input.caseId,
    before: { status: before.status },
    after: { status: after.status, ...(after.heldUntil ? { heldUntil: after.heldUntil } : {}) },
  });
  return after;
}

/** The website's whole life: every change and every case about it, newest first. */
/**
 * What a case about the website is, in its history: a request for a new website or to update one
 * (the website service's `kind` fact), or — any other service's case (hosting, a subdomain), or one
 * that says neither — a request of its service, which the entry's `case.service` names.
 */
function caseAction(kind: string | null): string {
  if (kind === 'new') return 'case.new';
  if (kind === 'update') return 'case.update';
  return 'case.request';
}

/** The service of a case, by the SOP version it runs under (the current one's title if that is gone). */
function serviceOf(key: string, version: number): { key: string; title: { id: string; en: string } } {
  const sop = hasSopVersion(key, version) ? sopVersion(key, version) : currentSopOrNull(key);
  return { key, title: sop ? { id: sop.title.id, en: sop.title.en } : { id: key, en: key } };
}

export async function websiteHistory(db: Kysely<Database>, id: string, ctx: Ctx): Promise<HistoryEntry[]> {
  await loadVisible(db, id, ctx);
  const [changes, cases] = await Promise.all([
    readChanges(db, 'website', id, 500, audienceOf(ctx.actor)),
    casesOfWebsite(db, id),
  ]);
  const caseEntries: HistoryEntry[] = cases.map((c) => ({
    id: `case:${c.id}`,
    at: c.created_at.toISOString(),
    kind: 'case',
    action: caseAction(c.kind),
    actor: null,
    reason: c.subject,
    case: { id: c.id, ref: c.ref, status: c.status, service: serviceOf(c.sop_key, c.sop_version) },
    before: null,
    after: null,
  }));
  return [...changes, ...caseEntries].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}
