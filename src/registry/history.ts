import { type Kysely, sql } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
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
  details: Record<string, unknown>;
  case_ref: string | null;
  case_status: string | null;
};

/** A record's changes, newest first (at most `limit`). */
export async function readChanges(
  db: Kysely<Database>,
  entity: RegistryEntity,
  id: string,
  limit = 500,
): Promise<HistoryEntry[]> {
  const { rows } = await sql<Row>`
    SELECT a.id, a.at, a.action, a.actor_username, a.details, c.ref AS case_ref, c.status AS case_status
    FROM audit_log a
    LEFT JOIN cases c ON c.id::text = a.details->>'caseId'
    WHERE a.entity_type = ${entity} AND a.entity_id = ${id}
    ORDER BY a.at DESC, a.id DESC
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => {
    const d = r.details;
    const caseId = typeof d.caseId === 'string' ? d.caseId : null;
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
