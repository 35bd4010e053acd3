import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieFrom, createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { buildOpd, buildUser, DEFAULT_PASSWORD } from '../../test/helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOKET_LOGIN_MAX_FAILURES_PER_ADDRESS: '1000' });
});
afterAll(() => t.close());

const me = (cookie?: string) =>
  t.app.inject({ method: 'GET', url: '/api/auth/me', headers: cookie ? { cookie } : {} });

describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and /me answers with the user', async () => {
    const u = await buildUser(t.db, { roles: ['umum'], fullName: 'Siti Aminah' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: u.password },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ username: u.username, fullName: 'Siti Aminah', roles: ['umum'] });
    const c = res.cookies.find((k) => k.name === 'loket_session');
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(c?.secure).toBeFalsy();
    expect(c?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const who = await me(cookieFrom(res));
    expect(who.statusCode).toBe(200);
    expect(who.json().user.id).toBe(u.id);
  });

  it('stores only a hash of the token', async () => {
    const { cookie } = await t.as(['staf']);
    const token = cookie.split('=')[1] as string;
    const found = await t.db.selectFrom('sessions').select('id').where('id', '=', token).execute();
    expect(found).toHaveLength(0);
  });

  it('behind HTTPS the cookie is Secure and __Host- prefixed', async () => {
    const https = await createTestApp({ LOKET_TRUST_PROXY: 'true' }, t.handle);
    try {
      const u = await buildUser(t.db);
      const res = await https.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: u.username, password: u.password },
      });
      const c = res.cookies.find((k) => k.name === '__Host-loket_session');
      expect(c).toMatchObject({ secure: true, httpOnly: true, path: '/' });
      expect(c?.domain).toBeUndefined();
      const who = await https.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { 'x-forwarded-proto': 'https', cookie: `__Host-loket_session=${c?.value}` },
      });
      expect(who.statusCode).toBe(200);
    } finally {
      await https.app.close();
    }
  });

  it('over HTTPS accepts only the __Host- cookie: a plain one (a sibling subdomain can set it) is ignored', async () => {
    const https = await createTestApp({ LOKET_TRUST_PROXY: 'true' }, t.handle);
    try {
      const u = await buildUser(t.db);
      // A valid token, as a sibling subdomain could plant it after stealing or fixing it.
      const plain = await t.login(u.username, u.password);
      expect(plain).toMatch(/^loket_session=/);
      const token = plain.split('=')[1];
      const asHttps = (cookie: string) =>
        https.app.inject({
          method: 'GET',
          url: '/api/auth/me',
          headers: { 'x-forwarded-proto': 'https', cookie },
        });
      const viaPlain = await asHttps(plain);
      expect(viaPlain.statusCode).toBe(401);
      expect(viaPlain.json().error.code).toBe('UNAUTHENTICATED');
      // Both cookies present: the __Host- one decides, the plain one never stands in for it.
      expect((await asHttps(`${plain}; __Host-loket_session=forged-${'x'.repeat(36)}`)).statusCode).toBe(401);
      expect((await asHttps(`__Host-loket_session=${token}`)).statusCode).toBe(200);
      // Over plain HTTP (same trusting app, no forwarded proto) the plain cookie is the session cookie.
      const viaHttp = await https.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { cookie: plain },
      });
      expect(viaHttp.statusCode).toBe(200);
      // A plain cookie cannot change a password or sign out over HTTPS either.
      const change = await https.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { 'x-forwarded-proto': 'https', cookie: plain },
        payload: { currentPassword: u.password, newPassword: 'Nasi-Goreng-Kampung-77' },
      });
      expect(change.statusCode).toBe(401);
    } finally {
      await https.app.close();
    }
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const u = await buildUser(t.db);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: 'not-the-password-at-all' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody-here', password: 'not-the-password-at-all' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('accepts the username in any case and with spaces around it', async () => {
    const u = await buildUser(t.db);
    await expect(t.login(`  ${u.username.toUpperCase()} `, u.password)).resolves.toContain('loket_session=');
  });

  it('refuses a deactivated user and a user of an inactive OPD, like a wrong password', async () => {
    const off = await buildUser(t.db, { active: false });
    const opd = await buildOpd(t.db, { active: false });
    const opdUser = await buildUser(t.db, { roles: ['opd'], opdId: opd.id });
    for (const u of [off, opdUser]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: u.username, password: u.password },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    }
  });

  it('rotates the session at login: the old token dies', async () => {
    const u = await buildUser(t.db);
    const first = await t.login(u.username, u.password);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: first },
      payload: { username: u.username, password: u.password },
    });
    const second = cookieFrom(res);
    expect(second).not.toBe(first);
    expect((await me(first)).statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(200);
  });

  it('logout ends the session and clears the cookie', async () => {
    const { cookie } = await t.as(['kabid']);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((k) => k.name === 'loket_session')?.value).toBe('');
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('answers 401 with a code when there is no session or a forged one', async () => {
    for (const cookie of [undefined, 'loket_session=abc', `loket_session=${'A'.repeat(43)}`]) {
      const res = await me(cookie);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('session lifetime', () => {
  it('expires after the idle time', async () => {
    const { user, cookie } = await t.as(['staf']);
    await t.db
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now() - interval '31 minutes'` })
      .where('user_id', '=', user.id)
      .execute();
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('stays alive while used: activity moves the idle clock', async () => {
    const { user, cookie } = await t.as(['staf']);
    await t.db
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now() - interval '29 minutes'` })
      .where('user_id', '=', user.id)
      .execute();
    expect((await me(cookie)).statusCode).toBe(200);
    const s = await t.db
      .selectFrom('sessions')
      .select('last_seen_at')
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    expect(Date.now() - (s?.last_seen_at.getTime() ?? 0)).toBeLessThan(60_000);
  });

  it('expires after the absolute lifetime of 12 hours, however active', async () => {
    const { user, cookie } = await t.as(['staf']);
    const s = await t.db
      .selectFrom('sessions')
      .select(['created_at', 'expires_at'])
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    const hours = (s.expires_at.getTime() - s.created_at.getTime()) / 3_600_000;
    expect(hours).toBeCloseTo(12, 1);
    await t.db
      .updateTable('sessions')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('user_id', '=', user.id)
      .execute();
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('dies when an admin deactivates the user', async () => {
    const admin = await t.as(['admin']);
    const { user, cookie } = await t.as(['umum']);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: { cookie: admin.cookie },
      payload: { active: false },
    });
    expect(res.statusCode).toBe(200);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('dies when the OPD is deactivated', async () => {
    const admin = await t.as(['admin']);
    const { user, cookie } = await t.as(['opd']);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/opds/${user.opdId}`,
      headers: { cookie: admin.cookie },
      payload: { active: false },
    });
    expect(res.statusCode).toBe(200);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('is shared by every app instance on the same database', async () => {
    const other = await createTestApp({}, t.handle);
    try {
      const { cookie } = await t.as(['kepala']);
      const res = await other.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
      expect(res.statusCode).toBe(200);
    } finally {
      await other.app.close();
    }
  });
});

describe('changing your own password', () => {
  it('ends every other session and keeps the one that made the change', async () => {
    const u = await buildUser(t.db);
    const a = await t.login(u.username, u.password);
    const b = await t.login(u.username, u.password);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: a },
      payload: { currentPassword: u.password, newPassword: 'Nasi-Goreng-Kampung-77' },
    });
    expect(res.statusCode).toBe(204);
    const fresh = cookieFrom(res);
    expect((await me(a)).statusCode).toBe(401);
    expect((await me(b)).statusCode).toBe(401);
    expect((await me(fresh)).statusCode).toBe(200);
    await expect(t.login(u.username, 'Nasi-Goreng-Kampung-77')).resolves.toBeTruthy();
  });

  it('refuses a wrong current password and a weak new one, changing nothing', async () => {
    const u = await buildUser(t.db);
    const c = await t.login(u.username, u.password);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: c },
      payload: { currentPassword: 'nope-nope-nope', newPassword: 'Nasi-Goreng-Kampung-77' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('PASSWORD_INCORRECT');
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: c },
      payload: { currentPassword: u.password, newPassword: 'password1234' },
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().error).toMatchObject({
      code: 'PASSWORD_TOO_WEAK',
      details: { reasons: ['TOO_COMMON'] },
    });
    expect((await me(c)).statusCode).toBe(200);
    await expect(t.login(u.username, DEFAULT_PASSWORD)).resolves.toBeTruthy();
  });

  const change = (app: TestApp, cookie: string, currentPassword: string, ip = '10.6.6.6') =>
    app.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      remoteAddress: ip,
      headers: { cookie },
      payload: { currentPassword, newPassword: 'Nasi-Goreng-Kampung-77' },
    });

  it('counts a wrong current password like a failed sign-in: 5 lock the account, even for the right one', async () => {
    const u = await buildUser(t.db);
    const c = await t.login(u.username, u.password);
    const hashOf = async () =>
      (
        await t.db
          .selectFrom('users')
          .select('password_hash')
          .where('id', '=', u.id)
          .executeTakeFirstOrThrow()
      ).password_hash;
    const hashBefore = await hashOf();
    for (let i = 0; i < 5; i++) {
      const r = await change(t, c, `guess-${i}-password`, `10.6.0.${i + 1}`);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('PASSWORD_INCORRECT');
    }
    const locked = await change(t, c, u.password, '10.6.1.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('TOO_MANY_ATTEMPTS');
    const retry = Number(locked.headers['retry-after']);
    expect(retry).toBeGreaterThan(14 * 60);
    expect(locked.json().error.details.retryAfterSeconds).toBe(retry);
    // The password did not change, and signing in to the account is locked as well.
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: u.password },
    });
    expect(signIn.statusCode).toBe(429);
    expect(await hashOf()).toBe(hashBefore);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', u.id)
      .where('action', '=', 'auth.password_change_failed')
      .execute();
    expect(audit).toHaveLength(5);
  });

  it('counts wrong current passwords per address too, across accounts', async () => {
    const strict = await createTestApp(
      { LOKET_LOGIN_MAX_FAILURES: '100', LOKET_LOGIN_MAX_FAILURES_PER_ADDRESS: '3' },
      t.handle,
    );
    try {
      const ip = '10.66.66.66';
      // Sign in from an address of its own: other tests' failures from the default one count here.
      const signIn = async (u: { username: string; password: string }) =>
        cookieFrom(
          await strict.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            remoteAddress: '10.66.0.1',
            payload: { username: u.username, password: u.password },
          }),
        );
      for (let i = 0; i < 3; i++) {
        const u = await buildUser(t.db);
        const c = await signIn(u);
        expect((await change(strict, c, 'not-my-password-1', ip)).statusCode).toBe(400);
      }
      const v = await buildUser(t.db);
      const c = await signIn(v);
      expect((await change(strict, c, v.password, ip)).statusCode).toBe(429);
      expect((await change(strict, c, v.password, '10.66.66.67')).statusCode).toBe(204);
    } finally {
      await strict.app.close();
    }
  });
});

describe('failed sign-in throttling', () => {
  const attempt = (app: TestApp, username: string, password: string, ip = '10.9.8.7') =>
    app.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: ip,
      payload: { username, password },
    });

  it('locks an account after 5 failures in 15 minutes, even for the right password, with Retry-After', async () => {
    const u = await buildUser(t.db);
    for (let i = 0; i < 5; i++) {
      expect((await attempt(t, u.username, `wrong-${i}-password`, `10.0.0.${i + 1}`)).statusCode).toBe(401);
    }
    const locked = await attempt(t, u.username, u.password, '10.0.1.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('TOO_MANY_ATTEMPTS');
    const retry = Number(locked.headers['retry-after']);
    expect(retry).toBeGreaterThan(14 * 60);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    expect(locked.json().error.details.retryAfterSeconds).toBe(retry);
  });

  it('unlocks when the window has passed', async () => {
    const u = await buildUser(t.db);
    for (let i = 0; i < 5; i++) await attempt(t, u.username, 'wrong-password-x');
    expect((await attempt(t, u.username, u.password)).statusCode).toBe(429);
    await t.db
      .updateTable('login_failures')
      .set({ at: sql<Date>`at - interval '16 minutes'` })
      .where('username', '=', u.username)
      .execute();
    expect((await attempt(t, u.username, u.password)).statusCode).toBe(200);
  });

  it('locks unknown usernames the same way, so a lock reveals nothing', async () => {
    for (let i = 0; i < 5; i++) await attempt(t, 'no-such-user-xyz', 'whatever-password');
    expect((await attempt(t, 'no-such-user-xyz', 'whatever-password')).statusCode).toBe(429);
  });

  it('counts parallel failures exactly: 20 at once still leave the account locked at 5', async () => {
    const u = await buildUser(t.db);
    const res = await Promise.all(
      Array.from({ length: 20 }, (_, i) => attempt(t, u.username, `bad-password-${i}`, `10.1.0.${i}`)),
    );
    expect(res.filter((r) => r.statusCode === 401)).toHaveLength(5);
    expect(res.filter((r) => r.statusCode === 429)).toHaveLength(15);
    const n = await t.db
      .selectFrom('login_failures')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('username', '=', u.username)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(5);
  });

  it('locks an address after 5 failures, whatever usernames it tries', async () => {
    const strict = await createTestApp({ LOKET_LOGIN_MAX_FAILURES_PER_ADDRESS: '5' }, t.handle);
    try {
      const ip = '10.77.77.77';
      for (let i = 0; i < 5; i++) await attempt(strict, `someone-${i}`, 'wrong-password-1', ip);
      const u = await buildUser(t.db);
      const res = await attempt(strict, u.username, u.password, ip);
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect((await attempt(strict, u.username, u.password, '10.77.77.78')).statusCode).toBe(200);
    } finally {
      await strict.app.close();
    }
  });

  it('clears the account counter after a successful sign-in', async () => {
    const u = await buildUser(t.db);
    for (let i = 0; i < 4; i++) await attempt(t, u.username, 'wrong-password-y');
    expect((await attempt(t, u.username, u.password)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) await attempt(t, u.username, 'wrong-password-y');
    expect((await attempt(t, u.username, u.password)).statusCode).toBe(200);
  });

  it('audits failed and successful sign-ins with the address', async () => {
    const u = await buildUser(t.db);
    await attempt(t, u.username, 'wrong-password-z', '10.5.5.5');
    await attempt(t, u.username, u.password, '10.5.5.6');
    const rows = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('actor_username', '=', u.username)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.action, r.ip])).toEqual([
      ['auth.login_failed', '10.5.5.5'],
      ['auth.login', '10.5.5.6'],
    ]);
    expect(rows[0]?.details).toEqual({ reason: 'wrong_password' });
  });
});

describe('requests from another site', () => {
  it('refuses state-changing requests with a foreign Origin or Sec-Fetch-Site cross-site', async () => {
    const { cookie } = await t.as(['admin']);
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/opds',
      headers: { cookie, origin: 'https://evil.example' },
      payload: { code: 'EVIL1', name: 'Evil' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('CROSS_ORIGIN');
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/opds',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
      payload: { code: 'EVIL2', name: 'Evil' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(
      await t.db.selectFrom('opds').select('id').where('code', 'in', ['EVIL1', 'EVIL2']).execute(),
    ).toHaveLength(0);
  });

  it('accepts the same origin and reads from anywhere', async () => {
    const { cookie } = await t.as(['admin']);
    const same = await t.app.inject({
      method: 'POST',
      url: '/api/opds',
      headers: { cookie, origin: 'http://localhost:80', host: 'localhost:80' },
      payload: { code: `SAME${Date.now() % 100000}`, name: 'Same origin' },
    });
    expect(same.statusCode).toBe(201);
    const read = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(read.statusCode).toBe(200);
  });
});

describe('the sign-in rate limit', () => {
  it('answers 429 TOO_MANY_ATTEMPTS with Retry-After past the per-minute limit, whatever the outcome', async () => {
    const limited = await createTestApp({ LOKET_LOGIN_RATE_PER_MINUTE: '3' }, t.handle);
    try {
      const u = await buildUser(t.db);
      const codes = [];
      for (let i = 0; i < 4; i++) {
        const res = await limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: '10.66.0.1',
          payload: { username: u.username, password: u.password },
        });
        codes.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(res.json().error.code).toBe('TOO_MANY_ATTEMPTS');
          expect(res.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      expect(codes).toEqual([200, 200, 200, 429]);
    } finally {
      await limited.app.close();
    }
  });
});
