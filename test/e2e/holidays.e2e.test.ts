/**
 * Browser test: the administrator keeps the working-time calendar (Hari Libur) on the real server with a
 * fresh embedded database, which ships the SKB 3 Menteri holidays of 2025–2026 and estimates for 2027.
 * The admin sees 2026's holidays, adds a regional holiday (first on a date that is taken), edits it and
 * deletes it; the pages are photographed on a desktop and a phone into test-results/screens/holidays-*.
 */
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

/** The page opens on the current year (in Jakarta); 2026 is the year the test looks at. */
const THIS_YEAR = Number(
  new Intl.DateTimeFormat('en', { timeZone: 'Asia/Jakarta', year: 'numeric' }).format(),
);

let server: Server;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  ({ server, dataDir } = await startServer('loket-e2e-holidays-'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await stopAll(browser, server, dataDir);
});

/** Problems the browser reported (script errors, CSP violations): the test fails on any. */
const browserProblems: string[] = [];

function newPage(viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> {
  return newPageIn(browser, viewport, { problems: browserProblems });
}

/**
 * Waits for animations (dialogs, notifications) to settle, then saves a screenshot: the whole page, or
 * just the screen while a dialog is open (its backdrop covers only the screen).
 */
async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(1, 799);
  await page.waitForTimeout(350);
  const dialogOpen = (await page.getByRole('dialog').count()) > 0;
  await page.screenshot({ path: join(SCREENS, `holidays-${name}.png`), fullPage: !dialogOpen });
}

function signIn(page: Page): Promise<void> {
  return signInAt(page, server.url, ADMIN.username, ADMIN.password);
}

/** Opens Hari Libur from the menu (behind the burger on a phone) and shows 2026. */
async function openHolidays(page: Page): Promise<void> {
  const burger = page.getByRole('button', { name: 'Buka atau tutup menu navigasi' });
  if (await burger.isVisible()) await burger.click();
  await page
    .getByRole('navigation', { name: 'Navigasi utama' })
    .getByRole('link', { name: 'Hari Libur', exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Hari Libur' }).waitFor();
  const yearPicker = page.getByRole('combobox', { name: 'Tahun', exact: true });
  expect(await yearPicker.inputValue()).toBe(String(THIS_YEAR));
  if (THIS_YEAR !== 2026) await page.goto(`${server.url}/hari-libur?tahun=2026`);
  await page.getByTestId('holidays-list').waitFor();
}

describe('Hari Libur (working-time calendar)', () => {
  it('admin sees 2026, adds, edits and deletes a regional holiday (desktop)', async () => {
    const [context, page] = await newPage(DESKTOP);
    await signIn(page);
    await openHolidays(page);

    await page.getByText('Hari libur tidak dihitung dalam waktu standar SOP').waitFor();
    const list = page.getByTestId('holidays-list');
    const independence = list.getByRole('row').filter({ hasText: 'Proklamasi Kemerdekaan' });
    await independence.getByText('17 Agustus 2026', { exact: true }).waitFor();
    await independence.getByText('Senin', { exact: true }).waitFor();
    await independence.getByText('Libur nasional', { exact: true }).waitFor();
    await list
      .getByRole('row')
      .filter({ hasText: 'Cuti bersama Idul Fitri' })
      .first()
      .getByText('Cuti bersama', { exact: true })
      .waitFor();
    // 17 national holidays and 8 cuti bersama, under one header row.
    expect(await list.getByRole('row').count()).toBe(26);
    await page.getByText(/^25 hari libur di tahun 2026/).waitFor();
    expect(await page.getByTestId('holidays-estimates').count()).toBe(0);
    await shot(page, 'desktop-01-daftar-2026');

    // Adding: the client's checks first, then the server's objection next to the date field.
    await page.getByRole('button', { name: 'Tambah hari libur' }).first().click();
    const addDialog = page.getByRole('dialog', { name: 'Tambah hari libur' });
    await addDialog.getByRole('button', { name: 'Simpan' }).click();
    expect(await addDialog.getByText('Wajib diisi.').count()).toBe(2);
    await addDialog.getByText('Pilih jenis hari libur.').waitFor();
    await shot(page, 'desktop-02-validasi');

    const dateInput = addDialog.getByLabel('Tanggal');
    await dateInput.fill('2026-08-17');
    await addDialog.getByRole('textbox', { name: 'Nama' }).fill('Hari Jadi Kabupaten');
    await addDialog.getByRole('radio', { name: 'Libur daerah' }).check();
    await addDialog.getByRole('button', { name: 'Simpan' }).click();
    await addDialog.getByText('Sudah ada hari libur pada tanggal ini: Proklamasi Kemerdekaan.').waitFor();
    expect(await dateInput.getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'desktop-03-tanggal-terpakai');

    await dateInput.fill('2026-07-01');
    await addDialog.getByText('Rabu: hari kerja ini menjadi hari libur.').waitFor();
    await addDialog.getByRole('button', { name: 'Simpan' }).click();
    await addDialog.waitFor({ state: 'hidden' });
    await page.getByText('Hari Jadi Kabupaten ditambahkan ke kalender.').waitFor();
    const added = list.getByRole('row').filter({ hasText: 'Hari Jadi Kabupaten' });
    await added.getByText('1 Juli 2026', { exact: true }).waitFor();
    await added.getByText('Rabu', { exact: true }).waitFor();
    await added.getByText('Libur daerah', { exact: true }).waitFor();
    expect(await list.getByRole('row').count()).toBe(27);
    await shot(page, 'desktop-04-ditambahkan');

    // Editing: rename and move it a day.
    await list.getByRole('button', { name: 'Ubah Hari Jadi Kabupaten' }).click();
    const editDialog = page.getByRole('dialog', { name: 'Ubah hari libur' });
    expect(await editDialog.getByLabel('Tanggal').inputValue()).toBe('2026-07-01');
    await editDialog.getByRole('textbox', { name: 'Nama' }).fill('Hari Jadi Kabupaten ke-75');
    await editDialog.getByLabel('Tanggal').fill('2026-07-02');
    await shot(page, 'desktop-05-ubah');
    await editDialog.getByRole('button', { name: 'Simpan' }).click();
    await editDialog.waitFor({ state: 'hidden' });
    const edited = list.getByRole('row').filter({ hasText: 'Hari Jadi Kabupaten ke-75' });
    await edited.getByText('2 Juli 2026', { exact: true }).waitFor();
    await edited.getByText('Kamis', { exact: true }).waitFor();
    expect(await list.getByText('1 Juli 2026', { exact: true }).count()).toBe(0);

    // Deleting asks first.
    await list.getByRole('button', { name: 'Hapus Hari Jadi Kabupaten ke-75' }).click();
    const confirm = page.getByRole('dialog', { name: 'Hapus hari libur?' });
    await confirm.getByText(/Kamis, 2 Juli 2026/).waitFor();
    await shot(page, 'desktop-06-hapus');
    await confirm.getByRole('button', { name: 'Hapus', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByText('Hari Jadi Kabupaten ke-75 dihapus dari kalender.').waitFor();
    await edited.waitFor({ state: 'detached' });
    expect(await list.getByRole('row').count()).toBe(26);

    // 2027: the shipped dates are estimates until the SKB is published.
    await page.getByRole('button', { name: 'Tahun berikutnya' }).click();
    await page.waitForURL(/tahun=2027/);
    await page.getByTestId('holidays-estimates').waitFor();
    await list.getByText('Perkiraan', { exact: true }).first().waitFor();
    await list.getByRole('row').filter({ hasText: 'Proklamasi Kemerdekaan' }).getByText('Selasa').waitFor();
    await shot(page, 'desktop-07-2027-perkiraan');

    // Editing an estimate says how to confirm it.
    await list.getByRole('button', { name: 'Ubah Isra Mikraj Nabi Muhammad SAW' }).click();
    const estimateDialog = page.getByRole('dialog', { name: 'Ubah hari libur' });
    expect(await estimateDialog.getByRole('textbox', { name: 'Nama' }).inputValue()).toBe(
      'Isra Mikraj Nabi Muhammad SAW (perkiraan)',
    );
    await estimateDialog.getByText(/dari nama setelah tanggalnya dicocokkan/).waitFor();
    await shot(page, 'desktop-08-ubah-perkiraan');
    await page.keyboard.press('Escape');
    await estimateDialog.waitFor({ state: 'hidden' });

    // A year without holidays explains what to do.
    await page.goto(`${server.url}/hari-libur?tahun=2030`);
    await page.getByText('Belum ada hari libur di tahun 2030').waitFor();
    await page.getByTestId('holidays-empty').getByRole('button', { name: 'Tambah hari libur' }).waitFor();
    await shot(page, 'desktop-09-tahun-kosong');

    // The same page in English.
    await page.goto(`${server.url}/hari-libur?tahun=2027`);
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Holidays' }).waitFor();
    await page.getByText('Holidays do not count toward SOP standard times').waitFor();
    await shot(page, 'desktop-10-english');

    expect(browserProblems).toEqual([]);
    await context.close();
  });

  it('works on a 375px phone', async () => {
    const [context, page] = await newPage(PHONE);
    await signIn(page);
    await openHolidays(page);

    const list = page.getByTestId('holidays-list');
    const card = list.getByRole('listitem').filter({ hasText: 'Proklamasi Kemerdekaan' });
    await card.getByText('Senin, 17 Agustus', { exact: true }).waitFor();
    await card.getByText('Libur nasional', { exact: true }).waitFor();
    await shot(page, 'phone-01-daftar-2026');

    await card.getByRole('button', { name: 'Ubah Proklamasi Kemerdekaan' }).click();
    await page.getByRole('dialog', { name: 'Ubah hari libur' }).waitFor();
    await shot(page, 'phone-02-ubah');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    await card.getByRole('button', { name: 'Hapus Proklamasi Kemerdekaan' }).click();
    await page.getByRole('dialog', { name: 'Hapus hari libur?' }).waitFor();
    await shot(page, 'phone-03-hapus');
    await page.getByRole('dialog').getByRole('button', { name: 'Batal' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Tahun berikutnya' }).click();
    await page.getByTestId('holidays-estimates').waitFor();
    await shot(page, 'phone-04-2027-perkiraan');

    // Nothing may be wider than the screen.
    // (A string expression: this file is type-checked without the DOM library.)
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);

    expect(browserProblems).toEqual([]);
    await context.close();
  });
});
