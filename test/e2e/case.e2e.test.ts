/**
 * Browser test: one website request walks the whole SOP through the real UI, each step done by the role
 * the SOP names — OPD, Bagian Umum, Kepala DKISP, Kabid, staff — on the real server with a fresh
 * embedded database, with the registry (zone, web server, IP pool, the OPD's existing website) set up
 * through the API first: the OPD asks for an address (a taken one is refused while typing), the
 * installation picks the server and the pool, and the website goes live in the registry. A second request
 * updates the OPD's existing website, picked from its list. The list, the request page with its flowchart
 * and the forms are photographed on a desktop and a 390 px phone screen into test-results/screens/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onePagePdf as textPdf, storedZip as zipOf } from '../../src/shared/tiny-files.ts';
import { expectAccessible } from './axe.ts';
import {
  ADMIN,
  apiAs,
  appNow,
  appToday,
  type Call,
  createPeople,
  DESKTOP,
  launchBrowser,
  newPage as newPageIn,
  type Person,
  type Server,
  shot as shotAt,
  signIn as signInAt,
  signOut,
  startServer,
  stopAll,
} from './support.ts';

const PASSWORD = 'Kata-Sandi-Uji-2026!';
const OPD = { code: 'DISHUB', name: 'Dinas Perhubungan' };
const SUBJECT = 'Permohonan pembuatan website layanan Dinas Perhubungan';
const UPDATE_SUBJECT = 'Permohonan pembaruan website Dinas Perhubungan';
/** A phone as wide as the common 6.1-inch ones. */
const PHONE = { width: 390, height: 844 };
const ZONE = 'example-kab.go.id';
/** The OPD's website already live in the registry (the update request is about it). */
const EXISTING = `dishub.${ZONE}`;
/** The address the new request asks for. */
const REQUESTED = `dishub-layanan.${ZONE}`;

const PEOPLE = {
  opd: { username: 'operator.dishub', fullName: 'Yuni Kartika', roles: ['opd'] },
  /** An OPD with no website in the registry yet. */
  opd2: { username: 'operator.disperkim', fullName: 'Bayu Pratama', roles: ['opd'] },
  umum: { username: 'rina.umum', fullName: 'Rina Wulandari', roles: ['umum'], unit: 'SEKRETARIAT' },
  kepala: { username: 'hendra.kepala', fullName: 'Hendra Gunawan', roles: ['kepala'], unit: 'PIMPINAN' },
  kabid: { username: 'sri.kabid', fullName: 'Sri Rahayu', roles: ['kabid'], unit: 'APTIKA' },
  subkoor: { username: 'agus.subkoor', fullName: 'Agus Salim', roles: ['subkoor'], unit: 'APTIKA' },
  staf: { username: 'dewi.staf', fullName: 'Dewi Lestari', roles: ['staf'], unit: 'APTIKA' },
} satisfies Record<string, Person>;

let server: Server;
let browser: Browser;
let dataDir: string;
let admin: Call;
/** What the set-up put into the registry. */
const reg = { websiteId: '', poolId: '' };

beforeAll(async () => {
  ({ server, dataDir } = await startServer('loket-e2e-case-'));
  // Set-up through the administrator's API session; the walk itself goes through the UI.
  admin = await apiAs(server.url, ADMIN.username, ADMIN.password);
  const { opd } = await createPeople(
    admin,
    OPD,
    Object.values(PEOPLE).filter((person) => person !== PEOPLE.opd2) as Person[],
    PASSWORD,
  );
  // A second OPD and its operator: no website of its own.
  const opd2 = (await admin('POST', '/api/opds', { code: 'DISPERKIM', name: 'Dinas Perumahan' })) as {
    id: string;
  };
  await admin('POST', '/api/users', { ...PEOPLE.opd2, password: PASSWORD, opdId: opd2.id });
  // The registry: the zone DKISP manages, a shared web server, a public address block, and the OPD's
  // website that is live already.
  await admin('POST', '/api/registry/zones', { name: ZONE });
  const web = (await admin('POST', '/api/registry/servers', {
    name: 'web-01',
    kind: 'shared',
    location: 'noc',
    roles: ['web'],
  })) as { id: string };
  reg.poolId = (
    (await admin('POST', '/api/registry/pools', {
      name: 'NOC',
      cidr: '203.0.113.0/24',
      gateway: '203.0.113.1',
    })) as { id: string }
  ).id;
  reg.websiteId = (
    (await admin('POST', '/api/registry/websites', {
      opdId: opd.id,
      purpose: 'Website resmi Dinas Perhubungan',
      hostname: EXISTING,
      serverId: web.id,
      ipAddress: '203.0.113.10',
      status: 'active',
    })) as { id: string }
  ).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await stopAll(browser, server, dataDir);
});

/** Problems the browser reported (script errors, CSP violations): the test fails on any. */
const browserProblems: string[] = [];

function newPage(viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> {
  return newPageIn(browser, viewport, { problems: browserProblems, fixTime: true });
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
    await expectAccessible(page, 'desktop: home (OPD)');
    await openCases(page);
    await page.getByRole('tab', { name: 'Semua', selected: true }).waitFor();
    await page.getByText('Belum ada permohonan').waitFor();
    await page.getByRole('link', { name: 'Buat permohonan' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Permohonan baru' }).waitFor();

    // Sending without a letter is stopped next to the field.
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await page.getByText('Unggah surat permohonan yang sudah ditandatangani sebelum mengirim.').waitFor();
    await page.getByText('Wajib diisi.').first().waitFor();

    // The address asked for: the zone is filled in (it is the only one); a taken name is refused while
    // typing, with the reason next to the field, and sending is stopped until it is changed.
    const requested = page.getByTestId('requested-hostname');
    await expect.poll(() => requested.getByLabel('Zona').inputValue(), { timeout: 15_000 }).toBe(ZONE);
    await requested.getByLabel('Nama depan (subdomain)').fill('dishub');
    const nameCheck = page.getByTestId('requested-hostname-check');
    await nameCheck
      .filter({ hasText: `${EXISTING} tidak tersedia: sudah dipakai atau dicadangkan.` })
      .waitFor();
    await page.getByRole('textbox', { name: 'Perihal' }).fill(SUBJECT);
    await page
      .getByRole('textbox', { name: 'Uraian kebutuhan' })
      .fill(
        'Website profil dinas dengan informasi layanan perizinan angkutan, jadwal uji KIR, dan pengaduan.',
      );
    await page.getByRole('textbox', { name: 'Nomor surat' }).fill('500.11/027/DISHUB/2026');
    const today = appToday();
    await page.getByLabel('Tanggal surat').fill(today);
    // The sticky header stays on top of a full-page picture taken while scrolled.
    await page.evaluate('document.activeElement.blur(); window.scrollTo(0, 0)');
    await shot(page, 'case-desktop-01a-nama-tidak-tersedia');
    await page.getByRole('button', { name: 'Simpan draf' }).click();
    await requested.getByText('sudah dipakai atau dicadangkan.', { exact: false }).waitFor();
    expect(page.url()).toMatch(/\/permohonan\/baru$/);
    // A whole name typed into the first box goes into its two parts.
    await requested.getByLabel('Nama depan (subdomain)').fill(REQUESTED);
    expect(await requested.getByLabel('Nama depan (subdomain)').inputValue()).toBe('dishub-layanan');
    expect(await requested.getByLabel('Zona').inputValue()).toBe(ZONE);
    await nameCheck.filter({ hasText: `${REQUESTED} tersedia.` }).waitFor();
    // First kept as a draft (without the letter), then completed and sent from the draft.
    await page.getByRole('button', { name: 'Simpan draf' }).click();
    await page.waitForURL(/\/permohonan\/[0-9a-f-]{36}$/);
    await page.locator('.case-header').getByTestId('case-status').filter({ hasText: 'Draf' }).waitFor();
    await page.getByRole('link', { name: 'Ubah' }).click();
    await page.getByRole('heading', { level: 1, name: /^Lengkapi draf WEB-/ }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Perihal' }).inputValue()).toBe(SUBJECT);
    expect(await requested.getByLabel('Nama depan (subdomain)').inputValue()).toBe('dishub-layanan');
    expect(await requested.getByLabel('Zona').inputValue()).toBe(ZONE);
    await page.getByLabel('Surat permohonan bertanda tangan').setInputFiles({
      name: 'surat-permohonan-dishub.pdf',
      mimeType: 'application/pdf',
      buffer: textPdf(['DINAS PERHUBUNGAN', 'Nomor: 500.11/027/DISHUB/2026', 'Perihal: Permohonan website']),
    });
    await page.getByTestId('letter-file').getByText('surat-permohonan-dishub.pdf').waitFor();
    await shot(page, 'case-desktop-01-permohonan-baru');
    await expectAccessible(page, 'desktop: new request form');
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await page.waitForURL(/\/permohonan\/[0-9a-f-]{36}$/);
    await page.locator('.case-header').getByTestId('case-status').filter({ hasText: 'Berjalan' }).waitFor();
    const caseUrl = page.url();
    const ref = ((await page.getByTestId('case-ref').textContent()) ?? '').trim();
    expect(ref).toMatch(/^WEB-\d{4}-\d{5}$/);
    await expectStep(page, 2);
    await page.getByTestId('case-details').getByText('Alamat yang diminta').waitFor();
    await page.getByTestId('case-website').filter({ hasText: REQUESTED }).waitFor();
    await page
      .getByTestId('case-documents')
      .getByRole('link', { name: 'surat-permohonan-dishub.pdf' })
      .first()
      .waitFor();
    await page.getByTestId('case-no-actions').getByText('Bagian Umum').waitFor();
    await signOut(page);

    // The new-request form with a taken name, on a phone.
    await signIn(phone, PEOPLE.opd);
    await phone.goto(`${server.url}/permohonan/baru`);
    const phoneName = phone.getByTestId('requested-hostname');
    await expect.poll(() => phoneName.getByLabel('Zona').inputValue(), { timeout: 15_000 }).toBe(ZONE);
    await phoneName.getByLabel('Nama depan (subdomain)').fill('dishub');
    await phone
      .getByTestId('requested-hostname-check')
      .filter({ hasText: 'sudah dipakai atau dicadangkan.' })
      .waitFor();
    await shot(phone, 'case-phone-00-nama-tidak-tersedia');
    expect(
      Number(await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth')),
    ).toBeLessThanOrEqual(0);
    await signOut(phone);

    // 2 — Bagian Umum registers the letter; the menu shows what waits.
    await signIn(page, PEOPLE.umum);
    await page.getByTestId('case-counts').getByText('1', { exact: true }).waitFor();
    await openCases(page);
    await page.getByTestId('cases-list').getByText(SUBJECT).waitFor();
    await page.getByTestId('cases-list').getByTestId('case-due').first().waitFor();
    await shot(page, 'case-desktop-02-daftar-umum');
    await expectAccessible(page, 'desktop: case list (Bagian Umum)');
    await openFromInbox(page, ref);
    await page.getByTestId('sop-flowchart').locator('svg').waitFor();
    // A second window of Bagian Umum holds the same form; whoever sends second is told, and sees the news.
    await signIn(phone, PEOPLE.umum);
    await phone.goto(caseUrl);
    await phone.getByLabel(/Surat sudah dipindai/).check();
    await page.getByLabel(/Surat sudah dipindai/).check();
    await shot(page, 'case-desktop-03-form-agenda');
    await expectAccessible(page, 'desktop: case page with the register form');
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
    // A new website: no existing one to pick, unless the switch says it exists (then the OPD's list).
    const exists = start.getByLabel('Website sudah ada (pembaruan)');
    expect(await exists.isChecked()).toBe(false);
    expect(await start.getByRole('combobox', { name: 'Website OPD di registri' }).count()).toBe(0);
    await exists.click();
    await start.getByRole('combobox', { name: 'Website OPD di registri' }).click();
    await page.getByRole('option', { name: new RegExp(`^${EXISTING.replace(/\./g, '\\.')}`) }).waitFor();
    await page.keyboard.press('Escape');
    await exists.click();
    await start.getByRole('combobox', { name: 'Website OPD di registri' }).waitFor({ state: 'detached' });
    await start.getByRole('combobox', { name: 'Tim pelaksana' }).click();
    await page.getByRole('option', { name: /^Dewi Lestari/ }).click();
    await page.getByRole('option', { name: /^Agus Salim/ }).click();
    await page.keyboard.press('Escape');
    await act(page, 'start_work', 'Mulai pekerjaan');
    await expectStep(page, 7);
    await page.getByTestId('case-team').getByText('Dewi Lestari').waitFor();
    // The start of work made the planned website, with the address asked for.
    const planned = page.getByTestId('case-website');
    await planned.getByRole('link', { name: `Buka catatan website ${REQUESTED} di registri` }).waitFor();
    await planned.getByTestId('website-status').filter({ hasText: 'Direncanakan' }).waitFor();
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

    // 9 — The installation: server and address from the registry, the name from the request; first the
    // form's own checks (an address or a pool, a well-formed address, the box ticked).
    const install = page.getByTestId('action-record_installation');
    expect(await install.getByRole('textbox', { name: 'Nama host (alamat website)' }).inputValue()).toBe(
      REQUESTED,
    );
    await install
      .getByTestId('hostname-check')
      .filter({ hasText: `${REQUESTED} tersedia.` })
      .waitFor();
    await install
      .getByRole('textbox', { name: 'Konfigurasi jaringan' })
      .fill('VLAN 20, NAT 1:1, port 80/443');
    await install.getByRole('button', { name: 'Catat instalasi', exact: true }).click();
    await install.getByText('Centang untuk menyatakan ini benar.').waitFor();
    await install
      .getByText('Isi alamat IP, atau pilih pool untuk mengambil alamat bebas berikutnya.')
      .waitFor();
    await install.getByText('Wajib diisi.').first().waitFor(); // the server
    await install.getByRole('textbox', { name: 'Alamat IP publik' }).fill('203.0.113.999');
    await install.getByRole('button', { name: 'Catat instalasi', exact: true }).click();
    await install.getByText('Format tidak sesuai.').waitFor();
    await install.getByRole('textbox', { name: 'Alamat IP publik' }).fill('');
    await install.getByRole('combobox', { name: 'Server' }).click();
    await page.getByRole('option', { name: /^web-01/ }).click();
    await install.getByRole('combobox', { name: 'Pool IP' }).click();
    await page.getByRole('option', { name: /^NOC/ }).click();
    const pool = (await admin('GET', `/api/registry/pools/${reg.poolId}`)) as { nextFree: string };
    await install.getByText(`Alamat bebas berikutnya: ${pool.nextFree}.`).waitFor();
    await page.evaluate('document.activeElement.blur(); window.scrollTo(0, 0)');
    await shot(page, 'case-desktop-04-form-instalasi');

    // The same form on a phone.
    await signIn(phone, PEOPLE.staf);
    await phone.goto(caseUrl);
    await phone.getByTestId('action-record_installation').waitFor();
    await shot(phone, 'case-phone-03-form-instalasi');
    await expectAccessible(phone, 'phone: case page with the installation form');
    await openCases(phone);
    await phone.getByTestId('cases-list').getByText(SUBJECT).waitFor();
    await shot(phone, 'case-phone-01-daftar');
    await signOut(phone);

    await install.getByLabel('Website sudah dapat diakses di alamat tersebut').check();
    await act(page, 'record_installation', 'Catat instalasi');
    await expectStep(page, 10);
    // The installation's record, and the website live in the registry.
    const installed = page.getByTestId('case-installation');
    await installed.getByText('web-01', { exact: true }).waitFor();
    await installed.getByText(pool.nextFree, { exact: true }).waitFor();
    await installed.getByText(REQUESTED, { exact: true }).waitFor();
    await installed.getByRole('link', { name: `https://${REQUESTED}` }).waitFor();
    await page
      .getByTestId('case-website')
      .getByTestId('website-status')
      .filter({ hasText: 'Aktif' })
      .waitFor();
    const live = (await admin('GET', '/api/registry/websites?q=dishub-layanan')) as {
      items: { hostname: string; status: string; ipAddress: string; server: { name: string } }[];
    };
    expect(live.items).toMatchObject([
      { hostname: REQUESTED, status: 'active', ipAddress: pool.nextFree, server: { name: 'web-01' } },
    ]);

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
    await row.getByTestId('case-status').filter({ hasText: 'Selesai' }).waitFor();
    // The step by its short label, the SOP's full wording kept for the tooltip.
    const step = row.getByTestId('case-step');
    expect(await step.textContent()).toBe('Tahap 11 dari 11 · Penutupan');
    expect(await step.getAttribute('data-step-title')).toBe('Pekerjaan selesai');
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
      await expectAccessible(page, 'desktop: notification bell open');
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
    await expectAccessible(phone, 'phone: closed request');
    const overflow = Number(await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);

    expect(browserProblems).toEqual([]);
    await phoneContext.close();
    await context.close();
  }, 300_000);

  it('an update names one of the OPD’s own websites; an OPD with none is sent to a new website', async () => {
    const [context, page] = await newPage(DESKTOP);

    // An OPD with no website in the registry is told so, and offered the new-website request instead.
    await signIn(page, PEOPLE.opd2);
    await page.goto(`${server.url}/permohonan/baru`);
    await page.getByRole('radio', { name: 'Pembaruan website yang sudah ada' }).click();
    const none = page.getByTestId('no-websites');
    await none.getByText('Belum ada website terdaftar untuk OPD Anda', { exact: false }).waitFor();
    await none.getByRole('button', { name: 'Pilih pembuatan website baru' }).click();
    expect(await page.getByRole('radio', { name: 'Pembuatan website baru' }).isChecked()).toBe(true);
    await page.getByTestId('requested-hostname').waitFor();
    await signOut(page);

    // A website the OPD had and retired is not offered.
    const opdId = ((await admin('GET', `/api/registry/websites/${reg.websiteId}`)) as { opd: { id: string } })
      .opd.id;
    const old = (await admin('POST', '/api/registry/websites', {
      opdId,
      purpose: 'Website lama',
      hostname: `dishub-lama.${ZONE}`,
    })) as { id: string; version: number };
    await admin('POST', `/api/registry/websites/${old.id}/status`, {
      version: old.version,
      status: 'retired',
      reason: 'Diganti website baru',
    });

    // The OPD picks its live website from its list and sends the request.
    await signIn(page, PEOPLE.opd);
    await page.goto(`${server.url}/permohonan/baru`);
    await page.getByRole('radio', { name: 'Pembaruan website yang sudah ada' }).click();
    await page.getByRole('textbox', { name: 'Perihal' }).fill(UPDATE_SUBJECT);
    await page
      .getByRole('textbox', { name: 'Uraian kebutuhan' })
      .fill('Menambahkan halaman jadwal uji KIR dan memperbarui tampilan beranda.');
    await page.getByRole('textbox', { name: 'Nomor surat' }).fill('500.11/031/DISHUB/2026');
    const today = appToday();
    await page.getByLabel('Tanggal surat').fill(today);
    await page.getByLabel('Surat permohonan bertanda tangan').setInputFiles({
      name: 'surat-pembaruan-dishub.pdf',
      mimeType: 'application/pdf',
      buffer: textPdf(['DINAS PERHUBUNGAN', 'Nomor: 500.11/031/DISHUB/2026', 'Perihal: Pembaruan website']),
    });
    // Sending without a website is stopped next to the field.
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await page.getByText('Pilih website yang akan diperbarui.').waitFor();
    const picker = page.getByRole('combobox', { name: 'Website yang akan diperbarui' });
    await picker.click();
    const options = page.getByRole('option');
    // Its websites that are not retired (the live one, and the one the first request made), each with
    // its state; the retired one is not among them.
    await options.filter({ hasText: EXISTING }).getByText('Aktif').waitFor();
    expect(await options.filter({ hasText: 'dishub-lama' }).count()).toBe(0);
    expect(await options.filter({ hasText: EXISTING }).count()).toBe(1);
    await options.filter({ hasText: EXISTING }).click();
    await shot(page, 'case-desktop-08-pembaruan-pilih-website');
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await page.waitForURL(/\/permohonan\/[0-9a-f-]{36}$/);
    await page.locator('.case-header').getByTestId('case-status').filter({ hasText: 'Berjalan' }).waitFor();
    const website = page.getByTestId('case-website');
    const link = website.getByRole('link', { name: `Buka catatan website ${EXISTING} di registri` });
    expect(await link.getAttribute('href')).toBe(`/registri/website/${reg.websiteId}`);
    await website.getByTestId('website-status').filter({ hasText: 'Aktif' }).waitFor();
    const caseId = page.url().split('/').at(-1) ?? '';
    await signOut(page);

    // Steps 2–5 through the API; the start of work in the browser names the same website.
    const as = (person: Person) => apiAs(server.url, person.username, PASSWORD);
    const step = async (who: Call, action: string, payload: Record<string, unknown>) => {
      const current = (await who('GET', `/api/cases/${caseId}`)) as { version: number };
      await who('POST', `/api/cases/${caseId}/actions/${action}`, { version: current.version, ...payload });
    };
    const umum = await as(PEOPLE.umum);
    const kabid = await as(PEOPLE.kabid);
    const units = (await admin('GET', '/api/units?pageSize=100')) as {
      items: { id: string; code: string }[];
    };
    await step(umum, 'register', {
      receivedAt: appNow().toISOString(),
      urgency: 'biasa',
      addressee: 'Kepala DKISP',
      scanConfirmed: true,
    });
    await step(await as(PEOPLE.kepala), 'dispose', {
      toUnitId: units.items.find((unit) => unit.code === 'APTIKA')?.id,
      instruction: 'tindak_lanjuti',
    });
    await step(kabid, 'review', {
      findings: 'Pembaruan konten; dapat dikerjakan.',
      recommendation: 'approve',
    });
    await step(kabid, 'decide', { decision: 'approve' });
    await step(umum, 'send_letter', { letterDate: today });

    await signIn(page, PEOPLE.kabid);
    await page.goto(`${server.url}/permohonan/${caseId}`);
    const start = page.getByTestId('action-start_work');
    expect(await start.getByLabel('Website sudah ada (pembaruan)').isChecked()).toBe(true);
    const chosen = start.getByRole('combobox', { name: 'Website OPD di registri' });
    expect(await chosen.inputValue()).toBe(EXISTING);
    await start.getByRole('combobox', { name: 'Tim pelaksana' }).click();
    await page.getByRole('option', { name: /^Dewi Lestari/ }).click();
    await page.keyboard.press('Escape');
    await act(page, 'start_work', 'Mulai pekerjaan');
    await expectStep(page, 7);
    const started = (await kabid('GET', `/api/cases/${caseId}`)) as { website: { id: string } | null };
    expect(started.website?.id).toBe(reg.websiteId);

    expect(browserProblems).toEqual([]);
    await context.close();
  }, 180_000);
});
