import type { Kysely } from 'kysely';
import type { AuditRow, Database } from '../db/schema.ts';
import { offsetOf, type PageInput } from '../shared/pagination.ts';

export type AuditInsert = {
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
};

export async function insertAudit(db: Kysely<Database>, e: AuditInsert): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_id: e.actorId,
      actor_username: e.actorUsername,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      ip: e.ip,
      user_agent: e.userAgent?.slice(0, 500) ?? null,
      details: JSON.stringify(e.details),
    })
    .execute();
}

export type AuditFilter = {
  actor?: string | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
};

export async function listAudit(
  db: Kysely<Database>,
  f: AuditFilter,
  page: PageInput,
): Promise<{ rows: AuditRow[]; total: number }> {
  let q = db.selectFrom('audit_log');
  if (f.actor) q = q.where('actor_username', '=', f.actor.toLowerCase());
  if (f.action) q = q.where('action', '=', f.action);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
