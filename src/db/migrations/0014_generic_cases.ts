import { type Kysely, sql } from 'kysely';

// Frozen in time: a case keeps only what every DKISP SOP has (docs/adr/0015-sops-as-data.md). What
// one SOP needs besides moves into two JSON columns: `facts` (what the request says, validated by
// the SOP's first step — the website SOP's kind, website and wished-for address) and `marks` (the
// counters its blocks keep for their guards — the website SOP's KAK versions, `doc:kak`). The KAK
// table becomes the drafts of any versioned document (`case_drafts`, doc 'kak'). Decisions are an
// SOP's outcome keys, so their CHECKs go.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE cases
      ADD COLUMN facts jsonb NOT NULL DEFAULT '{}'::jsonb,
      ADD COLUMN marks jsonb NOT NULL DEFAULT '{}'::jsonb`.execute(db);
  // A new-website request that is not linked to a record yet holds the address the OPD wished for
  // in website_ref: that is its requestedHostname too.
  await sql`
    UPDATE cases SET
      facts = jsonb_strip_nulls(jsonb_build_object(
        'kind', kind,
        'websiteId', website_id::text,
        'websiteRef', website_ref,
        'requestedHostname', CASE WHEN kind = 'new' AND website_id IS NULL THEN website_ref END)),
      marks = CASE WHEN kak_versions > 0 THEN jsonb_build_object('doc:kak', kak_versions) ELSE '{}'::jsonb END`.execute(
    db,
  );
  // Dropping website_id drops its foreign key and cases_website_idx; kind takes its CHECK along.
  await sql`
    ALTER TABLE cases
      DROP COLUMN kind,
      DROP COLUMN website_id,
      DROP COLUMN website_ref,
      DROP COLUMN kak_versions,
      DROP CONSTRAINT IF EXISTS cases_pending_decision_check,
      DROP CONSTRAINT IF EXISTS cases_decision_check`.execute(db);
  // The registry's website page lists the cases about a website (website.repository.ts, casesOfWebsite).
  await sql`CREATE INDEX cases_website_fact_idx ON cases ((facts ->> 'websiteId'))`.execute(db);

  await sql`
    CREATE TABLE case_drafts (
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      doc text NOT NULL,
      version int NOT NULL,
      content jsonb NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (case_id, doc, version)
    )`.execute(db);
  await sql`
    INSERT INTO case_drafts (case_id, doc, version, content, created_by, created_at)
    SELECT case_id, 'kak', version, content, created_by, created_at FROM kak_versions`.execute(db);
  await sql`DROP TABLE kak_versions`.execute(db);
}

/**
 * Back to 0013's columns. Only website cases fit them: a case of another SOP (no kind) or a decision
 * outside approve/reject/return makes this fail, and nothing is changed.
 */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE kak_versions (
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      version int NOT NULL,
      content jsonb NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (case_id, version)
    )`.execute(db);
  await sql`
    INSERT INTO kak_versions (case_id, version, content, created_by, created_at)
    SELECT case_id, version, content, created_by, created_at FROM case_drafts WHERE doc = 'kak'`.execute(db);
  await sql`DROP TABLE case_drafts`.execute(db);
  await sql`DROP INDEX IF EXISTS cases_website_fact_idx`.execute(db);
  await sql`
    ALTER TABLE cases
      ADD COLUMN kind text,
      ADD COLUMN website_ref text,
      ADD COLUMN website_id uuid REFERENCES websites(id),
      ADD COLUMN kak_versions int NOT NULL DEFAULT 0`.execute(db);
  await sql`
    UPDATE cases SET
      kind = facts ->> 'kind',
      website_id = (facts ->> 'websiteId')::uuid,
      website_ref = facts ->> 'websiteRef',
      kak_versions = coalesce((marks ->> 'doc:kak')::int, 0)`.execute(db);
  await sql`
    ALTER TABLE cases
      ALTER COLUMN kind SET NOT NULL,
      ADD CONSTRAINT cases_kind_check CHECK (kind IN ('new', 'update')),
      ADD CONSTRAINT cases_pending_decision_check CHECK (pending_decision IN ('approve', 'reject', 'return')),
      ADD CONSTRAINT cases_decision_check CHECK (decision IN ('approve', 'reject', 'return')),
      DROP COLUMN facts,
      DROP COLUMN marks`.execute(db);
  await sql`CREATE INDEX cases_website_idx ON cases (website_id)`.execute(db);
}
