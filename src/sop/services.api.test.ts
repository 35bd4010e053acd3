import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import { jakartaDate } from '../../test/helpers/clock.ts';
import { flat, hasPdftotext, pdfText } from '../documents/render/pdftotext.ts';
import { pdf } from '../storage/test-fixtures.ts';

// The service catalogue and the SOP definitions the administrator publishes through the API
// (docs/api.md "Services", docs/adr/0017-publishing-sops.md). Runs on PGlite, and on PostgreSQL with
// TEST_DATABASE_URL.

let t: TestApp;
const who: Record<string, { cookie: string; id: string }> = {};
beforeAll(async () => {
  t = await createTestApp();
  for (const role of ['admin', 'opd', 'umum', 'kepala', 'kabid'] as const) {
    const { user, cookie } = await t.as([role]);
    who[role] = { cookie, id: user.id };
  }
  // The managed zone requested names are checked against.
  const zone = await post('/api/registry/zones', { name: 'example-kab.go.id' });
  expect(zone.statusCode, zone.body).toBe(201);
});
afterAll(() => t.close());

const cookie = (as: string) => who[as]?.cookie ?? '';
const get = (url: string, as = 'admin') => t.app.inject({ url, headers: { cookie: cookie(as) } });
const put = (key: string, payload: unknown, as = 'admin') =>
  t.app.inject({
    method: 'PUT',
    url: `/api/services/${key}`,
    headers: { cookie: cookie(as), 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
const post = (url: string, payload: unknown = undefined, as = 'admin') =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: cookie(as), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
const countVersions = async () =>
  Number(
    (await t.db.selectFrom('sop_versions').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n,
  );

const tx = (id: string, en = id) => ({ id, en });
/** A decision outcome (`then` by key: linters take an object with a `then` property for a promise). */
const outcome = (key: string, label: string, then: object) => ({
  key,
  label: tx(label),
  ['then' as string]: then,
});

/**
 * A service no code knows: request → registration (issues the disposition sheet) → the head's
 * decision (no letter: approve → closing, reject → end) → closing.
 */
function izin(): Record<string, unknown> {
  return {
    key: 'izin_data',
    title: tx('Layanan Permintaan Data', 'Data request service'),
    purpose: tx('OPD meminta salinan data', 'An OPD asks for a copy of data'),
    requirements: ['Surat permohonan'],
    refPrefix: 'DAT',
    lanes: [
      { key: 'opd', title: tx('OPD'), roles: ['opd'] },
      { key: 'umum', title: tx('Bagian Umum'), roles: ['umum'], units: ['SEKRETARIAT'] },
      { key: 'kepala', title: tx('Kepala DKISP'), roles: ['kepala'], units: ['PIMPINAN'] },
    ],
    steps: [
      {
        key: 'permohonan',
        title: tx('Surat permohonan data dari OPD', 'Request letter'),
        lane: 'opd',
        block: 'request',
        config: {
          fields: [
            { key: 'dataset', label: tx('Data yang diminta', 'Requested data'), type: 'text', max: 200 },
          ],
        },
        standardTime: { minutes: 2 },
        inputs: ['Surat permohonan'],
        outputs: ['Surat'],
      },
      {
        key: 'registrasi',
        title: tx('Agendakan surat', 'Register the letter'),
        lane: 'umum',
        block: 'registration',
        standardTime: { minutes: 3 },
      },
      {
        key: 'keputusan',
        title: tx('Kepala memutuskan', 'The head decides'),
        lane: 'kepala',
        block: 'decision',
        config: {
          question: tx('Data boleh diberikan?', 'May the data be given?'),
          letter: false,
          outcomes: [
            outcome('approve', 'Ya', { goto: 'selesai' }),
            outcome('reject', 'Tidak', { end: 'rejected' }),
          ],
        },
        standardTime: { minutes: 30 },
      },
      {
        key: 'selesai',
        title: tx('Data diserahkan, permohonan ditutup', 'Data handed over, closed'),
        lane: 'umum',
        block: 'closing',
        standardTime: { workingDays: 1 },
      },
    ],
  };
}

type Detail = {
  id: string;
  version: number;
  status: string;
  step: { key: string };
  sop: { key: string; version: number };
};

async function fileRequest(service: string | undefined, extra: Record<string, string> = {}) {
  const body = multipart(
    {
      ...(service ? { service } : { kind: 'new' }),
      subject: `Permohonan ${service ?? 'website'}`,
      letterNumber: '045/12/2026',
      letterDate: jakartaDate(t.now()),
      description: 'Mohon ditindaklanjuti.',
      ...extra,
    },
    [{ field: 'letter', name: 'surat.pdf', type: 'application/pdf', data: pdf() }],
  );
  return t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { ...body.headers, cookie: cookie('opd') },
    payload: body.payload,
  });
}

type JsonObject = Record<string, unknown>;

const letterFields = (service: string) => ({
  subject: `Permohonan layanan ${service}`,
  letterNumber: '046/12/2026',
  letterDate: jakartaDate(t.now()),
  description: 'Mohon ditindaklanjuti.',
});

let sampleSeq = 0;
/**
 * A value a form would send for one field of a request's JSON Schema (read from the schema alone:
 * its type, enum, bounds, format and picker), or undefined when the field picks a record (a
 * website, a server) that a sample cannot make up.
 */
function sampleOf(name: string, schema: JsonObject | undefined, service: string): unknown {
  if (!schema) throw new Error(`${service}: ${name} is required but not among the properties`);
  const picker = schema['x-loket-picker'];
  if (picker === 'hostname') return `w2-${service.replaceAll('_', '-')}-${++sampleSeq}.example-kab.go.id`;
  if (picker !== undefined) return undefined;
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonObject[] | undefined;
  if (alternatives) {
    for (const alt of alternatives) {
      const v = sampleOf(name, alt, service);
      if (v !== undefined && v !== '') return v;
    }
    return undefined;
  }
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('const' in schema) return schema.const;
  switch (schema.type) {
    case 'integer':
    case 'number':
      return (schema.minimum as number | undefined) ?? 1;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'date') return jakartaDate(t.now());
      if (schema.format === 'date-time') return t.now().toISOString();
      if (schema.format !== undefined) return undefined;
      return `Isian ${name}`;
    default:
      return undefined;
  }
}

const fileJson = (body: JsonObject) =>
  t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { cookie: cookie('opd'), 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });

async function act(c: Detail, as: string, action: string, payload: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${c.id}/actions/${action}`,
    headers: { cookie: cookie(as) },
    payload: { version: c.version, ...payload },
  });
  expect(res.statusCode, `${as} ${action}: ${res.body}`).toBe(200);
  return res.json() as Detail;
}

describe('the catalogue', () => {
  it('lists each service with lanes, diamonds, the request’s JSON Schema, for any signed-in user', async () => {
    const res = await get('/api/services', 'opd');
    expect(res.statusCode, res.body).toBe(200);
    const website = (res.json() as { key: string }[]).find((s) => s.key === 'website') as Record<
      string,
      unknown
    >;
    expect(website).toMatchObject({ key: 'website', retired: false, refPrefix: expect.any(String) });
    expect((website.lanes as { key: string }[]).map((l) => l.key)).toEqual([
      'opd',
      'umum',
      'kepala',
      'aptika',
    ]);
    const diamonds = website.diamonds as { step: string; outcomes: { key: string }[] }[];
    expect(
      diamonds
        .find((d) => d.step === 'keputusan')
        ?.outcomes.map((o) => o.key)
        .sort(),
    ).toEqual(['approve', 'reject', 'return']);
    expect(diamonds.some((d) => d.step === 'mulai')).toBe(true);
    const requestInput = website.requestInput as { properties: Record<string, unknown> };
    expect(Object.keys(requestInput.properties)).toEqual(
      expect.arrayContaining(['kind', 'websiteId', 'requestedHostname']),
    );
    expect((website.steps as { block: string }[]).map((s) => s.block)[0]).toBe('request');
    // Every step of every service has a short label for lists and badges (Registrasi, Keputusan, …).
    const all = res.json() as { key: string; steps: { key: string; short?: { id: string; en: string } }[] }[];
    expect(all.length).toBeGreaterThanOrEqual(6);
    for (const service of all) {
      for (const step of service.steps) {
        expect(step.short, `${service.key}.${step.key}`).toEqual({
          id: expect.any(String),
          en: expect.any(String),
        });
      }
    }
    expect((website.steps as { short: { id: string } }[]).map((s) => s.short.id)).toEqual([
      'Permohonan',
      'Registrasi',
      'Disposisi',
      'Pengkajian',
      'Keputusan',
      'Mulai',
      'Analisis',
      'Pembuatan',
      'Instalasi',
      'Laporan',
      // The last step waits for the Kabid to close the case: not "Selesai" beside "Berjalan".
      'Penutupan',
    ]);
    // Each action's title as the SOP words it, by its API key and step (history and outputs read them).
    const actions = website.actions as { key: string; step: string; title: { id: string } }[];
    expect(actions.find((a) => a.key === 'complete_build')).toMatchObject({
      step: 'pembuatan',
      title: { id: expect.any(String) },
    });
    expect(actions.map((a) => a.key)).toEqual(expect.arrayContaining(['submit', 'decide', 'close']));
    expect((await get('/api/services', 'nobody')).statusCode).toBe(401);
  });

  it('every service’s requestInput is what POST /api/cases takes: its required fields alone file a request', async () => {
    const services = (await get('/api/services', 'opd')).json() as {
      key: string;
      requestInput: JsonObject;
    }[];
    const keys = services.map((s) => s.key);
    // The six built-in ones at least (a test before may have published more).
    expect(keys).toEqual(
      expect.arrayContaining([
        'website',
        'hosting_subdomain',
        'hosting',
        'colocation',
        'cloud_server',
        'konsultasi',
      ]),
    );
    for (const { key, requestInput } of services) {
      const props = requestInput.properties as Record<string, JsonObject>;
      const required = (requestInput.required ?? []) as string[];
      const only = (names: string[]) => Object.fromEntries(names.map((n) => [n, sampleOf(n, props[n], key)]));
      const minimal = only(required);
      const res = await fileJson({ service: key, ...letterFields(key), ...minimal });
      expect(res.statusCode, `${key} with ${JSON.stringify(minimal)}: ${res.body}`).toBe(201);
      expect(res.json()).toMatchObject({ service: { key }, facts: minimal });
      // Each required field is required: without it, the request is refused (400, at its name).
      for (const name of required) {
        const { [name]: _left, ...without } = minimal;
        const refused = await fileJson({ service: key, ...letterFields(key), ...without });
        expect(refused.statusCode, `${key} without ${name}: ${refused.body}`).toBe(400);
      }
      // Every field it lists (that a sample can be made for) is taken, and nothing else.
      const fillable = Object.keys(props).filter((n) => sampleOf(n, props[n], key) !== undefined);
      const full = await fileJson({ service: key, ...letterFields(key), ...only(fillable) });
      expect(full.statusCode, `${key} with ${fillable.join(', ')}: ${full.body}`).toBe(201);
      const extra = await fileJson({ service: key, ...letterFields(key), ...minimal, notAField: 'x' });
      expect(extra.statusCode, extra.body).toBe(400);
    }
  });

  it('the block catalogue is the administrator’s', async () => {
    const res = await get('/api/sop-blocks');
    expect(res.statusCode, res.body).toBe(200);
    const blocks = res.json() as {
      key: string;
      first: boolean;
      terminal: boolean;
      actions: string[];
      config: object;
    }[];
    expect(blocks.find((b) => b.key === 'request')).toMatchObject({ first: true, terminal: false });
    expect(blocks.find((b) => b.key === 'closing')).toMatchObject({ terminal: true, actions: ['close'] });
    expect(blocks.find((b) => b.key === 'decision')?.actions).toEqual(
      expect.arrayContaining(['decide', 'send_letter']),
    );
    expect((await get('/api/sop-blocks', 'kabid')).statusCode).toBe(403);
  });

  it('validates its parameters: 400 for a bad key or version, 404 for none', async () => {
    expect((await get('/api/services/Bad-Key')).statusCode).toBe(400);
    expect((await get(`/api/services/${'a'.repeat(41)}`)).statusCode).toBe(400);
    expect((await get('/api/services/website/versions/abc')).statusCode).toBe(400);
    expect((await get('/api/services/website/versions/0')).statusCode).toBe(400);
    expect((await get('/api/services/website/versions/99999999999')).statusCode).toBe(400);
    expect((await get('/api/services/nothing_here')).json().error.code).toBe('NOT_FOUND');
    expect((await get('/api/services/website/versions/999')).statusCode).toBe(404);
    expect((await get('/api/services?retired=maybe')).statusCode).toBe(400);
    expect((await get('/api/services?retired=include', 'opd')).statusCode).toBe(403);
  });
});

describe('publishing', () => {
  it('GET gives exactly what PUT takes: unchanged, it publishes the next version', async () => {
    const first = await get('/api/services/website', 'opd');
    expect(first.statusCode, first.body).toBe(200);
    const def = first.json();
    const res = await put('website', def);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ key: 'website', version: def.version + 1 });
    const again = (await get('/api/services/website')).json();
    expect({ ...again, version: 0 }).toEqual({ ...def, version: 0 });
    expect(again.version).toBe(def.version + 1);
    // The old version stays readable, as it was.
    expect((await get(`/api/services/website/versions/${def.version}`)).json()).toEqual(def);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'sop.publish')
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({
      version: def.version + 1,
      stepsAdded: [],
      stepsRemoved: [],
      changes: {},
    });
  });

  it('a version read before someone else published is refused (409), storing nothing', async () => {
    const def = (await get('/api/services/website')).json();
    expect((await put('website', def)).statusCode).toBe(200);
    const before = await countVersions();
    const stale = await put('website', def);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    expect(await countVersions()).toBe(before);
    // Without a version, it is published over whatever is current.
    const { version: _v, ...unversioned } = def;
    expect((await put('website', unversioned)).statusCode).toBe(200);
  });

  it('an invalid definition is refused with every problem named, and nothing changes', async () => {
    const catalogue = (await get('/api/services')).json();
    const before = await countVersions();
    const audits = await t.db.selectFrom('audit_log').select('id').where('action', 'like', 'sop.%').execute();
    const def = (await get('/api/services/website')).json();
    const steps = def.steps as Record<string, unknown>[];
    steps[1] = { ...steps[1], block: 'teleport' };
    steps[2] = { ...steps[2], lane: 'gudang' };
    def.lanes = [...def.lanes, { key: 'kosong', title: tx('Kosong'), roles: [] }];
    def.refPrefix = 'web';
    const res = await put('website', def);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.code).toBe('DEFINITION_INVALID');
    const paths = (res.json().error.details.fields as { path: string }[]).map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['steps.1.block', 'steps.2.lane', 'lanes.4.roles', 'refPrefix']),
    );
    expect(await countVersions()).toBe(before);
    expect((await get('/api/services')).json()).toEqual(catalogue);
    expect(
      await t.db.selectFrom('audit_log').select('id').where('action', 'like', 'sop.%').execute(),
    ).toHaveLength(audits.length);
    // The designer's live check names the same problems, storing nothing.
    const checked = await post('/api/services/website/validate', def);
    expect(checked.statusCode).toBe(200);
    expect((checked.json().problems as { path: string }[]).map((p) => p.path)).toEqual(
      expect.arrayContaining(paths),
    );
    expect(await countVersions()).toBe(before);
  });

  it('refuses a key other than the address’s, and a case prefix another service numbers with', async () => {
    const def = (await get('/api/services/website')).json();
    const moved = await put('website_baru', { ...def, version: undefined });
    expect(moved.statusCode).toBe(422);
    expect(moved.json().error.details.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'key' }),
        expect.objectContaining({ path: 'refPrefix' }),
      ]),
    );
  });

  it('non-administrators may read but not publish, validate, retire', async () => {
    const def = (await get('/api/services/website', 'kabid')).json();
    for (const as of ['kabid', 'opd', 'umum']) {
      expect((await put('website', def, as)).statusCode).toBe(403);
      expect((await post('/api/services/website/validate', def, as)).statusCode).toBe(403);
      expect((await post('/api/services/website/retire', undefined, as)).statusCode).toBe(403);
      expect((await post('/api/services/website/reactivate', undefined, as)).statusCode).toBe(403);
    }
    // Refused before the body is even looked at.
    expect((await put('website', [1, 2, 3], 'opd')).statusCode).toBe(403);
  });

  it('hostile bodies are client mistakes, never a 500', async () => {
    const before = await countVersions();
    const big = 'x'.repeat(300_000);
    const def = (await get('/api/services/website')).json();
    for (const body of [
      [],
      [def],
      'website',
      42,
      null,
      {},
      { ...def, title: { id: big, en: big } },
      { ...def, steps: Array.from({ length: 500 }, () => def.steps[0]) },
      { ...def, constructor: { prototype: { x: 1 } } },
      {
        ...def,
        steps: def.steps.map((s: object) => ({ ...s, actionKeys: { toString: 'x', constructor: 'y' } })),
      },
    ]) {
      const res = await put('website', body);
      expect([400, 422], `${JSON.stringify(body).slice(0, 80)}: ${res.body.slice(0, 300)}`).toContain(
        res.statusCode,
      );
      const v = await post('/api/services/website/validate', body);
      expect([200, 400], v.body.slice(0, 300)).toContain(v.statusCode);
    }
    const raw = (payload: string, type = 'application/json') =>
      t.app.inject({
        method: 'PUT',
        url: '/api/services/website',
        headers: { cookie: cookie('admin'), 'content-type': type },
        payload,
      });
    expect((await raw('{"key": ')).statusCode).toBe(400);
    // Nested 5000 deep inside a step's config (written as text: it is too deep to stringify).
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const nested = JSON.stringify({
      ...def,
      steps: [{ ...def.steps[0], config: 'DEEP' }, ...def.steps.slice(1)],
    });
    const deepRes = await raw(nested.replace('"DEEP"', deep));
    expect(deepRes.statusCode, deepRes.body.slice(0, 300)).toBe(422);
    expect(deepRes.json().error.details.fields).toEqual([
      expect.objectContaining({ path: expect.stringMatching(/^steps\.0\.config\.a\.a/) }),
    ]);
    expect((await raw('{"__proto__": {"admin": true}, "key": "website"}')).statusCode).toBe(400);
    expect((await raw(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)).statusCode).toBeLessThan(500);
    expect((await raw(JSON.stringify({ ...def, notes: 'x'.repeat(5 * 1024 * 1024) }))).statusCode).toBe(413);
    expect((await raw('key=website', 'application/x-www-form-urlencoded')).statusCode).toBe(415);
    expect(await countVersions()).toBe(before);
  });
});

describe('generated hostile definitions', () => {
  it('PUT and validate never answer 5xx; a refused PUT stores nothing', async () => {
    const def = (await get('/api/services/website')).json() as Record<string, unknown> & {
      steps: Record<string, unknown>[];
    };
    const value = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.jsonValue({ maxDepth: 4 }),
    );
    const stepKeys = [
      'key',
      'title',
      'lane',
      'roles',
      'block',
      'config',
      'standardTime',
      'next',
      'branch',
      'actionKeys',
    ];
    // One definition field, or one field of one step, replaced by a generated value.
    const mutation = fc.oneof(
      fc
        .record({ at: fc.constantFrom(...Object.keys(def)), v: value })
        .map(({ at, v }) => ({ ...def, [at]: v })),
      fc
        .record({ i: fc.nat(def.steps.length - 1), at: fc.constantFrom(...stepKeys), v: value })
        .map(({ i, at, v }) => ({
          ...def,
          steps: def.steps.map((s, j) => (j === i ? { ...s, [at]: v } : s)),
        })),
      value,
    );
    const before = await countVersions();
    let published = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (generated) => {
        // Without the version it was read from, so that only the generated change decides.
        const body =
          typeof generated === 'object' && generated && !Array.isArray(generated)
            ? Object.fromEntries(Object.entries(generated).filter(([k]) => k !== 'version'))
            : generated;
        const v = await post('/api/services/website/validate', body);
        expect(v.statusCode, v.body.slice(0, 300)).toBe(200);
        const res = await put('website', body);
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        if (res.statusCode === 200) {
          published++;
          // What validate called sound was published; nothing else was.
          expect(v.json().problems).toEqual([]);
        } else {
          expect(res.statusCode).toBe(422);
          expect(v.json().problems.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
    expect(await countVersions()).toBe(before + published);
  }, 120_000);
});

describe('versions and cases', () => {
  it('a running case keeps its version across a publish; a new case takes the new one', async () => {
    const old = await fileRequest(undefined);
    expect(old.statusCode, old.body).toBe(201);
    const running = (await act(old.json(), 'opd', 'submit')) as Detail;
    const def = (await get('/api/services/website')).json();
    const changed = {
      ...def,
      steps: def.steps.map((s: { key: string }) =>
        s.key === 'registrasi' ? { ...s, standardTime: { minutes: 11 } } : s,
      ),
    };
    expect((await put('website', changed)).json()).toEqual({ key: 'website', version: def.version + 1 });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'sop.publish')
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ changes: { registrasi: { after: { minutes: 11 } } } });

    const fresh = await fileRequest(undefined);
    expect(fresh.json().sop.version).toBe(def.version + 1);
    const page = async (id: string) => (await get(`/api/cases/${id}`, 'umum')).json();
    const seconds = (d: { steps: { key: string; standardSeconds: number }[] }) =>
      d.steps.find((s) => s.key === 'registrasi')?.standardSeconds;
    const runningPage = await page(running.id);
    expect(runningPage.sop.version).toBe(running.sop.version);
    expect(seconds(runningPage)).not.toBe(11 * 60);
    await act(fresh.json(), 'opd', 'submit');
    expect(seconds(await page(fresh.json().id))).toBe(11 * 60);
    // The running case goes on under its own version.
    await act(runningPage, 'umum', 'register', {
      receivedAt: t.now().toISOString(),
      urgency: 'biasa',
      scanConfirmed: true,
    });
  });

  it('retiring a service takes it out of the catalogue; running cases go on; reactivating brings it back', async () => {
    const running = (await fileRequest(undefined)).json() as Detail;
    const r = await post('/api/services/website/retire');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ key: 'website', retired: true });
    expect(
      ((await get('/api/services', 'opd')).json() as { key: string }[]).some((s) => s.key === 'website'),
    ).toBe(false);
    const all = (await get('/api/services?retired=include')).json() as { key: string; retired: boolean }[];
    expect(all.find((s) => s.key === 'website')?.retired).toBe(true);
    // Retiring twice changes nothing more.
    expect((await post('/api/services/website/retire')).json()).toEqual({ key: 'website', retired: true });
    // A case filed before goes on.
    await act(running, 'opd', 'submit');
    expect((await post('/api/services/website/reactivate')).json()).toEqual({
      key: 'website',
      retired: false,
    });
    expect(
      ((await get('/api/services', 'opd')).json() as { key: string }[]).some((s) => s.key === 'website'),
    ).toBe(true);
    expect((await fileRequest(undefined)).statusCode).toBe(201);
    expect((await post('/api/services/nothing_here/retire')).statusCode).toBe(404);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['sop.retire', 'sop.reactivate'])
      .orderBy('at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['sop.retire', 'sop.reactivate']);
  });

  it('a retired service takes no new requests (409 SERVICE_RETIRED)', async () => {
    expect((await post('/api/services/website/retire')).statusCode).toBe(200);
    const refused = await fileRequest('website', { kind: 'new' });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('SERVICE_RETIRED');
    expect((await post('/api/services/website/reactivate')).statusCode).toBe(200);
    expect((await fileRequest('website', { kind: 'new' })).statusCode).toBe(201);
  });

  it('the standard-times route publishes the current definition with the new times', async () => {
    const def = (await get('/api/services/website')).json();
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/services/website/standard-times',
      headers: { cookie: cookie('admin') },
      payload: { times: { disposisi: { minutes: 7 } } },
    });
    expect(res.json()).toEqual({ key: 'website', version: def.version + 1 });
    const now = (await get('/api/services/website')).json();
    expect(now.steps.find((s: { key: string }) => s.key === 'disposisi').standardTime).toEqual({
      minutes: 7,
    });
    expect({ ...now, version: 0, steps: [] }).toEqual({ ...def, version: 0, steps: [] });
    const row = await t.db
      .selectFrom('sop_versions')
      .select(['definition', 'base_version'])
      .where('key', '=', 'website')
      .where('version', '=', def.version + 1)
      .executeTakeFirstOrThrow();
    expect(row.base_version).toBe(def.version);
    expect(row.definition).toMatchObject({ key: 'website' });
  });
});

describe('THE PROOF: a new SOP through the API alone', () => {
  it('published by PUT, listed in the catalogue, filed by an OPD and run to its end by each role', async () => {
    const def = izin();
    const check = await post('/api/services/izin_data/validate', def);
    expect(check.json(), check.body).toEqual({ problems: [] });
    const published = await put('izin_data', def);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toEqual({ key: 'izin_data', version: 1 });

    const catalogue = (await get('/api/services', 'opd')).json() as Record<string, unknown>[];
    const listed = catalogue.find((s) => s.key === 'izin_data') as Record<string, unknown>;
    expect(listed).toMatchObject({
      version: 1,
      refPrefix: 'DAT',
      retired: false,
      purpose: { id: 'OPD meminta salinan data' },
    });
    expect((listed.steps as { key: string }[]).map((s) => s.key)).toEqual([
      'permohonan',
      'registrasi',
      'keputusan',
      'selesai',
    ]);
    expect((listed.diamonds as { step: string }[]).map((d) => d.step)).toEqual(['keputusan']);
    expect(Object.keys((listed.requestInput as { properties: object }).properties)).toEqual(['dataset']);
    // Exported as published.
    const exported = (await get('/api/services/izin_data')).json();
    expect(exported.version).toBe(1);
    expect(exported.steps.map((s: { block: string }) => s.block)).toEqual([
      'request',
      'registration',
      'decision',
      'closing',
    ]);

    // A request missing the service's own field is refused; with it, it is filed.
    expect((await fileRequest('izin_data')).statusCode).toBe(400);
    const filed = await fileRequest('izin_data', { dataset: 'Data jumlah ASN per OPD 2026' });
    expect(filed.statusCode, filed.body).toBe(201);
    const created = filed.json() as Detail & {
      ref: string;
      service: { key: string };
      facts: Record<string, unknown>;
    };
    expect(created.ref).toMatch(/^DAT-\d{4}-\d{5}$/);
    expect(created.sop).toEqual({ key: 'izin_data', version: 1 });
    expect(created.service.key).toBe('izin_data');
    expect(created.facts).toMatchObject({ dataset: 'Data jumlah ASN per OPD 2026' });

    let c: Detail = created;
    c = await act(c, 'opd', 'submit');
    expect(c.step.key).toBe('registrasi');
    c = await act(c, 'umum', 'register', {
      receivedAt: t.now().toISOString(),
      urgency: 'biasa',
      scanConfirmed: true,
    });
    expect(c.step.key).toBe('keputusan');
    const sheet = await post(`/api/cases/${c.id}/documents`, { kind: 'disposition_sheet' }, 'umum');
    expect(sheet.statusCode, sheet.body).toBe(201);
    // Only the head decides here.
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${c.id}/actions/decide`,
      headers: { cookie: cookie('kabid') },
      payload: { version: c.version, decision: 'approve' },
    });
    expect(wrong.statusCode).toBe(403);
    c = await act(c, 'kepala', 'decide', { decision: 'approve' });
    expect(c.step.key).toBe('selesai');
    c = await act(c, 'umum', 'close');
    expect(c.status).toBe('done');

    // The OPD sees its case, done, under the new service.
    const mine = await get(`/api/cases/${c.id}`, 'opd');
    expect(mine.json()).toMatchObject({ status: 'done', service: { key: 'izin_data' } });

    // Its printed SOP sheet exists as for any built-in service: its steps, lanes and times.
    const issued = await post('/api/sop-sheets/izin_data');
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json()).toMatchObject({ kind: 'sop_sheet', version: 1 });
    const file = await get(issued.json().url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/^application\/pdf/);
    if (hasPdftotext) {
      const text = flat(pdfText(file.rawPayload));
      expect(text).toContain('STANDAR OPERASIONAL PROSEDUR LAYANAN PERMINTAAN DATA');
      expect(text).toMatch(/Versi 1\b/);
      for (const lane of ['OPD', 'Bagian Umum', 'Kepala DKISP']) expect(text).toContain(lane);
      for (const [title, time] of [
        ['Surat permohonan data dari OPD', '2 Menit'],
        ['Agendakan surat', '3 Menit'],
        ['Kepala memutuskan', '30 Menit'],
        ['Data diserahkan, permohonan ditutup', '1 Hari'],
      ] as const) {
        expect(text).toMatch(new RegExp(`${title}.*?${time}`));
      }
      // The decision's diamond with its ways, read from the definition.
      expect(text).toContain('Ya (ke no. 4)');
      expect(text).toContain('Tidak (selesai, ditolak)');
      expect(text).toContain(`ID dokumen: ${issued.json().id}`);
    } else if (process.env.CI === 'true') {
      throw new Error('pdftotext (poppler-utils) is needed to read the SOP sheet');
    }
  });
});
