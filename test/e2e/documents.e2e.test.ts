/**
 * Browser test: official documents on the real server with a fresh embedded database. A request is brought
 * to its decision through the API; then, in the browser, Bagian Umum sends the follow-up letter and issues
 * the disposition sheet (twice: version 2 replaces version 1); the OPD downloads the letter from its request
 * page, opens the public verification page signed out and checks the downloaded file (SAH) and a copy with
 * one byte changed (TIDAK SAH); the administrator changes the place of signing and tries a letter template.
 * Desktop and phone screenshots go to test-results/screens/docs-*.png.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onePagePdf } from '../../src/shared/tiny-files.ts';
import {
  ADMIN,
  apiAs as apiAt,
  appNow,
  appToday,
  type Call,
  createPeople,
  DESKTOP,
  launchBrowser,
  newPage as newPageIn,
  type Person,
  PHONE,
  SCREENS,
  type Server,
  signIn as signInAt,
  signOut,
  startServer,
  stopAll,
} from './support.ts';

const PASSWORD = 'Kata-Sandi-Uji-2026!';
const OPD = { code: 'DISPAR', name: 'Dinas Pariwisata dan Kebudayaan' };
const SUBJECT = 'Permohonan pembuatan website Dinas Pariwisata dan Kebudayaan';

const PEOPLE = {
  opd: { username: 'operator.dispar', fullName: 'Made Wirawan', roles: ['opd'] },
  umum: { username: 'lina.umum', fullName: 'Lina Marlina', roles: ['umum'], unit: 'SEKRETARIAT' },
  kepala: { username: 'bambang.kepala', fullName: 'Bambang Sutrisno', roles: ['kepala'], unit: 'PIMPINAN' },
  kabid: { username: 'nur.kabid', fullName: 'Nur Aini', roles: ['kabid'], unit: 'APTIKA' },
} satisfies Record<string, Person>;

let server: Server;
let browser: Browser;
let dataDir: string;
let caseId = '';
let caseRef = '';

/** Signs in through the API (set-up only) and answers a function that calls it with that session. */
function apiAs(username: string, password: string): Promise<Call> {
  return apiAt(server.url, username, password);
}

type Detail = { id: string; ref: string; version: number };

beforeAll(async () => {
  ({ server, dataDir } = await startServer('loket-e2e-docs-'));
  const admin = await apiAs(ADMIN.username, ADMIN.password);
  const { units } = await createPeople(admin, OPD, Object.values(PEOPLE) as Person[], PASSWORD);
  const as = {
    opd: await apiAs(PEOPLE.opd.username, PASSWORD),
    umum: await apiAs(PEOPLE.umum.username, PASSWORD),
    kepala: await apiAs(PEOPLE.kepala.username, PASSWORD),
    kabid: await apiAs(PEOPLE.kabid.username, PASSWORD),
  };
  // The request up to its decision (the browser walk of these steps is case.e2e.test.ts).
  const today = appToday();
  const form = new FormData();
  for (const [key, value] of Object.entries({
    kind: 'new',
    subject: SUBJECT,
    letterNumber: '556/041/DISPAR/2026',
    letterDate: today,
    description: 'Website promosi destinasi wisata dan agenda budaya daerah.',
  })) {
    form.append(key, value);
  }
  form.append(
    'letter',
    new Blob([new Uint8Array(onePagePdf(['DINAS PARIWISATA', 'Nomor: 556/041/DISPAR/2026']))], {
      type: 'application/pdf',
    }),
    'surat-dispar.pdf',
  );
  let c = (await as.opd('POST', '/api/cases', form)) as Detail;
  const act = async (who: Call, action: string, payload: Record<string, unknown> = {}) => {
    c = (await who('POST', `/api/cases/${c.id}/actions/${action}`, {
      version: c.version,
      ...payload,
    })) as Detail;
  };
  await act(as.opd, 'submit');
  await act(as.umum, 'register', {
    receivedAt: appNow().toISOString(),
    urgency: 'penting',
    addressee: 'Kepala DKISP',
    scanConfirmed: true,
  });
  const aptika = units.items.find((u) => u.code === 'APTIKA')?.id;
  await act(as.kepala, 'dispose', {
    toUnitId: aptika,
    instruction: 'tindak_lanjuti',
    note: 'Segera dikaji.',
  });
  await act(as.kabid, 'review', { findings: 'Layak dibuat di server bersama.', recommendation: 'approve' });
  await act(as.kabid, 'decide', { decision: 'approve' });
  caseId = c.id;
  caseRef = c.ref;

  browser = await launchBrowser();
});

afterAll(async () => {
  await stopAll(browser, server, dataDir);
});

/** Problems the browser reported (script errors, CSP violations): the test fails on any. */
const browserProblems: string[] = [];

function newPage(viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> {
  return newPageIn(browser, viewport, { problems: browserProblems, acceptDownloads: true, fixTime: true });
}

/**
 * The whole page as on a screen as tall as the page: the fixed header on top and sticky bars in their place
 * (a full-page capture of a scrolled page paints them in its middle).
 */
async function shot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize() ?? DESKTOP;
  await page.mouse.move(1, 1);
  await page.evaluate('window.scrollTo(0, 0)');
  const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SCREENS, `docs-${name}.png`) });
  await page.setViewportSize(viewport);
}

/** One part of the page (the documents section, say), cut from the whole page so no header covers it. */
async function shotOf(page: Page, testId: string, name: string): Promise<void> {
  await page.mouse.move(1, 1);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.waitForTimeout(400);
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not on the page`);
  const margin = 8;
  await page.screenshot({
    path: join(SCREENS, `docs-${name}.png`),
    fullPage: true,
    clip: {
      x: Math.max(0, box.x - margin),
      y: Math.max(0, box.y - margin),
      width: box.width + 2 * margin,
      height: box.height + 2 * margin,
    },
  });
}

function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  return signInAt(page, server.url, username, password);
}

async function openCase(page: Page): Promise<void> {
  await page.goto(`${server.url}/permohonan/${caseId}`);
  await page.getByTestId('case-ref').filter({ hasText: caseRef }).waitFor();
}

/** Saves a download and answers its bytes. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  expect(path).toBeTruthy();
  return readFile(path as string);
}

/** Chooses a file in the verification page's picker and waits for the verdict. */
async function check(page: Page, name: string, bytes: Buffer): Promise<void> {
  const before = await page.getByTestId('verify-result').count();
  await page
    .getByLabel('Unggah PDF untuk dicocokkan')
    .setInputFiles({ name, mimeType: 'application/pdf', buffer: bytes });
  if (before) await page.getByTestId('verify-result').getByText(name, { exact: false }).waitFor();
  await page.getByTestId('verify-result').waitFor();
}

let letter: Buffer = Buffer.alloc(0);
let letterVerifyPath = '';
let dispositionV1Path = '';

describe('Official documents in the browser', () => {
  it('Bagian Umum sends the follow-up letter and issues the disposition sheet; versions replace each other', async () => {
    const [context, page] = await newPage(DESKTOP);
    await signIn(page, PEOPLE.umum.username);
    await openCase(page);
    const section = page.getByTestId('case-official-documents');
    await section.getByText('Belum ada dokumen resmi yang diterbitkan.').waitFor();

    // Sending the letter issues it: the section shows it without a reload.
    const header = page.getByTestId('case-header');
    const before = await header.getAttribute('data-version');
    await page
      .getByTestId('action-send_letter')
      .getByRole('button', { name: 'Kirim Surat Tindak Lanjut ke OPD', exact: true })
      .click();
    await page.locator(`[data-testid="case-header"]:not([data-version="${before}"])`).waitFor();
    const letterItem = section.locator('[data-kind="follow_up_letter"]');
    await letterItem.getByText(/^Nomor 500\.11\/\d{4}\/DKISP\/\d{4}$/).waitFor();
    await letterItem.getByText('versi 1', { exact: true }).waitFor();
    await letterItem.getByText(`oleh ${PEOPLE.umum.fullName}`, { exact: false }).waitFor();

    // The disposition sheet, twice: the second is version 2 and replaces the first.
    await section.getByRole('button', { name: 'Terbitkan Lembar Disposisi' }).click();
    await page.getByText(/Lembar Disposisi .* \(versi 1\) telah terbit\./).waitFor();
    const sheets = section.locator('[data-kind="disposition_sheet"]');
    await sheets.first().waitFor();
    dispositionV1Path =
      (await sheets
        .first()
        .getByRole('link', { name: /^Periksa keaslian/ })
        .getAttribute('href')) ?? '';
    await section.getByRole('button', { name: 'Terbitkan Lembar Disposisi' }).click();
    await sheets.getByText('versi 2, menggantikan versi 1', { exact: true }).waitFor();
    await sheets.getByText('Digantikan versi 2', { exact: true }).waitFor();
    expect(await sheets.count()).toBe(2);
    await section.getByText('Menerbitkan ulang membuat versi baru', { exact: false }).waitFor();

    // The request summary too; and the server's "not ready" answer is worded for the reader.
    await section.getByRole('button', { name: 'Terbitkan Ringkasan Permohonan' }).click();
    await section.locator('[data-kind="case_summary"]').waitFor();
    await page.route(`**/api/cases/${caseId}/documents`, (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 409,
            contentType: 'application/json',
            body: JSON.stringify({
              error: { code: 'DOCUMENT_NOT_READY', message: 'The letter is not registered yet' },
            }),
          })
        : route.continue(),
    );
    await section.getByRole('button', { name: 'Terbitkan Lembar Disposisi' }).click();
    await section
      .getByRole('alert')
      .getByText(
        'Lembar Disposisi belum dapat diterbitkan: surat permohonan belum diagendakan oleh Bagian Umum.',
      )
      .waitFor();
    await page.unroute(`**/api/cases/${caseId}/documents`);
    await section.getByRole('alert').getByRole('button', { name: 'Tutup' }).click();
    await section.getByRole('alert').waitFor({ state: 'hidden' });
    await shotOf(page, 'case-official-documents', 'desktop-01-dokumen-resmi-umum');

    // Downloads are the PDFs as issued.
    const summary = await downloaded(page, () =>
      section
        .locator('[data-kind="case_summary"]')
        .getByRole('link', { name: /^Unduh PDF/ })
        .click(),
    );
    expect(summary.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await signOut(page);
    await context.close();
  });

  it('the OPD sees the follow-up letter up front and downloads it (desktop and phone)', async () => {
    const [context, page] = await newPage(DESKTOP);
    await signIn(page, PEOPLE.opd.username);
    await openCase(page);
    const banner = page.getByTestId('follow-up-banner');
    await banner.getByRole('heading', { name: 'Surat Tindak Lanjut telah terbit' }).waitFor();
    await banner.getByText(/Nomor 500\.11\/\d{4}\/DKISP\/\d{4}, diterbitkan/).waitFor();
    // No issuing for the OPD: it reads and downloads.
    expect(await page.getByTestId('document-issue-buttons').count()).toBe(0);
    letter = await downloaded(page, () =>
      banner.getByRole('link', { name: 'Unduh Surat Tindak Lanjut' }).click(),
    );
    expect(letter.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    letterVerifyPath =
      (await banner.getByRole('link', { name: /^Periksa keaslian/ }).getAttribute('href')) ?? '';
    expect(letterVerifyPath).toMatch(/^\/verifikasi\/[0-9a-f-]{36}$/);
    expect(await banner.getByRole('link', { name: /^Periksa keaslian/ }).getAttribute('target')).toBe(
      '_blank',
    );
    await shot(page, 'desktop-02-permohonan-opd');
    await shotOf(page, 'case-official-documents', 'desktop-03-dokumen-resmi-opd');
    await context.close();

    const [phoneContext, phone] = await newPage(PHONE);
    await signIn(phone, PEOPLE.opd.username);
    await openCase(phone);
    await phone.getByTestId('follow-up-banner').waitFor();
    await phone.getByTestId('case-official-documents').locator('[data-kind="follow_up_letter"]').waitFor();
    await shot(phone, 'phone-01-permohonan-opd');
    await phone.getByTestId('case-official-documents').scrollIntoViewIfNeeded();
    await shotOf(phone, 'case-official-documents', 'phone-02-dokumen-resmi');
    const overflow = Number(await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await phoneContext.close();
  });

  it('anyone, signed out, checks the letter on its verification page: SAH, and TIDAK SAH for one changed byte', async () => {
    const changed = Buffer.from(letter);
    const at = changed.length - 20;
    changed[at] = (changed[at] ?? 0) ^ 0x01;

    for (const [viewport, device] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      const [context, page] = await newPage(viewport);
      await page.goto(`${server.url}${letterVerifyPath}`);
      // No sign-in asked for, no app menu.
      await page.getByRole('heading', { level: 1, name: /^Surat Tindak Lanjut 500\.11\// }).waitFor();
      expect(page.url()).toBe(`${server.url}${letterVerifyPath}`);
      expect(await page.getByRole('navigation', { name: 'Navigasi utama' }).count()).toBe(0);
      const record = page.getByTestId('verify-document');
      await record.getByText(caseRef, { exact: true }).waitFor();
      await record.getByText(OPD.name, { exact: true }).waitFor();
      await record.getByText(PEOPLE.umum.fullName, { exact: true }).waitFor();
      expect(await page.getByTestId('verify-sha256').getAttribute('data-hash')).toMatch(/^[0-9a-f]{64}$/);
      expect(await page.getByTestId('verify-replaced').count()).toBe(0);
      // Nothing private: the subject of the request is not on the public page.
      expect(await page.getByText(SUBJECT).count()).toBe(0);
      await shot(page, `${device}-04-verifikasi`);

      await check(page, 'surat-tindak-lanjut.pdf', letter);
      const result = page.getByTestId('verify-result');
      await result.getByRole('heading', { name: 'SAH — identik dengan dokumen yang diterbitkan' }).waitFor();
      expect(await result.getAttribute('data-valid')).toBe('true');
      const issued = await page.getByTestId('verify-sha256').getAttribute('data-hash');
      expect(await result.getByTestId('verify-your-hash').getAttribute('data-hash')).toBe(issued);
      await shot(page, `${device}-05-verifikasi-sah`);

      await check(page, 'surat-diubah.pdf', changed);
      await result
        .getByRole('heading', { name: 'TIDAK SAH — berbeda dari dokumen yang diterbitkan' })
        .waitFor();
      expect(await result.getAttribute('data-valid')).toBe('false');
      expect(await result.getByTestId('verify-your-hash').getAttribute('data-hash')).not.toBe(issued);
      expect(await result.getByTestId('verify-issued-hash').getAttribute('data-hash')).toBe(issued);
      await shot(page, `${device}-06-verifikasi-tidak-sah`);

      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await context.close();
    }

    // A replaced version says so and leads to the newer one; an unknown code is "tidak dikenal".
    const [context, page] = await newPage(PHONE);
    await page.goto(`${server.url}${dispositionV1Path}`);
    const replaced = page.getByTestId('verify-replaced');
    await replaced.getByText('Sudah ada versi yang lebih baru').waitFor();
    await shot(page, 'phone-07-verifikasi-versi-lama');
    await replaced.getByRole('link', { name: 'Lihat versi terbaru' }).click();
    await page
      .getByTestId('verify-document')
      .getByText('Dokumen ini menggantikan versi sebelumnya.')
      .waitFor();
    expect(await page.getByTestId('verify-replaced').count()).toBe(0);
    await page.goto(`${server.url}/verifikasi/00000000-0000-4000-8000-000000000000`);
    await page.getByRole('heading', { name: 'Dokumen tidak dikenal' }).waitFor();
    await page.goto(`${server.url}/verifikasi/bukan-kode`);
    await page.getByRole('heading', { name: 'Dokumen tidak dikenal' }).waitFor();
    await shot(page, 'phone-08-tidak-dikenal');

    // The page speaks English too (the choice is kept for the next visit).
    await page.goto(`${server.url}${letterVerifyPath}`);
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Check a PDF file' }).waitFor();
    await page.getByText('Requesting OPD', { exact: true }).waitFor();
    await context.close();
  });

  it('the administrator changes the place of signing, previews a template and is told of unknown fields', async () => {
    const [context, page] = await newPage(DESKTOP);
    await signIn(page, ADMIN.username, ADMIN.password);
    await page
      .getByRole('navigation', { name: 'Navigasi utama' })
      .getByRole('link', { name: 'Pengaturan Dokumen' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Pengaturan Dokumen' }).waitFor();
    await page.getByTestId('logo-status').getByText('Belum ada logo', { exact: false }).waitFor();
    // The next number is shown live from the pattern.
    const year = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Jakarta', year: 'numeric' }).format();
    await page.getByTestId('number-example').getByText(`500.11/0001/DKISP/${year}`).waitFor();
    await page.getByRole('textbox', { name: 'Kode unit pengolah' }).fill('DKISP.3');
    await page.getByTestId('number-example').getByText(`500.11/0001/DKISP.3/${year}`).waitFor();
    await page.getByRole('textbox', { name: 'Kode unit pengolah' }).fill('DKISP');

    const place = page.getByRole('textbox', { name: 'Tempat penandatanganan' });
    await place.fill('Sukamaju');
    await page.getByText('Ada perubahan yang belum disimpan.').waitFor();
    await page.getByRole('button', { name: 'Simpan pengaturan' }).click();
    await page.getByText('Pengaturan dokumen tersimpan.', { exact: false }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Pengaturan Dokumen' }).waitFor();
    await page.getByTestId('letterhead').getByRole('textbox').first().waitFor();
    expect(await page.getByRole('textbox', { name: 'Tempat penandatanganan' }).inputValue()).toBe('Sukamaju');

    // The approval template with sample values.
    const approve = page.getByTestId('template-approve');
    await approve.getByRole('button', { name: 'Pratinjau templat “Permohonan disetujui”' }).click();
    await approve
      .getByTestId('template-preview')
      .getByText(/Menindaklanjuti surat Dinas Kesehatan Nomor/)
      .waitFor();

    // A field that does not exist: named in red in the preview, and refused next to its template on saving.
    const reject = page.getByTestId('template-reject');
    const rejectText = reject.getByRole('textbox', { name: 'Permohonan ditolak' });
    await rejectText.fill(`${await rejectText.inputValue()}\n\nHormat kami, {{penandatangan}}.`);
    await reject.getByTestId('template-unknown-live').waitFor();
    await reject.getByRole('button', { name: /^Pratinjau/ }).click();
    await reject
      .getByTestId('template-preview-unknown')
      .getByText('Kolom tidak dikenal: {{penandatangan}}')
      .waitFor();
    await shot(page, 'desktop-08-pengaturan-pratinjau');
    await page.getByRole('button', { name: 'Simpan pengaturan' }).click();
    await reject.getByText('Kolom tidak dikenal: {{penandatangan}}', { exact: true }).first().waitFor();
    expect(await rejectText.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('template-approve').locator('[aria-invalid="true"]').count()).toBe(0);
    await shot(page, 'desktop-09-pengaturan-kolom-salah');
    await page.getByRole('button', { name: 'Batalkan perubahan' }).click();
    expect(await rejectText.inputValue()).not.toContain('penandatangan');

    // The letterhead logo: something that is no image is stopped before it is sent; a PNG (the Loket
    // emblem, photographed from the header) is previewed, uploaded, and then named as installed.
    const logo = page.getByTestId('logo');
    await logo.getByLabel('Logo baru').setInputFiles({
      name: 'logo.pdf',
      mimeType: 'application/pdf',
      buffer: onePagePdf(),
    });
    await logo.getByText('Jenis berkas', { exact: false }).waitFor();
    expect(await logo.getByRole('button', { name: 'Unggah logo' }).count()).toBe(0);
    const emblem = await page.locator('header svg').first().screenshot({ omitBackground: true });
    await logo
      .getByLabel('Logo baru')
      .setInputFiles({ name: 'logo-kabupaten.png', mimeType: 'image/png', buffer: emblem });
    await logo.getByRole('img', { name: 'Pratinjau logo yang dipilih' }).waitFor();
    await logo.getByRole('button', { name: 'Unggah logo' }).click();
    await page.getByTestId('logo-status').getByText('Logo terpasang (image/png)').waitFor();
    await shotOf(page, 'letterhead', 'desktop-11-kop-surat-logo');

    // The SOP sheet (with the logo), issued and downloaded.
    await page.getByRole('button', { name: 'Terbitkan Lembar SOP' }).click();
    const sop = page.getByTestId('sop-sheet-issued');
    await sop.getByText(/^Standar Operasional Prosedur/).waitFor();
    const sheet = await downloaded(page, () => sop.getByRole('link', { name: /^Unduh PDF/ }).click());
    expect(sheet.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await shot(page, 'desktop-10-pengaturan-dokumen');
    await context.close();

    const [phoneContext, phone] = await newPage(PHONE);
    await signIn(phone, ADMIN.username, ADMIN.password);
    await phone.goto(`${server.url}/pengaturan-dokumen`);
    await phone.getByRole('heading', { level: 1, name: 'Pengaturan Dokumen' }).waitFor();
    await phone
      .getByTestId('template-approve')
      .getByRole('button', { name: /^Pratinjau/ })
      .click();
    await phone.getByTestId('template-approve').getByTestId('template-preview').waitFor();
    await shot(phone, 'phone-09-pengaturan-dokumen');
    const overflow = Number(await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await phoneContext.close();

    expect(browserProblems).toEqual([]);
  });
});
