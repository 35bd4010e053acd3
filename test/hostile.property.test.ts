import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInSop } from '../src/sop/catalogue.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { buildOpd, buildUser } from './helpers/factories.ts';

const SOP_ACTIONS = builtInSop('website').actions.map((a) => a.key);

// Generated hostile requests against every route of the API, as an admin, as an OPD user and
// without a session: no answer may be a 5xx, every error carries a code, and a refused request
// writes nothing (the audit log, which every change writes, does not grow).

let t: TestApp;
let routes: { method: string; path: string }[];
let cookies: Record<'admin' | 'opd' | 'none', string | undefined>;
let ids: string[];

beforeAll(async () => {
  t = await createTestApp();
  const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
  );
  const admin = await t.as(['admin']);
  const opd = await t.as(['opd']);
  cookies = { admin: admin.cookie, opd: opd.cookie, none: undefined };
  const victimOpd = await buildOpd(t.db);
  const victimUser = await buildUser(t.db, { roles: ['staf'] });
  ids = [victimOpd.id, victimUser.id, '00000000-0000-4000-8000-000000000000'];
});
afterAll(() => t.close());

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\nb',
    '../../etc/passwd',
    '$(reboot)',
    "'; DROP TABLE users; --",
    '<script>alert(1)</script>',
    '%00',
    '\u202e',
    '𝕃𝕠𝕜𝕖𝕥',
    'x'.repeat(100_000),
  ),
);
const hostileValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 4 }),
);
const knownKeys = [
  'username',
  'password',
  'currentPassword',
  'newPassword',
  'code',
  'name',
  'active',
  'fullName',
  'nip',
  'email',
  'phone',
  'roles',
  'opdId',
  'unitId',
  'csv',
  'dryRun',
  'version',
  'kind',
  'subject',
  'letterNumber',
  'letterDate',
  'description',
  'decision',
  'reason',
  'receivedAt',
  'urgency',
  'toUnitId',
  'instruction',
  '__proto__',
  'constructor',
];
const hostileBody = fc.oneof(
  fc.dictionary(fc.constantFrom(...knownKeys), hostileValue, { maxKeys: 8 }),
  fc.dictionary(fc.string(), hostileValue, { maxKeys: 5 }),
  hostileValue,
);
const hostileQuery = fc.dictionary(
  fc.constantFrom('page', 'pageSize', 'q', 'active', 'role', 'opdId', 'from', 'to', 'actor', 'x'),
  hostileString.map((s) => s.slice(0, 2000)),
  { maxKeys: 4 },
);

async function auditCount(): Promise<number> {
  const r = await t.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('hostile input', () => {
  it('never gets a 5xx from any route, and refused requests write nothing', async () => {
    const route = fc.constantFrom(...routes);
    const id = fc.oneof(
      fc.constantFrom(...ids),
      hostileString.map((s) => encodeURIComponent(s.slice(0, 300))),
    );
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(
        route,
        id,
        hostileBody,
        hostileQuery,
        fc.constantFrom('admin', 'opd', 'none'),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-16', undefined),
        fc.constantFrom('2026-12-25', '2026-02-30', '../x', 'x'),
        fc.constantFrom(...SOP_ACTIONS, 'nope', 'SUBMIT', '__proto__'),
        async (r, idValue, body, query, who, contentType, dateValue, actionValue) => {
          requests++;
          const url = `${r.path
            .replace('{id}', idValue)
            .replace('{fileId}', idValue)
            .replace('{date}', dateValue)
            .replace('{action}', actionValue)}?${new URLSearchParams(query).toString()}`;
          const cookie = cookies[who as keyof typeof cookies];
          const before = await auditCount();
          const res = await t.app.inject({
            method: r.method as 'GET',
            url,
            headers: {
              ...(cookie ? { cookie } : {}),
              ...(contentType ? { 'content-type': contentType } : {}),
            },
            ...(r.method === 'GET' ? {} : { payload: JSON.stringify(body) }),
          });
          expect(res.statusCode, `${r.method} ${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
            if (r.path !== '/api/auth/login') expect(await auditCount()).toBe(before);
          }
        },
      ),
      { numRuns: 1500, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
    expect(requests).toBeGreaterThanOrEqual(1500);
  }, 180_000);

  it('every route was covered', () => {
    expect(routes.length).toBeGreaterThanOrEqual(25);
  });
});
