import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration must keep doing exactly what it did when it shipped.

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['opds', 'units']) {
    await sql`
      CREATE TABLE ${sql.table(table)} (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL,
        name text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ${sql.id(`${table}_code_format`)} CHECK (code ~ '^[A-Z0-9][A-Z0-9._-]{1,31}$')
      )`.execute(db);
    await sql`CREATE UNIQUE INDEX ${sql.id(`${table}_code_key`)} ON ${sql.table(table)} (code)`.execute(db);
    await sql`CREATE INDEX ${sql.id(`${table}_name_idx`)} ON ${sql.table(table)} (lower(name))`.execute(db);
  }

  await sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      username text NOT NULL,
      full_name text NOT NULL,
      nip text,
      email text,
      phone text,
      roles text[] NOT NULL,
      opd_id uuid REFERENCES opds(id),
      unit_id uuid REFERENCES units(id),
      password_hash text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      last_login_at timestamptz,
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT users_username_format CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
      CONSTRAINT users_roles_known CHECK (
        cardinality(roles) > 0
        AND roles <@ ARRAY['opd','umum','kepala','kabid','subkoor','staf','admin']::text[]
      ),
      -- An OPD user belongs to exactly one OPD and holds no DKISP role; DKISP staff belong to no OPD.
      CONSTRAINT users_opd_rules CHECK (
        CASE WHEN 'opd' = ANY(roles)
          THEN opd_id IS NOT NULL AND cardinality(roles) = 1
          ELSE opd_id IS NULL
        END
      ),
      CONSTRAINT users_nip_format CHECK (nip IS NULL OR nip ~ '^[0-9]{18}$')
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX users_username_key ON users (username)`.execute(db);
  await sql`CREATE INDEX users_opd_idx ON users (opd_id)`.execute(db);
  await sql`CREATE INDEX users_full_name_idx ON users (lower(full_name))`.execute(db);

  await sql`
    CREATE TABLE sessions (
      id text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      ip text,
      user_agent text
    )`.execute(db);
  await sql`CREATE INDEX sessions_user_idx ON sessions (user_id)`.execute(db);
  await sql`CREATE INDEX sessions_expires_idx ON sessions (expires_at)`.execute(db);

  await sql`
    CREATE TABLE login_failures (
      id bigserial PRIMARY KEY,
      username text NOT NULL,
      ip text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX login_failures_username_idx ON login_failures (username, at)`.execute(db);
  await sql`CREATE INDEX login_failures_ip_idx ON login_failures (ip, at)`.execute(db);

  await sql`
    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor_id uuid,
      actor_username text,
      action text NOT NULL,
      entity_type text,
      entity_id text,
      ip text,
      user_agent text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb
    )`.execute(db);
  await sql`CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id)`.execute(db);
  await sql`CREATE INDEX audit_log_actor_idx ON audit_log (actor_username)`.execute(db);
  await sql`CREATE INDEX audit_log_action_idx ON audit_log (action)`.execute(db);
  // Append-only, enforced by the database itself and not only by the application's good manners.
  await sql`
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);

  // DKISP's own units, as the SOP names them.
  await sql`
    INSERT INTO units (code, name) VALUES
      ('SEKRETARIAT', 'Sekretariat / Bagian Umum'),
      ('PIMPINAN', 'Kepala DKISP'),
      ('APTIKA', 'Bidang Aplikasi Informatika')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['audit_log', 'login_failures', 'sessions', 'users', 'units', 'opds']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)}`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS audit_log_append_only()`.execute(db);
}
