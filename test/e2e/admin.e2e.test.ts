/**
 * Browser test: the real server (fresh embedded database) and the built SPA, driven by Chromium.
 *
 * An administrator signs in, creates an OPD and an OPD user for it, and signs out; that user then signs in
 * and sees only Beranda and its requests. Along the way every page is photographed on a desktop and a phone screen into
 * test-results/screens/ so a person can look at them.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './axe.ts';
import {
  ADMIN,
  DESKTOP,
  launchBrowser,
  newPage as newPageIn,
  PHONE,
  type Server,
  shot,
  signIn as signInAt,
  signOut as signOutOf,
  startServer,
  stopAll,
} from './support.ts';

const OPD = { code: 'DINKES', name: 'Dinas Kesehatan' };
const OPD_USER = { username: 'operator.dinkes', fullName: 'Rina Marlina' };

let server: Server;
let browser: Browser;
let dataDir: string;
/** Set by the desktop test (the administrator generates it in the form), used by the phone test. */
let opdUserPassword = '';

beforeAll(async () => {
  ({ server, dataDir } = await startServer('loket-e2e-', { quiet: false }));
  browser = await launchBrowser();
});

afterAll(async () => {
  await stopAll(browser, server, dataDir);
});

function newPage(viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> {
  return newPageIn(browser, viewport);
}

function signIn(page: Page, username: string, password: string): Promise<void> {
  return signInAt(page, server.url, username, password);
}

async function signOut(page: Page): Promise<void> {
  await signOutOf(page);
  await page.getByRole('heading', { name: 'Masuk ke Loket' }).waitFor();
}

function navigation(page: Page) {
  return page.getByRole('navigation', { name: 'Navigasi utama' });
}

/** On a phone the menu hides behind the burger button. */
async function openMenu(page: Page, target: string): Promise<void> {
  const burger = page.getByRole('button', { name: 'Buka atau tutup menu navigasi' });
  if (await burger.isVisible()) await burger.click();
  await navigation(page).getByRole('link', { name: target, exact: true }).click();
}

describe('Loket in the browser', () => {
  it('admin creates an OPD and its user; that user sees only Beranda, Permohonan, Katalog Layanan and Website Kami (desktop)', async () => {
    const [context, page] = await newPage(DESKTOP);

    // Anyone who is not signed in lands on the sign-in page.
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/masuk/);
    await page.getByRole('heading', { name: 'Masuk ke Loket' }).waitFor();
    await shot(page, 'desktop-01-masuk');

    // A wrong password gives a clear message and does not say which part was wrong.
    await page.getByLabel('Nama pengguna', { exact: true }).fill(ADMIN.username);
    await page.getByLabel('Kata sandi', { exact: true }).fill('bukan-kata-sandinya');
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Nama pengguna atau kata sandi salah.' }).waitFor();
    await shot(page, 'desktop-02-masuk-salah');

    await signIn(page, ADMIN.username, ADMIN.password);
    for (const item of ['Beranda', 'Pengguna', 'OPD', 'Unit Kerja', 'Hari Libur', 'Log Audit']) {
      await navigation(page).getByRole('link', { name: item, exact: true }).waitFor();
    }
    await navigation(page)
      .getByRole('link', { name: /^Permohonan/ })
      .waitFor();
    await page.getByText('Tidak ada yang menunggu Anda').waitFor();
    await shot(page, 'desktop-03-beranda-admin');
    await expectAccessible(page, 'desktop: home (administrator)');

    // The change-password form is reachable from the user menu.
    await page.getByRole('button', { name: 'Menu pengguna' }).click();
    await page.getByRole('menuitem', { name: 'Ubah kata sandi' }).click();
    await page.getByRole('dialog', { name: 'Ubah kata sandi' }).waitFor();
    await shot(page, 'desktop-04-ubah-kata-sandi');
    await page.getByRole('dialog').getByRole('button', { name: 'Batal' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    // OPD: the empty list explains the CSV format; then an OPD is added by hand.
    await openMenu(page, 'OPD');
    await page.getByRole('heading', { level: 1, name: 'OPD' }).waitFor();
    await page.getByTestId('csv-example').waitFor();
    await shot(page, 'desktop-05-opd-kosong');

    await page.getByRole('button', { name: 'Tambah OPD' }).first().click();
    const opdDialog = page.getByRole('dialog', { name: 'Tambah OPD' });
    await opdDialog.getByRole('button', { name: 'Simpan' }).click();
    await opdDialog.getByText('Wajib diisi.').first().waitFor();
    await shot(page, 'desktop-06-opd-validasi');
    await opdDialog.getByRole('textbox', { name: 'Kode' }).fill(OPD.code);
    await opdDialog.getByRole('textbox', { name: 'Nama' }).fill(OPD.name);
    await opdDialog.getByRole('button', { name: 'Simpan' }).click();
    await opdDialog.waitFor({ state: 'hidden' });
    const opdList = page.getByTestId('opds-list');
    await opdList.getByText(OPD.code, { exact: true }).waitFor();
    await opdList.getByText(OPD.name, { exact: true }).waitFor();
    await shot(page, 'desktop-07-opd');

    // CSV import: the dry run shows every row; a bad row blocks the import.
    await page.getByRole('button', { name: 'Impor CSV' }).first().click();
    const importDialog = page.getByRole('dialog', { name: 'Impor OPD dari CSV' });
    await importDialog.locator('input[type="file"]').setInputFiles({
      name: 'opd.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'code,name,active\nDISDIK,Dinas Pendidikan dan Kebudayaan,true\nkode salah,X,true\nBAPPEDA,Badan Perencanaan Pembangunan Daerah,false\n',
      ),
    });
    await importDialog.getByTestId('import-preview').waitFor();
    expect(await importDialog.getByRole('button', { name: 'Impor', exact: true }).isDisabled()).toBe(true);
    await shot(page, 'desktop-08-impor-pratinjau-salah');
    await importDialog.locator('input[type="file"]').setInputFiles({
      name: 'opd.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'code,name,active\nDISDIK,Dinas Pendidikan dan Kebudayaan,true\nBAPPEDA,Badan Perencanaan Pembangunan Daerah,false\n',
      ),
    });
    await importDialog
      .getByRole('button', { name: 'Impor', exact: true })
      .and(page.locator(':enabled'))
      .waitFor();
    await shot(page, 'desktop-09-impor-pratinjau');
    await importDialog.getByRole('button', { name: 'Impor', exact: true }).click();
    await importDialog.waitFor({ state: 'hidden' });
    await opdList.getByText('DISDIK', { exact: true }).waitFor();
    await shot(page, 'desktop-10-opd-setelah-impor');

    // Work units and the audit log.
    await openMenu(page, 'Unit Kerja');
    await page.getByRole('heading', { level: 1, name: 'Unit Kerja' }).waitFor();
    await shot(page, 'desktop-11-unit-kerja');

    // Users: inline validation, then an OPD user with a generated password.
    await openMenu(page, 'Pengguna');
    await page.getByRole('heading', { level: 1, name: 'Pengguna' }).waitFor();
    await page.getByTestId('users-list').getByText(`@${ADMIN.username}`).waitFor();
    await shot(page, 'desktop-12-pengguna');

    await page.getByRole('button', { name: 'Tambah pengguna' }).first().click();
    const userDialog = page.getByRole('dialog', { name: 'Tambah pengguna' });
    await userDialog.getByRole('textbox', { name: 'Nama pengguna' }).fill('x');
    await userDialog.getByRole('textbox', { name: 'NIP' }).fill('123');
    await userDialog.getByRole('button', { name: 'Simpan' }).click();
    await userDialog.getByText('NIP terdiri dari 18 digit angka.').waitFor();
    await userDialog.getByText('Pilih setidaknya satu peran.').waitFor();
    await shot(page, 'desktop-13-pengguna-validasi');

    await userDialog.getByRole('textbox', { name: 'Nama pengguna' }).fill(OPD_USER.username);
    await userDialog.getByRole('textbox', { name: 'Nama lengkap' }).fill(OPD_USER.fullName);
    await userDialog.getByRole('textbox', { name: 'NIP' }).fill('');
    await userDialog.getByRole('textbox', { name: 'Email' }).fill('rina@dinkes.example.go.id');
    await userDialog.getByRole('combobox', { name: 'Peran' }).click();
    await page.getByRole('option', { name: 'OPD (Pemohon)' }).click();
    await page.keyboard.press('Escape');
    await userDialog.getByRole('combobox', { name: 'OPD' }).click();
    await page.getByRole('option', { name: `${OPD.name} (${OPD.code})` }).click();
    await userDialog.getByRole('button', { name: 'Buat kata sandi' }).click();
    opdUserPassword = await userDialog
      .getByRole('textbox', { name: 'Kata sandi awal', exact: true })
      .inputValue();
    expect(opdUserPassword).toMatch(/^\S{16}$/);
    await shot(page, 'desktop-14-pengguna-baru');
    await userDialog.getByRole('button', { name: 'Simpan' }).click();
    await userDialog.waitFor({ state: 'hidden' });
    const usersList = page.getByTestId('users-list');
    await usersList.getByText(`@${OPD_USER.username}`).waitFor();
    await usersList.getByText(OPD.name, { exact: true }).waitFor();
    await shot(page, 'desktop-15-pengguna-tersimpan');

    await openMenu(page, 'Log Audit');
    await page.getByRole('heading', { level: 1, name: 'Log Audit' }).waitFor();
    await page.getByRole('button', { name: 'Tampilkan rincian' }).first().click();
    await page.getByTestId('audit-details').first().waitFor();
    await shot(page, 'desktop-16-log-audit');
    await expectAccessible(page, 'desktop: audit log');

    await signOut(page);

    // The OPD user sees Beranda, its requests, the service catalogue and its own websites, nothing of
    // the administration.
    await signIn(page, OPD_USER.username, opdUserPassword);
    await navigation(page).getByRole('link', { name: 'Beranda', exact: true }).waitFor();
    await navigation(page)
      .getByRole('link', { name: /^Permohonan/ })
      .waitFor();
    await navigation(page).getByRole('link', { name: 'Katalog Layanan', exact: true }).waitFor();
    await navigation(page).getByRole('link', { name: 'Website Kami', exact: true }).waitFor();
    expect(await navigation(page).getByRole('link').count()).toBe(4);
    for (const item of [
      'Pengguna',
      'OPD',
      'Unit Kerja',
      'Hari Libur',
      'Log Audit',
      'Server',
      'Pool IP Publik',
      'Desainer SOP',
    ]) {
      expect(await page.getByRole('link', { name: item, exact: true }).count()).toBe(0);
    }
    await page.getByText('OPD (Pemohon)', { exact: true }).first().waitFor();
    await page.getByText(OPD.name).first().waitFor();
    await shot(page, 'desktop-17-beranda-opd');

    // Typing an admin address by hand explains instead of showing the page.
    await page.goto(`${server.url}/pengguna`);
    await page.getByText('Akses ditolak').waitFor();
    await shot(page, 'desktop-18-akses-ditolak');

    await page.goto(`${server.url}/`);
    await signOut(page);
    await context.close();
  });

  it('works on a 375px phone', async () => {
    expect(opdUserPassword, 'the desktop test creates the OPD user').not.toBe('');
    const [context, page] = await newPage(PHONE);

    await page.goto(`${server.url}/masuk`);
    await page.getByRole('heading', { name: 'Masuk ke Loket' }).waitFor();
    await shot(page, 'phone-01-masuk');

    await signIn(page, ADMIN.username, ADMIN.password);
    await shot(page, 'phone-02-beranda-admin');

    await page.getByRole('button', { name: 'Buka atau tutup menu navigasi' }).click();
    await navigation(page).getByRole('link', { name: 'Log Audit', exact: true }).waitFor();
    await shot(page, 'phone-03-menu');
    await expectAccessible(page, 'phone: navigation open');

    await navigation(page).getByRole('link', { name: 'Pengguna', exact: true }).click();
    await page.getByTestId('users-list').getByText(`@${OPD_USER.username}`).waitFor();
    await shot(page, 'phone-04-pengguna');

    await page.getByRole('button', { name: 'Tambah pengguna' }).first().click();
    await page.getByRole('dialog', { name: 'Tambah pengguna' }).waitFor();
    await shot(page, 'phone-05-pengguna-baru');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    await openMenu(page, 'OPD');
    await page.getByTestId('opds-list').getByText(OPD.name, { exact: true }).waitFor();
    await shot(page, 'phone-06-opd');

    await page.getByRole('button', { name: 'Impor CSV' }).first().click();
    await page.getByRole('dialog', { name: 'Impor OPD dari CSV' }).waitFor();
    await shot(page, 'phone-07-impor');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    await openMenu(page, 'Unit Kerja');
    await page.getByRole('heading', { level: 1, name: 'Unit Kerja' }).waitFor();
    await shot(page, 'phone-08-unit-kerja');

    await openMenu(page, 'Log Audit');
    await page.getByRole('button', { name: 'Tampilkan rincian' }).first().click();
    await page.getByTestId('audit-details').first().waitFor();
    await shot(page, 'phone-09-log-audit');

    // Nothing may be wider than the screen.
    // (A string expression: this file is type-checked without the DOM library.)
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);

    await signOut(page);
    await signIn(page, OPD_USER.username, opdUserPassword);
    await shot(page, 'phone-10-beranda-opd');
    await signOut(page);
    await context.close();
  });
});
