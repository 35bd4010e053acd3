import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';

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
