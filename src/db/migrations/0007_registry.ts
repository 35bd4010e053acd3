import { type Kysely, sql } from 'kysely';

// Frozen in time: the registry — DNS zones and names, servers, public IP pools and allocations,
// websites — and the link from cases to the website they create or update.

const LABEL = `'^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'`;

export async function up(db: Kysely<any>): Promise<void> {
  // Trigram indexes answer "contains" searches over tens of thousands of websites.
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  await sql`
    CREATE TABLE dns_zones (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      notes text,
      active boolean NOT NULL DEFAULT true,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT dns_zones_name_format CHECK (
        length(name) <= 200
        AND name ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$'
      )
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX dns_zones_name_key ON dns_zones (name)`.execute(db);

  await sql`
    CREATE TABLE servers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('dedicated', 'shared', 'virtual')),
      location text NOT NULL CHECK (location IN ('noc', 'colocation', 'cloud')),
      os text,
      addresses text[] NOT NULL DEFAULT '{}',
      roles text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY['web', 'database', 'dns']::text[]),
      capacity_notes text,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'maintenance', 'retired')),
      notes text,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT servers_name_format CHECK (name ~ '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$')
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX servers_name_key ON servers (name)`.execute(db);
  await sql`CREATE INDEX servers_name_trgm ON servers USING gin (name gin_trgm_ops)`.execute(db);

  await sql`
    CREATE TABLE ip_pools (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      cidr text NOT NULL,
      family int NOT NULL CHECK (family IN (4, 6)),
      gateway text,
      -- The usable range as numbers (IPv6 needs 128 bits), and where the next free search starts.
      first_n numeric(39, 0) NOT NULL,
      last_n numeric(39, 0) NOT NULL,
      next_hint numeric(39, 0) NOT NULL,
      notes text,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (first_n <= last_n)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX ip_pools_name_key ON ip_pools (lower(name))`.execute(db);
  await sql`CREATE UNIQUE INDEX ip_pools_cidr_key ON ip_pools (cidr)`.execute(db);

  await sql`
    CREATE TABLE websites (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      opd_id uuid NOT NULL REFERENCES opds(id),
      zone_id uuid REFERENCES dns_zones(id),
      label text,
      hostname text,
      purpose text NOT NULL,
      status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'active', 'suspended', 'retired')),
      server_id uuid REFERENCES servers(id),
      ip_address text,
      cms text,
      cms_version text,
      template text,
      db_engine text CHECK (db_engine IN ('mariadb', 'postgresql')),
      db_host text,
      db_name text,
      db_user text,
      -- AES-256-GCM with the configured key; never sent back to any client.
      db_password_enc text,
      tls_issuer text,
      tls_expires_at timestamptz,
      document_root text,
      contact_name text,
      contact_nip text CHECK (contact_nip IS NULL OR contact_nip ~ '^[0-9]{18}$'),
      contact_phone text,
      contact_email text,
      notes text,
      created_case_id uuid REFERENCES cases(id),
      retired_at timestamptz,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      search text GENERATED ALWAYS AS (
        lower(coalesce(hostname, '') || ' ' || purpose || ' ' || coalesce(cms, '') || ' '
          || coalesce(ip_address, '') || ' ' || coalesce(contact_name, ''))
      ) STORED,
      CONSTRAINT websites_label_format CHECK (label IS NULL OR label ~ ${sql.raw(LABEL)}),
      CONSTRAINT websites_name_whole CHECK ((label IS NULL) = (zone_id IS NULL) AND (label IS NULL) = (hostname IS NULL)),
      CONSTRAINT websites_live_has_name CHECK (status = 'planned' OR hostname IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX websites_opd_idx ON websites (opd_id, status)`.execute(db);
  // Sorting by name while filtering by text: the index carries the search column, so the walk in
  // name order never visits the table for rows that do not match.
  await sql`CREATE INDEX websites_hostname_idx ON websites (hostname, id) INCLUDE (search)`.execute(db);
  await sql`CREATE INDEX websites_updated_idx ON websites (updated_at DESC, id)`.execute(db);
  await sql`CREATE INDEX websites_server_idx ON websites (server_id)`.execute(db);
  await sql`CREATE INDEX websites_search_trgm ON websites USING gin (search gin_trgm_ops)`.execute(db);

  // Every name in a managed zone that is in use, reserved, or in quarantine after retirement.
  await sql`
    CREATE TABLE dns_names (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      zone_id uuid NOT NULL REFERENCES dns_zones(id),
      label text NOT NULL CHECK (label ~ ${sql.raw(LABEL)}),
      kind text NOT NULL CHECK (kind IN ('website', 'alias', 'reserved')),
      website_id uuid REFERENCES websites(id),
      note text,
      -- Set when the website is retired: the name stays held until then.
      held_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'reserved') = (website_id IS NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX dns_names_key ON dns_names (zone_id, label)`.execute(db);
  await sql`CREATE INDEX dns_names_website_idx ON dns_names (website_id)`.execute(db);
  await sql`CREATE INDEX dns_names_held_idx ON dns_names (held_until) WHERE held_until IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE ip_allocations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      pool_id uuid NOT NULL REFERENCES ip_pools(id) ON DELETE CASCADE,
      address text NOT NULL,
      n numeric(39, 0) NOT NULL,
      kind text NOT NULL CHECK (kind IN ('gateway', 'reserved', 'server', 'website')),
      server_id uuid REFERENCES servers(id),
      website_id uuid REFERENCES websites(id),
      note text,
      held_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'server') = (server_id IS NOT NULL)),
      CHECK ((kind = 'website') = (website_id IS NOT NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX ip_allocations_n_key ON ip_allocations (pool_id, n)`.execute(db);
  await sql`CREATE UNIQUE INDEX ip_allocations_address_key ON ip_allocations (address)`.execute(db);
  await sql`CREATE INDEX ip_allocations_website_idx ON ip_allocations (website_id)`.execute(db);
  await sql`CREATE INDEX ip_allocations_server_idx ON ip_allocations (server_id)`.execute(db);
  await sql`CREATE INDEX ip_allocations_held_idx ON ip_allocations (held_until) WHERE held_until IS NOT NULL`.execute(
    db,
  );

  await sql`ALTER TABLE cases ADD COLUMN website_id uuid REFERENCES websites(id)`.execute(db);
  await sql`CREATE INDEX cases_website_idx ON cases (website_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE cases DROP COLUMN IF EXISTS website_id`.execute(db);
  for (const t of ['ip_allocations', 'dns_names', 'websites', 'ip_pools', 'servers', 'dns_zones']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)}`.execute(db);
  }
}
