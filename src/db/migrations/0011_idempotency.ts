import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration must keep doing exactly what it did when it shipped.
// Idempotency keys of creating requests (a client's retry after a lost answer gets the first
// answer again) and the delivery record of each notification e-mail (sent at most once).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE idempotency_keys (
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      -- Method and path of the request, e.g. 'POST /api/cases/<id>/actions/approve'.
      route text NOT NULL,
      key text NOT NULL,
      -- SHA-256 of the request's content: the same key with other content is refused.
      request_hash text NOT NULL,
      -- The answer, written in the transaction of the change itself (0 only inside it).
      status integer NOT NULL DEFAULT 0,
      response jsonb NOT NULL DEFAULT 'null',
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, route, key),
      CONSTRAINT idempotency_keys_key_format CHECK (key ~ '^[!-~]{1,255}$')
    )`.execute(db);
  await sql`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`.execute(db);
  await sql`
    CREATE TABLE email_deliveries (
      notification_id uuid PRIMARY KEY REFERENCES notifications(id) ON DELETE CASCADE,
      -- The Message-ID the message carries (derived from the notification id).
      message_id text NOT NULL,
      -- Claimed before the message goes to the SMTP server; sent_at once the server accepted it.
      -- A claim without sent_at is a delivery interrupted in between: it is not sent again.
      claimed_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS email_deliveries`.execute(db);
  await sql`DROP TABLE IF EXISTS idempotency_keys`.execute(db);
}
