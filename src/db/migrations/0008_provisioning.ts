import { type Kysely, sql } from 'kysely';

// Frozen in time: provisioning — how Loket reaches each server and what runs there, the zone's
// name server and the website's database server, and the durable record of every plan and run.

export async function up(db: Kysely<any>): Promise<void> {
  // How to reach a server: {"kind":"local"} or {"kind":"ssh","host":…,"port":…,"username":…,"hostKeySha256":…}.
  await sql`ALTER TABLE servers ADD COLUMN access jsonb NOT NULL DEFAULT '{"kind":"local"}'::jsonb`.execute(
    db,
  );
  // What runs on it, per role: {"apache":{…},"dns":{…},"database":{…}} (no secrets here).
  await sql`ALTER TABLE servers ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb`.execute(db);
  // Secrets per server (TSIG key, database admin password, ssh private key), sealed.
  await sql`
    CREATE TABLE server_secrets (
      server_id uuid NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (name IN ('dns_key', 'db_admin_password', 'ssh_private_key')),
      sealed text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (server_id, name)
    )`.execute(db);

  await sql`ALTER TABLE dns_zones ADD COLUMN ns_server_id uuid REFERENCES servers(id)`.execute(db);
  await sql`ALTER TABLE websites ADD COLUMN db_server_id uuid REFERENCES servers(id)`.execute(db);

  await sql`
    CREATE TABLE provision_runs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      website_id uuid NOT NULL REFERENCES websites(id),
      kind text NOT NULL CHECK (kind IN ('install', 'suspend', 'resume', 'retire', 'rollback')),
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
      -- Everything the run needs, resolved when it was planned (names, addresses, servers, files).
      params jsonb NOT NULL,
      -- What the user was shown and confirmed.
      plan jsonb NOT NULL,
      -- The run this one undoes (rollback).
      undoes_id uuid REFERENCES provision_runs(id),
      case_id uuid REFERENCES cases(id),
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      error text,
      -- The worker executing it holds a lease it renews while alive; a worker killed mid-run lets
      -- the lease lapse, and the run is resumed from its first unfinished step.
      lease_owner text,
      lease_until timestamptz
    )`.execute(db);
  await sql`CREATE INDEX provision_runs_website_idx ON provision_runs (website_id, created_at DESC)`.execute(
    db,
  );
  // One run at a time per website.
  await sql`
    CREATE UNIQUE INDEX provision_runs_one_active ON provision_runs (website_id)
    WHERE status IN ('queued', 'running')`.execute(db);

  await sql`
    CREATE TABLE provision_steps (
      run_id uuid NOT NULL REFERENCES provision_runs(id) ON DELETE CASCADE,
      seq int NOT NULL,
      key text NOT NULL,
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'running', 'done', 'failed', 'skipped')),
      attempts int NOT NULL DEFAULT 0,
      started_at timestamptz,
      finished_at timestamptz,
      -- What the step found and did ('created' / 'exists' / …) and what undoing it needs.
      result jsonb,
      error text,
      PRIMARY KEY (run_id, seq)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS provision_steps`.execute(db);
  await sql`DROP TABLE IF EXISTS provision_runs`.execute(db);
  await sql`ALTER TABLE websites DROP COLUMN IF EXISTS db_server_id`.execute(db);
  await sql`ALTER TABLE dns_zones DROP COLUMN IF EXISTS ns_server_id`.execute(db);
  await sql`DROP TABLE IF EXISTS server_secrets`.execute(db);
  await sql`ALTER TABLE servers DROP COLUMN IF EXISTS settings`.execute(db);
  await sql`ALTER TABLE servers DROP COLUMN IF EXISTS access`.execute(db);
}
