import { type Kysely, sql } from 'kysely';

// Two more kinds of official documents, issued by a step of an SOP and addressed to the OPD
// (block issue_document): the Berita Acara serah terima and the recommendation of a consultation.

const KINDS = ['disposition_sheet', 'follow_up_letter', 'kak', 'report', 'case_summary', 'sop_sheet'];

export async function up(db: Kysely<any>): Promise<void> {
  const all = [...KINDS, 'berita_acara', 'recommendation'];
  await sql`ALTER TABLE documents DROP CONSTRAINT documents_kind_check`.execute(db);
  await sql`ALTER TABLE documents ADD CONSTRAINT documents_kind_check CHECK (kind IN (${sql.join(
    all.map((k) => sql.lit(k)),
  )}))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE documents DROP CONSTRAINT documents_kind_check`.execute(db);
  await sql`ALTER TABLE documents ADD CONSTRAINT documents_kind_check CHECK (kind IN (${sql.join(
    KINDS.map((k) => sql.lit(k)),
  )}))`.execute(db);
}
