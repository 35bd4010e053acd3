import { type Kysely, sql } from 'kysely';

// Frozen in time: a step records who decided in it and when, besides who ended it. The decision
// step is decided by the Kabid and ended by Bagian Umum when the follow-up letter goes out; with a
// revision there is one decision step per round, so the decider belongs to the step, not the case.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE case_steps
      ADD COLUMN decided_by uuid REFERENCES users(id),
      ADD COLUMN decided_at timestamptz`.execute(db);
  // Decisions taken before this migration: the 'decide' event that falls within each decision step.
  await sql`
    UPDATE case_steps s
    SET decided_by = e.actor_id, decided_at = e.at
    FROM (
      SELECT DISTINCT ON (s2.id) s2.id AS step_id, ev.actor_id, ev.at
      FROM case_steps s2
      JOIN case_events ev
        ON ev.case_id = s2.case_id AND ev.action = 'decide' AND ev.step_key = s2.step_key
       AND ev.at >= s2.started_at AND (s2.ended_at IS NULL OR ev.at <= s2.ended_at)
      ORDER BY s2.id, ev.id DESC
    ) e
    WHERE s.id = e.step_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE case_steps DROP COLUMN IF EXISTS decided_by, DROP COLUMN IF EXISTS decided_at`.execute(
    db,
  );
}
