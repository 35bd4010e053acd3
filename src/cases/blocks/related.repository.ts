import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

// The SQL of the related services' handlers (provisioning, handover, issue_document, the registry's
// server effect): reads of other modules' tables they need, and the server's placement columns.

/** The latest succeeded run of this kind for the case's website, started for the case. */
export function findSucceededCaseRun(
  db: Kysely<Database>,
  v: { websiteId: string; caseId: string; kind: string; runId?: string | undefined },
): Promise<{ id: string; params: unknown } | undefined> {
  let q = db
    .selectFrom('provision_runs')
    .select(['id', 'params'])
    .where('website_id', '=', v.websiteId)
    .where('case_id', '=', v.caseId)
    .where('kind', '=', v.kind as 'install')
    .where('status', '=', 'done');
  if (v.runId) q = q.where('id', '=', v.runId);
  return q.orderBy('finished_at', 'desc').limit(1).executeTakeFirst();
}

/** What a website's access is made of; the password still sealed. */
export function findWebsiteAccess(db: Kysely<Database>, websiteId: string) {
  return db
    .selectFrom('websites')
    .select(['hostname', 'db_host', 'db_name', 'db_user', 'db_password_enc'])
    .where('id', '=', websiteId)
    .executeTakeFirst();
}

export type ServerPlacement = {
  owner_opd_id: string;
  rack: string | null;
  rack_position: string | null;
  power_watts: number | null;
  vcpu: number | null;
  memory_gb: number | null;
  disk_gb: number | null;
  created_case_id: string;
};

/** Where an OPD's server stands, or how big it is (migration 0016). */
export async function setServerPlacement(
  db: Kysely<Database>,
  serverId: string,
  p: ServerPlacement,
): Promise<void> {
  await db.updateTable('servers').set(p).where('id', '=', serverId).execute();
}

/** The newest version of one of the case's versioned documents. */
export function latestCaseDraft(
  db: Kysely<Database>,
  caseId: string,
  doc: string,
): Promise<{ version: number; content: unknown } | undefined> {
  return db
    .selectFrom('case_drafts')
    .select(['version', 'content'])
    .where('case_id', '=', caseId)
    .where('doc', '=', doc)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}
