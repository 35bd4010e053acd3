import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { jakartaDate } from '../../test/helpers/clock.ts';
import { mergeCaseFacts } from '../cases/case.repository.ts';

// A website's history lists the cases about it, each labelled by what it is: a request for a new
// website or to update one (the website service's `kind` fact), or — a case of another service that
// came to name the website (a hosting or subdomain request reserving its name) — its service.

let t: TestApp;
const cookie: Record<string, string> = {};
let opdId = '';
beforeAll(async () => {
  t = await createTestApp();
  for (const role of ['admin', 'staf'] as const) cookie[role] = (await t.as([role])).cookie;
  const opd = await t.as(['opd']);
  cookie.opd = opd.cookie;
  opdId = opd.user.opdId as string;
  const zone = await t.app.inject({
    method: 'POST',
    url: '/api/registry/zones',
    headers: { cookie: cookie.admin },
    payload: { name: 'example-kab.go.id' },
  });
  expect(zone.statusCode, zone.body).toBe(201);
});
afterAll(() => t.close());

const file = async (body: Record<string, unknown>) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { cookie: cookie.opd, 'content-type': 'application/json' },
    payload: JSON.stringify({
      subject: 'Permohonan',
      letterNumber: '045/12/2026',
      letterDate: jakartaDate(t.now()),
      description: 'Mohon ditindaklanjuti.',
      ...body,
    }),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; ref: string };
};

type Entry = {
  kind: string;
  action: string;
  case: { id: string; ref: string; service?: { key: string; title: { id: string; en: string } } } | null;
};

describe('a website’s history', () => {
  it('labels a case by its kind, or by its service when it has none', async () => {
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/registry/websites',
      headers: { cookie: cookie.admin },
      payload: { opdId, purpose: 'Portal layanan', hostname: 'layanan.example-kab.go.id', status: 'planned' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const websiteId = (made.json() as { id: string }).id;

    const update = await file({ kind: 'update', websiteId });
    const subdomain = await file({
      service: 'hosting_subdomain',
      requestedHostname: 'antrian.example-kab.go.id',
      applicationName: 'Antrian online',
      needsDatabase: true,
      technicalContact: 'Budi, 0812-0000-0000',
    });
    // What the subdomain service's registry step records once the name is reserved for it.
    await mergeCaseFacts(t.db, subdomain.id, { websiteId, websiteRef: 'layanan.example-kab.go.id' });
    const consult = await file({
      service: 'konsultasi',
      topic: 'integrasi',
      technicalContact: 'Budi, 0812-0000-0000',
    });
    // A case whose facts name the website but say no kind (a hand-made link): not an "update".
    await mergeCaseFacts(t.db, consult.id, { websiteId });

    const res = await t.app.inject({
      url: `/api/registry/websites/${websiteId}/history`,
      headers: { cookie: cookie.staf },
    });
    expect(res.statusCode, res.body).toBe(200);
    const cases = (res.json() as { items: Entry[] }).items.filter((e) => e.kind === 'case');
    const byId = (id: string) => cases.find((e) => e.case?.id === id);
    expect(cases).toHaveLength(3);
    expect(byId(update.id)).toMatchObject({
      action: 'case.update',
      case: { ref: update.ref, service: { key: 'website', title: { id: expect.any(String) } } },
    });
    expect(byId(subdomain.id)).toMatchObject({
      action: 'case.request',
      case: { service: { key: 'hosting_subdomain', title: { id: 'Layanan Hosting dan Subdomain' } } },
    });
    expect(byId(consult.id)).toMatchObject({
      action: 'case.request',
      case: { service: { key: 'konsultasi' } },
    });
    expect(cases.filter((e) => e.action === 'case.update')).toHaveLength(1);
  });
});
