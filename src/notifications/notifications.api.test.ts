import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { buildUser } from '../../test/helpers/factories.ts';
import { notificationRoutes } from '../server/routes/notifications.ts';
import { notify } from './notification.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // Until app.ts registers them, the test adds the routes itself (before the app is ready).
  if (!t.app.hasRoute({ method: 'GET', url: '/api/notifications' }))
    notificationRoutes(t.app, { db: t.db, config: t.config });
});
afterAll(() => t.close());

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const read = (cookie: string, payload: unknown) =>
  t.app.inject({
    method: 'POST',
    url: '/api/notifications/read',
    headers: { cookie },
    payload: payload as object,
  });

const n = (title: string, extra: Partial<Parameters<typeof notify>[2]> = {}) => ({
  kind: 'case.assigned',
  title,
  body: `Permohonan menunggu tindakan Anda: ${title}`,
  ...extra,
});

describe('GET /api/notifications', () => {
  it('lists only my own, newest first, with total and unread counts, paginated', async () => {
    const me = await t.as(['staf']);
    const other = await t.as(['staf']);
    for (const title of ['Pertama', 'Kedua', 'Ketiga']) await notify(t.db, [me.user.id], n(title));
    await notify(t.db, [other.user.id], n('Milik orang lain'));

    const res = await get('/api/notifications?pageSize=2', me.cookie);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 3, unread: 3, page: 1, pageSize: 2 });
    expect(body.items.map((i: { title: string }) => i.title)).toEqual(['Ketiga', 'Kedua']);
    expect(body.items[0]).toMatchObject({
      kind: 'case.assigned',
      body: 'Permohonan menunggu tindakan Anda: Ketiga',
      link: null,
      caseId: null,
      readAt: null,
    });
    expect(body.items[0].createdAt).toMatch(/Z$/);
    const p2 = (await get('/api/notifications?pageSize=2&page=2', me.cookie)).json();
    expect(p2.items.map((i: { title: string }) => i.title)).toEqual(['Pertama']);
    const theirs = (await get('/api/notifications', other.cookie)).json();
    expect(theirs.items.map((i: { title: string }) => i.title)).toEqual(['Milik orang lain']);
  });

  it('filters unread; the unread count stays the whole count', async () => {
    const me = await t.as(['kabid']);
    const [a] = await notify(
      t.db,
      [me.user.id],
      n('Dibaca', { link: '/cases/123', caseId: crypto.randomUUID() }),
    );
    await notify(t.db, [me.user.id], n('Belum dibaca'));
    await read(me.cookie, { ids: [a?.id] });
    const unread = (await get('/api/notifications?unread=true', me.cookie)).json();
    expect(unread).toMatchObject({ total: 1, unread: 1 });
    expect(unread.items[0].title).toBe('Belum dibaca');
    const all = (await get('/api/notifications?unread=false', me.cookie)).json();
    expect(all).toMatchObject({ total: 2, unread: 1 });
    const done = all.items.find((i: { title: string }) => i.title === 'Dibaca');
    expect(done.readAt).toMatch(/Z$/);
    expect(done.link).toBe('/cases/123');
  });

  it('needs a session and a valid query', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/notifications' })).statusCode).toBe(401);
    const { cookie } = await t.as(['staf']);
    expect((await get('/api/notifications?unread=maybe', cookie)).statusCode).toBe(400);
    expect((await get('/api/notifications?pageSize=101', cookie)).statusCode).toBe(400);
    expect((await get('/api/notifications?userId=someone', cookie)).statusCode).toBe(400);
  });
});

describe('POST /api/notifications/read', () => {
  it('marks the given ones read, ignores ids that are not mine, and answers the new unread count', async () => {
    const me = await t.as(['umum']);
    const other = await t.as(['umum']);
    const mine = await notify(t.db, [me.user.id], n('Satu'));
    await notify(t.db, [me.user.id], n('Dua'));
    const [theirs] = await notify(t.db, [other.user.id], n('Punya dia'));

    const res = await read(me.cookie, { ids: [mine[0]?.id, theirs?.id, crypto.randomUUID()] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ marked: 1, unread: 1 });
    // Again: already read, nothing changes.
    expect((await read(me.cookie, { ids: [mine[0]?.id] })).json()).toEqual({ marked: 0, unread: 1 });
    // The other user's notification is untouched.
    expect((await get('/api/notifications', other.cookie)).json()).toMatchObject({ unread: 1 });
  });

  it('marks all of mine read, and only mine', async () => {
    const me = await t.as(['kepala']);
    const other = await t.as(['kepala']);
    await notify(t.db, [me.user.id, other.user.id], n('Untuk berdua'));
    await notify(t.db, [me.user.id], n('Hanya untuk saya'));
    expect((await read(me.cookie, { all: true })).json()).toEqual({ marked: 2, unread: 0 });
    expect((await get('/api/notifications?unread=true', me.cookie)).json()).toMatchObject({ total: 0 });
    expect((await get('/api/notifications', other.cookie)).json()).toMatchObject({ total: 1, unread: 1 });
  });

  it('rejects a body that is neither { ids } nor { all: true }', async () => {
    const { cookie } = await t.as(['staf']);
    for (const payload of [
      {},
      { all: false },
      { ids: [] },
      { ids: ['not-a-uuid'] },
      { ids: [], all: true },
    ]) {
      const res = await read(cookie, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const anon = await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      payload: { all: true },
    });
    expect(anon.statusCode).toBe(401);
  });
});

describe('an OPD user and DKISP staff', () => {
  it('each see and mark only their own notifications', async () => {
    const opd = await t.as(['opd']);
    const staff = await t.as(['subkoor']);
    const admin = await t.as(['admin']);
    const [forOpd] = await notify(
      t.db,
      [opd.user.id],
      n('Permohonan Anda diterima', { kind: 'case.received' }),
    );
    const [forStaff] = await notify(t.db, [staff.user.id], n('Tugas baru'));

    const opdList = (await get('/api/notifications', opd.cookie)).json();
    expect(opdList.items.map((i: { id: string }) => i.id)).toEqual([forOpd?.id]);
    const staffList = (await get('/api/notifications', staff.cookie)).json();
    expect(staffList.items.map((i: { id: string }) => i.id)).toEqual([forStaff?.id]);
    // Not even an administrator sees another user's notifications.
    expect((await get('/api/notifications', admin.cookie)).json()).toMatchObject({ total: 0 });

    expect((await read(opd.cookie, { ids: [forStaff?.id] })).json()).toEqual({ marked: 0, unread: 1 });
    expect((await read(opd.cookie, { all: true })).json()).toEqual({ marked: 1, unread: 0 });
    expect((await get('/api/notifications', staff.cookie)).json()).toMatchObject({ unread: 1 });
  });
});

describe('notify()', () => {
  it('writes in the caller transaction: a rolled-back change leaves no notification', async () => {
    const u = await buildUser(t.db);
    await expect(
      t.db.transaction().execute(async (trx) => {
        await notify(trx, [u.id], n('Tidak jadi'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await t.db.selectFrom('notifications').selectAll().where('user_id', '=', u.id).execute();
    expect(rows).toEqual([]);
  });

  it('writes one per recipient, duplicates once', async () => {
    const a = await buildUser(t.db);
    const b = await buildUser(t.db);
    const out = await notify(t.db, [a.id, b.id, a.id], n('Rapat'));
    expect(out).toHaveLength(2);
  });

  it('refuses links out of Loket, bad kinds and empty or long titles, in the service and the schema', async () => {
    const u = await buildUser(t.db);
    for (const link of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '/a b',
    ])
      await expect(notify(t.db, [u.id], n('Tautan', { link })), link).rejects.toThrow(/link/);
    await expect(notify(t.db, [u.id], n('Jenis', { kind: 'Case Assigned' }))).rejects.toThrow(/kind/);
    await expect(notify(t.db, [u.id], n(' '))).rejects.toThrow(/title/);
    await expect(notify(t.db, [u.id], n('x'.repeat(201)))).rejects.toThrow(/title/);
    // The database holds the same line for anyone writing around the service.
    await expect(
      t.db
        .insertInto('notifications')
        .values({
          user_id: u.id,
          kind: 'case.x',
          title: 'T',
          body: '',
          link: '//evil.example',
          case_id: null,
        })
        .execute(),
    ).rejects.toThrow(/notifications_link_local/);
  });
});
