import { type Kysely, sql } from 'kysely';

// Frozen in time: SOP versions made by the administrator (new standard times over a definition).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE sop_versions (
      key text NOT NULL,
      version int NOT NULL,
      base_version int NOT NULL,
      standard_times jsonb NOT NULL,
      note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      PRIMARY KEY (key, version)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS sop_versions`.execute(db);
}
