import { type Kysely, sql } from 'kysely';

// The related services (issue 11): a colocated or cloud server is the OPD's, not DKISP's, and the
// registry keeps where it stands and what it is — the rack, its unit position and the power it
// draws (colocation), its virtual size (cloud) — and the case that recorded it. All nullable:
// DKISP's own servers have none of it.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE servers
      ADD COLUMN owner_opd_id uuid REFERENCES opds(id),
      ADD COLUMN rack text CHECK (rack IS NULL OR length(rack) BETWEEN 1 AND 50),
      ADD COLUMN rack_position text CHECK (rack_position IS NULL OR length(rack_position) BETWEEN 1 AND 50),
      ADD COLUMN power_watts integer CHECK (power_watts IS NULL OR power_watts > 0),
      ADD COLUMN vcpu integer CHECK (vcpu IS NULL OR vcpu > 0),
      ADD COLUMN memory_gb integer CHECK (memory_gb IS NULL OR memory_gb > 0),
      ADD COLUMN disk_gb integer CHECK (disk_gb IS NULL OR disk_gb > 0),
      ADD COLUMN created_case_id uuid REFERENCES cases(id) ON DELETE SET NULL
  `.execute(db);
  await sql`CREATE INDEX servers_owner_opd_idx ON servers (owner_opd_id) WHERE owner_opd_id IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS servers_owner_opd_idx`.execute(db);
  await sql`
    ALTER TABLE servers
      DROP COLUMN IF EXISTS created_case_id,
      DROP COLUMN IF EXISTS disk_gb,
      DROP COLUMN IF EXISTS memory_gb,
      DROP COLUMN IF EXISTS vcpu,
      DROP COLUMN IF EXISTS power_watts,
      DROP COLUMN IF EXISTS rack_position,
      DROP COLUMN IF EXISTS rack,
      DROP COLUMN IF EXISTS owner_opd_id
  `.execute(db);
}
