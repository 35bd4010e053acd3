import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import type { BuiltUser } from '../../test/helpers/factories.ts';
import { caseSource } from '../cases/case-source.ts';
import { makeCaseDeps, publicUrlOf } from '../cases/make-case-deps.ts';
import type { Ctx } from '../shared/context.ts';
import { onePagePdf } from '../shared/tiny-files.ts';
import { LocalFileStore } from '../storage/file-store.ts';
import { storageSettings } from '../storage/settings.ts';
import { type DocumentDeps, issueCaseDocument } from './issue-document.ts';
import { flat, hasPdftotext, pdfText } from './render/pdftotext.ts';

// The numbered documents a step of an SOP issues (block issue_document): Berita Acara serah terima
// and the recommendation of a consultation — numbered on their own counters, verifiable, and
// addressed to the OPD (it sees and downloads them; another OPD does not).

let t: TestApp;
const who: Record<string, { user: BuiltUser; cookie: string }> = {};
let deps: DocumentDeps;
let caseId = '';

const ctxOf = (u: BuiltUser): Ctx => ({
  actor: { id: u.id, username: u.username, roles: u.roles, opdId: u.opdId },
  meta: { ip: null, userAgent: 'test' },
});

async function act(c: { id: string; version: number }, as: string, action: string, payload = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${c.id}/actions/${action}`,
    headers: { cookie: who[as]?.cookie ?? '' },
    payload: { version: c.version, ...payload },
  });
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  return res.json() as { id: string; version: number; ref: string };
}

beforeAll(async () => {
  t = await createTestApp();
  for (const role of ['umum', 'staf', 'opd'] as const)
    who[role] = await t.as([role], { fullName: `Pejabat ${role}` });
  who.otherOpd = await t.as(['opd']);
  const files = new LocalFileStore(storageSettings(t.config).filesDir);
  deps = {
    ...(await makeCaseDeps(t.db, t.config, files, undefined, t.now)),
    files,
    tmpDir: storageSettings(t.config).tmpDir,
    publicUrl: publicUrlOf(t.config),
    cases: caseSource,
  };
  const body = multipart(
    {
      kind: 'new',
      subject: 'Penempatan server SIAK',
      letterNumber: '470/12/DISPENDUK/2026',
      letterDate: '2026-11-02',
      description: 'Server fisik milik Dispendukcapil.',
    },
    [{ field: 'letter', name: 'surat.pdf', type: 'application/pdf', data: onePagePdf(['Surat']) }],
  );
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { ...body.headers, cookie: who.opd?.cookie ?? '' },
    payload: body.payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  const c = await act(res.json(), 'opd', 'submit');
  caseId = c.id;
});
afterAll(() => t.close());

const issue = (
  kind: 'berita_acara' | 'recommendation',
  fields: Record<string, string>,
  subjectKey?: string,
) =>
  t.db.transaction().execute((trx) =>
    issueCaseDocument(trx, ctxOf(who.staf?.user as BuiltUser), {
      caseId,
      kind,
      title: kind === 'berita_acara' ? 'Berita Acara Serah Terima Server' : 'Rekomendasi Konsultasi Aplikasi',
      fields,
      labels: { rackPosition: 'Rak / posisi unit' },
      ...(subjectKey ? { subjectKey } : {}),
      deps,
    }),
  );

const get = (url: string, as: string) => t.app.inject({ url, headers: { cookie: who[as]?.cookie ?? '' } });

describe.skipIf(!hasPdftotext)('numbered case documents', () => {
  it('a Berita Acara: numbered on its own counter, rendered from the fields, verifiable, the OPD may download it', async () => {
    const year = t.now().getUTCFullYear();
    const ba = await issue('berita_acara', {
      date: '2026-12-01',
      place: 'Ruang Server DKISP',
      items: '- 1 unit server Dell R650\n- 2 kabel daya',
      firstPartyName: 'Sri Wahyuni',
      firstPartyTitle: 'Pranata Komputer',
      rackPosition: 'R2 U12–U14',
      powerWatts: '550',
    });
    expect(ba.number).toMatch(new RegExp(`^500\\.11/0001/BA/DKISP/${year}$`));
    const list = (await get(`/api/cases/${caseId}/documents`, 'opd')).json() as {
      id: string;
      kind: string;
      url: string;
      number: string;
    }[];
    const doc = list.find((d) => d.id === ba.id);
    expect(doc).toMatchObject({ kind: 'berita_acara', number: ba.number });
    const pdf = await get(doc?.url ?? '', 'opd');
    expect(pdf.statusCode).toBe(200);
    const text = flat(pdfText(pdf.rawPayload, 'raw'));
    for (const s of [
      'BERITA ACARA SERAH TERIMA',
      'Berita Acara Serah Terima Server',
      `Nomor: ${ba.number}`,
      'Pada hari ini Selasa, tanggal 1 Desember 2026, bertempat di Ruang Server DKISP',
      'Sri Wahyuni',
      '1 1 unit server Dell R650',
      '2 2 kabel daya',
      'Rak / posisi unit R2 U12–U14',
      'Power watts 550',
      'Penempatan server SIAK',
      `/verifikasi/${ba.id}`,
    ]) {
      expect(text, s).toContain(s);
    }
    // Another OPD neither lists nor downloads it.
    expect((await get(doc?.url ?? '', 'otherOpd')).statusCode).toBe(404);
    expect((await get(`/api/cases/${caseId}/documents`, 'otherOpd')).statusCode).toBe(404);
    const info = (await t.app.inject({ url: `/api/verify/${ba.id}` })).json();
    expect(info).toMatchObject({
      kind: 'berita_acara',
      number: ba.number,
      info: { number: ba.number, sopVersion: 1 },
    });
    expect(info.info.service).toBeTruthy();
  });

  it('a recommendation has its own counter; issued again for the same subject it is a new numbered version', async () => {
    const year = t.now().getUTCFullYear();
    const fields = {
      attendees: 'Rina — DKISP\nAndi — Dinas Kesehatan',
      findings: 'Perlu integrasi dengan SIMPUS.',
      recommendation: 'Bangun di atas SIMPUS.',
    };
    const first = await issue('recommendation', fields, 'rekomendasi');
    expect(first.number).toBe(`500.11/0001/REK/DKISP/${year}`);
    const again = await issue(
      'recommendation',
      { ...fields, recommendation: 'Bangun di atas SIMPUS versi 3.' },
      'rekomendasi',
    );
    expect(again.number).toBe(`500.11/0002/REK/DKISP/${year}`);
    const list = (await get(`/api/cases/${caseId}/documents`, 'opd')).json() as {
      id: string;
      version: number;
      replacesId: string | null;
      url: string;
    }[];
    expect(list.find((d) => d.id === again.id)).toMatchObject({ version: 2, replacesId: first.id });
    const text = flat(
      pdfText((await get(list.find((d) => d.id === again.id)?.url ?? '', 'opd')).rawPayload, 'raw'),
    );
    for (const s of [
      'REKOMENDASI',
      'Rekomendasi Konsultasi Aplikasi',
      'Rina — DKISP',
      'Perlu integrasi dengan SIMPUS.',
      'Bangun di atas SIMPUS versi 3.',
    ]) {
      expect(text, s).toContain(s);
    }
    // The Berita Acara's counter went on on its own.
    expect((await issue('berita_acara', {})).number).toBe(`500.11/0002/BA/DKISP/${year}`);
    expect((await t.app.inject({ url: `/api/verify/${first.id}` })).json().replacedById).toBe(again.id);
  });

  it('nothing is issued or numbered when the transaction fails, and an OPD cannot issue one', async () => {
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('documents')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await expect(
      t.db.transaction().execute(async (trx) => {
        await issueCaseDocument(trx, ctxOf(who.staf?.user as BuiltUser), {
          caseId,
          kind: 'berita_acara',
          title: 'BA',
          fields: {},
          deps,
        });
        throw new Error('the action failed afterwards');
      }),
    ).rejects.toThrow('the action failed afterwards');
    expect(await count()).toBe(before);
    const year = t.now().getUTCFullYear();
    expect((await issue('berita_acara', {})).number).toBe(`500.11/0003/BA/DKISP/${year}`);
    await expect(
      t.db.transaction().execute((trx) =>
        issueCaseDocument(trx, ctxOf(who.opd?.user as BuiltUser), {
          caseId,
          kind: 'berita_acara',
          title: 'BA',
          fields: {},
          deps,
        }),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
