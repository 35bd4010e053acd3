import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import { jakartaDate } from '../../test/helpers/clock.ts';
import { pdf } from '../storage/test-fixtures.ts';
import { deleteExpiredKeys } from './idempotency.repository.ts';

// A client that lost the answer to a creating request retries it with the same Idempotency-Key:
// it gets the first answer again and nothing happens twice.

let t: TestApp;
let opd: string;
let opdUserId: string;
const today = () => jakartaDate(t.now());
const fields = (subject: string) => ({
  kind: 'new',
  subject,
  letterNumber: '027/9/IDEM/2026',
  letterDate: today(),
  description: 'Permohonan website.',
});

beforeAll(async () => {
  t = await createTestApp();
  const a = await t.as(['opd']);
  opd = a.cookie;
  opdUserId = a.user.id;
});
afterAll(() => t.close());

async function casesWithSubject(subject: string): Promise<number> {
  const r = await t.db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('subject', '=', subject)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const create = (payload: Record<string, unknown>, key?: string, cookie = opd) =>
  t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { cookie, ...(key ? { 'idempotency-key': key } : {}) },
    payload,
  });

describe('Idempotency-Key on POST /api/cases', () => {
  it('a retry with the same key and body returns the first answer and files nothing new', async () => {
    const key = crypto.randomUUID();
    const first = await create(fields('Idem satu'), key);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The same body with its keys in another order is the same request.
    const { subject, ...rest } = fields('Idem satu');
    const again = await create({ ...rest, subject }, key);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect(again.json().ref).toBe(first.json().ref);
    expect(await casesWithSubject('Idem satu')).toBe(1);
  });

  it('without a key, a retry files a second request (the reason for the key)', async () => {
    expect((await create(fields('Idem tanpa kunci'))).statusCode).toBe(201);
    expect((await create(fields('Idem tanpa kunci'))).statusCode).toBe(201);
    expect(await casesWithSubject('Idem tanpa kunci')).toBe(2);
  });

  it('the same key with a different body is refused with 422 IDEMPOTENCY_KEY_REUSED and changes nothing', async () => {
    const key = crypto.randomUUID();
    expect((await create(fields('Idem dua'), key)).statusCode).toBe(201);
    const other = await create(fields('Idem dua lain'), key);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await casesWithSubject('Idem dua lain')).toBe(0);
  });

  it('keys are per user: another user with the same key files its own request', async () => {
    const key = crypto.randomUUID();
    const other = await t.as(['opd']);
    expect((await create(fields('Idem per pengguna'), key)).statusCode).toBe(201);
    const theirs = await create(fields('Idem per pengguna'), key, other.cookie);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await casesWithSubject('Idem per pengguna')).toBe(2);
  });

  it('a refused request stores nothing: fixed and retried with the same key, it runs', async () => {
    const key = crypto.randomUUID();
    const bad = await create({ ...fields('Idem gagal'), letterDate: '2999-01-01' }, key);
    expect(bad.statusCode).toBe(400);
    const good = await create(fields('Idem gagal'), key);
    expect(good.statusCode).toBe(201);
    expect(await casesWithSubject('Idem gagal')).toBe(1);
  });

  it('a malformed key is a 400 and files nothing', async () => {
    for (const key of ['', 'a b', 'x'.repeat(256), 'kunci\u00e9']) {
      const res = await create(fields('Idem kunci buruk'), key || ' ');
      expect(res.statusCode, key).toBe(400);
      expect(res.json().error.details.in).toBe('headers');
    }
    expect(await casesWithSubject('Idem kunci buruk')).toBe(0);
  });

  it('multipart: a retry with the same file is replayed; the same key with another file is refused', async () => {
    const key = crypto.randomUUID();
    const send = (data: Buffer) => {
      const body = multipart(fields('Idem berkas'), [
        { field: 'letter', name: 'surat.pdf', type: 'application/pdf', data },
      ]);
      return t.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: { ...body.headers, cookie: opd, 'idempotency-key': key },
        payload: body.payload,
      });
    };
    const first = await send(pdf());
    expect(first.statusCode, first.body).toBe(201);
    const again = await send(pdf());
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    const files = await t.db
      .selectFrom('case_files')
      .select('id')
      .where('case_id', '=', first.json().id)
      .execute();
    expect(files).toHaveLength(1);
    const otherFile = await send(Buffer.concat([pdf(), Buffer.from('\n% lain\n')]));
    expect(otherFile.statusCode).toBe(422);
  });

  it('concurrent duplicates: one request is filed, every answer names it', async () => {
    const key = crypto.randomUUID();
    const answers = await Promise.all(Array.from({ length: 4 }, () => create(fields('Idem bersamaan'), key)));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(await casesWithSubject('Idem bersamaan')).toBe(1);
  });

  it('keys expire: housekeeping forgets them after 24 hours', async () => {
    const key = crypto.randomUUID();
    expect((await create(fields('Idem kedaluwarsa'), key)).statusCode).toBe(201);
    const stored = () =>
      t.db
        .selectFrom('idempotency_keys')
        .select('key')
        .where('user_id', '=', opdUserId)
        .where('key', '=', key);
    expect(await deleteExpiredKeys(t.db, new Date(Date.now() - 60_000))).toBe(0);
    expect(await stored().executeTakeFirst()).toBeDefined();
    await deleteExpiredKeys(t.db, new Date(Date.now() + 60_000));
    expect(await stored().executeTakeFirst()).toBeUndefined();
  });
});

describe('Idempotency-Key on case actions', () => {
  it('a retried action returns the first answer instead of VERSION_CONFLICT, and runs once', async () => {
    const body = multipart(fields('Idem aksi'), [
      { field: 'letter', name: 'surat.pdf', type: 'application/pdf', data: pdf() },
    ]);
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...body.headers, cookie: opd },
      payload: body.payload,
    });
    const c = filed.json() as { id: string; version: number };
    const key = crypto.randomUUID();
    const submit = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/cases/${c.id}/actions/submit`,
        headers: { cookie: opd, 'idempotency-key': key },
        payload: { version: c.version },
      });
    const first = await submit();
    expect(first.statusCode, first.body).toBe(200);
    const again = await submit();
    expect(again.statusCode, again.body).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().version).toBe(first.json().version);
    const events = await t.db
      .selectFrom('case_events')
      .select('id')
      .where('case_id', '=', c.id)
      .where('action', '=', 'submit')
      .execute();
    expect(events).toHaveLength(1);
    // Without the key the same retry is a conflict, as before.
    const plain = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${c.id}/actions/submit`,
      headers: { cookie: opd },
      payload: { version: c.version },
    });
    expect(plain.statusCode).toBe(409);
  });
});

describe('Idempotency-Key on registry creating routes', () => {
  it('a retried next-free allocation hands out one address, not two', async () => {
    const admin = (await t.as(['admin'])).cookie;
    const pool = await t.app.inject({
      method: 'POST',
      url: '/api/registry/pools',
      headers: { cookie: admin, 'idempotency-key': 'pool-1' },
      payload: { name: 'Idem pool', cidr: '198.51.100.0/28', gateway: '198.51.100.1' },
    });
    expect(pool.statusCode, pool.body).toBe(201);
    const allocate = (key?: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/registry/pools/${pool.json().id}/allocations`,
        headers: { cookie: admin, ...(key ? { 'idempotency-key': key } : {}) },
        payload: { kind: 'reserved', note: 'cadangan' },
      });
    const key = crypto.randomUUID();
    const first = await allocate(key);
    expect(first.statusCode, first.body).toBe(201);
    const again = await allocate(key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().address).toBe(first.json().address);
    const other = await allocate();
    expect(other.json().address).not.toBe(first.json().address);
    const rows = await t.db
      .selectFrom('ip_allocations')
      .select('address')
      .where('pool_id', '=', pool.json().id)
      .where('note', '=', 'cadangan')
      .execute();
    expect(rows).toHaveLength(2);
  });
});
