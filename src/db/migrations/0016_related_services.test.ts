import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { buildOpd } from '../../../test/helpers/factories.ts';
import * as m0016 from './0016_related_services.ts';

// Migration 0016 gives a server its owner OPD, rack, unit position, power and virtual size: all
// empty for the servers there were, checked when set, gone again on the way down.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const columns = async () =>
  (
    await sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'servers'`.execute(t.db)
  ).rows.map((r) => r.column_name);

describe('migration 0016', () => {
  it('adds the placement columns (empty for existing servers, checked), and removes them', async () => {
    const opd = await buildOpd(t.db);
    const existing = await t.db
      .insertInto('servers')
      .values({ name: 'web-lama', kind: 'shared', location: 'noc' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await t.db
      .selectFrom('servers')
      .selectAll()
      .where('id', '=', existing.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      owner_opd_id: null,
      rack: null,
      rack_position: null,
      power_watts: null,
      vcpu: null,
    });
    await expect(
      t.db.updateTable('servers').set({ power_watts: 0 }).where('id', '=', existing.id).execute(),
    ).rejects.toThrow();
    await expect(
      t.db
        .updateTable('servers')
        .set({ owner_opd_id: '00000000-0000-4000-8000-000000000000' })
        .where('id', '=', existing.id)
        .execute(),
    ).rejects.toThrow();
    await t.db
      .updateTable('servers')
      .set({ owner_opd_id: opd.id, rack: 'R1', rack_position: 'U1', power_watts: 300 })
      .where('id', '=', existing.id)
      .execute();

    await m0016.down(t.db);
    const down = await columns();
    for (const c of [
      'owner_opd_id',
      'rack',
      'rack_position',
      'power_watts',
      'vcpu',
      'memory_gb',
      'disk_gb',
      'created_case_id',
    ]) {
      expect(down).not.toContain(c);
    }
    await m0016.up(t.db);
    expect(await columns()).toEqual(expect.arrayContaining(['owner_opd_id', 'rack', 'created_case_id']));
    const again = await t.db
      .selectFrom('servers')
      .selectAll()
      .where('id', '=', existing.id)
      .executeTakeFirstOrThrow();
    expect(again.rack).toBeNull();
  });
});
