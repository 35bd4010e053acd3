import type { Kysely } from 'kysely';
import { requireAdmin } from '../auth/policy.ts';
import type { Database } from '../db/schema.ts';
import type { Ctx } from '../shared/context.ts';
import type { Page, PageInput } from '../shared/pagination.ts';
import { type AuditFilter, insertAudit, listAudit } from './audit.repository.ts';

export type AuditEntry = {
  id: string;
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
};

/**
 * Writes one audit entry inside the caller's transaction, so the record of a change commits or
 * rolls back with the change itself.
 */
export async function recordAudit(
  trx: Kysely<Database>,
  ctx: Ctx,
  entry: { action: string; entityType?: string; entityId?: string; details?: Record<string, unknown> },
): Promise<void> {
  await insertAudit(trx, {
    actorId: ctx.actor.id,
    actorUsername: ctx.actor.username,
    action: entry.action,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId ?? null,
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
    details: entry.details ?? {},
  });
}

/** Audit entries for a request that has no signed-in actor (failed logins). */
export async function recordAnonymousAudit(
  trx: Kysely<Database>,
  meta: Ctx['meta'],
  entry: { action: string; actorUsername?: string; details?: Record<string, unknown> },
): Promise<void> {
  await insertAudit(trx, {
    actorId: null,
    actorUsername: entry.actorUsername ?? null,
    action: entry.action,
    entityType: null,
    entityId: null,
    ip: meta.ip,
    userAgent: meta.userAgent,
    details: entry.details ?? {},
  });
}

/** The audit log, newest first; admins only. */
export async function listAuditEntries(
  db: Kysely<Database>,
  filter: AuditFilter,
  page: PageInput,
  ctx: Ctx,
): Promise<Page<AuditEntry>> {
  requireAdmin(ctx.actor);
  const { rows, total } = await listAudit(db, filter, page);
  return {
    items: rows.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorUsername: r.actor_username,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      ip: r.ip,
      userAgent: r.user_agent,
      details: r.details,
    })),
    total,
    ...page,
  };
}
