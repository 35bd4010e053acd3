import { type Kysely, sql } from 'kysely';

// Frozen in time: issued official documents (immutable) and the administrator's settings for them.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid REFERENCES users(id)
    )`.execute(db);

  await sql`
    CREATE TABLE documents (
      id uuid PRIMARY KEY,
      case_id uuid REFERENCES cases(id),
      kind text NOT NULL CHECK (kind IN ('disposition_sheet', 'follow_up_letter', 'kak', 'report', 'case_summary', 'sop_sheet')),
      -- What the kind is about within the case, e.g. the KAK version or the letter's variant.
      subject_key text NOT NULL DEFAULT '',
      version int NOT NULL,
      replaces_id uuid REFERENCES documents(id),
      number text,
      title text NOT NULL,
      storage_key text NOT NULL UNIQUE,
      sha256 text NOT NULL,
      size int NOT NULL,
      issued_at timestamptz NOT NULL DEFAULT now(),
      issued_by uuid NOT NULL REFERENCES users(id),
      -- What the public verification page may show (no private content).
      public_info jsonb NOT NULL DEFAULT '{}'::jsonb,
      UNIQUE (case_id, kind, subject_key, version)
    )`.execute(db);
  await sql`CREATE INDEX documents_case_idx ON documents (case_id, issued_at)`.execute(db);
  await sql`CREATE UNIQUE INDEX documents_number_key ON documents (number) WHERE number IS NOT NULL AND replaces_id IS NULL`.execute(
    db,
  );
  // Issued documents never change: a correction is a new version that names the one it replaces.
  await sql`
    CREATE FUNCTION documents_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'documents are immutable; issue a new version' USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER documents_no_change BEFORE UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_immutable()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS documents`.execute(db);
  await sql`DROP FUNCTION IF EXISTS documents_immutable()`.execute(db);
  await sql`DROP TABLE IF EXISTS settings`.execute(db);
}
