/**
 * Browser test: the registry's web pages on the real server (fresh embedded database) and the built SPA.
 *
 * Set-up through the API: a DNS zone, a server, a public IP pool (gateway and one reserved address) and
 * another OPD's website. Then, in the browser, the head of division adds a website through the form — a
 * reserved name and a taken one are refused next to the field first — takes the next free address of the
 * pool, finds it on the pool's address map, retires the website with a reason and reads it in the
 * history; the address is then held in quarantine. An OPD user sees only its own website, and neither
 * servers nor pools. The list, the detail and the pool map are photographed on a desktop and a 390px phone.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  apiAs,
  type Call,
  createPeople,
  DESKTOP,
  launchBrowser,
  newPage as newPageIn,
  type Person,
  type Server,
  shot,
  signIn as signInAt,
  startServer,
  stopAll,
} from './support.ts';

const PASSWORD = 'Kata-Sandi-Uji-2026!';
const PHONE_390 = { width: 390, height: 844 };
const ZONE = 'contoh-kab.go.id';
const OPD = { code: 'DISHUB', name: 'Dinas Perhubungan' };
const OTHER_OPD = { code: 'DINKES', name: 'Dinas Kesehatan' };
const HOSTNAME = `dishub.${ZONE}`;
const OTHER_HOSTNAME = `dinkes.${ZONE}`;

const PEOPLE = {
  kabid: { username: 'sri.kabid', fullName: 'Sri Rahayu', roles: ['kabid'], unit: 'APTIKA' },
  opd: { username: 'operator.dishub', fullName: 'Yuni Kartika', roles: ['opd'] },
} satisfies Record<string, Person>;

let server: Server;
let browser: Browser;
let dataDir: string;
let api: Call;
let poolId = '';

/** Problems the browser reported (script errors, CSP violations): the test fails on any. */
const browserProblems: string[] = [];

beforeAll(async () => {
  ({ server, dataDir } = await startServer('loket-e2e-registry-'));
  api = await apiAs(server.url, ADMIN.username, ADMIN.password);
  await createPeople(api, OPD, Object.values(PEOPLE) as Person[], PASSWORD);
  browser = await launchBrowser();
});

/** The registry's starting point (after the empty pages are seen): a zone, a server, a pool, a website. */
async function seedRegistry(): Promise<void> {
  const other = (await api('POST', '/api/opds', OTHER_OPD)) as { id: string };
  await api('POST', '/api/registry/zones', { name: ZONE, notes: 'Domain utama kabupaten' });
  const web01 = (await api('POST', '/api/registry/servers', {
    name: 'web-01',
    kind: 'virtual',
    location: 'noc',
    os: 'Debian 12',
    addresses: ['203.0.113.10'],
    roles: ['web', 'database'],
  })) as { id: string };
  const pool = (await api('POST', '/api/registry/pools', {
    name: 'Publik NOC',
    cidr: '203.0.113.0/24',
    gateway: '203.0.113.1',
    reserved: ['203.0.113.2'],
  })) as { id: string };
  poolId = pool.id;
  // Another OPD's website: its name is taken, and the OPD user must not see it.
  await api('POST', '/api/registry/websites', {
    opdId: other.id,
    purpose: 'Website resmi Dinas Kesehatan',
    hostname: OTHER_HOSTNAME,
    status: 'active',
    serverId: web01.id,
    ipAddress: '203.0.113.20',
    tlsExpiresAt: new Date(Date.now() + 12 * 86_400_000).toISOString(),
  });
}

afterAll(async () => {
  await stopAll(browser, server, dataDir);
});

function newPage(viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> {
  return newPageIn(browser, viewport, { problems: browserProblems });
}

function signIn(page: Page, person: Person): Promise<void> {
  return signInAt(page, server.url, person.username, PASSWORD);
}

function navigation(page: Page) {
  return page.getByRole('navigation', { name: 'Navigasi utama' });
}

/** Opens a menu entry (behind the burger on a phone). */
async function openMenu(page: Page, name: string): Promise<void> {
  const burger = page.getByRole('button', { name: 'Buka atau tutup menu navigasi' });
  if (await burger.isVisible()) await burger.click();
  await navigation(page).getByRole('link', { name, exact: true }).click();
}

/** Chooses an option of a Mantine select inside `scope`. */
async function choose(page: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string) {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).click();
}

describe('the registry in the browser', () => {
  it('explains an empty registry and offers what to do', async () => {
    const [context, page] = await newPage(DESKTOP);
    await signIn(page, PEOPLE.kabid);
    await openMenu(page, 'Website');
    await page.getByText('Belum ada website di registri').waitFor();
    await page.getByRole('button', { name: 'Tambah website' }).nth(1).waitFor();
    await page.getByRole('button', { name: 'Impor', exact: true }).nth(1).waitFor();
    await shot(page, 'registry-desktop-00-empty');
    await openMenu(page, 'Pool IP Publik');
    await page.getByText('Belum ada pool IP', { exact: true }).waitFor();
    await openMenu(page, 'Zona DNS');
    await page.getByText('Belum ada zona DNS', { exact: true }).waitFor();
    await context.close();
    await seedRegistry();
    expect(browserProblems).toEqual([]);
  });

  it('adds a website through the form, takes a pool address, sees it on the map, retires it (desktop)', async () => {
    const [context, page] = await newPage(DESKTOP);
    await signIn(page, PEOPLE.kabid);
    for (const item of ['Website', 'Server', 'Pool IP Publik', 'Zona DNS']) {
      await navigation(page).getByRole('link', { name: item, exact: true }).waitFor();
    }

    // The list: the other OPD's website, with its certificate expiring soon.
    await openMenu(page, 'Website');
    await page.getByRole('heading', { level: 1, name: 'Website' }).waitFor();
    const list = page.getByTestId('websites-list');
    await list.getByRole('link', { name: OTHER_HOSTNAME }).waitFor();
    await list.getByTestId('tls-soon').waitFor();
    // Sorting is in the address: clicking a header twice sorts descending.
    await list.getByRole('button', { name: 'Urutkan menurut Status' }).click();
    await page.waitForURL(/sort=status/);
    await list.getByRole('button', { name: 'Urutkan menurut Status' }).click();
    await page.waitForURL(/dir=desc/);

    // The form: a reserved name and a taken name are refused next to the field, before saving.
    await page.getByRole('button', { name: 'Tambah website' }).first().click();
    const form = page.getByRole('dialog', { name: 'Tambah website' });
    await choose(page, form, 'OPD', `${OPD.name} (${OPD.code})`);
    await form.getByRole('textbox', { name: 'Kegunaan' }).fill('Website resmi Dinas Perhubungan');
    const label = form.getByRole('textbox', { name: 'Subdomain' });
    await label.fill('www');
    await form.getByText('Nama ini dicadangkan dan tidak dapat dipakai.').waitFor();
    await shot(page, 'registry-desktop-01-form-reserved');
    await label.fill('dinkes');
    await form.getByText('Nama ini sudah dipakai.').waitFor();
    await label.fill('dishub');
    await form
      .getByTestId('name-available')
      .filter({ hasText: `${HOSTNAME} tersedia` })
      .waitFor();

    await choose(page, form, 'Server', 'web-01');
    await form.getByText('Ambil IP berikutnya dari pool').click();
    await choose(page, form, 'Pool IP', 'Publik NOC (203.0.113.0/24)');
    await form.getByRole('textbox', { name: 'Nama basis data' }).fill('dishub_web');
    await form.getByLabel('Kata sandi basis data').fill('rahasia-sekali-123');
    await form.getByRole('textbox', { name: 'NIP kontak' }).fill('123');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await form.getByText('NIP terdiri dari 18 digit angka.').waitFor();
    await shot(page, 'registry-desktop-02-form-invalid');
    await form.getByRole('textbox', { name: 'NIP kontak' }).fill('198501012010011001');
    await form.getByRole('textbox', { name: 'Nama kontak' }).fill('Budi Santoso');
    await form.getByRole('button', { name: 'Simpan' }).click();

    // The detail page: the name, the next free address (.1 is the gateway, .2 reserved), no password shown.
    await page.getByRole('heading', { level: 1, name: HOSTNAME }).waitFor();
    await page.getByTestId('website-server').getByText('203.0.113.3', { exact: true }).waitFor();
    expect(await page.getByTestId('password-stored').textContent()).toContain('Ya');
    expect(await page.content()).not.toContain('rahasia-sekali-123');
    await page.getByTestId('registry-history').getByText('Dibuat').first().waitFor();
    await shot(page, 'registry-desktop-03-detail');

    // The pool's map: the address is the website's; tapping it says who holds it.
    await openMenu(page, 'Pool IP Publik');
    await page.getByTestId('pools-list').getByRole('link', { name: 'Publik NOC' }).click();
    const cell = page.locator('[data-address="203.0.113.3"]');
    await cell.waitFor();
    expect(await cell.getAttribute('data-ip-state')).toBe('website');
    expect(await page.locator('[data-address="203.0.113.1"]').getAttribute('data-ip-state')).toBe('gateway');
    expect(await page.locator('[data-address="203.0.113.0"]').getAttribute('data-ip-state')).toBe('network');
    await cell.click();
    await page.getByTestId('ip-cell-details').getByRole('link', { name: HOSTNAME }).waitFor();
    await shot(page, 'registry-desktop-04-pool-map');

    // Retiring asks for a reason and explains the quarantine.
    await page.getByTestId('ip-cell-details').getByRole('link', { name: HOSTNAME }).click();
    await page.getByRole('heading', { level: 1, name: HOSTNAME }).waitFor();
    await page.getByRole('button', { name: 'Ubah status' }).click();
    await page.getByRole('menuitem', { name: 'Pensiunkan' }).click();
    const dialog = page.getByRole('dialog', { name: `Pensiunkan ${HOSTNAME}?` });
    await dialog.getByText('Nama dan alamat IP ditahan dulu').waitFor();
    await dialog.getByRole('button', { name: 'Pensiunkan' }).click();
    await dialog.getByText('Tuliskan alasannya.').waitFor();
    await dialog.getByRole('textbox', { name: 'Alasan' }).fill('OPD pindah ke portal terpadu kabupaten');
    await shot(page, 'registry-desktop-05-retire');
    await dialog.getByRole('button', { name: 'Pensiunkan' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByTestId('retired-notice')
      .getByText(/ditahan \(karantina\) sampai/)
      .waitFor();
    const history = page.getByTestId('registry-history');
    await history
      .getByRole('paragraph')
      .filter({ hasText: /^Dipensiunkan$/ })
      .waitFor();
    await history.getByRole('insertion').filter({ hasText: 'Dipensiunkan' }).waitFor();
    await history.getByText('OPD pindah ke portal terpadu kabupaten').waitFor();
    await shot(page, 'registry-desktop-06-retired');

    // The address is now held, not free.
    await page.goto(`${server.url}/registri/pool-ip/${poolId}`);
    await page.locator('[data-address="203.0.113.3"][data-ip-state="held"]').waitFor();

    await context.close();
    expect(browserProblems).toEqual([]);
  }, 180_000);

  it('exports and imports servers, shows a server with its websites, reserves a name in a zone', async () => {
    const [context, page] = await newPageIn(browser, DESKTOP, {
      problems: browserProblems,
      acceptDownloads: true,
    });
    await signIn(page, PEOPLE.kabid);

    await openMenu(page, 'Server');
    await page.getByRole('heading', { level: 1, name: 'Server' }).waitFor();

    // Export: the whole list as CSV, downloaded with the session.
    await page.getByRole('button', { name: 'Ekspor' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Ekspor CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const path = await download.path();
    expect(await readFile(path, 'utf8')).toContain('web-01');

    // Import: a file with a bad row is previewed and cannot be imported; the corrected one can.
    await page.getByRole('button', { name: 'Impor', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Impor server' });
    const header = 'name,kind,location,os,addresses,roles\n';
    await dialog.locator('input[type="file"]').setInputFiles({
      name: 'server.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `${header}db-01,virtual,noc,Debian 12,203.0.113.11,database\nSALAH NAMA,virtual,noc,,999.1.1.1,web\n`,
      ),
    });
    await dialog.getByTestId('import-preview').waitFor();
    expect(await dialog.getByRole('button', { name: 'Impor semua' }).isDisabled()).toBe(true);
    await shot(page, 'registry-desktop-08-import-errors');
    await dialog.locator('input[type="file"]').setInputFiles({
      name: 'server.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}db-01,virtual,noc,Debian 12,203.0.113.11,database\n`),
    });
    await dialog.getByRole('button', { name: 'Impor semua' }).and(page.locator(':enabled')).waitFor();
    await dialog.getByRole('button', { name: 'Impor semua' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const servers = page.getByTestId('servers-list');
    await servers.getByRole('link', { name: 'db-01' }).waitFor();
    await shot(page, 'registry-desktop-09-servers');

    // The pool page: the next free address for the imported server, then shown as the server's.
    await openMenu(page, 'Pool IP Publik');
    await page.getByTestId('pools-list').getByRole('link', { name: 'Publik NOC' }).click();
    const next = (await page.getByTestId('pool-next-free').textContent()) ?? '';
    expect(next).toMatch(/^203\.0\.113\.\d+$/);
    await page.getByRole('button', { name: 'Alokasikan IP' }).click();
    const allocate = page.getByRole('dialog', { name: 'Alokasikan IP dari Publik NOC' });
    await choose(page, allocate, 'Server', 'db-01');
    await shot(page, 'registry-desktop-10a-allocate');
    await allocate.getByRole('button', { name: 'Alokasikan', exact: true }).click();
    await allocate.waitFor({ state: 'hidden' });
    await page.locator(`[data-address="${next}"][data-ip-state="server"]`).waitFor();
    // Only the held addresses, as a table.
    // (The notification of the allocation may cover the switch: click the control itself.)
    await page.getByRole('switch', { name: 'Hanya yang terpakai' }).dispatchEvent('click');
    await page.waitForURL(/used=true/);
    await page.getByTestId('pool-allocations').getByRole('link', { name: 'db-01' }).waitFor();
    await openMenu(page, 'Server');

    // A server's page: its websites and its history.
    await servers.getByRole('link', { name: 'web-01' }).click();
    await page.getByRole('heading', { level: 1, name: 'web-01' }).waitFor();
    await page.getByTestId('server-websites').getByRole('link', { name: OTHER_HOSTNAME }).waitFor();
    await page.getByTestId('registry-history').getByText('Dibuat').waitFor();
    await shot(page, 'registry-desktop-10-server');

    // Zones: the names in use (the retired website's name held), and a reserved label.
    await openMenu(page, 'Zona DNS');
    await page.getByTestId('zones-list').getByRole('link', { name: ZONE }).click();
    const names = page.getByTestId('zone-names');
    await names.getByText(OTHER_HOSTNAME).waitFor();
    await names.getByText(HOSTNAME).waitFor();
    await page.getByRole('button', { name: 'Cadangkan nama' }).click();
    const reserve = page.getByRole('dialog', { name: 'Cadangkan nama' });
    await reserve.getByRole('textbox', { name: 'Subdomain' }).fill('Ppid');
    await reserve.getByRole('button', { name: 'Cadangkan nama' }).click();
    await reserve.getByText('Gunakan huruf kecil.').waitFor();
    await reserve.getByRole('textbox', { name: 'Subdomain' }).fill('ppid');
    await reserve.getByRole('button', { name: 'Cadangkan nama' }).click();
    await reserve.waitFor({ state: 'hidden' });
    await names.getByText(`ppid.${ZONE}`).waitFor();
    await shot(page, 'registry-desktop-11-zone');

    await context.close();
    expect(browserProblems).toEqual([]);
  }, 120_000);

  it('shows the list, the detail and the pool map on a 390px phone', async () => {
    const [context, page] = await newPage(PHONE_390);
    await signIn(page, PEOPLE.kabid);
    await openMenu(page, 'Website');
    await page.getByRole('heading', { level: 1, name: 'Website' }).waitFor();
    await page.getByTestId('websites-list').getByRole('link', { name: HOSTNAME }).waitFor();
    // No table on a phone: cards, and a select for the order.
    expect(await page.locator('table').count()).toBe(0);
    await page.getByRole('combobox', { name: 'Urutkan' }).waitFor();
    await shot(page, 'registry-phone-01-list');

    // The form fills the phone's screen.
    await page.getByRole('button', { name: 'Tambah website' }).click();
    const form = page.getByRole('dialog', { name: 'Tambah website' });
    await form.getByRole('textbox', { name: 'Subdomain' }).fill('dishub');
    await form.getByText('Nama ini masih ditahan (karantina) sampai', { exact: false }).waitFor();
    await shot(page, 'registry-phone-04-form');
    await form.getByRole('button', { name: 'Batal' }).click();
    await form.waitFor({ state: 'hidden' });

    await page.getByTestId('websites-list').getByRole('link', { name: HOSTNAME }).click();
    await page.getByRole('heading', { level: 1, name: HOSTNAME }).waitFor();
    await shot(page, 'registry-phone-02-detail');

    await page.goto(`${server.url}/registri/pool-ip/${poolId}`);
    await page.locator('[data-address="203.0.113.10"]').click();
    await page.getByTestId('ip-cell-details').waitFor();
    await shot(page, 'registry-phone-03-pool-map');

    // Nothing is wider than the screen.
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
    expect(browserProblems).toEqual([]);
  }, 120_000);

  it('an OPD user sees only its own website, and no servers or pools', async () => {
    const [context, page] = await newPage(DESKTOP);
    await signIn(page, PEOPLE.opd);
    await navigation(page).getByRole('link', { name: 'Website Kami', exact: true }).waitFor();
    expect(await navigation(page).getByRole('link', { name: 'Server', exact: true }).count()).toBe(0);
    expect(await navigation(page).getByRole('link', { name: 'Pool IP Publik', exact: true }).count()).toBe(0);

    await openMenu(page, 'Website Kami');
    await page.getByRole('heading', { level: 1, name: 'Website Kami' }).waitFor();
    const list = page.getByTestId('websites-list');
    await list.getByRole('link', { name: HOSTNAME }).waitFor();
    expect(await list.getByRole('link', { name: OTHER_HOSTNAME }).count()).toBe(0);
    // No editing for the OPD.
    expect(await page.getByRole('button', { name: 'Tambah website' }).count()).toBe(0);
    await shot(page, 'registry-desktop-07-opd-list');

    await list.getByRole('link', { name: HOSTNAME }).click();
    await page.getByRole('heading', { level: 1, name: HOSTNAME }).waitFor();
    expect(await page.getByRole('button', { name: 'Ubah status' }).count()).toBe(0);

    await page.goto(`${server.url}/registri/pool-ip`);
    await page
      .getByText('Server, pool IP, dan zona DNS hanya untuk pegawai DKISP.', { exact: false })
      .waitFor();
    await context.close();
    expect(browserProblems).toEqual([]);
  }, 120_000);
});
