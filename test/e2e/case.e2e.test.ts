/**
 * Browser test: one website request walks the whole SOP through the real UI, each step done by the role
 * the SOP names — OPD, Bagian Umum, Kepala DKISP, Kabid, staff — on the real server with a fresh
 * embedded database. The list, the request page with its flowchart and an action form are photographed
 * on a desktop and a phone screen into test-results/screens/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onePagePdf as textPdf, storedZip as zipOf } from '../../src/shared/tiny-files.ts';
import {
  ADMIN,
  apiAs,
  createPeople,
  DESKTOP,
  launchBrowser,
  newPage as newPageIn,
  type Person,
  PHONE,
  type Server,
  shot as shotAt,
  signIn as signInAt,
  signOut,
  startServer,
  stopAll,
} from './support.ts';

const PASSWORD = 'Kata-Sandi-Uji-2026!';
const OPD = { code: 'DISHUB', name: 'Dinas Perhubungan' };
const SUBJECT = 'Permohonan pembuatan website Dinas Perhubungan';

const PEOPLE = {
  opd: { username: 'operator.dishub', fullName: 'Yuni Kartika', roles: ['opd'] },
  umum: { username: 'rina.umum', fullName: 'Rina Wulandari', roles: ['umum'], unit: 'SEKRETARIAT' },
  kepala: { username: 'hendra.kepala', fullName: 'Hendra Gunawan', roles: ['kepala'], unit: 'PIMPINAN' },
  kabid: { username: 'sri.kabid', fullName: 'Sri Rahayu', roles: ['kabid'], unit: 'APTIKA' },
  subkoor: { username: 'agus.subkoor', fullName: 'Agus Salim', roles: ['subkoor'], unit: 'APTIKA' },
  staf: { username: 'dewi.staf', fullName: 'Dewi Lestari', roles: ['staf'], unit: 'APTIKA' },
} satisfies Record<string, Person>;

let server: Server;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  ({ server, dataDir } = await startServer('loket-e2e-case-'));
  // Set-up through the administrator's API session; the walk itself goes through the UI.
  const api = await apiAs(server.url, ADMIN.username, ADMIN.password);
  await createPeople(api, OPD, Object.values(PEOPLE) as Person[], PASSWORD);
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

function shot(page: Page, name: string): Promise<void> {
  return shotAt(page, name, 400);
}

function signIn(page: Page, person: Person): Promise<void> {
  return signInAt(page, server.url, person.username, PASSWORD);
}

/** Opens "Permohonan" from the menu (behind the burger on a phone). */
async function openCases(page: Page): Promise<void> {
  const burger = page.getByRole('button', { name: 'Buka atau tutup menu navigasi' });
  if (await burger.isVisible()) await burger.click();
  await page
    .getByRole('navigation', { name: 'Navigasi utama' })
    .getByRole('link', { name: /^Permohonan/ })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Permohonan' }).waitFor();
}

/** From the inbox ("Menunggu saya") to the request page: the request must be waiting for this user. */
async function openFromInbox(page: Page, ref: string): Promise<void> {
  await openCases(page);
  await page.getByRole('tab', { name: /Menunggu saya/, selected: true }).waitFor();
  await page.getByTestId('cases-list').getByRole('link', { name: ref, exact: true }).first().click();
  await page.getByTestId('case-ref').filter({ hasText: ref }).waitFor();
}

/** The header's current step, e.g. "4." */
async function expectStep(page: Page, no: number): Promise<void> {
  await page
    .locator('.case-header')
    .getByText(new RegExp(`^${no}\\.$`))
    .first()
    .waitFor();
}

/** Submits one action's form and waits until the page shows the request as changed by it. */
async function act(page: Page, action: string, button: string): Promise<void> {
  const header = page.getByTestId('case-header');
  const before = await header.getAttribute('data-version');
  await page.getByTestId(`action-${action}`).getByRole('button', { name: button, exact: true }).click();
  await page.locator(`[data-testid="case-header"]:not([data-version="${before}"])`).waitFor();
}

/** Opens a folded action (when a step offers several) by its title. */
async function unfold(page: Page, title: string): Promise<void> {
  const control = page.getByTestId('case-actions').getByRole('button', { name: title, exact: true });
  if ((await control.getAttribute('aria-expanded')) !== 'true') await control.click();
}

describe('A website request through the SOP, in the browser', () => {
  it('walks from the OPD’s letter to work completed, each step by its role', async () => {
    const [context, page] = await newPage(DESKTOP);
    const [phoneContext, phone] = await newPage(PHONE);

    // 1 — The OPD files the request with its signed letter and sends it.
    await signIn(page, PEOPLE.opd);
    await openCases(page);
    await page.getByRole('tab', { name: 'Semua', selected: true }).waitFor();
    await page.getByText('Belum ada permohonan').waitFor();
    await page.getByRole('link', { name: 'Buat permohonan' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Permohonan baru' }).waitFor();

    // Sending without a letter is stopped next to the field.
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await page.getByText('Unggah surat permohonan yang sudah ditandatangani sebelum mengirim.').waitFor();
    await page.getByText('Wajib diisi.').first().waitFor();

    await page.getByRole('textbox', { name: 'Perihal' }).fill(SUBJECT);
    await page
      .getByRole('textbox', { name: 'Uraian kebutuhan' })
      .fill(
        'Website profil dinas dengan informasi layanan perizinan angkutan, jadwal uji KIR, dan pengaduan.',
      );
    await page.getByRole('textbox', { name: 'Nomor surat' }).fill('500.11/027/DISHUB/2026');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
    await page.getByLabel('Tanggal surat').fill(today);
    // First kept as a draft (without the letter), then completed and sent from the draft.
    await page.getByRole('button', { name: 'Simpan draf' }).click();
    await page.waitForURL(/\/permohonan\/[0-9a-f-]{36}$/);
    await page.locator('.case-header').getByTestId('case-status').filter({ hasText: 'Draf' }).waitFor();
    await page.getByRole('link', { name: 'Ubah' }).click();
    await page.getByRole('heading', { level: 1, name: /^Lengkapi draf WEB-/ }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Perihal' }).inputValue()).toBe(SUBJECT);
    await page.getByLabel('Surat permohonan bertanda tangan').setInputFiles({
      name: 'surat-permohonan-dishub.pdf',
      mimeType: 'application/pdf',
      buffer: textPdf(['DINAS PERHUBUNGAN', 'Nomor: 500.11/027/DISHUB/2026', 'Perihal: Permohonan website']),
    });
    await page.getByTestId('letter-file').getByText('surat-permohonan-dishub.pdf').waitFor();
    await shot(page, 'case-desktop-01-permohonan-baru');
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await page.waitForURL(/\/permohonan\/[0-9a-f-]{36}$/);
    await page.locator('.case-header').getByTestId('case-status').filter({ hasText: 'Berjalan' }).waitFor();
    const caseUrl = page.url();
    const ref = ((await page.getByTestId('case-ref').textContent()) ?? '').trim();
    expect(ref).toMatch(/^WEB-\d{4}-\d{5}$/);
    await expectStep(page, 2);
    await page
      .getByTestId('case-documents')
      .getByRole('link', { name: 'surat-permohonan-dishub.pdf' })
      .first()
      .waitFor();
    await page.getByTestId('case-no-actions').getByText('Bagian Umum').waitFor();
    await signOut(page);

    // 2 — Bagian Umum registers the letter; the menu shows what waits.
    await signIn(page, PEOPLE.umum);
    await page.getByTestId('case-counts').getByText('1', { exact: true }).waitFor();
    await openCases(page);
    await page.getByTestId('cases-list').getByText(SUBJECT).waitFor();
    await page.getByTestId('cases-list').getByTestId('case-due').first().waitFor();
    await shot(page, 'case-desktop-02-daftar-umum');
    await openFromInbox(page, ref);
    await page.getByTestId('sop-flowchart').locator('svg').waitFor();
    // A second window of Bagian Umum holds the same form; whoever sends second is told, and sees the news.
    await signIn(phone, PEOPLE.umum);
    await phone.goto(caseUrl);
    await phone.getByLabel(/Surat sudah dipindai/).check();
    await page.getByLabel(/Surat sudah dipindai/).check();
    await shot(page, 'case-desktop-03-form-agenda');
    await act(page, 'register', 'Agendakan surat dan isi lembar disposisi');
    await expectStep(page, 3);
    await phone
      .getByTestId('action-register')
      .getByRole('button', { name: 'Agendakan surat dan isi lembar disposisi' })
      .click();
    await phone.getByText('Permohonan ini baru saja diubah orang lain', { exact: false }).first().waitFor();
    await expectStep(phone, 3);
    await phone.getByTestId('case-no-actions').waitFor();
    await signOut(phone);
    await page.getByTestId('case-details').getByText('Nomor agenda').waitFor();
    await signOut(page);

    // 3 — Kepala DKISP disposes it to the application division (picked in advance).
    await signIn(page, PEOPLE.kepala);
    await openFromInbox(page, ref);
    const dispose = page.getByTestId('action-dispose');
    expect(
      await dispose.getByRole('combobox', { name: 'Diteruskan kepada (unit kerja)' }).inputValue(),
    ).toContain('Bidang Aplikasi Informatika');
    await dispose
      .getByRole('textbox', { name: 'Catatan disposisi' })
      .fill('Mohon dikaji dan ditindaklanjuti.');
    await act(page, 'dispose', 'Disposisikan ke Bidang Aplikasi Informatika');
    await expectStep(page, 4);
    await page.getByTestId('case-dispositions').getByText('Mohon dikaji dan ditindaklanjuti.').waitFor();
    await signOut(page);

    // 4–5 — Kabid reviews (recommending approval), then decides: approved.
    await signIn(page, PEOPLE.kabid);
    await openFromInbox(page, ref);
    await unfold(page, 'Selesaikan pengkajian');
    const review = page.getByTestId('action-review');
    await review
      .getByRole('textbox', { name: 'Hasil pengkajian' })
      .fill('Kebutuhan jelas; server bersama di NOC cukup. Dapat dilaksanakan.');
    await review.getByRole('radio', { name: 'Setujui' }).check();
    await act(page, 'review', 'Selesaikan pengkajian');
    await expectStep(page, 5);
    const decide = page.getByTestId('action-decide');
    expect(await decide.getByRole('radio', { name: 'Disetujui' }).isChecked()).toBe(true);
    await act(page, 'decide', 'Putuskan permohonan');
    await page.getByTestId('case-decision').getByText('Disetujui', { exact: true }).waitFor();
    await signOut(page);

    // 5 — Bagian Umum sends the follow-up letter (Surat TL) to the OPD.
    await signIn(page, PEOPLE.umum);
    await openFromInbox(page, ref);
    // The outgoing number is given by Loket (tata naskah dinas pattern, running per year).
    await act(page, 'send_letter', 'Kirim Surat Tindak Lanjut ke OPD');
    await expectStep(page, 6);
    await page
      .getByTestId('case-decision')
      .getByText(/500\.11\/\d{4}\/DKISP\/\d{4}/)
      .waitFor();
    await signOut(page);

    // 6 — Kabid starts the work with a team.
    await signIn(page, PEOPLE.kabid);
    await openFromInbox(page, ref);
    const start = page.getByTestId('action-start_work');
    await start.getByRole('combobox', { name: 'Tim pelaksana' }).click();
    await page.getByRole('option', { name: /^Dewi Lestari/ }).click();
    await page.getByRole('option', { name: /^Agus Salim/ }).click();
    await page.keyboard.press('Escape');
    await act(page, 'start_work', 'Mulai pekerjaan');
    await expectStep(page, 7);
    await page.getByTestId('case-team').getByText('Dewi Lestari').waitFor();
    await signOut(page);

    // 7 — Staff write the KAK and complete the analysis.
    await signIn(page, PEOPLE.staf);
    await openFromInbox(page, ref);
    const kak = page.getByTestId('action-save_kak');
    const kakText: Record<string, string> = {
      Tujuan: 'Menyediakan informasi layanan perhubungan yang mudah diakses warga.',
      'Ruang lingkup': 'Profil dinas, layanan, berita, pengaduan.',
      'Struktur konten / menu': 'Beranda; Profil; Layanan; Berita; Kontak.',
      Fitur: 'Jadwal uji KIR, formulir pengaduan, unduhan dokumen.',
      'Pengguna sasaran': 'Warga, pengusaha angkutan.',
      Jadwal: 'Dua minggu kerja.',
      Tim: 'Dewi Lestari, Agus Salim.',
    };
    for (const [label, text] of Object.entries(kakText)) {
      await kak.getByRole('textbox', { name: label, exact: true }).fill(text);
    }
    await act(page, 'save_kak', 'Simpan KAK (versi baru)');
    await page.getByTestId('case-kak').getByText('Versi 1').waitFor();
    await page.getByRole('button', { name: 'Lihat KAK versi 1' }).click();
    await page
      .getByRole('dialog')
      .getByText('Jadwal uji KIR, formulir pengaduan, unduhan dokumen.')
      .waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await unfold(page, 'Selesaikan analisa kebutuhan');
    await act(page, 'complete_analysis', 'Selesaikan analisa kebutuhan');
    await expectStep(page, 8);

    // 8 — The build is handed over with its source archive.
    const build = page.getByTestId('action-complete_build');
    await build.getByRole('textbox', { name: 'Template', exact: true }).fill('Loket Dinas v2');
    await build.getByRole('textbox', { name: 'CMS', exact: true }).fill('WordPress 6');
    await build.getByLabel('Source code website (ZIP atau tar.gz)').setInputFiles({
      name: 'website-dishub.zip',
      mimeType: 'application/zip',
      buffer: zipOf({ 'index.html': '<!doctype html><title>Dinas Perhubungan</title><h1>Dishub</h1>' }),
    });
    await build.getByText('website-dishub.zip').waitFor();
    await act(page, 'complete_build', 'Serahkan hasil pembuatan');
    await expectStep(page, 9);

    // 9 — The installation, with a client-side check of the subdomain first.
    const install = page.getByTestId('action-record_installation');
    await install.getByRole('textbox', { name: 'Server', exact: true }).fill('web-bersama-01 (NOC)');
    await install.getByRole('textbox', { name: 'IP publik' }).fill('203.0.113.25');
    await install.getByRole('textbox', { name: 'Subdomain' }).fill('Dishub!');
    await install
      .getByRole('textbox', { name: 'Konfigurasi jaringan' })
      .fill('VLAN 20, NAT 1:1, port 80/443');
    await install
      .getByRole('textbox', { name: 'Alamat (URL) website' })
      .fill('https://dishub.example-kab.go.id');
    await install.getByRole('button', { name: 'Catat instalasi', exact: true }).click();
    await install.getByText('Centang untuk menyatakan ini benar.').waitFor();
    await install.getByText('Format tidak sesuai.').waitFor();
    await shot(page, 'case-desktop-04-form-instalasi');

    // The same form on a phone.
    await signIn(phone, PEOPLE.staf);
    await phone.goto(caseUrl);
    await phone.getByTestId('action-record_installation').waitFor();
    await shot(phone, 'case-phone-03-form-instalasi');
    await openCases(phone);
    await phone.getByTestId('cases-list').getByText(SUBJECT).waitFor();
    await shot(phone, 'case-phone-01-daftar');
    await signOut(phone);

    await install.getByRole('textbox', { name: 'Subdomain' }).fill('dishub');
    await install.getByLabel('Website sudah dapat diakses di alamat tersebut').check();
    await act(page, 'record_installation', 'Catat instalasi');
    await expectStep(page, 10);

    // 10 — The report.
    await page
      .getByTestId('action-report')
      .getByRole('textbox', { name: 'Ringkasan pelaksanaan' })
      .fill('Website terpasang di https://dishub.example-kab.go.id dan sudah diuji bersama OPD.');
    await act(page, 'report', 'Laporkan pelaksanaan');
    await expectStep(page, 11);
    await signOut(page);

    // 11 — Kabid closes the request, after confirming.
    await signIn(page, PEOPLE.kabid);
    await openFromInbox(page, ref);
    await page
      .getByTestId('action-close')
      .getByRole('button', { name: 'Tutup permohonan (pekerjaan selesai)', exact: true })
      .click();
    await page
      .getByRole('dialog', { name: 'Lanjutkan tindakan ini?' })
      .getByRole('button', { name: 'Ya, lanjutkan' })
      .click();
    await page.getByTestId('case-no-actions').waitFor();
    await page.locator('.case-header').getByTestId('case-status').filter({ hasText: 'Selesai' }).waitFor();
    await signOut(page);

    // The OPD sees its request done, every step on the timeline, the whole flowchart passed.
    await signIn(page, PEOPLE.opd);
    await openCases(page);
    await page.getByRole('tab', { name: 'Semua', selected: true }).waitFor();
    const row = page.getByTestId('cases-list').getByRole('row').filter({ hasText: ref });
    await row.getByText('Selesai', { exact: true }).waitFor();
    await shot(page, 'case-desktop-05-daftar-opd');
    await row.getByRole('link', { name: ref }).click();
    await page.locator('.case-header').getByTestId('case-status').filter({ hasText: 'Selesai' }).waitFor();
    await page.getByTestId('case-no-actions').waitFor();
    const flowchart = page.getByTestId('sop-flowchart');
    await flowchart.locator('svg').waitFor();
    expect(await page.getByTestId('case-steps').getByRole('row').count()).toBe(12); // header + 11 steps
    await page.getByTestId('case-history').getByText('Permohonan ditutup').waitFor();
    await shot(page, 'case-desktop-06-permohonan-selesai');

    // The OPD was told along the way: the bell lists the news and leads to the request.
    const bell = page.getByTestId('notification-bell');
    if (await bell.isVisible()) {
      await bell.click();
      const list = page.getByRole('list', { name: 'Notifikasi' });
      await list.getByRole('listitem').first().waitFor();
      await shot(page, 'case-desktop-07-notifikasi');
      await page.goto(`${server.url}/`);
      await bell.click();
      await list.getByRole('listitem').first().click();
      await page.waitForURL(caseUrl);
    }

    // The same request page on a phone, with nothing wider than the screen but the scrollable chart.
    await signIn(phone, PEOPLE.opd);
    await phone.goto(caseUrl);
    await phone.getByTestId('sop-flowchart').locator('svg').waitFor();
    await shot(phone, 'case-phone-02-permohonan-selesai');
    const overflow = Number(await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);

    expect(browserProblems).toEqual([]);
    await phoneContext.close();
    await context.close();
  }, 300_000);
});
