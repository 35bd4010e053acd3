/**
 * Browser tests of issue 11's web side, on the real server with a fresh embedded database:
 * 1. The administrator opens the website SOP in the SOP designer (Desainer SOP), sees a problem shown
 *    next to its field, changes a step's title and standard time, publishes (the confirmation names the
 *    new version) — and the catalogue shows version 2 with the new title and time.
 * 2. A consultation service the administrator published through the API shows in the catalogue; an OPD
 *    operator opens the catalogue (Katalog Layanan), files a request for it with its own fields (read from the service's request JSON Schema) and the letter, sends it — and the
 *    request page shows it under the service's number. Likewise for a service Loket ships (Konsultasi
 *    Aplikasi, KON-…): its own fields, its number and its facts on the request page.
 * 3. The administrator retires and reactivates a service, exports its definition and imports it under
 *    another key as a new service.
 * 4. A publish by someone else while the designer is open: publishing answers 409, the designer says so
 *    and reloads the newer version.
 * Pages are photographed at 1366×768 and 390×844 into test-results/screens/services-*.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onePagePdf } from '../../src/shared/tiny-files.ts';
import {
  ADMIN,
  apiAs,
  appToday,
  createPeople,
  launchBrowser,
  newPage as newPageIn,
  SCREENS,
  type Server,
  signIn,
  startServer,
  stopAll,
} from './support.ts';

const WIDE = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
/** The service the designer changes: the built-in website SOP (src/sop/definitions/website.json). */
const DESIGNED = 'website';
/**
 * The non-website service the OPD asks for: published by the administrator through the API at the
 * start of the test (so the walk depends only on the block catalogue, not on a shipped definition).
 */
const SERVICE = 'uji_konsultasi';
const bilingual = (id: string, en: string) => ({ id, en });
const SERVICE_DEFINITION = {
  key: SERVICE,
  title: bilingual('Layanan Uji Konsultasi Aplikasi', 'Test application consultation'),
  purpose: bilingual(
    'OPD berkonsultasi tentang aplikasinya dan menerima rekomendasi tertulis.',
    'The OPD consults on its application and receives a written recommendation.',
  ),
  requirements: ['Surat permohonan resmi dari Kepala OPD', 'Nama narahubung teknis'],
  refPrefix: 'UJK',
  lanes: [
    { key: 'opd', title: bilingual('OPD', 'OPD'), roles: ['opd'], units: [] },
    {
      key: 'umum',
      title: bilingual('Bagian Umum', 'General affairs'),
      roles: ['umum'],
      units: ['SEKRETARIAT'],
    },
  ],
  steps: [
    {
      key: 'permohonan',
      title: bilingual('Surat permohonan konsultasi dari OPD', 'Consultation request letter from the OPD'),
      lane: 'opd',
      block: 'request',
      config: {
        fields: [
          {
            key: 'topic',
            label: bilingual('Pokok konsultasi', 'Topic'),
            type: 'choice',
            choices: [
              { value: 'pengembangan', label: bilingual('Pengembangan aplikasi', 'Development') },
              { value: 'keamanan', label: bilingual('Keamanan aplikasi', 'Security') },
            ],
          },
          {
            key: 'technicalContact',
            label: bilingual('Narahubung teknis OPD', "The OPD's technical contact"),
            type: 'text',
            max: 200,
          },
        ],
      },
      standardTime: { minutes: 5 },
      inputs: ['Surat permohonan OPD'],
      outputs: ['Surat'],
    },
    {
      key: 'registrasi',
      title: bilingual('Registrasi surat dan lembar disposisi', 'Registration and disposition sheet'),
      lane: 'umum',
      block: 'registration',
      standardTime: { minutes: 3 },
      inputs: ['Surat'],
      outputs: ['Lembar disposisi'],
    },
    {
      key: 'selesai',
      title: bilingual('Permohonan selesai', 'The request is closed'),
      lane: 'umum',
      block: 'closing',
      standardTime: { minutes: 5 },
    },
  ],
};
/** A service Loket ships (src/sop/definitions/konsultasi.json), asked for by another OPD. */
const SHIPPED = 'konsultasi';
const KON_USER = { username: 'opd.bappeda', fullName: 'Operator Bappeda', roles: ['opd'] };
const PASSWORD = 'Uji-Loket-2026!opd';
const OPD_USER = { username: 'opd.dinkes', fullName: 'Operator Dinas Kesehatan', roles: ['opd'] };
const NEW_TITLE = 'Scanning dan registrasi surat permohonan, melengkapi lembar disposisi';

let server: Server;
let browser: Browser;
let dataDir: string;
const browserProblems: string[] = [];

beforeAll(async () => {
  ({ server, dataDir } = await startServer('loket-e2e-services-'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await stopAll(browser, server, dataDir);
});

function newPage(viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> {
  return newPageIn(browser, viewport, { problems: browserProblems, acceptDownloads: true, fixTime: true });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(1, 700);
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(SCREENS, `services-${name}.png`) });
}

/** Opens a page from the main menu (behind the burger on a phone). */
async function openFromMenu(page: Page, name: string): Promise<void> {
  const burger = page.getByRole('button', { name: 'Buka atau tutup menu navigasi' });
  if (await burger.isVisible()) await burger.click();
  await page
    .getByRole('navigation', { name: 'Navigasi utama' })
    .getByRole('link', { name, exact: true })
    .click();
}

/** The catalogue as the server answers it (string expression: this file is type-checked without the DOM). */
async function catalogue(
  page: Page,
): Promise<
  { key: string; version: number; steps: { key: string; title: { id: string }; standardTime: unknown }[] }[]
> {
  return JSON.parse(String(await page.evaluate('fetch("/api/services").then((r) => r.text())')));
}

describe('SOP designer and the service catalogue', () => {
  it('the administrator publishes a changed step title and standard time; the catalogue shows version 2', async () => {
    const [context, page] = await newPage(WIDE);
    await signIn(page, server.url, ADMIN.username, ADMIN.password);
    await openFromMenu(page, 'Desainer SOP');
    await page.waitForURL(`${server.url}/admin/layanan`);
    await page.getByRole('heading', { level: 1, name: 'Desainer SOP' }).waitFor();
    const row = page.getByTestId(`designer-service-${DESIGNED}`);
    await row.getByText('Versi 1', { exact: true }).waitFor();
    await shot(page, 'wide-01-daftar');

    await page.getByTestId(`designer-open-${DESIGNED}`).click();
    await page.waitForURL(`${server.url}/admin/layanan/${DESIGNED}`);
    await page.getByText('Mengubah Versi 1; diterbitkan sebagai Versi 2.').waitFor();
    const status = page.getByTestId('designer-status');
    await status.getByText('Tidak ada masalah').waitFor();

    // Step 2 (registration): open it, empty its title — the server's problem shows next to the field.
    const step = page.getByTestId('step-1');
    await step.getByRole('button').first().click();
    const title = page.getByTestId('step-1-title-id');
    await title.waitFor();
    await title.fill('');
    await status.getByText(/^\d+ masalah$/).waitFor();
    await expect.poll(() => title.getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('designer-problems').getByText('steps.1.title.id').waitFor();
    await shot(page, 'wide-02-masalah');

    await title.fill(NEW_TITLE);
    const minutes = page.getByTestId('step-1-time');
    const before = Number(await minutes.inputValue());
    const after = before + 4;
    await minutes.fill(String(after));
    await status.getByText('Tidak ada masalah').waitFor();
    await expect.poll(() => title.getAttribute('aria-invalid')).not.toBe('true');

    // Step 6 ("mulai") has the branch "Website sudah ada?", edited as a small form: the deciding field, and
    // a problem in the question shows next to it by its path.
    await page.getByTestId('step-5').getByRole('button').first().click();
    const branch = page.getByTestId('step-5-branch');
    await branch.scrollIntoViewIfNeeded();
    expect(await page.getByTestId('step-5-branch-field').inputValue()).toBe('websiteExists');
    expect(await branch.getByTestId('step-5-branch-outcome-0-kind').inputValue()).toBe('true');
    const question = page.getByTestId('step-5-branch-question-id');
    const asked = await question.inputValue();
    await question.fill('');
    await page.getByTestId('designer-problems').getByText('steps.5.branch.question.id').waitFor();
    await expect.poll(() => question.getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'wide-03-cabang');
    await question.fill(asked);
    await status.getByText('Tidak ada masalah').waitFor();

    // The preview follows the edit: the server's PDF of the unsaved definition, in a frame.
    const preview = page.getByTestId('sheet-preview');
    await preview.getByText('PDF terbaru').waitFor({ timeout: 20_000 });
    expect(await preview.getAttribute('data-mode')).toBe('pdf');
    await preview.locator('iframe').waitFor();
    await page.waitForTimeout(1000);
    await shot(page, 'wide-03-ubah');

    await page.getByTestId('designer-publish').click();
    const confirm = page.getByRole('dialog', { name: 'Terbitkan sebagai Versi 2?' });
    await confirm.getByText(/tetap memakai Versi 1/).waitFor();
    await shot(page, 'wide-04-konfirmasi');
    await page.getByTestId('designer-confirm-publish').click();
    await page.waitForURL(`${server.url}/admin/layanan`);
    await row.getByText('Versi 2', { exact: true }).waitFor();

    const served = (await catalogue(page)).find((s) => s.key === DESIGNED);
    expect(served?.version).toBe(2);
    expect(served?.steps[1]?.title.id).toBe(NEW_TITLE);
    expect(served?.steps[1]?.standardTime).toEqual({ minutes: after });
    // What the form does not edit is kept as it was: the branch after "mulai", the action key renames.
    const definition = JSON.parse(
      String(await page.evaluate(`fetch("/api/services/${DESIGNED}").then((r) => r.text())`)),
    ) as { version: number; steps: { key: string; branch?: unknown; actionKeys?: unknown }[] };
    expect(definition.version).toBe(2);
    expect(definition.steps.find((s) => s.key === 'mulai')?.branch).toBeTruthy();
    expect(definition.steps.find((s) => s.key === 'analisis')?.actionKeys).toEqual({
      save: 'save_kak',
      complete: 'complete_analysis',
    });

    // The catalogue shows the new version, title and time.
    await openFromMenu(page, 'Katalog Layanan');
    await page.waitForURL(`${server.url}/layanan`);
    const card = page.getByTestId(`service-${DESIGNED}`);
    await card.getByTestId(`service-version-${DESIGNED}`).getByText('Versi 2').waitFor();
    await card.getByText('Tahapan dan waktu baku').click();
    const stepRow = card.getByTestId(`catalogue-step-${DESIGNED}-${served?.steps[1]?.key}`);
    await stepRow.getByText(NEW_TITLE).waitFor();
    await stepRow.getByText(`${after} menit`).waitFor();
    await stepRow.scrollIntoViewIfNeeded();
    await shot(page, 'wide-05-katalog');
    await context.close();

    // The designer on a phone.
    const [phoneContext, phone] = await newPage(PHONE);
    await signIn(phone, server.url, ADMIN.username, ADMIN.password);
    await phone.goto(`${server.url}/admin/layanan/${DESIGNED}`);
    await phone.getByTestId('designer-status').getByText('Tidak ada masalah').waitFor();
    await shot(phone, 'phone-01-desainer');
    await phone.getByTestId('step-4').getByRole('button').first().click();
    await phone.getByTestId('step-4').getByText('Pengaturan blok').scrollIntoViewIfNeeded();
    await shot(phone, 'phone-02-keputusan');
    await phone.getByTestId('step-5').getByRole('button').first().click();
    await phone.getByTestId('step-5-time').scrollIntoViewIfNeeded();
    await shot(phone, 'phone-03-tahap');
    await phone.getByTestId('step-5-branch-outcome-0').scrollIntoViewIfNeeded();
    await shot(phone, 'phone-04-cabang');
    expect(
      Number(await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth')),
    ).toBeLessThanOrEqual(0);
    await phoneContext.close();
    expect(browserProblems).toEqual([]);
  });

  it('an OPD files a request for the consultation service from the catalogue; the request page shows it', async () => {
    const admin = await apiAs(server.url, ADMIN.username, ADMIN.password);
    expect(await admin('PUT', `/api/services/${SERVICE}`, SERVICE_DEFINITION)).toEqual({
      key: SERVICE,
      version: 1,
    });
    await createPeople(admin, { code: 'DINKES', name: 'Dinas Kesehatan' }, [OPD_USER], PASSWORD);

    const [phoneContext, phone] = await newPage(PHONE);
    await signIn(phone, server.url, OPD_USER.username, PASSWORD);
    await openFromMenu(phone, 'Katalog Layanan');
    await phone.getByTestId(`service-${SERVICE}`).waitFor();
    await shot(phone, 'phone-03-katalog');
    await phoneContext.close();

    const [context, page] = await newPage(WIDE);
    await signIn(page, server.url, OPD_USER.username, PASSWORD);
    await openFromMenu(page, 'Katalog Layanan');
    const card = page.getByTestId(`service-${SERVICE}`);
    await card.getByText('Persyaratan').waitFor();
    await shot(page, 'wide-06-katalog-opd');
    await page.getByTestId(`request-${SERVICE}`).click();
    await page.waitForURL(`${server.url}/permohonan/baru?layanan=${SERVICE}`);
    const form = page.getByTestId(`service-form-${SERVICE}`);
    await form.waitFor();

    // Sending with nothing filled in: every required field says so, nothing is created.
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await form.getByText('Wajib diisi.').first().waitFor();
    expect(page.url()).toContain('/permohonan/baru');

    // The service's own fields (from its request schema), then the letter every request has.
    // A choice of the definition (a radio group by its widget hint), labelled from the schema when it says.
    await page.getByRole('radio', { name: /^keamanan/i }).check();
    await page.getByTestId('request-field-technicalContact').fill('Budi Santoso, 0812 3456 7890');
    const subject = 'Konsultasi keamanan aplikasi SIMPUS';
    await page.getByRole('textbox', { name: 'Perihal' }).fill(subject);
    await page
      .getByRole('textbox', { name: 'Uraian kebutuhan' })
      .fill('Kami memohon kajian keamanan aplikasi SIMPUS sebelum dipakai di 20 puskesmas.');
    await page.getByRole('textbox', { name: 'Nomor surat' }).fill('000.1/118/DINKES/2026');
    await page.getByLabel('Tanggal surat').fill(appToday());
    await page.getByLabel('Surat permohonan bertanda tangan').setInputFiles({
      name: 'surat-konsultasi-dinkes.pdf',
      mimeType: 'application/pdf',
      buffer: onePagePdf(['DINAS KESEHATAN', 'Nomor: 000.1/118/DINKES/2026', 'Perihal: Konsultasi aplikasi']),
    });
    await page.getByTestId('letter-file').getByText('surat-konsultasi-dinkes.pdf').waitFor();
    await shot(page, 'wide-07-permohonan');
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();

    await page.waitForURL(/\/permohonan\/[0-9a-f-]{36}$/);
    await page.locator('.case-header').getByTestId('case-status').filter({ hasText: 'Berjalan' }).waitFor();
    const ref = ((await page.getByTestId('case-ref').textContent()) ?? '').trim();
    expect(ref).toMatch(/^UJK-\d{4}-\d{5}$/);
    await page.getByText(subject).first().waitFor();
    await shot(page, 'wide-08-permohonan-terkirim');

    // What the server holds: the consultation service, its facts, the letter.
    const id = page.url().split('/').at(-1) ?? '';
    const detail = JSON.parse(
      String(await page.evaluate(`fetch("/api/cases/${id}").then((r) => r.text())`)),
    ) as {
      service?: { key: string };
      facts?: Record<string, unknown>;
      status: string;
    };
    expect(detail.service?.key).toBe(SERVICE);
    expect(detail.facts).toMatchObject({
      topic: 'keamanan',
      technicalContact: 'Budi Santoso, 0812 3456 7890',
    });
    expect(detail.status).toBe('active');
    await context.close();
    expect(browserProblems).toEqual([]);
  });
  it('an OPD files a request for the shipped consultation service (KON); the request page shows its number and facts', async () => {
    const admin = await apiAs(server.url, ADMIN.username, ADMIN.password);
    await createPeople(
      admin,
      { code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah' },
      [KON_USER],
      PASSWORD,
    );

    const [context, page] = await newPage(WIDE);
    await signIn(page, server.url, KON_USER.username, PASSWORD);
    await openFromMenu(page, 'Katalog Layanan');
    const card = page.getByTestId(`service-${SHIPPED}`);
    await card.getByText('Layanan Konsultasi Aplikasi').first().waitFor();
    await page.getByTestId(`request-${SHIPPED}`).click();
    await page.waitForURL(`${server.url}/permohonan/baru?layanan=${SHIPPED}`);
    await page.getByTestId(`service-form-${SHIPPED}`).waitFor();

    // The shipped definition's own fields (src/sop/definitions/konsultasi.json), then the letter.
    await page.getByRole('radio', { name: /^Integrasi dan interoperabilitas/ }).check();
    const contact = 'Sari Wulandari, 0813 2222 4444';
    await page.getByTestId('request-field-technicalContact').fill(contact);
    const subject = 'Konsultasi integrasi data perencanaan daerah';
    await page.getByRole('textbox', { name: 'Perihal' }).fill(subject);
    await page
      .getByRole('textbox', { name: 'Uraian kebutuhan' })
      .fill('Kami memohon konsultasi integrasi aplikasi SIPD dengan data kependudukan.');
    await page.getByRole('textbox', { name: 'Nomor surat' }).fill('000.1/042/BAPPEDA/2026');
    await page.getByLabel('Tanggal surat').fill(appToday());
    await page.getByLabel('Surat permohonan bertanda tangan').setInputFiles({
      name: 'surat-konsultasi-bappeda.pdf',
      mimeType: 'application/pdf',
      buffer: onePagePdf(['BAPPEDA', 'Nomor: 000.1/042/BAPPEDA/2026', 'Perihal: Konsultasi integrasi']),
    });
    await page.getByTestId('letter-file').getByText('surat-konsultasi-bappeda.pdf').waitFor();
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();

    // The request page: the service's number, its facts labelled as the definition says, its chart.
    await page.waitForURL(/\/permohonan\/[0-9a-f-]{36}$/);
    await page.locator('.case-header').getByTestId('case-status').filter({ hasText: 'Berjalan' }).waitFor();
    const ref = ((await page.getByTestId('case-ref').textContent()) ?? '').trim();
    expect(ref).toMatch(/^KON-\d{4}-\d{5}$/);
    const details = page.getByTestId('case-details');
    await details.getByText('Pokok konsultasi').waitFor();
    await details.getByText('Integrasi dan interoperabilitas data').waitFor();
    await details.getByText('Narahubung teknis OPD (nama dan nomor telepon)').waitFor();
    await details.getByText(contact).waitFor();
    await page.getByTestId('case-flow').getByText('Layanan Konsultasi Aplikasi · versi 1').waitFor();
    await page.getByTestId('case-history').getByText('Permohonan dikirim').waitFor();
    await shot(page, 'wide-09-konsultasi');

    const id = page.url().split('/').at(-1) ?? '';
    const detail = JSON.parse(
      String(await page.evaluate(`fetch("/api/cases/${id}").then((r) => r.text())`)),
    ) as { ref: string; service?: { key: string }; facts?: Record<string, unknown>; status: string };
    expect(detail.ref).toBe(ref);
    expect(detail.service?.key).toBe(SHIPPED);
    expect(detail.facts).toMatchObject({ topic: 'integrasi', technicalContact: contact });
    expect(detail.status).toBe('active');
    await context.close();
    expect(browserProblems).toEqual([]);
  });
  it('the administrator retires and reactivates a service, exports its JSON and imports it as a new service', async () => {
    const [context, page] = await newPage(WIDE);
    await signIn(page, server.url, ADMIN.username, ADMIN.password);
    await page.goto(`${server.url}/admin/layanan`);
    const row = page.getByTestId(`designer-service-${DESIGNED}`);
    const more = row.getByRole('button', { name: /^Tindakan lain/ });

    await more.click();
    await page.getByRole('menuitem', { name: 'Hentikan layanan' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Hentikan layanan' }).click();
    await row.getByText('Dihentikan').waitFor();
    expect((await catalogue(page)).some((s) => s.key === DESIGNED)).toBe(false);

    await more.click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Ekspor JSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^sop-${DESIGNED}-v\\d+\\.json$`));
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as Record<string, unknown>;
    expect(exported.key).toBe(DESIGNED);

    await more.click();
    await page.getByRole('menuitem', { name: 'Aktifkan kembali' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Aktifkan kembali' }).click();
    await row.getByText('Dihentikan').waitFor({ state: 'detached' });
    expect((await catalogue(page)).some((s) => s.key === DESIGNED)).toBe(true);

    // The exported definition under another key, imported: the designer opens it, checked, as version 1.
    const copy = {
      ...exported,
      key: 'website_salinan',
      refPrefix: 'WEBS',
      title: { id: 'Salinan website', en: 'Website copy' },
    };
    const file = join(dataDir, 'salinan.json');
    await writeFile(file, JSON.stringify(copy));
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Impor JSON' }).click();
    await (await chooser).setFiles(file);
    await page.waitForURL(`${server.url}/admin/layanan/baru`);
    expect(await page.getByTestId('designer-key').inputValue()).toBe('website_salinan');
    await page.getByTestId('designer-status').getByText('Tidak ada masalah').waitFor();
    await page.getByTestId('designer-publish').click();
    await page.getByRole('dialog', { name: 'Terbitkan sebagai Versi 1?' }).waitFor();
    await page.getByTestId('designer-confirm-publish').click();
    await page.waitForURL(`${server.url}/admin/layanan`);
    await page
      .getByTestId('designer-service-website_salinan')
      .getByText('Versi 1', { exact: true })
      .waitFor();
    expect((await catalogue(page)).find((s) => s.key === 'website_salinan')?.steps.length).toBe(
      (exported.steps as unknown[]).length,
    );
    await context.close();
    expect(browserProblems).toEqual([]);
  });
  it('a publish by someone else meanwhile is a conflict: the designer says so and reloads the newer version', async () => {
    const admin = await apiAs(server.url, ADMIN.username, ADMIN.password);
    const [context, page] = await newPage(PHONE);
    await signIn(page, server.url, ADMIN.username, ADMIN.password);
    await page.goto(`${server.url}/admin/layanan/${DESIGNED}`);
    const status = page.getByTestId('designer-status');
    await status.getByText('Tidak ada masalah').waitFor();
    const heading =
      (await page.getByText(/^Mengubah Versi \d+; diterbitkan sebagai Versi \d+\.$/).textContent()) ?? '';
    const current = Number(/Versi (\d+);/.exec(heading)?.[1]);

    await page.getByTestId('step-2').getByRole('button').first().click();
    const minutes = page.getByTestId('step-2-time');
    await minutes.fill(String(Number(await minutes.inputValue()) + 1));
    await status.getByText('Tidak ada masalah').waitFor();

    // Another administrator publishes first, through the API.
    const theirs = (await admin('GET', `/api/services/${DESIGNED}`)) as {
      version: number;
      requirements: string[];
    };
    expect(theirs.version).toBe(current);
    await admin('PUT', `/api/services/${DESIGNED}`, {
      ...theirs,
      requirements: [...theirs.requirements, 'Nomor telepon narahubung'],
    });

    await page.getByTestId('designer-publish').click();
    await page.getByTestId('designer-confirm-publish').click();
    const alert = page.getByRole('alert').filter({ hasText: 'Ada versi yang lebih baru' });
    await alert.waitFor();
    await shot(page, 'phone-04-konflik');
    await alert.getByRole('button', { name: 'Muat ulang' }).click();
    await page
      .getByText(`Mengubah Versi ${current + 1}; diterbitkan sebagai Versi ${current + 2}.`)
      .waitFor();
    await page.getByText('Nomor telepon narahubung').waitFor();
    const served = (await catalogue(page)).find((s) => s.key === DESIGNED);
    expect(served?.version).toBe(current + 1);
    await context.close();
    expect(browserProblems).toEqual([]);
  });
});
