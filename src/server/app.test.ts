import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import { onePagePdf } from '../shared/tiny-files.ts';

let t: TestApp;
let web: string;
beforeAll(async () => {
  web = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-web-'));
  fs.mkdirSync(path.join(web, 'assets'));
  fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Loket SPA</title>');
  fs.writeFileSync(path.join(web, 'assets', 'app-abc123.js'), 'console.log(1)');
  t = await createTestApp({ LOKET_WEB_DIR: web });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(web, { recursive: true, force: true });
});

describe('operations endpoints', () => {
  it('healthz and readyz answer JSON', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('metrics speak Prometheus and count requests by route', async () => {
    await t.app.inject({ url: '/healthz' });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('loket_http_request_duration_seconds_bucket');
    expect(res.body).toMatch(/route="\/healthz"/);
    expect(res.body).toContain('loket_process_cpu_seconds_total');
  });

  it('publishes an OpenAPI document with every API route, and its browsable UI', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/auth/login',
      '/api/auth/me',
      '/api/opds',
      '/api/opds/{id}',
      '/api/opds/import',
      '/api/units',
      '/api/users',
      '/api/users/{id}/password',
      '/api/audit',
    ]) {
      expect(Object.keys(doc.paths), p).toContain(p);
    }
    expect(doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.required).toEqual(
      ['username', 'password'],
    );
    const ui = await t.app.inject({ url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });
});

describe('the web app and unknown routes', () => {
  it('serves index.html for client-side routes and hashed assets as immutable', async () => {
    const page = await t.app.inject({ url: '/admin/pengguna' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Loket SPA');
    const asset = await t.app.inject({ url: '/assets/app-abc123.js' });
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('answers JSON 404 with a code for unknown API routes and missing files', async () => {
    for (const url of ['/api/nothing', '/assets/missing.js']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
    }
    const post = await t.app.inject({ method: 'POST', url: '/api/nothing', payload: {} });
    expect(post.statusCode).toBe(404);
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ url: '/' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});

describe('bad requests', () => {
  it('a NUL character in any text is refused with 400 naming the field, and nothing is written', async () => {
    const { cookie } = await t.as(['admin']);
    const count = async (table: 'opds' | 'servers') =>
      (await t.db.selectFrom(table).select('id').execute()).length;
    const before = [await count('opds'), await count('servers')];
    const opd = await t.app.inject({
      method: 'POST',
      url: '/api/opds',
      headers: { cookie },
      payload: { code: 'NUL1', name: 'Dinas\u0000Kesehatan' },
    });
    expect(opd.statusCode).toBe(400);
    expect(opd.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ path: 'name' }] },
    });
    const server = await t.app.inject({
      method: 'POST',
      url: '/api/registry/servers',
      headers: { cookie },
      payload: { name: 'web-9', kind: 'shared', location: 'noc', os: 'Debian\u0000', notes: 'x' },
    });
    expect(server.statusCode).toBe(400);
    expect(server.json().error.details.fields[0].path).toBe('os');
    const query = await t.app.inject({ url: '/api/opds?q=a%00b', headers: { cookie } });
    expect(query.statusCode).toBe(400);
    expect([await count('opds'), await count('servers')]).toEqual(before);
  });

  it('a lone UTF-16 surrogate in any text is refused with 400 naming the field, and nothing is written', async () => {
    const { cookie: admin } = await t.as(['admin']);
    const { cookie: opd, user } = await t.as(['opd']);
    const { cookie: kabid } = await t.as(['kabid']);
    const count = async (table: 'cases' | 'servers' | 'audit_log') =>
      (await t.db.selectFrom(table).select('id').execute()).length;
    const counts = async () => [await count('cases'), await count('servers'), await count('audit_log')];
    const refused = (res: { statusCode: number; json(): { error: unknown } }, path: string) => {
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [{ path, message: 'contains a lone UTF-16 surrogate' }] },
      });
    };
    // A case decided by the Kabid next: the action's text is its reason.
    const opdId = (
      await t.db.selectFrom('users').select('opd_id').where('id', '=', user.id).executeTakeFirst()
    )?.opd_id as string;
    const atDecision = await t.db
      .insertInto('cases')
      .values({
        ref: `SUR-${Date.now()}`,
        sop_key: 'website',
        sop_version: 1,
        facts: JSON.stringify({ kind: 'new' }),
        opd_id: opdId,
        created_by: user.id,
        subject: 'Permohonan website',
        letter_number: '1/2026',
        letter_date: '2026-11-02',
        description: 'x',
        status: 'active',
        step_key: 'keputusan',
        roles_waiting: ['kabid'],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const before = await counts();

    const subject = {
      facts: JSON.stringify({ kind: 'new' }),
      subject: 'Permohonan \udfff website',
      letterNumber: '1/2026',
      letterDate: '2026-11-02',
      description: 'x',
    };
    // JSON as the issue sent it: the escape \udfff, which JSON.parse turns into a lone surrogate.
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie: opd, 'content-type': 'application/json' },
      payload: JSON.stringify(subject),
    });
    refused(json, 'subject');
    const nested = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie: opd },
      payload: { ...subject, subject: 'ok', extra: { list: ['fine', 'a\ud800'] } },
    });
    refused(nested, 'extra.list.1');
    // Multipart text fields, sent as application/json parts (the only way to get one there).
    const form = multipart(
      { kind: 'new', letterNumber: '1/2026', letterDate: '2026-11-02', description: 'x' },
      [{ field: 'letter', name: 'surat.pdf', type: 'application/pdf', data: onePagePdf() }],
    );
    const withJsonPart = Buffer.from(
      form.payload
        .toString('latin1')
        .replace(
          /^(--[^\r]+)\r\n/,
          `$1\r\nContent-Disposition: form-data; name="subject"\r\nContent-Type: application/json\r\n\r\n"Permohonan \\udfff"\r\n$1\r\n`,
        ),
      'latin1',
    );
    const multi = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...form.headers, cookie: opd },
      payload: withJsonPart,
    });
    refused(multi, 'subject');
    const decide = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${atDecision.id}/actions/decide`,
      headers: { cookie: kabid },
      payload: { version: 1, decision: 'reject', reason: 'Alasan \udfff' },
    });
    refused(decide, 'reason');
    const server = await t.app.inject({
      method: 'POST',
      url: '/api/registry/servers',
      headers: { cookie: admin },
      payload: { name: 'web-8', kind: 'shared', location: 'noc', os: 'Debian', notes: 'catatan \udc00' },
    });
    refused(server, 'notes');
    // A query string cannot carry one: percent-encoded surrogate bytes are not UTF-8, and are refused.
    for (const q of ['%ED%BF%BF', '%ED%A0%80x', '%F0%9F']) {
      const query = await t.app.inject({ url: `/api/registry/servers?q=${q}`, headers: { cookie: admin } });
      expect(query.statusCode, `${q}: ${query.body}`).toBeLessThan(500);
    }
    // A pair is fine (an emoji), and so is the replacement character.
    const paired = await t.app.inject({
      method: 'POST',
      url: '/api/registry/servers',
      headers: { cookie: admin },
      payload: {
        name: 'web-7',
        kind: 'shared',
        location: 'noc',
        os: 'Debian',
        notes: 'ok \ud83d\ude00 \ufffd',
      },
    });
    expect(paired.statusCode, paired.body).toBe(201);
    expect([await count('cases'), await count('servers')]).toEqual([before[0], (before[1] ?? 0) + 1]);
    const decided = await t.db
      .selectFrom('cases')
      .select(['decision', 'pending_decision', 'version'])
      .where('id', '=', atDecision.id)
      .executeTakeFirstOrThrow();
    expect(decided).toMatchObject({ pending_decision: null, version: 1 });
  });

  it('malformed JSON, wrong content type, oversized body, wrong types: 4xx with a code, nothing written', async () => {
    const before = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const cases = [
      {
        payload: '{"username":',
        headers: { 'content-type': 'application/json' },
        status: 400,
        code: 'INVALID_JSON',
      },
      {
        payload: 'username=a',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      },
      {
        payload: JSON.stringify({ username: 'x'.repeat(10 * 1024 * 1024), password: 'y' }),
        headers: { 'content-type': 'application/json' },
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
      },
      {
        payload: JSON.stringify({ username: 42, password: ['a'] }),
        headers: { 'content-type': 'application/json' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        payload: JSON.stringify({ username: 'a', password: 'b', admin: true }),
        headers: { 'content-type': 'application/json' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
    ];
    for (const c of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: c.payload,
        headers: c.headers,
      });
      expect(res.statusCode, c.code).toBe(c.status);
      expect(res.json().error.code).toBe(c.code);
    }
    const after = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
