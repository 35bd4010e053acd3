import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';

// The app's clock is an input (tests start it at a fixed instant). Sessions must not depend on it:
// their life is measured on the database's clock, which `findLiveSession` compares with.

let t: TestApp;
const DAY = 86_400_000;
beforeAll(async () => {
  // A clock 3 days ahead of the database's: a session timed by it would outlive its 12 hours.
  t = await createTestApp({}, undefined, { now: () => new Date(Date.now() + 3 * DAY) });
});
afterAll(() => t.close());

describe('sessions under a shifted app clock', () => {
  it('expire 12 hours after sign-in by the database clock, whatever the app clock says', async () => {
    const { user, cookie } = await t.as(['staf']);
    const s = await t.db
      .selectFrom('sessions')
      .select(['expires_at', sql<Date>`now()`.as('db_now')])
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    const hours = (s.expires_at.getTime() - s.db_now.getTime()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const me = () => t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect((await me()).statusCode).toBe(200);
    await t.db
      .updateTable('sessions')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('user_id', '=', user.id)
      .execute();
    expect((await me()).statusCode).toBe(401);
  });
});
