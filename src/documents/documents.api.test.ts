import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import { jakartaDate } from '../../test/helpers/clock.ts';
import { onePagePdf } from '../shared/tiny-files.ts';
import { png } from '../storage/test-fixtures.ts';

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
          kind: 'new',
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
});
