import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import { jakartaDate } from '../../test/helpers/clock.ts';
import { addSopVersion } from '../sop/catalogue.ts';
import { compileDefinition } from '../sop/compile.ts';
import { type SopDefinitionInput, sopDefinitionSchema } from '../sop/definition.ts';
import { pdf } from '../storage/test-fixtures.ts';

// A request's facts are what its service's first step declares: a second service with two facts of
// its own is filed through the same API as the website SOP — its facts checked (each problem named
// by its field), kept, shown to staff and to the requesting OPD — and the website SOP's body keeps
// its facts as before.

const SERVICE = 'uji_fakta';
const lane = (key: string, role: 'opd' | 'umum') => ({
  key,
  title: { id: `Lajur ${key}`, en: `Lane ${key}` },
  roles: [role],
});
const definition: SopDefinitionInput = {
  key: SERVICE,
  title: { id: 'Layanan uji fakta', en: 'Facts test service' },
  refPrefix: 'UJI',
  lanes: [lane('opd', 'opd'), lane('umum', 'umum')],
  steps: [
    {
      key: 'permohonan',
      title: { id: 'Surat permohonan', en: 'Request letter' },
      lane: 'opd',
      block: 'request',
      config: {
        fields: [
          {
            key: 'rackUnits',
            label: { id: 'Jumlah unit rak', en: 'Rack units' },
            type: 'number',
            min: 1,
            max: 42,
          },
          {
            key: 'visitDate',
            label: { id: 'Tanggal kunjungan', en: 'Visit date' },
            type: 'date',
            required: false,
          },
        ],
      },
      standardTime: { minutes: 2 },
    },
    {
      key: 'registrasi',
      title: { id: 'Registrasi', en: 'Registration' },
      lane: 'umum',
      block: 'registration',
      standardTime: { minutes: 10 },
    },
    {
      key: 'selesai',
      title: { id: 'Selesai', en: 'Done' },
      lane: 'umum',
      block: 'closing',
      standardTime: { minutes: 5 },
    },
  ],
};

let t: TestApp;
const cookie: Record<'opd' | 'otherOpd' | 'umum', string> = { opd: '', otherOpd: '', umum: '' };

beforeAll(async () => {
  addSopVersion(compileDefinition(sopDefinitionSchema.parse(definition), 1));
  t = await createTestApp();
  cookie.opd = (await t.as(['opd'])).cookie;
  cookie.otherOpd = (await t.as(['opd'])).cookie;
  cookie.umum = (await t.as(['umum'])).cookie;
  const admin = await t.as(['admin']);
  const zone = await t.app.inject({
    method: 'POST',
    url: '/api/registry/zones',
    headers: { cookie: admin.cookie },
    payload: { name: 'example-kab.go.id' },
  });
  expect(zone.statusCode, zone.body).toBe(201);
});
afterAll(() => t.close());

type Detail = {
  id: string;
  ref: string;
  version: number;
  service: { key: string; title: { id: string; en: string } };
  kind: string | null;
  facts: Record<string, unknown>;
  drafts: Record<string, unknown>;
  websiteRef: string | null;
  website: unknown;
};
type Problem = { error: { code: string; details: { fields: { path: string; message: string }[] } } };

const letter = () => ({
  subject: 'Penempatan server',
  letterNumber: '027/9/UJI/2026',
  letterDate: jakartaDate(t.now()),
  description: 'Permohonan uji.',
});
const post = (payload: Record<string, unknown>, as: keyof typeof cookie = 'opd') =>
  t.app.inject({ method: 'POST', url: '/api/cases', headers: { cookie: cookie[as] }, payload });
const get = (id: string, as: keyof typeof cookie) =>
  t.app.inject({ url: `/api/cases/${id}`, headers: { cookie: cookie[as] } });
const countCases = async () => (await t.db.selectFrom('cases').select('id').execute()).length;
const pathsOf = (body: unknown) => (body as Problem).error.details.fields.map((f) => f.path);

describe('a second service’s request', () => {
  it('is filed with its own facts, numbered with its prefix, and shown to staff and the OPD', async () => {
    const res = await post({ service: SERVICE, ...letter(), rackUnits: 4, visitDate: '2026-12-10' });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json() as Detail;
    expect(c.ref).toMatch(/^UJI-2026-\d{5}$/);
    expect(c.service).toEqual({ key: SERVICE, title: definition.title });
    expect(c.facts).toEqual({ rackUnits: 4, visitDate: '2026-12-10' });
    expect(c.kind).toBeNull();
    expect(c.websiteRef).toBeNull();
    expect(c.website).toBeNull();
    const row = await t.db
      .selectFrom('cases')
      .select(['facts', 'sop_key'])
      .where('id', '=', c.id)
      .executeTakeFirst();
    expect(row).toEqual({ facts: { rackUnits: 4, visitDate: '2026-12-10' }, sop_key: SERVICE });
    const staff = (await get(c.id, 'umum')).json() as Detail;
    expect(staff.facts).toEqual(c.facts);
    expect(staff.drafts).toEqual({});
    // Another OPD does not see it at all.
    expect((await get(c.id, 'otherOpd')).statusCode).toBe(404);
    const list = await t.app.inject({ url: '/api/cases?view=all', headers: { cookie: cookie.opd } });
    const mine = (list.json() as { items: { id: string; service: { key: string }; kind: string | null }[] })
      .items;
    expect(mine.find((i) => i.id === c.id)).toMatchObject({ service: { key: SERVICE }, kind: null });
  });

  it('takes multipart text fields typed by its own schema, and an empty optional fact as none', async () => {
    const body = multipart({ service: SERVICE, ...letter(), rackUnits: '2', visitDate: '' }, [
      { field: 'letter', name: 'surat.pdf', type: 'application/pdf', data: pdf() },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...body.headers, cookie: cookie.opd },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as Detail).facts).toEqual({ rackUnits: 2 });
  });

  it('refuses wrong facts with 400, naming each field, and stores nothing', async () => {
    const before = await countCases();
    const missing = await post({ service: SERVICE, ...letter() });
    expect(missing.statusCode, missing.body).toBe(400);
    expect(pathsOf(missing.json())).toEqual(['rackUnits']);
    const wrong = await post({ service: SERVICE, ...letter(), rackUnits: 43, visitDate: 'besok' });
    expect(wrong.statusCode, wrong.body).toBe(400);
    expect((wrong.json() as Problem).error.code).toBe('VALIDATION_FAILED');
    expect(pathsOf(wrong.json()).sort()).toEqual(['rackUnits', 'visitDate']);
    // The website SOP's facts are not this service's.
    const foreign = await post({ service: SERVICE, ...letter(), rackUnits: 1, kind: 'new' });
    expect(foreign.statusCode, foreign.body).toBe(400);
    const unknown = await post({ service: 'tidak_ada', ...letter(), rackUnits: 1 });
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(pathsOf(unknown.json())).toEqual(['service']);
    const staff = await post({ service: SERVICE, ...letter(), rackUnits: 1 }, 'umum');
    expect(staff.statusCode, staff.body).toBe(403);
    expect(await countCases()).toBe(before);
  });

  it('a draft’s facts are edited, cleared and checked again', async () => {
    const filed = (
      await post({ service: SERVICE, ...letter(), rackUnits: 4, visitDate: '2026-12-10' })
    ).json() as Detail;
    const patch = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/cases/${filed.id}`,
        headers: { cookie: cookie.opd },
        payload,
      });
    const edited = await patch({ version: filed.version, rackUnits: 6, visitDate: null });
    expect(edited.statusCode, edited.body).toBe(200);
    const c = edited.json() as Detail;
    expect(c.facts).toEqual({ rackUnits: 6 });
    const required = await patch({ version: c.version, rackUnits: null });
    expect(required.statusCode, required.body).toBe(400);
    expect(pathsOf(required.json())).toEqual(['rackUnits']);
    const tooMany = await patch({ version: c.version, rackUnits: 99 });
    expect(tooMany.statusCode, tooMany.body).toBe(400);
    expect(pathsOf(tooMany.json())).toEqual(['rackUnits']);
    expect(((await get(c.id, 'opd')).json() as Detail).facts).toEqual({ rackUnits: 6 });
  });
});

describe('the website SOP’s request', () => {
  it('keeps kind and the address wished for as facts; an update needs its website', async () => {
    const res = await post({ ...letter(), kind: 'new', requestedHostname: 'uji.example-kab.go.id' });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json() as Detail;
    expect(c.ref).toMatch(/^WEB-2026-\d{5}$/);
    expect(c.service.key).toBe('website');
    expect(c.kind).toBe('new');
    expect(c.websiteRef).toBe('uji.example-kab.go.id');
    expect(c.facts).toEqual({
      kind: 'new',
      requestedHostname: 'uji.example-kab.go.id',
      websiteRef: 'uji.example-kab.go.id',
    });
    const update = await post({ ...letter(), kind: 'update', websiteId: '' });
    expect(update.statusCode, update.body).toBe(400);
    expect((update.json() as Problem).error.details.fields).toEqual([
      { path: 'websiteId', message: 'pick the website to update' },
    ]);
    // Switching the draft to an update without a website is refused the same way.
    const switched = await t.app.inject({
      method: 'PATCH',
      url: `/api/cases/${c.id}`,
      headers: { cookie: cookie.opd },
      payload: { version: c.version, kind: 'update' },
    });
    expect(switched.statusCode, switched.body).toBe(400);
    expect(pathsOf(switched.json())).toEqual(['websiteId']);
  });
});
