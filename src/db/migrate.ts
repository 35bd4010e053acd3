import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_cases.ts';
import * as m0003 from './migrations/0003_calendar.ts';
import * as m0004 from './migrations/0004_notifications.ts';
import * as m0005 from './migrations/0005_documents.ts';
import * as m0006 from './migrations/0006_sop_versions.ts';
import * as m0007 from './migrations/0007_registry.ts';
import * as m0008 from './migrations/0008_provisioning.ts';
import * as m0009 from './migrations/0009_working_seconds.ts';
import * as m0010 from './migrations/0010_case_lists.ts';
import * as m0011 from './migrations/0011_idempotency.ts';
import * as m0012 from './migrations/0012_step_decider.ts';
import * as m0013 from './migrations/0013_operator_agent_settings.ts';
import * as m0014 from './migrations/0014_generic_cases.ts';
import * as m0015 from './migrations/0015_sop_definitions.ts';
import * as m0017 from './migrations/0017_documents_kinds.ts';

/** Migrations are listed here rather than discovered on disk, so bundling and tests see the same set. */
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_cases': m0002,
  '0003_calendar': m0003,
  '0004_notifications': m0004,
  '0005_documents': m0005,
  '0006_sop_versions': m0006,
  '0007_registry': m0007,
  '0008_provisioning': m0008,
  '0009_working_seconds': m0009,
  '0010_case_lists': m0010,
  '0011_idempotency': m0011,
  '0012_step_decider': m0012,
  '0013_operator_agent_settings': m0013,
  '0014_generic_cases': m0014,
  '0015_sop_definitions': m0015,
  '0017_documents_kinds': m0017,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
