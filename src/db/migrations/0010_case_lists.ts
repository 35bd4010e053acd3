import { type Kysely, sql } from 'kysely';

// Frozen in time: case lists that stay fast as the years pile up. Every list view walks an index in
// its own order and stops after a page (counts stop after 1,001 matches), so its cost does not grow
// with the number of closed cases.

export async function up(db: Kysely<any>): Promise<void> {
  // The inbox trigger deletes a case's rows by case_id on every step change.
  await sql`CREATE INDEX case_waiting_case_idx ON case_waiting (case_id)`.execute(db);
  // "Semua": newest change first (the OPD's own list and the status filter already have theirs).
  await sql`CREATE INDEX cases_updated_idx ON cases (updated_at DESC, id)`.execute(db);
  await sql`CREATE INDEX cases_step_idx ON cases (step_key, updated_at DESC)`.execute(db);
  // Overdue: running cases in due order, all of them and one OPD's.
  await sql`
    CREATE INDEX cases_active_due_idx ON cases (current_due_at, created_at, id) WHERE status = 'active'`.execute(
    db,
  );
  await sql`
    CREATE INDEX cases_opd_active_due_idx ON cases (opd_id, current_due_at) WHERE status = 'active'`.execute(
    db,
  );
  // One OPD's inbox: its open cases in due order (the Kabid's walks cases_waiting_due_idx).
  await sql`
    CREATE INDEX cases_opd_open_idx ON cases (opd_id, current_due_at) INCLUDE (roles_waiting, status)
    WHERE roles_waiting <> '{}'`.execute(db);
  // Text search over reference, subject, letter and agenda numbers. The query repeats this exact
  // expression (case.repository.ts, CASE_SEARCH); the unit separator keeps a match inside one field.
  await sql`
    CREATE INDEX cases_search_trgm ON cases USING gin (
      lower(ref || E'\\x1f' || subject || E'\\x1f' || letter_number || E'\\x1f' || coalesce(agenda_number, ''))
      gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const i of [
    'cases_search_trgm',
    'cases_opd_open_idx',
    'cases_opd_active_due_idx',
    'cases_active_due_idx',
    'cases_step_idx',
    'cases_updated_idx',
    'case_waiting_case_idx',
  ]) {
    await sql`DROP INDEX IF EXISTS ${sql.id(i)}`.execute(db);
  }
}
