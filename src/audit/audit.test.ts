import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { uniq } from '../../test/helpers/factories.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.as(['admin'])).cookie;
});
afterAll(() => t.close());

describe('the audit log', () => {
  it('is append-only in the database itself: UPDATE, DELETE and TRUNCATE fail', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/opds',
      headers: { cookie: admin },
      payload: { code: `A${uniq()}`.slice(0, 30), name: 'Audit Me' },
    });
    const before = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    await expect(sql`UPDATE audit_log SET action = 'forged'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    const after = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('records who, what, when (UTC) and from where, and a failed change leaves no entry', async () => {
    const code = `W${uniq()}`.slice(0, 30);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/opds',
      remoteAddress: '10.20.30.40',
      headers: { cookie: admin, 'user-agent': 'Uji/1.0' },
      payload: { code, name: 'Dinas Audit' },
    });
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/opds',
      headers: { cookie: admin },
      payload: { code, name: 'Again' },
    });
    expect(dup.statusCode).toBe(409);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/audit?entityId=${ok.json().id}`,
      headers: { cookie: admin },
    });
    const items = list.json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      action: 'opd.create',
      entityType: 'opd',
      ip: '10.20.30.40',
      userAgent: 'Uji/1.0',
    });
    expect(items[0].at).toMatch(/Z$/);
    expect(Math.abs(Date.parse(items[0].at) - Date.now())).toBeLessThan(60_000);
  });

  it('filters by actor, action, entity and time, newest first, paginated', async () => {
    const other = await t.as(['admin']);
    for (let i = 0; i < 3; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/opds',
        headers: { cookie: other.cookie },
        payload: { code: `F${uniq()}`.slice(0, 30), name: `Filter ${i}` },
      });
    }
    const q = (s: string) =>
      t.app
        .inject({ method: 'GET', url: `/api/audit?${s}`, headers: { cookie: admin } })
        .then((r) => r.json());
    const byActor = await q(`actor=${other.user.username}&action=opd.create&pageSize=2`);
    expect(byActor.total).toBe(3);
    expect(byActor.items).toHaveLength(2);
    expect(Date.parse(byActor.items[0].at)).toBeGreaterThanOrEqual(Date.parse(byActor.items[1].at));
    const future = await q(
      `actor=${other.user.username}&from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`,
    );
    expect(future.total).toBe(0);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/audit?from=yesterday',
      headers: { cookie: admin },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('is visible to admins only', async () => {
    for (const role of ['umum', 'kepala', 'kabid', 'subkoor', 'staf', 'opd'] as const) {
      const { cookie } = await t.as([role]);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/audit', headers: { cookie } })).statusCode,
        role,
      ).toBe(403);
    }
  });
});
