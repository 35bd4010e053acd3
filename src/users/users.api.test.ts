import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { buildOpd, uniq } from '../../test/helpers/factories.ts';

let t: TestApp;
let admin: { user: { id: string }; cookie: string };
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.as(['admin']);
});
afterAll(() => t.close());

const req = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, cookie = admin.cookie) =>
  t.app.inject({
    method,
    url,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const STRONG = 'Sate-Padang-Pedas-2026';

describe('users', () => {
  it('an admin creates an OPD user who can then sign in and sees its OPD', async () => {
    const opd = await buildOpd(t.db);
    const username = `opd.${uniq().toLowerCase()}`;
    const res = await req('POST', '/api/users', {
      username,
      fullName: 'Budi Santoso',
      nip: '198501012010011001',
      email: 'Budi@Example.go.id',
      phone: '+62 812-3456-7890',
      roles: ['opd'],
      opdId: opd.id,
      password: STRONG,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      username,
      email: 'budi@example.go.id',
      roles: ['opd'],
      opd: { id: opd.id, code: opd.code },
      active: true,
      lastLoginAt: null,
    });
    expect(res.json()).not.toHaveProperty('passwordHash');
    const cookie = await t.login(username, STRONG);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.json().user.opd.id).toBe(opd.id);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'details'])
      .where('entity_id', '=', res.json().id)
      .execute();
    expect(audit[0]).toMatchObject({ action: 'user.create', actor_id: admin.user.id });
    expect(JSON.stringify(audit[0]?.details)).not.toContain(STRONG);
  });

  it('enforces the role rules of OPD and DKISP users', async () => {
    const opd = await buildOpd(t.db);
    const inactive = await buildOpd(t.db, { active: false });
    const base = { fullName: 'Uji Aturan', password: STRONG };
    const cases: [object, number, string][] = [
      [{ roles: ['opd'] }, 422, 'ROLE_RULES'],
      [{ roles: ['opd', 'staf'], opdId: opd.id }, 422, 'ROLE_RULES'],
      [{ roles: ['staf'], opdId: opd.id }, 422, 'ROLE_RULES'],
      [{ roles: ['opd'], opdId: inactive.id }, 422, 'OPD_INACTIVE'],
      [{ roles: ['opd'], opdId: '00000000-0000-4000-8000-000000000000' }, 422, 'ROLE_RULES'],
      [{ roles: [] }, 400, 'VALIDATION_FAILED'],
      [{ roles: ['superuser'] }, 400, 'VALIDATION_FAILED'],
      [{ roles: ['staf', 'staf'] }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [extra, status, code] of cases) {
      const res = await req('POST', '/api/users', {
        ...base,
        username: `r${uniq().toLowerCase()}`,
        ...extra,
      });
      expect(res.statusCode, JSON.stringify(extra)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
  });

  it('applies the password policy: length, common passwords, the username', async () => {
    const username = `p${uniq().toLowerCase()}`;
    const tries: [string, string][] = [
      ['Pendek-1', 'TOO_SHORT'],
      ['password1234', 'TOO_COMMON'],
      ['Bismillah2026!', 'TOO_COMMON'],
      [`${username}-Rahasia-99`, 'CONTAINS_USERNAME'],
    ];
    for (const [password, reason] of tries) {
      const res = await req('POST', '/api/users', { username, fullName: 'X Y', roles: ['staf'], password });
      expect(res.statusCode, password).toBe(422);
      expect(res.json().error.details.reasons).toContain(reason);
    }
    expect(
      await t.db.selectFrom('users').select('id').where('username', '=', username).execute(),
    ).toHaveLength(0);
  });

  it('refuses a taken username, case-insensitively', async () => {
    const username = `dup${uniq().toLowerCase()}`;
    expect(
      (await req('POST', '/api/users', { username, fullName: 'Satu', roles: ['staf'], password: STRONG }))
        .statusCode,
    ).toBe(201);
    const again = await req('POST', '/api/users', {
      username: username.toUpperCase(),
      fullName: 'Dua',
      roles: ['staf'],
      password: STRONG,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('USERNAME_TAKEN');
  });

  it('edits a user and clears optional fields with null or ""', async () => {
    const created = (
      await req('POST', '/api/users', {
        username: `e${uniq().toLowerCase()}`,
        fullName: 'Edit Saya',
        email: 'a@b.id',
        phone: '0812345678',
        roles: ['staf'],
        password: STRONG,
      })
    ).json();
    const res = await req('PATCH', `/api/users/${created.id}`, {
      fullName: 'Sudah Diedit',
      email: null,
      phone: '',
      roles: ['kabid', 'admin'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      fullName: 'Sudah Diedit',
      email: null,
      phone: null,
      roles: ['kabid', 'admin'],
    });
  });

  it('never leaves the system without an active admin, and an admin cannot deactivate itself', async () => {
    const self = await req('PATCH', `/api/users/${admin.user.id}`, { active: false });
    expect(self.statusCode).toBe(409);
    expect(self.json().error.code).toBe('CANNOT_DEACTIVATE_SELF');
    // Demote every other admin first, so the signed-in one is the last.
    const others = await t.db
      .selectFrom('users')
      .select('id')
      .where(sql<boolean>`'admin' = ANY(roles)`)
      .where('id', '!=', admin.user.id)
      .execute();
    for (const o of others)
      await t.db.updateTable('users').set({ active: false }).where('id', '=', o.id).execute();
    const last = await req('PATCH', `/api/users/${admin.user.id}`, { roles: ['staf'] });
    expect(last.statusCode).toBe(409);
    expect(last.json().error.code).toBe('LAST_ADMIN');
  });

  it('sets a password for a user and ends its sessions', async () => {
    const { user, cookie } = await t.as(['umum']);
    const res = await req('POST', `/api/users/${user.id}/password`, { password: 'Gado-Gado-Betawi-55' });
    expect(res.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(
      401,
    );
    await expect(t.login(user.username, 'Gado-Gado-Betawi-55')).resolves.toBeTruthy();
  });

  it('lists with filters by role, OPD, active and text', async () => {
    const opd = await buildOpd(t.db);
    const name = `Cari${uniq()}`;
    await req('POST', '/api/users', {
      username: `f${uniq().toLowerCase()}`,
      fullName: `${name} Satu`,
      roles: ['opd'],
      opdId: opd.id,
      password: STRONG,
    });
    await req('POST', '/api/users', {
      username: `f${uniq().toLowerCase()}`,
      fullName: `${name} Dua`,
      roles: ['subkoor'],
      password: STRONG,
    });
    const byText = await req('GET', `/api/users?q=${name}`);
    expect(byText.json().total).toBe(2);
    const byRole = await req('GET', `/api/users?q=${name}&role=subkoor`);
    expect(byRole.json().items.map((u: { fullName: string }) => u.fullName)).toEqual([`${name} Dua`]);
    const byOpd = await req('GET', `/api/users?opdId=${opd.id}`);
    expect(byOpd.json().items.map((u: { fullName: string }) => u.fullName)).toEqual([`${name} Satu`]);
    expect((await req('GET', '/api/users?active=maybe')).statusCode).toBe(400);
  });

  it('only admins manage users', async () => {
    for (const role of ['opd', 'umum', 'kepala', 'kabid', 'subkoor', 'staf'] as const) {
      const { cookie, user } = await t.as([role]);
      expect((await req('GET', '/api/users', undefined, cookie)).statusCode, role).toBe(403);
      expect((await req('GET', `/api/users/${user.id}`, undefined, cookie)).statusCode, role).toBe(403);
      expect(
        (await req('PATCH', `/api/users/${user.id}`, { roles: ['admin'] }, cookie)).statusCode,
        role,
      ).toBe(403);
      expect(
        (await req('POST', `/api/users/${user.id}/password`, { password: STRONG }, cookie)).statusCode,
        role,
      ).toBe(403);
    }
  });
});
