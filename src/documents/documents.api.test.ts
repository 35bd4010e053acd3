// biome-ignore-all lint/suspicious/noThenProperty: a decision outcome's `then` is the definition's own word (src/sop/blocks/decision.ts)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import { jakartaDate } from '../../test/helpers/clock.ts';
import { onePagePdf } from '../shared/tiny-files.ts';
import { LocalFileStore } from '../storage/file-store.ts';
import { storageSettings } from '../storage/settings.ts';
import { jpegDeclaring, png, pngDeclaring } from '../storage/test-fixtures.ts';
import { flat, pdfImages, pdfText as pdfTextIn } from './render/pdftotext.ts';

// Official documents from a real case: issued, numbered, stored byte for byte, verifiable.

const hasPdftotext = fs.existsSync('/usr/bin/pdftotext');
if (!hasPdftotext && process.env.CI === 'true')
  throw new Error('pdftotext (poppler-utils) is required in CI');

function pdfText(bytes: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-pdf-'));
  const file = path.join(dir, 'd.pdf');
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let t: TestApp;
const who: Record<string, string> = {};
let aptika = '';
/** Today in Jakarta by the app's clock (Tuesday 1 December 2026, in office hours). */
const today = () => jakartaDate(t.now());

beforeAll(async () => {
  t = await createTestApp();
  for (const role of ['umum', 'kepala', 'kabid', 'admin'] as const)
    who[role] = (await t.as([role], { fullName: `Pejabat ${role}` })).cookie;
  who.opd = (await t.as(['opd'])).cookie;
  who.otherOpd = (await t.as(['opd'])).cookie;
  aptika = (
    await t.db.selectFrom('units').select('id').where('code', '=', 'APTIKA').executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => t.close());

type Detail = { id: string; version: number; ref: string };

async function act(
  c: Detail,
  as: string,
  action: string,
  payload: Record<string, unknown> = {},
): Promise<Detail> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${c.id}/actions/${action}`,
    headers: { cookie: who[as] ?? '' },
    payload: { version: c.version, ...payload },
  });
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  return res.json();
}

async function caseAtDecision(subject = 'Permohonan pembuatan website Dinas Perhubungan'): Promise<Detail> {
  const body = multipart(
    {
      kind: 'new',
      subject,
      letterNumber: '500.11/027/DISHUB/2026',
      letterDate: '2026-11-02',
      description: 'Website profil dinas.',
    },
    [{ field: 'letter', name: 'surat.pdf', type: 'application/pdf', data: onePagePdf(['Surat permohonan']) }],
  );
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { ...body.headers, cookie: who.opd ?? '' },
    payload: body.payload,
  });
  let c: Detail = res.json();
  c = await act(c, 'opd', 'submit');
  c = await act(c, 'umum', 'register', {
    receivedAt: t.now().toISOString(),
    urgency: 'segera',
    addressee: 'Kepala DKISP',
    scanConfirmed: true,
  });
  c = await act(c, 'kepala', 'dispose', {
    toUnitId: aptika,
    instruction: 'tindak_lanjuti',
    note: 'Mohon segera dikaji',
  });
  c = await act(c, 'kabid', 'review', { findings: 'Layak', recommendation: 'approve' });
  return c;
}

const docs = async (caseId: string, as = 'umum') =>
  (
    await t.app.inject({ url: `/api/cases/${caseId}/documents`, headers: { cookie: who[as] ?? '' } })
  ).json() as {
    id: string;
    kind: string;
    number: string | null;
    version: number;
    replacesId: string | null;
    url: string;
    sha256: string;
  }[];

const download = async (url: string, as = 'umum') =>
  (await t.app.inject({ url, headers: { cookie: who[as] ?? '' } })).rawPayload;

describe.skipIf(!hasPdftotext)('official documents', () => {
  it('sending the follow-up letter issues it: numbered, in Indonesian, with its verification mark', async () => {
    let c = await caseAtDecision();
    c = await act(c, 'kabid', 'decide', {
      decision: 'reject',
      reason: 'Sudah tersedia pada portal induk kabupaten.',
    });
    c = await act(c, 'umum', 'send_letter', { letterDate: today() });
    const [letter] = await docs(c.id);
    expect(letter).toMatchObject({ kind: 'follow_up_letter', version: 1 });
    expect(letter?.number).toMatch(/^500\.11\/\d{4}\/DKISP\/\d{4}$/);
    const text = pdfText(await download(letter?.url ?? ''));
    expect(text).toContain(letter?.number ?? 'x');
    expect(text).toContain('Sudah tersedia pada portal induk kabupaten.');
    expect(text).toMatch(/2\s+November\s+2026/);
    expect(text).toMatch(
      /(Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}/,
    );
    expect(text).toContain(`/verifikasi/${letter?.id}`);
    // The OPD sees its letter; another OPD does not.
    expect(
      (await t.app.inject({ url: letter?.url ?? '', headers: { cookie: who.opd ?? '' } })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ url: letter?.url ?? '', headers: { cookie: who.otherOpd ?? '' } })).statusCode,
    ).toBe(404);
  });

  it('the disposition sheet shows the agenda, the letter and every disposition; a reissue is a new version', async () => {
    const c = await caseAtDecision();
    const issue = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/cases/${c.id}/documents`,
        headers: { cookie: who.umum ?? '' },
        payload: { kind: 'disposition_sheet' },
      });
    const first = (await issue()).json();
    const second = (await issue()).json();
    expect(second).toMatchObject({ version: 2, replacesId: first.id });
    const text = pdfText(await download(second.url));
    for (const s of [
      'LEMBAR DISPOSISI',
      '500.11/027/DISHUB/2026',
      'Segera',
      'Tindak lanjuti',
      'Mohon segera dikaji',
      'Kepala DKISP',
    ]) {
      expect(text.replace(/\s+/g, ' '), s).toContain(s);
    }
    const v1 = (await t.app.inject({ url: `/api/verify/${first.id}` })).json();
    expect(v1.replacedById).toBe(second.id);
  });

  it('the public verification page: valid for the issued bytes, not valid for one changed byte, nothing private', async () => {
    let c = await caseAtDecision('Rahasia: subjek yang tidak boleh tampil publik');
    c = await act(c, 'kabid', 'decide', { decision: 'approve' });
    c = await act(c, 'umum', 'send_letter', { letterDate: today() });
    const [letter] = await docs(c.id);
    const info = await t.app.inject({ url: `/api/verify/${letter?.id}` });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({
      kind: 'follow_up_letter',
      number: letter?.number,
      sha256: letter?.sha256,
    });
    expect(info.body).not.toContain('Rahasia');
    const bytes = await download(letter?.url ?? '');
    const check = async (data: Buffer) => {
      const body = multipart({}, [{ field: 'file', name: 'surat.pdf', type: 'application/pdf', data }]);
      return t.app.inject({
        method: 'POST',
        url: `/api/verify/${letter?.id}`,
        headers: body.headers,
        payload: body.payload,
      });
    };
    expect((await check(bytes)).json().valid).toBe(true);
    const changed = Buffer.from(bytes);
    changed[changed.length - 10] = (changed[changed.length - 10] ?? 0) ^ 1;
    expect((await check(changed)).json().valid).toBe(false);
    expect((await t.app.inject({ url: '/api/verify/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ url: '/api/verify/nope' })).statusCode).toBe(400);
  });

  it('the KAK shows the sections the definition declares, with their labels, in order', async () => {
    const staf = await t.as(['staf']);
    who.staf = staf.cookie;
    let c = await caseAtDecision('Website Dinas Pertanian');
    c = await act(c, 'kabid', 'decide', { decision: 'approve' });
    c = await act(c, 'umum', 'send_letter', { letterDate: today() });
    c = await act(c, 'kabid', 'start_work', { websiteExists: false, teamUserIds: [staf.user.id] });
    c = await act(c, 'staf', 'save_kak', {
      goals: 'Informasi pertanian untuk petani',
      scope: 'Profil, harga komoditas',
      menuStructure: 'Beranda; Harga',
      features: 'CMS',
      targetUsers: 'Petani',
      schedule: '2 minggu',
      team: 'Staf',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${c.id}/documents`,
      headers: { cookie: who.kabid ?? '' },
      payload: { kind: 'kak', kakVersion: 1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const text = flat(pdfTextIn(await download(res.json().url, 'kabid'), 'raw'));
    const order = [
      'Tujuan',
      'Ruang lingkup',
      'Struktur konten / menu',
      'Fitur',
      'Pengguna sasaran',
      'Jadwal',
      'Tim',
    ].map((label, i) => text.search(new RegExp(`${i + 1}\\. ?${label}`)));
    expect(order.every((x) => x >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('Informasi pertanian untuk petani');
    expect(text).toContain('Profil, harga komoditas');
  });

  it('issued documents are immutable in the database', async () => {
    await expect(sql`UPDATE documents SET title = 'forged'`.execute(t.db)).rejects.toThrow(/immutable/);
    await expect(sql`DELETE FROM documents`.execute(t.db)).rejects.toThrow(/immutable/);
  });

  it('50 letters sent in parallel get 50 distinct consecutive numbers', async () => {
    const opdUser = await t.db
      .selectFrom('users')
      .select(['id', 'opd_id'])
      .where('opd_id', 'is not', null)
      .executeTakeFirstOrThrow();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await t.db
        .insertInto('cases')
        .values({
          ref: `PAR-${i}-${Date.now()}`,
          sop_key: 'website',
          sop_version: 1,
          facts: JSON.stringify({ kind: 'new' }),
          opd_id: opdUser.opd_id as string,
          created_by: opdUser.id,
          subject: `Paralel ${i}`,
          letter_number: `1/${i}`,
          letter_date: '2026-11-02',
          description: 'x',
          status: 'active',
          step_key: 'keputusan',
          pending_decision: 'approve',
          decision: 'approve',
          roles_waiting: ['umum'],
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(r.id);
    }
    const year = Number(today().slice(0, 4));
    const before = await t.db
      .selectFrom('counters')
      .select('last')
      .where('name', '=', 'surat_keluar')
      .where('year', '=', year)
      .executeTakeFirst();
    const res = await Promise.all(
      ids.map((id) =>
        t.app.inject({
          method: 'POST',
          url: `/api/cases/${id}/actions/send_letter`,
          headers: { cookie: who.umum ?? '' },
          payload: { version: 1, letterDate: today() },
        }),
      ),
    );
    expect(res.map((r) => r.statusCode)).toEqual(ids.map(() => 200));
    const numbers = res.map((r) => Number((r.json().followUpLetter.number as string).split('/')[1]));
    const start = (before?.last ?? 0) + 1;
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => start + i));
  }, 120_000);

  it('user text stays inside its field in the letter; {{constructor}} in a template stored earlier prints nothing', async () => {
    const opdUser = await t.db
      .selectFrom('users')
      .select(['id', 'opd_id'])
      .where('opd_id', 'is not', null)
      .executeTakeFirstOrThrow();
    const c = await t.db
      .insertInto('cases')
      .values({
        ref: `NL-${Date.now()}`,
        sop_key: 'website',
        sop_version: 1,
        facts: JSON.stringify({ kind: 'new' }),
        opd_id: opdUser.opd_id as string,
        created_by: opdUser.id,
        subject: 'Website\n\n  Dishub\r\n\r\nBaru',
        letter_number: '1/2026',
        letter_date: '2026-11-02',
        description: 'x',
        status: 'active',
        step_key: 'keputusan',
        pending_decision: 'reject',
        decision: 'reject',
        decision_reason: 'Alasan satu.\n\nAlasan\u2029dua.',
        roles_waiting: ['umum'],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // A template saved before field names were checked against own properties only.
    const row = await t.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'documents')
      .executeTakeFirst();
    const base = (row?.value ?? {}) as { templates?: Record<string, string> };
    const value = JSON.stringify({
      ...base,
      templates: {
        ...(base.templates ?? {}),
        reject:
          'Perihal {{perihal}} ditolak [{{constructor}}][{{__proto__}}][{{toString}}]: {{alasan}}\n\nDemikian.',
      },
    });
    await t.db
      .insertInto('settings')
      .values({ key: 'documents', value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${c.id}/actions/send_letter`,
        headers: { cookie: who.umum ?? '' },
        payload: { version: 1, letterDate: today() },
      });
      expect(res.statusCode, res.body).toBe(200);
      const [letter] = await docs(c.id);
      const text = pdfText(await download(letter?.url ?? ''));
      expect(text).not.toMatch(/function|native code|object Object/);
      expect(text).toContain('[][][]');
      // The subject and the reason each stay on the line of the sentence they belong to.
      expect(text).toMatch(/Perihal Website Dishub Baru ditolak/);
      expect(text).toMatch(/Alasan satu\. Alasan dua\./);
      expect(text).toMatch(/Hal\s+:\s+Tindak lanjut Website Dishub Baru\n/);
      // Two paragraphs, as the template has: the sentence and "Demikian."
      const body = text.slice(text.indexOf('Perihal Website'), text.indexOf('Demikian.'));
      expect(body.split('\n').filter((l) => l.trim()).length).toBeLessThanOrEqual(2);
    } finally {
      await t.db.deleteFrom('settings').where('key', '=', 'documents').execute();
    }
  });

  it('a huge logo stored before the upload check is left out of documents, not rendered at full size', async () => {
    const files = new LocalFileStore(storageSettings(t.config).filesDir);
    const setLogo = async (data: Buffer) => {
      const temp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loket-logo-')), 'logo.part');
      fs.writeFileSync(temp, data);
      const { key } = await files.put(temp);
      const row = await t.db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', 'documents')
        .executeTakeFirst();
      const value = JSON.stringify({ ...(row?.value as object), logo: { key, mime: 'image/png' } });
      await t.db
        .insertInto('settings')
        .values({ key: 'documents', value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    };
    const sopSheet = async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/sop-sheets/website',
        headers: { cookie: who.admin ?? '' },
      });
      expect(res.statusCode, res.body).toBe(201);
      return download(res.json().url, 'admin');
    };
    try {
      // A fitting logo is drawn (so the check below can see one)…
      await setLogo(pngDeclaring(300, 300, 2));
      expect(pdfImages(await sopSheet())).toContainEqual({ width: 300, height: 300 });
      // …an RGB one declaring 11,000² (pdfkit would pass it through as it is) is left out.
      await setLogo(pngDeclaring(11_000, 11_000, 2));
      const found = pdfImages(await sopSheet());
      expect(found.length).toBeGreaterThan(0); // the QR code
      for (const img of found) expect(Math.max(img.width, img.height)).toBeLessThanOrEqual(4096);
    } finally {
      await t.db.deleteFrom('settings').where('key', '=', 'documents').execute();
    }
  });
});

describe.skipIf(!hasPdftotext)('SOP sheets of any service and version, and the designer’s preview', () => {
  const websiteDefinition = () =>
    JSON.parse(
      fs.readFileSync(path.join(import.meta.dirname, '..', 'sop', 'definitions', 'website.json'), 'utf8'),
    ) as Record<string, unknown> & { steps: Record<string, unknown>[] };

  /** Three steps from the block catalogue and one decision, for a service Loket has never seen. */
  const threeSteps = (key = 'konsultasi_singkat') => ({
    key,
    title: { id: 'Layanan Konsultasi Singkat', en: 'Short consultation' },
    refPrefix: 'KS',
    lanes: [
      { key: 'pemohon', title: { id: 'Perangkat Daerah', en: 'Agency' }, roles: ['opd'] },
      { key: 'sandi', title: { id: 'Bidang Persandian', en: 'Cryptography' }, roles: ['kabid'] },
    ],
    steps: [
      {
        key: 'permohonan',
        title: { id: 'Permohonan konsultasi', en: 'Request' },
        lane: 'pemohon',
        block: 'request',
        standardTime: { minutes: 5 },
      },
      {
        key: 'putusan',
        title: { id: 'Kabid memutuskan konsultasi', en: 'Decision' },
        lane: 'sandi',
        block: 'decision',
        config: {
          question: { id: 'Dapat dilayani?', en: 'Can it be served?' },
          outcomes: [
            { key: 'layani', label: { id: 'Dilayani', en: 'Served' }, then: { goto: 'selesai' } },
            { key: 'tolak', label: { id: 'Ditolak', en: 'Refused' }, then: { end: 'rejected' } },
          ],
          letter: false,
        },
        standardTime: { workingDays: 1 },
      },
      {
        key: 'selesai',
        title: { id: 'Konsultasi selesai', en: 'Done' },
        lane: 'sandi',
        block: 'closing',
        standardTime: { minutes: 2 },
      },
    ],
  });

  const preview = (key: string, payload: unknown, as = 'admin') =>
    t.app.inject({
      method: 'POST',
      url: `/api/services/${key}/sheet-preview`,
      headers: { cookie: who[as] ?? '' },
      payload: payload as object,
    });
  const documentCount = async () =>
    Number(
      (
        await t.db
          .selectFrom('documents')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('issues the sheet of a version asked for; verification shows the service and its version', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sop-sheets/website?version=1',
      headers: { cookie: who.kabid ?? '' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().title).toMatch(/versi 1\)$/);
    const text = pdfText(await download(res.json().url, 'kabid'));
    expect(text).toContain('Disetujui?');
    expect(text).toContain('Keputusan 2');
    const info = (await t.app.inject({ url: `/api/verify/${res.json().id}` })).json();
    expect(info.info).toEqual({ sop: 'website', sopVersion: 1, service: 'Layanan Pembuatan/Update Website' });
    for (const [url, status] of [
      ['/api/sop-sheets/website?version=99', 404],
      ['/api/sop-sheets/tidak_ada', 404],
      ['/api/sop-sheets/Bukan-Kunci', 400],
      ['/api/sop-sheets/website?version=0', 400],
    ] as const) {
      const r = await t.app.inject({ method: 'POST', url, headers: { cookie: who.admin ?? '' } });
      expect(r.statusCode, url).toBe(status);
    }
    const opd = await t.app.inject({
      method: 'POST',
      url: '/api/sop-sheets/website',
      headers: { cookie: who.opd ?? '' },
    });
    expect(opd.statusCode).toBe(403);
  });

  it('previews an unsaved definition as a PDF marked PRATINJAU, storing and numbering nothing', async () => {
    const before = await documentCount();
    const def = websiteDefinition();
    (def.steps[1] as { title: { id: string } }).title.id = 'Registrasi surat masuk (diubah di perancang)';
    const times: number[] = [];
    let res = await preview('website', def);
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      res = await preview('website', def);
      times.push(performance.now() - t0);
    }
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    const text = flat(pdfTextIn(res.rawPayload, 'raw'));
    expect(text).toContain('Registrasi surat masuk (diubah di perancang)');
    expect(text).toMatch(/Versi 2 — PRATINJAU \(belum diterbitkan\)/);
    expect(text).not.toContain('Periksa keasliannya');
    expect(await documentCount()).toBe(before);
    times.sort((a, b) => a - b);
    console.info(`sheet-preview of the website SOP: median ${Math.round(times[2] ?? 0)} ms`);
    expect(times[2]).toBeLessThan(2000);
    // A service that does not exist yet: its version 1, its own lanes and decision.
    const mini = await preview('konsultasi_singkat', threeSteps());
    expect(mini.statusCode, mini.body).toBe(200);
    const m = flat(pdfTextIn(mini.rawPayload, 'raw'));
    for (const s of [
      'LAYANAN KONSULTASI SINGKAT',
      'Versi 1',
      'Perangkat Daerah',
      'Bidang Persandian',
      'Dapat dilayani?',
    ]) {
      expect(m).toContain(s);
    }
    expect(m).not.toContain('Bagian Umum');
  });

  it('refuses a definition with problems (422, each named), a key not the address’s, and anyone but an administrator', async () => {
    const bad = threeSteps();
    (bad.steps[1] as { lane: string }).lane = 'tidak_ada';
    (bad.steps[2] as { block: string }).block = 'teleport';
    const res = await preview('konsultasi_singkat', bad);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('DEFINITION_INVALID');
    expect(res.json().error.details.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'steps.1.lane' }),
        expect.objectContaining({ path: 'steps.2.block' }),
      ]),
    );
    const noLanes = await preview('konsultasi_singkat', { ...threeSteps(), lanes: [] });
    expect(noLanes.statusCode).toBe(422);
    expect(noLanes.json().error.details.fields).toContainEqual(expect.objectContaining({ path: 'lanes' }));
    const other = await preview('website', threeSteps());
    expect(other.statusCode).toBe(422);
    expect(other.json().error.details.fields).toEqual([
      { path: 'key', message: expect.stringContaining('website') },
    ]);
    expect((await preview('konsultasi_singkat', threeSteps(), 'kabid')).statusCode).toBe(403);
    expect((await preview('konsultasi_singkat', [1, 2, 3])).statusCode).toBe(400);
    expect((await preview('Bukan-Kunci', threeSteps())).statusCode).toBe(400);
  });
});

describe('document settings', () => {
  const base = async () =>
    (await t.app.inject({ url: '/api/document-settings', headers: { cookie: who.admin ?? '' } })).json();

  it('a template with unknown fields is refused, naming them; the preview says which', async () => {
    const s = await base();
    const { logo: _logo, ...body } = s;
    const bad = {
      ...body,
      templates: { ...body.templates, approve: 'Kepada {{opd}}, {{tidak_ada}} dan {{ nomor_surat }}.' },
    };
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/document-settings',
      headers: { cookie: who.admin ?? '' },
      payload: bad,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'TEMPLATE_UNKNOWN_FIELDS',
      details: { fields: [{ path: 'templates.approve' }] },
    });
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/document-settings/preview',
      headers: { cookie: who.admin ?? '' },
      payload: { template: bad.templates.approve },
    });
    expect(preview.json()).toMatchObject({ unknownFields: ['tidak_ada'] });
    expect(preview.json().paragraphs[0]).toContain('Dinas Kesehatan');
    const ok = await t.app.inject({
      method: 'PUT',
      url: '/api/document-settings',
      headers: { cookie: who.admin ?? '' },
      payload: { ...body, place: 'Sukamaju' },
    });
    expect(ok.statusCode).toBe(200);
    expect((await base()).place).toBe('Sukamaju');
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/document-settings',
          headers: { cookie: who.umum ?? '' },
          payload: body,
        })
      ).statusCode,
    ).toBe(403);
  });

  it('only the documented fields are fields: {{constructor}} and {{__proto__}} are unknown', async () => {
    const { logo: _logo, ...body } = await base();
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/document-settings',
      headers: { cookie: who.admin ?? '' },
      payload: {
        ...body,
        templates: {
          ...body.templates,
          reject: 'A {{constructor}} B {{ __proto__ }} C {{hasOwnProperty}} {{alasan}}',
        },
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('TEMPLATE_UNKNOWN_FIELDS');
    expect(res.json().error.details.fields.map((f: { message: string }) => f.message)).toEqual([
      'unknown field {{constructor}}',
      'unknown field {{__proto__}}',
      'unknown field {{hasOwnProperty}}',
    ]);
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/document-settings/preview',
      headers: { cookie: who.admin ?? '' },
      payload: { template: 'A {{constructor}} B {{__proto__}} C {{valueOf}}' },
    });
    expect(preview.json()).toEqual({
      unknownFields: ['constructor', '__proto__', 'valueOf'],
      paragraphs: ['A B C'],
    });
  });

  it('the logo must be a PNG or JPEG of at most 512 KiB', async () => {
    const up = (name: string, type: string, data: Buffer) => {
      const body = multipart({}, [{ field: 'logo', name, type, data }]);
      return t.app.inject({
        method: 'POST',
        url: '/api/document-settings/logo',
        headers: { ...body.headers, cookie: who.admin ?? '' },
        payload: body.payload,
      });
    };
    expect((await up('logo.pdf', 'application/pdf', onePagePdf())).json().error.code).toBe('LOGO_INVALID');
    expect((await up('logo.png', 'image/png', Buffer.from('<svg onload=alert(1)>'))).statusCode).toBe(415);
    const huge = await up('logo.png', 'image/png', png('x'.repeat(600 * 1024)));
    expect(huge.statusCode).toBe(413);
    const fine = await up('logo.png', 'image/png', png());
    expect(fine.statusCode).toBe(200);
    expect(fine.json().logo).toEqual({ mime: 'image/png' });
  });

  it('a logo declaring too many pixels is refused at upload with 422, and the logo stays as it was', async () => {
    const up = (name: string, type: string, data: Buffer) => {
      const body = multipart({}, [{ field: 'logo', name, type, data }]);
      return t.app.inject({
        method: 'POST',
        url: '/api/document-settings/logo',
        headers: { ...body.headers, cookie: who.admin ?? '' },
        payload: body.payload,
      });
    };
    expect((await up('logo.png', 'image/png', png())).statusCode).toBe(200);
    const before = await t.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'documents')
      .executeTakeFirstOrThrow();
    // 11,000 × 11,000 RGBA: 484 MB once decoded, in a file of a few hundred bytes.
    const hostile = pngDeclaring(11_000, 11_000);
    expect(hostile.length).toBeLessThan(512 * 1024);
    for (const [name, type, data] of [
      ['logo.png', 'image/png', hostile],
      ['logo.jpg', 'image/jpeg', jpegDeclaring(20_000, 20_000)],
      ['logo.png', 'image/png', pngDeclaring(4096, 4096)], // within the sides, 64 MiB decoded
    ] as const) {
      const res = await up(name, type, data);
      expect(res.statusCode, name).toBe(422);
      expect(res.json().error).toMatchObject({
        code: 'IMAGE_TOO_LARGE',
        details: { fields: [{ path: 'logo' }], maxSide: 4096 },
      });
    }
    // A PNG whose chunks cannot be walked (cut before IEND) is no image.
    const cut = await up('logo.png', 'image/png', hostile.subarray(0, hostile.length - 12));
    expect(cut.json().error.code).toBe('LOGO_INVALID');
    const after = await t.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'documents')
      .executeTakeFirstOrThrow();
    expect(after.value).toEqual(before.value);
  });
});

describe('public verification', () => {
  it('is rate-limited per address: 120 lookups and 30 file checks a minute, then 429 with Retry-After', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    const firstRefusal = async (send: () => Promise<{ statusCode: number }>, limit: number) => {
      for (let i = 1; i <= limit + 1; i++) {
        const res = await send();
        if (res.statusCode === 429) return { i, res };
      }
      return null;
    };
    const lookup = await firstRefusal(() => t.app.inject({ url: `/api/verify/${id}` }), 120);
    expect(lookup).not.toBeNull();
    expect(lookup?.i).toBeGreaterThan(1);
    const refused = lookup?.res as unknown as {
      json(): { error: { code: string } };
      headers: Record<string, unknown>;
    };
    expect(refused.json().error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const body = multipart({}, [
      { field: 'file', name: 'surat.pdf', type: 'application/pdf', data: onePagePdf() },
    ]);
    const check = await firstRefusal(
      () =>
        t.app.inject({
          method: 'POST',
          url: `/api/verify/${id}`,
          headers: body.headers,
          payload: body.payload,
        }),
      30,
    );
    expect(check).not.toBeNull();
    expect(check?.i).toBeGreaterThan(1);
  });
});
