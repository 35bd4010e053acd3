import { type Kysely, sql } from 'kysely';

// Frozen in time: SOP definitions as versioned data the administrator publishes (issue 11,
// docs/adr/0017-publishing-sops.md).
//
// - `sop_versions.definition`: a published version's whole definition (the JSON that
//   `PUT /api/services/:key` took, without `version`). NULL marks the rows made before: a set of new
//   standard times over `base_version`, which keep working as they are.
// - `sop_services`: what is true of a service across its versions — retired (no new requests; running
//   cases go on). `revision` counts changes so every instance sees them in the catalogue's stamp.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE sop_versions ADD COLUMN definition jsonb`.execute(db);
  await sql`
    ALTER TABLE sop_versions ADD CONSTRAINT sop_versions_definition_object
      CHECK (definition IS NULL OR jsonb_typeof(definition) = 'object')`.execute(db);
  await sql`
    CREATE TABLE sop_services (
      key text PRIMARY KEY,
      retired boolean NOT NULL DEFAULT false,
      retired_at timestamptz,
      retired_by uuid REFERENCES users(id),
      revision int NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (retired = (retired_at IS NOT NULL))
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS sop_services`.execute(db);
  // Versions published as whole definitions cannot be told as standard times over a base: they go,
  // and with them any later standard-times row built on one.
  await sql`
    DELETE FROM sop_versions v
     WHERE EXISTS (SELECT 1 FROM sop_versions d
                    WHERE d.key = v.key AND d.definition IS NOT NULL AND d.version <= v.version)`.execute(db);
  await sql`ALTER TABLE sop_versions DROP CONSTRAINT IF EXISTS sop_versions_definition_object`.execute(db);
  await sql`ALTER TABLE sop_versions DROP COLUMN IF EXISTS definition`.execute(db);
}
