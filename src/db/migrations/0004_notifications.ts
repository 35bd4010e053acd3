import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration must keep doing exactly what it did when it shipped.
// The job queue (pg-boss) is not created here: pg-boss installs and migrates its own schema
// (`pgboss`) when the jobs start.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      -- The case this is about; the foreign key is added once the cases table exists.
      case_id uuid,
      kind text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      link text,
      -- clock_timestamp(): several notifications written in one transaction still sort in order.
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      read_at timestamptz,
      CONSTRAINT notifications_kind_format CHECK (kind ~ '^[a-z][a-z0-9_.-]{0,63}$'),
      CONSTRAINT notifications_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
      CONSTRAINT notifications_body_length CHECK (char_length(body) <= 2000),
      -- Only a path inside Loket: never another site, never javascript:.
      CONSTRAINT notifications_link_local CHECK (
        link IS NULL
        OR (left(link, 1) = '/' AND substr(link, 2, 1) NOT IN ('/', chr(92)) AND char_length(link) <= 500)
      )
    )`.execute(db);
  // "My notifications, newest first", and the same for the unread ones only (the bell's badge).
  await sql`CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC)`.execute(
    db,
  );
  await sql`
    CREATE INDEX notifications_user_unread_idx ON notifications (user_id, created_at DESC, id DESC)
    WHERE read_at IS NULL`.execute(db);
  await sql`CREATE INDEX notifications_case_idx ON notifications (case_id) WHERE case_id IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS notifications`.execute(db);
}
