import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DocumentKind, DocumentTable } from './document.tables.ts';

export type DocumentRow = Selectable<DocumentTable> & { issuer_name: string; issuer_roles: string[] };

function selectDocs(db: Kysely<Database>) {
  return db
    .selectFrom('documents as d')
    .innerJoin('users as u', 'u.id', 'd.issued_by')
    .selectAll('d')
    .select(['u.full_name as issuer_name', 'u.roles as issuer_roles']);
}

export function findDocument(db: Kysely<Database>, id: string): Promise<DocumentRow | undefined> {
  return selectDocs(db).where('d.id', '=', id).executeTakeFirst();
}

export function listCaseDocuments(db: Kysely<Database>, caseId: string): Promise<DocumentRow[]> {
  return selectDocs(db).where('d.case_id', '=', caseId).orderBy('d.issued_at').orderBy('d.version').execute();
}

/** The newest version of a document of this kind and subject for a case (or for no case). */
export function latestVersion(
  db: Kysely<Database>,
  caseId: string | null,
  kind: DocumentKind,
  subjectKey: string,
): Promise<{ id: string; version: number; number: string | null } | undefined> {
  let q = db
    .selectFrom('documents')
    .select(['id', 'version', 'number'])
    .where('kind', '=', kind)
    .where('subject_key', '=', subjectKey);
  q = caseId ? q.where('case_id', '=', caseId) : q.where('case_id', 'is', null);
  return q.orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** The document that replaced this one, if any. */
export function findReplacement(db: Kysely<Database>, id: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('documents').select('id').where('replaces_id', '=', id).executeTakeFirst();
}

export async function insertDocument(db: Kysely<Database>, v: Insertable<DocumentTable>): Promise<void> {
  await db.insertInto('documents').values(v).execute();
}
