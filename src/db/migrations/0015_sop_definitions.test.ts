import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/helpers/db.ts';
import { buildUser } from '../../../test/helpers/factories.ts';
import type { DbHandle } from '../create-db.ts';
import * as m0015 from './0015_sop_definitions.ts';

// Migration 0015 adds published definitions next to the standard-times rows made before, which keep
// working as they are; down takes back what cannot be told as standard times.

let h: DbHandle;
let userId: string;
beforeAll(async () => {
  h = await createTestDb();
  userId = (await buildUser(h.db, { roles: ['admin'] })).id;
});
afterAll(() => h.close());

const columns = async () =>
  (
    await sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'sop_versions'`.execute(h.db)
  ).rows.map((r) => r.column_name);
const hasServices = async () =>
  (
    await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'sop_services'`.execute(
      h.db,
    )
  ).rows[0]?.n === 1;

describe('migration 0015', () => {
  it('keeps legacy standard-times rows; down removes whole definitions and what builds on them', async () => {
    const row = (version: number, base: number, definition: object | null) => ({
      key: 'website',
      version,
      base_version: base,
      standard_times: JSON.stringify({ registrasi: { minutes: version } }),
      definition: definition === null ? null : JSON.stringify(definition),
      created_by: userId,
    });
    await h.db
      .insertInto('sop_versions')
      .values(row(2, 1, null))
      .execute();
    await h.db
      .insertInto('sop_versions')
      .values(row(3, 2, { key: 'website' }))
      .execute();
    await h.db
      .insertInto('sop_versions')
      .values(row(4, 3, null))
      .execute();
    await h.db
      .insertInto('sop_services')
      .values({ key: 'website', retired: true, retired_at: new Date(), retired_by: userId })
      .execute();

    await m0015.down(h.db);
    expect(await columns()).not.toContain('definition');
    expect(await hasServices()).toBe(false);
    const left = await sql<{ version: number }>`SELECT version FROM sop_versions ORDER BY version`.execute(
      h.db,
    );
    expect(left.rows.map((r) => r.version)).toEqual([2]);

    await m0015.up(h.db);
    expect(await columns()).toContain('definition');
    expect(await hasServices()).toBe(true);
    const kept = await h.db
      .selectFrom('sop_versions')
      .select(['version', 'definition', 'standard_times'])
      .execute();
    expect(kept).toEqual([{ version: 2, definition: null, standard_times: { registrasi: { minutes: 2 } } }]);
  });

  it('a definition is a JSON object; a retired service says when', async () => {
    await expect(
      sql`INSERT INTO sop_versions (key, version, base_version, standard_times, definition, created_by)
          VALUES ('x', 1, 0, '{}', '"text"', ${userId})`.execute(h.db),
    ).rejects.toThrow();
    await expect(
      sql`INSERT INTO sop_services (key, retired) VALUES ('x', true)`.execute(h.db),
    ).rejects.toThrow();
    await sql`INSERT INTO sop_services (key, retired) VALUES ('y', false)`.execute(h.db);
  });
});
