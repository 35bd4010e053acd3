import { type Kysely, sql } from 'kysely';

// Frozen in time: SOP cases — the request, its steps with their clocks, dispositions, files, KAKs
// and history.

export async function up(db: Kysely<any>): Promise<void> {
  // Running numbers per year (case references, agenda numbers, outgoing letters). Incremented with
  // INSERT … ON CONFLICT DO UPDATE … RETURNING inside the caller's transaction: the row lock
  // serialises writers and a rolled-back number is never used.
  await sql`
    CREATE TABLE counters (
      name text NOT NULL,
      year int NOT NULL,
      last int NOT NULL,
      PRIMARY KEY (name, year)
    )`.execute(db);

  await sql`
    CREATE TABLE cases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      ref text NOT NULL UNIQUE,
      sop_key text NOT NULL,
      sop_version int NOT NULL,
      kind text NOT NULL CHECK (kind IN ('new', 'update')),
      opd_id uuid NOT NULL REFERENCES opds(id),
      created_by uuid NOT NULL REFERENCES users(id),
      subject text NOT NULL,
      letter_number text NOT NULL,
      letter_date date NOT NULL,
      description text NOT NULL,
      website_ref text,
      status text NOT NULL CHECK (status IN ('draft', 'active', 'revision', 'rejected', 'done')),
      step_key text NOT NULL,
      pending_decision text CHECK (pending_decision IN ('approve', 'reject', 'return')),
      kak_versions int NOT NULL DEFAULT 0,
      version int NOT NULL DEFAULT 1,
      -- Registration by Bagian Umum (the agenda book and the disposition sheet).
      agenda_number text,
      agenda_year int,
      agenda_seq int,
      received_at timestamptz,
      urgency text,
      addressee text,
      -- The decision and the follow-up letter (Surat TL).
      decision text CHECK (decision IN ('approve', 'reject', 'return')),
      decision_reason text,
      decided_at timestamptz,
      decided_by uuid REFERENCES users(id),
      tl_number text,
      tl_date date,
      tl_sent_at timestamptz,
      -- The running step's clock, kept here so inboxes sort and filter on one table.
      current_step_id uuid,
      current_due_at timestamptz,
      roles_waiting text[] NOT NULL DEFAULT '{}',
      submitted_at timestamptz,
      closed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (agenda_year, agenda_seq)
    )`.execute(db);
  await sql`CREATE INDEX cases_opd_idx ON cases (opd_id, updated_at DESC)`.execute(db);
  // One row per role a case waits for, kept by a trigger: inbox counts read only this small index.
  await sql`
    CREATE TABLE case_waiting (
      role text NOT NULL,
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      opd_id uuid NOT NULL,
      PRIMARY KEY (role, case_id)
    )`.execute(db);
  await sql`CREATE INDEX case_waiting_opd_idx ON case_waiting (role, opd_id)`.execute(db);
  await sql`
    CREATE FUNCTION cases_sync_waiting() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.roles_waiting = OLD.roles_waiting AND NEW.opd_id = OLD.opd_id THEN
        RETURN NEW;
      END IF;
      DELETE FROM case_waiting WHERE case_id = NEW.id;
      INSERT INTO case_waiting (role, case_id, opd_id)
        SELECT DISTINCT r, NEW.id, NEW.opd_id FROM unnest(NEW.roles_waiting) r;
      RETURN NEW;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER cases_waiting_sync AFTER INSERT OR UPDATE OF roles_waiting, opd_id ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_sync_waiting()`.execute(db);
  // Inboxes: open cases only (a case waiting for nobody is closed), in due order, with what the
  // filters and counts read included so they are answered from the index.
  await sql`
    CREATE INDEX cases_waiting_due_idx ON cases (current_due_at) INCLUDE (roles_waiting, opd_id, status)
    WHERE roles_waiting <> '{}'`.execute(db);
  await sql`CREATE INDEX cases_status_idx ON cases (status, updated_at DESC)`.execute(db);

  await sql`
    CREATE TABLE case_steps (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      seq int NOT NULL,
      step_key text NOT NULL,
      started_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      ended_at timestamptz,
      actor_id uuid REFERENCES users(id),
      standard_minutes int,
      standard_days int,
      working_minutes int,
      outputs jsonb NOT NULL DEFAULT '{}'::jsonb,
      overdue_notified_at timestamptz,
      UNIQUE (case_id, seq)
    )`.execute(db);
  await sql`CREATE INDEX case_steps_open_due_idx ON case_steps (due_at) WHERE ended_at IS NULL`.execute(db);

  await sql`
    CREATE TABLE case_events (
      id bigserial PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      at timestamptz NOT NULL DEFAULT now(),
      actor_id uuid REFERENCES users(id),
      action text NOT NULL,
      step_key text NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}'::jsonb
    )`.execute(db);
  await sql`CREATE INDEX case_events_case_idx ON case_events (case_id, id)`.execute(db);

  await sql`
    CREATE TABLE dispositions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      from_user_id uuid NOT NULL REFERENCES users(id),
      to_unit_id uuid REFERENCES units(id),
      to_user_id uuid REFERENCES users(id),
      instruction text NOT NULL,
      note text,
      due_date date,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((to_unit_id IS NULL) <> (to_user_id IS NULL))
    )`.execute(db);
  await sql`CREATE INDEX dispositions_case_idx ON dispositions (case_id, created_at)`.execute(db);

  await sql`
    CREATE TABLE case_files (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('letter', 'attachment', 'source', 'report')),
      storage_key text NOT NULL UNIQUE,
      display_name text NOT NULL,
      mime text NOT NULL,
      size bigint NOT NULL,
      sha256 text NOT NULL,
      step_key text NOT NULL,
      uploaded_by uuid NOT NULL REFERENCES users(id),
      uploaded_at timestamptz NOT NULL DEFAULT now(),
      -- A replaced letter stays on record but is no longer the case's letter.
      superseded_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX case_files_case_idx ON case_files (case_id)`.execute(db);

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
    CREATE TABLE case_team (
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id),
      PRIMARY KEY (case_id, user_id)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS case_waiting`.execute(db);
  await sql`DROP FUNCTION IF EXISTS cases_sync_waiting() CASCADE`.execute(db);
  for (const t of [
    'case_team',
    'kak_versions',
    'case_files',
    'dispositions',
    'case_events',
    'case_steps',
    'cases',
    'counters',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)}`.execute(db);
  }
}
