import { type Kysely, sql } from 'kysely';

// Frozen in time: a step's working time is stored in whole seconds (rounded to the nearest second
// when the step ends), not in minutes. The integer minutes column could not hold the fractions of a
// minute that a step ended during office hours produces. Old values (whole minutes) become seconds.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE case_steps RENAME COLUMN working_minutes TO working_seconds`.execute(db);
  await sql`UPDATE case_steps SET working_seconds = working_seconds * 60 WHERE working_seconds IS NOT NULL`.execute(
    db,
  );
  await sql`
    ALTER TABLE case_steps
      ADD CONSTRAINT case_steps_working_seconds_check CHECK (working_seconds >= 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE case_steps DROP CONSTRAINT IF EXISTS case_steps_working_seconds_check`.execute(db);
  await sql`UPDATE case_steps SET working_seconds = round(working_seconds / 60.0) WHERE working_seconds IS NOT NULL`.execute(
    db,
  );
  await sql`ALTER TABLE case_steps RENAME COLUMN working_seconds TO working_minutes`.execute(db);
}
