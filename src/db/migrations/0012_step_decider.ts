import { type Kysely, sql } from 'kysely';

// Frozen in time: a step records who decided in it and when, besides who ended it. The decision
// step is decided by the Kabid and ended by Bagian Umum when the follow-up letter goes out; with a
// revision there is one decision step per round, so the decider belongs to the step, not the case.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE case_steps
      ADD COLUMN decided_by uuid REFERENCES users(id),
      ADD COLUMN decided_at timestamptz`.execute(db);
  // Decisions taken before this migration: each round of the decision step has exactly one
  // 'decide' event (a second one is refused while the letter is awaited), so the n-th decision step
  // of a case pairs with its n-th 'decide' event. Paired by order, not by time: event times come
  // from the database's clock, step times from the application's.
  await sql`
    WITH steps AS (
      SELECT id, case_id, row_number() OVER (PARTITION BY case_id ORDER BY seq) AS n
      FROM case_steps WHERE step_key = 'keputusan'
    ), decisions AS (
      SELECT case_id, actor_id, at, row_number() OVER (PARTITION BY case_id ORDER BY id) AS n
      FROM case_events WHERE action = 'decide'
    )
    UPDATE case_steps s
    SET decided_by = d.actor_id, decided_at = d.at
    FROM steps st JOIN decisions d ON d.case_id = st.case_id AND d.n = st.n
    WHERE s.id = st.id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE case_steps DROP COLUMN IF EXISTS decided_by, DROP COLUMN IF EXISTS decided_at`.execute(
    db,
  );
}
