/**
 * Browser test: provisioning from the web pages, on the real server (started with its job worker, which
 * executes the runs) against a real Apache and a real BIND started on loopback for this file.
 *
 * Set-up through the API: a name server (BIND, with its TSIG secret), a web server without provisioning
 * settings, the zone with its name server, a loopback pool, and a website request walked to its
 * installation step with a source archive. Then, in the browser: the head of division asks for the
 * install plan and is told what is missing (the address); sees the local server's Apache as the
 * installation configured it (no field names a program or its configuration file), and a bad path
 * refused next to its field in the ssh part of the server's provisioning form; sees
 * the plan (each step, its server, every target; skipped steps with the reason), applies it and watches
 * the run reach "done" — the site then answers over HTTP by its name and the name resolves through
 * BIND. On a 390px phone the staff member installs again from the request page (DNS record "exists").
 * Back on the desktop: the second installation is rolled back, then the website is retired after its
 * hostname is typed, and its DNS record is gone. On a phone, ssh access asks for its key (a pasted
 * ssh-keygen line keeps the fingerprint), and the zone's form offers its name server. Plans, progress
 * and the server form are photographed on both screens.
 */
import crypto from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRecords } from '../../src/provisioning/dns/client.ts';
import { onePagePdf, storedZip } from '../../src/shared/tiny-files.ts';
import { type ApacheServer, findApache, startApache, writeLocalAgentConfig } from '../servers/apache.ts';
import { type BindServer, findNamed, startBind } from '../servers/bind.ts';
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
  SCREENS,
  type Server,
  signIn as signInAt,
  startServer,
  stopAll,
} from './support.ts';

const missing = [
  ['bind9', findNamed()],
  ['apache2', findApache()],
]
  .filter(([, found]) => !found)
  .map(([name]) => name);
if (missing.length > 0 && process.env.CI === 'true') {
  throw new Error(`The provisioning browser test needs: apt-get install ${missing.join(' ')}`);
}

const PASSWORD = 'Kata-Sandi-Uji-2026!';
const PHONE_390 = { width: 390, height: 844 };
const ZONE = 'contoh-kab.test';
const HOSTNAME = `dishub.${ZONE}`;
const OPD = { code: 'DISHUB', name: 'Dinas Perhubungan' };
const MARK = `Website resmi Dinas Perhubungan ${crypto.randomUUID()}`;
const INDEX = `<!doctype html><title>Dinas Perhubungan</title><h1>${MARK}</h1>`;

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
let bind: BindServer;
let apache: ApacheServer;
let agentDir = '';
let admin: Call;
const ids = { web: '', ns: '', zone: '', pool: '', website: '', case: '', caseRef: '' };

/** Problems the browser reported (script errors, CSP violations): the test fails on any. */
const browserProblems: string[] = [];

type Detail = {
  id: string;
  ref: string;
  version: number;
  step: { key: string };
  website: { id: string } | null;
};

/** Walks a new-website request through the API up to the installation step, with `archive` as its build. */
async function requestAtInstallation(): Promise<void> {
  const as: Record<string, Call> = {};
  for (const [key, person] of Object.entries(PEOPLE)) {
    as[key] = await apiAs(server.url, person.username, PASSWORD);
  }
  const units = (await admin('GET', '/api/units?pageSize=100')) as { items: { id: string; code: string }[] };
  const users = (await admin('GET', '/api/users?pageSize=100')) as {
    items: { id: string; username: string }[];
  };
  const userId = (p: Person) => users.items.find((u) => u.username === p.username)?.id;
  const today = appToday();
  const form = new FormData();
  for (const [k, v] of Object.entries({
    kind: 'new',
    subject: 'Permohonan pembuatan website Dinas Perhubungan',
    letterNumber: '027/88/XI/2026',
    letterDate: today,
    description: 'Website resmi Dinas Perhubungan.',
    requestedHostname: HOSTNAME,
  })) {
    form.append(k, v);
  }
  form.append('letter', new Blob([new Uint8Array(onePagePdf())], { type: 'application/pdf' }), 'surat.pdf');
  let c = (await as.opd?.('POST', '/api/cases', form)) as Detail;
  const act = async (who: keyof typeof PEOPLE, action: string, payload: Record<string, unknown> = {}) => {
    c = (await as[who]?.('POST', `/api/cases/${c.id}/actions/${action}`, {
      version: c.version,
      ...payload,
    })) as Detail;
  };
  await act('opd', 'submit');
  await act('umum', 'register', {
    receivedAt: appNow().toISOString(),
    urgency: 'biasa',
    addressee: 'Kepala DKISP',
    scanConfirmed: true,
  });
  await act('kepala', 'dispose', {
    toUnitId: units.items.find((u) => u.code === 'APTIKA')?.id,
    instruction: 'tindak_lanjuti',
  });
  await act('kabid', 'dispose_on', { toUserId: userId(PEOPLE.subkoor), instruction: 'pelajari' });
  await act('subkoor', 'review', { findings: 'Layak.', recommendation: 'approve' });
  await act('kabid', 'decide', { decision: 'approve' });
  await act('umum', 'send_letter', { letterDate: today });
  await act('kabid', 'start_work', { websiteExists: false, teamUserIds: [userId(PEOPLE.staf)] });
  await act('staf', 'save_kak', {
    goals: 'Informasi layanan perhubungan.',
    scope: 'Profil, berita, layanan.',
    menuStructure: 'Beranda, Profil, Layanan',
    features: 'Berita',
    targetUsers: 'Masyarakat',
    schedule: 'Dua minggu',
    team: 'Aptika',
  });
  await act('staf', 'complete_analysis');
  const build = new FormData();
  build.append('version', String(c.version));
  build.append('template', 'Pemda');
  build.append('cms', 'Statis');
  build.append(
    'source',
    new Blob([new Uint8Array(storedZip({ 'index.html': INDEX }))], { type: 'application/zip' }),
    'situs.zip',
  );
  c = (await as.staf?.('POST', `/api/cases/${c.id}/actions/complete_build`, build)) as Detail;
  expect(c.step.key).toBe('instalasi');
  ids.case = c.id;
  ids.caseRef = c.ref;
  ids.website = c.website?.id ?? '';
  expect(ids.website).not.toBe('');
}

beforeAll(async () => {
  if (missing.length > 0) return;
  const keySecret = crypto.randomBytes(32).toString('base64');
  [bind, apache] = await Promise.all([
    startBind({ zones: [ZONE], keyName: 'loket-key', keySecretBase64: keySecret }),
    startApache(),
  ]);
  // Local access to this host's Apache is the installation's choice: its own agent configuration.
  agentDir = await mkdtemp(join(tmpdir(), 'loket-e2e-local-agent-'));
  ({ server, dataDir } = await startServer('loket-e2e-provisioning-', {
    env: {
      LOKET_LOCAL_AGENT_CONFIG: writeLocalAgentConfig(apache, agentDir),
      // Apache and BIND are on loopback: the installation allows website addresses outside the
      // registered public pools (LOKET_ALLOW_UNPOOLED_ADDRESSES), as only a test installation would.
      LOKET_ALLOW_UNPOOLED_ADDRESSES: 'true',
    },
  }));
  admin = await apiAs(server.url, ADMIN.username, ADMIN.password);
  await createPeople(admin, OPD, Object.values(PEOPLE) as Person[], PASSWORD);
  const create = async (name: string, roles: string[]) =>
    (
      (await admin('POST', '/api/registry/servers', { name, kind: 'shared', location: 'noc', roles })) as {
        id: string;
      }
    ).id;
  ids.ns = await create('ns1', ['dns']);
  ids.web = await create('web-01', ['web']);
  // The name server is ready; the web server's settings are filled in through the browser.
  await admin('PUT', `/api/registry/servers/${ids.ns}/provisioning`, {
    access: { kind: 'local' },
    settings: { dns: { host: '127.0.0.1', port: bind.port, keyName: 'loket-key' } },
    secrets: { dnsKey: keySecret },
  });
  ids.zone = (
    (await admin('POST', '/api/registry/zones', { name: ZONE, nsServerId: ids.ns })) as { id: string }
  ).id;
  ids.pool = (
    (await admin('POST', '/api/registry/pools', { name: 'Loopback', cidr: '127.0.0.0/29' })) as {
      id: string;
    }
  ).id;
  await requestAtInstallation();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await stopAll(browser, server, dataDir);
  await Promise.allSettled([bind?.stop(), apache?.stop()]);
  if (agentDir) await rm(agentDir, { recursive: true, force: true });
});

function newPage(viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> {
  return newPageIn(browser, viewport, { problems: browserProblems });
}

function signIn(page: Page, person: Person): Promise<void> {
  return signInAt(page, server.url, person.username, PASSWORD);
}

/** What the site answers for its name at Apache's loopback address. */
function fetchSite(): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: apache.httpPort, path: '/', headers: { host: HOSTNAME } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** A dialog is fixed to the screen: photograph the screen, not the whole page behind it. */
async function shotScreen(page: Page, name: string): Promise<void> {
  await page.mouse.move(1, 1);
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(SCREENS, `${name}.png`) });
}

/** Photographs one part of the page (the provisioning panel with its progress). */
async function shotOf(page: Page, testId: string, name: string): Promise<void> {
  await page.mouse.move(1, 1);
  await page.waitForTimeout(350);
  await page.getByTestId(testId).screenshot({ path: join(SCREENS, `${name}.png`) });
}

function resolveName(): Promise<string[]> {
  return queryRecords({ host: '127.0.0.1', port: bind.port }, HOSTNAME, 'A');
}

async function openInstallPlan(page: Page): Promise<ReturnType<Page['getByTestId']>> {
  await page.getByTestId('provisioning-actions').getByRole('button', { name: 'Instalasi otomatis' }).click();
  const modal = page.getByTestId('plan-modal');
  await modal.waitFor();
  return modal;
}

/** Applies the open plan and waits until the run shown is over; answers its final status. */
async function applyAndWait(page: Page): Promise<string> {
  await page.getByTestId('plan-apply').click();
  const progress = page.getByTestId('run-progress');
  await progress.waitFor();
  await page
    .locator(
      '[data-testid="run-progress"][data-status="done"], [data-testid="run-progress"][data-status="failed"]',
    )
    .waitFor({ timeout: 60_000 });
  return (await progress.getAttribute('data-status')) ?? '';
}

/** The text of each step of the run shown, in order, as "key:status". */
async function runSteps(page: Page): Promise<string[]> {
  return page
    .getByTestId('run-progress')
    .getByTestId('run-step')
    .evaluateAll((nodes) =>
      nodes.map((n) => `${n.getAttribute('data-step')}:${n.getAttribute('data-status')}`),
    );
}

describe.skipIf(missing.length > 0)('provisioning in the browser, on real Apache and BIND', () => {
  it('explains what blocks the plan, takes the server settings, shows the plan and installs (desktop)', async () => {
    const [context, page] = await newPage(DESKTOP);
    await signIn(page, PEOPLE.kabid);
    await page.goto(`${server.url}/registri/website/${ids.website}`);
    await page.getByTestId('provisioning-panel').waitFor();
    expect(await page.getByTestId('run-history-empty').textContent()).toContain('Belum pernah');

    // No address yet: the plan says so and offers to complete the record.
    let modal = await openInstallPlan(page);
    const blocked = modal.getByTestId('plan-blocked');
    await blocked.getByText('Website ini belum punya alamat IP.').waitFor();
    await blocked.getByRole('button', { name: 'Lengkapi data website' }).waitFor();
    await shotScreen(page, 'provisioning-desktop-01-blocked');
    expect(await page.getByTestId('plan-apply').isDisabled()).toBe(true);
    await modal.getByRole('button', { name: 'Batal' }).click();

    // Server and address given. The server is reached locally: its Apache is the installation's own
    // (LOKET_LOCAL_AGENT_CONFIG), shown read-only; which program runs and which file it reads are no
    // fields anyone can fill in.
    const website = (await admin('GET', `/api/registry/websites/${ids.website}`)) as { version: number };
    await admin('PATCH', `/api/registry/websites/${ids.website}`, {
      version: website.version,
      serverId: ids.web,
    });
    await admin('POST', `/api/registry/pools/${ids.pool}/allocations`, {
      kind: 'website',
      websiteId: ids.website,
    });
    await page.goto(`${server.url}/registri/server/${ids.web}#provisioning`);
    const section = page.getByTestId('server-provisioning');
    await section.getByTestId('local-apache').getByText(apache.sitesDir, { exact: true }).waitFor();
    await section.getByRole('button', { name: 'Ubah pengaturan' }).click();
    const form = page.getByTestId('server-provisioning-form');
    await form.waitFor();
    await form.getByTestId('local-apache').waitFor();
    expect(await form.getByRole('textbox', { name: /Berkas konfigurasi|Program/ }).count()).toBe(0);
    // Over ssh Apache is only described to Loket; a relative directory is refused next to its field.
    await form.locator('label').filter({ hasText: /^SSH$/ }).click();
    expect(await form.getByRole('switch', { name: 'Apache (web)' }).isChecked()).toBe(true);
    expect(await form.getByRole('textbox', { name: /Berkas konfigurasi|Program/ }).count()).toBe(0);
    // A required field's label ends with an asterisk.
    const fill = (label: string, value: string) =>
      form.getByRole('textbox', { name: new RegExp(`^${label}( \\*)?$`) }).fill(value);
    await fill('Direktori virtual host', 'sites');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await form
      .getByText('Direktori absolut yang polos, mis. /var/www (tanpa .. atau karakter khusus).')
      .waitFor();
    await shotScreen(page, 'provisioning-desktop-02-server-form');
    await form.getByRole('button', { name: 'Batal' }).click();
    await form.waitFor({ state: 'detached' });
    await shotOf(page, 'server-provisioning', 'provisioning-desktop-02b-server-settings');
    const saved = (await admin('GET', `/api/registry/servers/${ids.web}/provisioning`)) as {
      access: { kind: string };
      localAccess: { enabled: boolean; apache: { sitesDir: string } | null };
    };
    expect(saved.access.kind).toBe('local');
    expect(saved.localAccess).toMatchObject({ enabled: true, apache: { sitesDir: apache.sitesDir } });

    // The plan: each step, its server and targets; what is skipped and why.
    await page.goto(`${server.url}/registri/website/${ids.website}`);
    modal = await openInstallPlan(page);
    await modal.getByTestId('plan-steps').waitFor();
    const steps = modal.getByTestId('plan-step');
    expect(
      await steps.evaluateAll((nodes) =>
        nodes.map((n) => `${n.getAttribute('data-step')}${n.hasAttribute('data-skipped') ? ' (skip)' : ''}`),
      ),
    ).toEqual(['dns', 'vhost', 'database (skip)', 'deploy', 'tls (skip)', 'check']);
    const dns = modal.locator('[data-step="dns"]');
    expect(await dns.getByTestId('plan-step-server').textContent()).toBe('ns1');
    expect(await dns.getByTestId('plan-target').textContent()).toBe(`${HOSTNAME}. 3600 IN A 127.0.0.1`);
    expect(await modal.locator('[data-step="vhost"]').getByTestId('plan-target').allTextContents()).toEqual([
      `${apache.sitesDir}/${HOSTNAME}.conf`,
      `${apache.docrootBase}/${HOSTNAME}`,
      'berbasis nama',
    ]);
    await modal.locator('[data-step="deploy"]').getByText(`berkas dari situs.zip (${ids.caseRef})`).waitFor();
    await modal
      .locator('[data-step="tls"]')
      .getByText(/Dilewati: ACME belum dikonfigurasi/)
      .waitFor();
    await modal
      .locator('[data-step="database"]')
      .getByText('Dilewati: website ini tidak memakai basis data')
      .waitFor();
    expect(await modal.locator('[data-step="check"]').getByTestId('plan-target').textContent()).toBe(
      `http://${HOSTNAME}/ di 127.0.0.1`,
    );
    await shotScreen(page, 'provisioning-desktop-03-plan');

    // Apply and watch it reach "done".
    expect(await applyAndWait(page)).toBe('done');
    expect(await runSteps(page)).toEqual([
      'dns:done',
      'vhost:done',
      'database:skipped',
      'deploy:done',
      'tls:skipped',
      'check:done',
    ]);
    const progress = page.getByTestId('run-progress');
    await progress.locator('[data-step="dns"]').getByText(`${HOSTNAME}: dibuat`).waitFor();
    await progress.locator('[data-step="vhost"]').getByText('Virtual host: dibuat').waitFor();
    await progress
      .locator('[data-step="deploy"]')
      .getByText(/^1 berkas \(.+\) dari situs\.zip$/)
      .waitFor();
    await progress.locator('[data-step="check"]').getByText(`HTTP 200 dari http://${HOSTNAME}/`).waitFor();
    await page
      .getByTestId('website-header')
      .getByTestId('website-status')
      .filter({ hasText: 'Aktif' })
      .waitFor();
    await page
      .getByTestId('run-history-item')
      .first()
      .locator('[data-testid="run-status"][data-status="done"]')
      .first()
      .waitFor();
    expect(await page.getByTestId('run-history-item').count()).toBe(1);
    await shotOf(page, 'provisioning-panel', 'provisioning-desktop-04-done');

    // The site answers by its name with the deployed page, and the name resolves through BIND.
    const site = await fetchSite();
    expect(site.status).toBe(200);
    expect(site.body).toContain(MARK);
    expect(await resolveName()).toEqual(['127.0.0.1']);

    // The run in the history expands to its steps.
    await page.getByTestId('run-history-item').first().getByRole('button').first().click();
    await page.getByTestId('run-history').getByTestId('run-steps').waitFor();
    expect(browserProblems).toEqual([]);
    await context.close();
  }, 180_000);

  it('installs again from the request at its installation step, on a 390px phone', async () => {
    const [context, page] = await newPage(PHONE_390);
    await signIn(page, PEOPLE.staf);
    await page.goto(`${server.url}/permohonan/${ids.case}`);
    const panel = page.getByTestId('provisioning-panel');
    await panel.waitFor();
    await panel
      .getByTestId('case-install-hint')
      .getByText(/Catat instalasi/)
      .waitFor();
    // Only the installation is offered here.
    expect(await panel.getByTestId('provisioning-actions').getByRole('button').allTextContents()).toEqual([
      'Instalasi otomatis',
    ]);
    const modal = await openInstallPlan(page);
    await modal.getByTestId('plan-steps').waitFor();
    await shotScreen(page, 'provisioning-phone-01-plan');
    expect(await applyAndWait(page)).toBe('done');
    const progress = page.getByTestId('run-progress');
    // Everything was there already: found, not made again.
    await progress.locator('[data-step="dns"]').getByText(`${HOSTNAME}: sudah ada`).waitFor();
    await progress.locator('[data-step="vhost"]').getByText('Virtual host: tidak berubah').waitFor();
    await progress.getByText(`Permohonan ${ids.caseRef}`).first().waitFor();
    await shotOf(page, 'provisioning-panel', 'provisioning-phone-02-done');
    expect(await panel.getByTestId('run-history-item').count()).toBe(2);
    const runs = (await admin('GET', `/api/registry/websites/${ids.website}/provision-runs`)) as {
      items: { kind: string; status: string; case: { id: string } | null }[];
    };
    expect(runs.items[0]).toMatchObject({ kind: 'install', status: 'done', case: { id: ids.case } });

    // Staff read a server's provisioning settings; only administrators and kabid change them.
    await page.goto(`${server.url}/registri/server/${ids.ns}`);
    const section = page.getByTestId('server-provisioning');
    await section.getByText('127.0.0.1:', { exact: false }).first().waitFor();
    await section.locator('[data-testid="secret-state"][data-set]').waitFor();
    expect(await section.getByRole('button', { name: 'Ubah pengaturan' }).count()).toBe(0);
    expect(browserProblems).toEqual([]);
    await context.close();
  }, 120_000);

  it('rolls the installation back, then retires the website once its name is typed (desktop)', async () => {
    const [context, page] = await newPage(DESKTOP);
    await signIn(page, PEOPLE.kabid);
    await page.goto(`${server.url}/registri/website/${ids.website}`);
    const latest = page.getByTestId('run-history-item').first();
    await latest.getByText('Instalasi', { exact: true }).first().waitFor();
    await latest.getByRole('button').first().click();
    const rollbackButton = latest.getByRole('button', { name: 'Batalkan perubahan (rollback)' });
    const confirm = page.getByRole('dialog').getByRole('button', { name: 'Batalkan perubahan', exact: true });
    // On a slow machine the list may still be settling when the first click lands: ask again.
    for (let attempt = 0; attempt < 3 && !(await confirm.isVisible()); attempt++) {
      await rollbackButton.click();
      await confirm.waitFor({ timeout: 10_000 }).catch(() => {});
    }
    await confirm.click();
    const progress = page.getByTestId('run-progress');
    await progress.waitFor();
    await page.locator('[data-testid="run-progress"][data-status="done"]').waitFor({ timeout: 60_000 });
    // The second installation made nothing in DNS (the record existed): only the site is removed.
    expect(await runSteps(page)).toEqual(['site_remove:done']);
    await progress.getByText('Rollback instalasi').waitFor();
    expect((await fetchSite()).status).not.toBe(200);
    expect(await resolveName()).toEqual(['127.0.0.1']);

    // Retiring: the plan removes the site and the record; applying needs the hostname typed.
    await page
      .getByTestId('provisioning-actions')
      .getByRole('button', { name: 'Pensiunkan dan hapus dari server' })
      .click();
    const modal = page.getByTestId('plan-modal');
    await modal.getByTestId('plan-steps').waitFor();
    expect(
      await modal
        .getByTestId('plan-step')
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-step'))),
    ).toEqual(['site_remove', 'db_drop', 'dns_remove']);
    expect(await modal.locator('[data-step="dns_remove"]').getByTestId('change-action').textContent()).toBe(
      'hapus',
    );
    const apply = page.getByTestId('plan-apply');
    expect(await apply.isDisabled()).toBe(true);
    await modal.getByLabel(`Ketik ${HOSTNAME} untuk mengonfirmasi`).fill('dishub');
    expect(await apply.isDisabled()).toBe(true);
    await modal.getByLabel(`Ketik ${HOSTNAME} untuk mengonfirmasi`).fill(HOSTNAME);
    await shotScreen(page, 'provisioning-desktop-05-retire-plan');
    expect(await applyAndWait(page)).toBe('done');
    expect(await runSteps(page)).toEqual(['site_remove:done', 'db_drop:skipped', 'dns_remove:done']);
    await page
      .getByTestId('website-header')
      .getByTestId('website-status')
      .filter({ hasText: 'Dipensiunkan' })
      .waitFor();
    expect(await resolveName()).toEqual([]);
    await page.getByText('Website ini sudah dipensiunkan: tidak ada lagi yang dipasang di server.').waitFor();
    expect(await page.getByTestId('run-history-item').count()).toBe(4);
    await shotOf(page, 'provisioning-panel', 'provisioning-desktop-06-retired');
    expect(browserProblems).toEqual([]);
    await context.close();
  }, 180_000);

  it('asks ssh access for its key and pinned host key, on a 390px phone', async () => {
    const [context, page] = await newPage(PHONE_390);
    await signIn(page, PEOPLE.kabid);
    await page.goto(`${server.url}/registri/server/${ids.ns}`);
    const section = page.getByTestId('server-provisioning');
    await section.getByRole('button', { name: 'Ubah pengaturan' }).click();
    const form = page.getByTestId('server-provisioning-form');
    await form.locator('label').filter({ hasText: /^SSH$/ }).click();
    expect(await form.getByRole('radio', { name: 'SSH' }).isChecked()).toBe(true);
    await form
      .getByTestId('host-key-command')
      .getByText('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub')
      .waitFor();
    const field = (name: string) => form.getByRole('textbox', { name: new RegExp(`^${name}( \\*)?$`) });
    await field('Alamat IP').fill('192.0.2.53');
    await field('Pengguna').fill('loket');
    // What ssh-keygen prints is pasted whole; the fingerprint is kept.
    const fingerprint = crypto.createHash('sha256').update('host key').digest('base64').replace(/=+$/, '');
    await field('Sidik jari kunci host \\(SHA256\\)').fill(`256 SHA256:${fingerprint} root@ns1 (ED25519)`);
    expect(await field('Sidik jari kunci host \\(SHA256\\)').inputValue()).toBe(fingerprint);
    // The DNS secret is stored: its field says so and may stay empty.
    await form.getByText('Kosongkan untuk tidak mengubah.', { exact: false }).first().waitFor();
    await form.getByRole('button', { name: 'Simpan' }).click();
    await form.getByText('Akses SSH memerlukan kunci privat.').waitFor();
    await shotScreen(page, 'provisioning-phone-03-server-ssh');
    await form.getByRole('button', { name: 'Batal' }).click();
    const stored = (await admin('GET', `/api/registry/servers/${ids.ns}/provisioning`)) as {
      access: { kind: string };
    };
    expect(stored.access.kind).toBe('local');

    // The zone names its name server, and its form offers the servers with the DNS role.
    await page.goto(`${server.url}/registri/zona-dns/${ids.zone}`);
    await page.getByTestId('zone-ns-server').getByText('ns1').waitFor();
    await page.getByRole('button', { name: 'Ubah', exact: true }).click();
    const select = page.getByRole('dialog').getByRole('combobox', { name: 'Server DNS (name server)' });
    // The choices load after the dialog opens; the current one shows once they are there.
    await expect.poll(() => select.inputValue(), { timeout: 15_000 }).toBe('ns1');
    await select.click();
    expect(await page.getByRole('option').allTextContents()).toEqual(['ns1']);
    expect(browserProblems).toEqual([]);
    await context.close();
  }, 120_000);
});
