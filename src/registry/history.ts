import { type Kysely, sql } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import type { Audience } from '../auth/policy.ts';
import { positionOf } from '../cases/case-audience.ts';
import type { Database } from '../db/schema.ts';
import type { Ctx } from '../shared/context.ts';
import type { HistoryEntry } from './registry.schemas.ts';

/** The registry's record kinds as they appear in the audit log's entity_type. */
export type RegistryEntity = 'website' | 'server' | 'ip_pool' | 'dns_zone';

/**
 * Records one change to a registry record: who (ctx), when (now), why (reason, and the case it
 * belongs to), and the record before and after. Written in the caller's transaction into the
 * append-only audit log, so the history commits or rolls back with the change.
 * Never pass secrets in before/after: present the record first.
 */
export async function recordChange(
  trx: Kysely<Database>,
  ctx: Ctx,
  change: {
    entity: RegistryEntity;
    id: string;
    action: string;
    reason?: string | null | undefined;
    caseId?: string | null | undefined;
    before?: unknown;
    after?: unknown;
  },
): Promise<void> {
  await recordAudit(trx, ctx, {
    action: `${change.entity}.${change.action}`,
    entityType: change.entity,
    entityId: change.id,
    details: {
      reason: change.reason ?? null,
      caseId: change.caseId ?? null,
      before: change.before ?? null,
      after: change.after ?? null,
    },
  });
}

type Row = {
  id: string;
  at: Date;
  action: string;
  actor_username: string | null;
  actor_name: string | null;
  actor_roles: string[] | null;
  actor_opd_id: string | null;
  details: Record<string, unknown>;
  case_ref: string | null;
  case_status: string | null;
};

/** What an OPD reads for a provisioning run that failed: a plain status, never the technical error. */
export const PROVISIONING_FAILED_FOR_OPD = 'Pemasangan di server gagal; petugas DKISP sedang menanganinya.';

/**
 * A record's changes, newest first (at most `limit`), shaped for `aud`
 * (docs/adr/0009-what-the-opd-sees.md). DKISP staff see everything. An OPD — only ever for its own
 * website — sees who acted by position (not the account), what changed, when and for which case;
 * not the free-text reasons staff wrote, and for provisioning runs only the outcome in plain words
 * (no run ids, steps or error messages). Registry records other than websites are DKISP's only.
 */
export async function readChanges(
  db: Kysely<Database>,
  entity: RegistryEntity,
  id: string,
  limit = 500,
  aud: Audience = 'staff',
): Promise<HistoryEntry[]> {
  const { rows } = await sql<Row>`
    SELECT a.id, a.at, a.action, a.actor_username, u.full_name AS actor_name, u.roles AS actor_roles,
           u.opd_id AS actor_opd_id, a.details, c.ref AS case_ref, c.status AS case_status
    FROM audit_log a
    LEFT JOIN users u ON u.id = a.actor_id
    LEFT JOIN cases c ON c.id::text = a.details->>'caseId'
    WHERE a.entity_type = ${entity} AND a.entity_id = ${id}
    ORDER BY a.at DESC, a.id DESC
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => {
    const d = r.details;
    const caseId = typeof d.caseId === 'string' ? d.caseId : null;
    if (aud === 'opd') return forOpd(r, caseId);
    return {
      id: `change:${r.id}`,
      at: r.at.toISOString(),
      kind: 'change',
      action: r.action,
      actor: r.actor_username,
      reason: typeof d.reason === 'string' ? d.reason : null,
      case: caseId && r.case_ref ? { id: caseId, ref: r.case_ref, status: r.case_status } : null,
      before: isObject(d.before) ? d.before : null,
      after: isObject(d.after) ? d.after : null,
    };
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One change as the owning OPD reads it. */
function forOpd(r: Row, caseId: string | null): HistoryEntry {
  const d = r.details;
  const provisioning = r.action.includes('.provision.');
  const actor =
    r.actor_roles === null
      ? 'DKISP'
      : r.actor_roles.includes('opd') || r.actor_opd_id
        ? r.actor_name
        : positionOf(r.actor_roles).label;
  return {
    id: `change:${r.id}`,
    at: r.at.toISOString(),
    kind: 'change',
    action: r.action,
    actor,
    reason: provisioning && r.action.endsWith('.failed') ? PROVISIONING_FAILED_FOR_OPD : null,
    case: caseId && r.case_ref ? { id: caseId, ref: r.case_ref, status: r.case_status } : null,
    before: provisioning ? null : opdFields(d.before),
    after: provisioning ? null : opdFields(d.after),
  };
}

/** A website snapshot without DKISP's internal notes (the OPD does not see them on the record either). */
function opdFields(v: unknown): Record<string, unknown> | null {
  if (!isObject(v)) return null;
  const { notes: _notes, ...rest } = v;
  return rest;
}
