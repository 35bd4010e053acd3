/**
 * Browser test: the administrator changes the website SOP's standard times (Waktu Baku SOP) on the real
 * server with a fresh embedded database. Step 2 goes from 3 to 10 minutes with a reason, is confirmed
 * (before → after) and saved as version 2; the SOP sheet of that version downloads as a PDF. The page is
 * photographed on a desktop and a phone into test-results/screens/soptimes-*.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  DESKTOP,
  launchBrowser,
  newPage as newPageIn,
  PHONE,
  SCREENS,
  type Server,
  signIn as signInAt,
  startServer,
  stopAll,
} from './support.ts';

const SAVED =
  'Versi 2 berlaku untuk permohonan baru; permohonan yang sedang berjalan tetap memakai versinya.';

let server: Server;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  ({ server, dataDir } = await startServer('loket-e2e-soptimes-'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await stopAll(browser, server, dataDir);
});

/** Problems the browser reported (script errors, CSP violations): the test fails on any. */
const browserProblems: string[] = [];

function newPage(viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> {
  return newPageIn(browser, viewport, { problems: browserProblems, acceptDownloads: true });
}

/**
 * Lets animations settle, then saves the whole page from the top, or just the screen (while a dialog is
 * open, or to show what sticks to it).
 */
async function shot(page: Page, name: string, screenOnly = false): Promise<void> {
  await page.mouse.move(1, 799);
  await page.waitForTimeout(350);
  const dialogOpen = (await page.getByRole('dialog').count()) > 0;
  const fullPage = !dialogOpen && !screenOnly;
  if (fullPage) await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SCREENS, `soptimes-${name}.png`), fullPage });
}

function signIn(page: Page): Promise<void> {
  return signInAt(page, server.url, ADMIN.username, ADMIN.password);
}

/** Opens Waktu Baku SOP from the Administrasi menu (behind the burger on a phone). */
async function openSopTimes(page: Page): Promise<void> {
  const burger = page.getByRole('button', { name: 'Buka atau tutup menu navigasi' });
  if (await burger.isVisible()) await burger.click();
  await page
    .getByRole('navigation', { name: 'Navigasi utama' })
    .getByRole('link', { name: 'Waktu Baku SOP', exact: true })
    .click();
  await page.waitForURL(`${server.url}/waktu-baku-sop`);
  await page.getByRole('heading', { level: 1, name: 'Waktu Baku SOP' }).waitFor();
  await page.getByTestId('sop-steps').waitFor();
}

describe('Waktu Baku SOP (standard times as SOP versions)', () => {
  it('admin changes step 2 to 10 minutes as version 2 and downloads the SOP sheet (desktop)', async () => {
    const [context, page] = await newPage(DESKTOP);
    await signIn(page);
    await openSopTimes(page);

    const steps = page.getByTestId('sop-steps');
    expect(await page.getByTestId('sop-version').textContent()).toBe('Versi 1');
    // The 11 steps in the SOP's order, under one header row.
    expect(await steps.getByRole('row').count()).toBe(12);
    const rowTwo = steps.getByRole('row').nth(2);
    await rowTwo.getByText('Scanning surat, mengagendakan surat, melengkapi lembar disposisi').waitFor();
    await rowTwo.getByText('Bagian Umum', { exact: true }).waitFor();
    await rowTwo.getByText(/Surat, Buku agenda, Lembar disposisi/).waitFor();
    const minutes = page.getByRole('textbox', { name: 'Waktu baku tahap 2', exact: true });
    expect(await minutes.inputValue()).toBe('3');
    expect(await page.getByRole('combobox', { name: 'Satuan waktu tahap 2' }).inputValue()).toBe('minutes');
    expect(await page.getByRole('combobox', { name: 'Satuan waktu tahap 8' }).inputValue()).toBe(
      'workingDays',
    );
    await page.getByText('Belum ada perubahan.').waitFor();
    await shot(page, 'desktop-01-daftar');

    // Out of the API's range: the problem shows next to its row, nothing is sent.
    await minutes.fill('2000');
    await page.getByRole('button', { name: 'Simpan sebagai versi baru' }).click();
    await rowTwo.getByText('Isi bilangan bulat 1–1440 menit (paling lama 24 jam).').waitFor();
    expect(await rowTwo.getAttribute('data-error')).toBe('true');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await shot(page, 'desktop-02-validasi', true);

    await minutes.fill('10');
    await rowTwo.getByText('Semula 3 menit').waitFor();
    expect(await rowTwo.getAttribute('data-error')).toBeNull();
    await page.getByText('1 tahap diubah').waitFor();
    await page.getByRole('textbox', { name: 'Alasan perubahan' }).fill('Evaluasi SOP 2026');

    // The confirmation lists every change, before → after, and the reason.
    await page.getByRole('button', { name: 'Simpan sebagai versi baru' }).click();
    const confirm = page.getByRole('dialog', { name: 'Simpan sebagai Versi 2?' });
    const changes = confirm.getByTestId('sop-confirm-changes').getByRole('listitem');
    expect(await changes.count()).toBe(1);
    await changes.getByText('3 menit', { exact: true }).waitFor();
    await changes.getByText('10 menit', { exact: true }).waitFor();
    await confirm.getByText('Evaluasi SOP 2026').waitFor();
    await confirm.getByText(/tetap memakai Versi 1/).waitFor();
    await shot(page, 'desktop-03-konfirmasi');

    // A field error from the API (answered here once by the test) lands next to its row.
    const endpoint = `${server.url}/api/services/website/standard-times`;
    await page.route(endpoint, (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'VALIDATION_FAILED',
            message: 'The request body is not valid',
            details: { in: 'body', fields: [{ path: 'times.registrasi', message: 'Invalid input' }] },
          },
        }),
      }),
    );
    await confirm.getByRole('button', { name: 'Simpan sebagai versi baru' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await rowTwo.getByText('Server menolak waktu baku ini.', { exact: false }).waitFor();
    expect(await rowTwo.getAttribute('data-error')).toBe('true');
    await page.unroute(endpoint);

    await page.getByRole('button', { name: 'Simpan sebagai versi baru' }).click();
    await confirm.getByRole('button', { name: 'Simpan sebagai versi baru' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByTestId('sop-saved').getByText(SAVED).waitFor();
    await page.getByTestId('sop-version').getByText('Versi 2', { exact: true }).waitFor();
    expect(await minutes.inputValue()).toBe('10');
    await page.getByText('Belum ada perubahan.').waitFor();
    expect(await page.getByRole('textbox', { name: 'Alasan perubahan' }).inputValue()).toBe('');
    // What the server now holds (a string expression: this file is type-checked without the DOM library).
    const catalogue = JSON.parse(
      String(await page.evaluate('fetch("/api/services").then((r) => r.text())')),
    ) as { key: string; version: number; steps: { key: string; standardTime: unknown }[] }[];
    const website = catalogue.find((s) => s.key === 'website');
    expect(website?.version).toBe(2);
    expect(website?.steps.find((s) => s.key === 'registrasi')?.standardTime).toEqual({ minutes: 10 });
    expect(website?.steps.find((s) => s.key === 'disposisi')?.standardTime).toEqual({ minutes: 2 });
    await shot(page, 'desktop-04-tersimpan');

    // The SOP sheet of the version in force, as a PDF.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Unduh Lembar SOP (PDF)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/i);
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const issued = page.getByText('Lembar SOP Versi 2 diterbitkan dan diunduh.');
    await issued.waitFor();
    await issued.waitFor({ state: 'hidden' });

    // The same page in English.
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'SOP standard times' }).waitFor();
    await page.getByTestId('sop-version').getByText('Version 2', { exact: true }).waitFor();
    await shot(page, 'desktop-05-english');
    await page.getByText('ID', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Waktu Baku SOP' }).waitFor();

    expect(browserProblems).toEqual([]);
    await context.close();
  });

  it('works on a 375px phone: the steps become cards', async () => {
    const [context, page] = await newPage(PHONE);
    await signIn(page);
    await openSopTimes(page);

    const cards = page.getByTestId('sop-steps').getByRole('listitem');
    expect(await cards.count()).toBe(11);
    const analysis = cards.filter({ hasText: 'Analisa kebutuhan informasi' });
    await analysis.getByText('Data kebutuhan informasi', { exact: false }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Waktu baku tahap 7', exact: true }).inputValue()).toBe(
      '3',
    );
    await shot(page, 'phone-01-daftar');

    await page.getByRole('textbox', { name: 'Waktu baku tahap 7', exact: true }).fill('4');
    await analysis.getByText('Semula 3 hari kerja').waitFor();
    // The save bar stays at the bottom of the screen while there are changes.
    const bar = page.getByTestId('sop-actions');
    await bar.getByText('1 tahap diubah').waitFor();
    const barBox = await bar.boundingBox();
    expect((barBox?.y ?? 0) + (barBox?.height ?? 0)).toBeLessThanOrEqual(PHONE.height + 1);
    await shot(page, 'phone-02-diubah', true);
    await page.getByRole('button', { name: 'Simpan sebagai versi baru' }).click();
    const confirm = page.getByRole('dialog', { name: 'Simpan sebagai Versi 3?' });
    await confirm.getByText('4 hari kerja', { exact: true }).waitFor();
    await shot(page, 'phone-03-konfirmasi');
    await confirm.getByRole('button', { name: 'Batal' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Batalkan perubahan' }).click();
    expect(await page.getByRole('textbox', { name: 'Waktu baku tahap 7', exact: true }).inputValue()).toBe(
      '3',
    );

    // Nothing may be wider than the screen.
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);

    expect(browserProblems).toEqual([]);
    await context.close();
  });
});
