/**
 * Browser test: printing a request. The request is brought to the Kabid's decision through the API; the
 * Kabid opens it in the browser. With print media emulated, the page is a record: no navigation, no
 * header bar, no action form or buttons, and the header, steps table and history are shown; the page is
 * saved as an A4 PDF (test-results/screens/print-case-a4.pdf) to look at. Then "Cetak" issues the
 * official Request Summary and opens it in a new tab: the file it shows is that PDF.
 */
import { mkdir } from 'node:fs/promises';
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
  SCREENS,
  type Server,
  signIn as signInAt,
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

type Detail = { id: string; ref: string; version: number };

beforeAll(async () => {
  ({ server, dataDir } = await startServer('loket-e2e-print-'));
  const apiAs = (username: string, password: string) => apiAt(server.url, username, password);
  const admin = await apiAs(ADMIN.username, ADMIN.password);
  const { units } = await createPeople(admin, OPD, Object.values(PEOPLE) as Person[], PASSWORD);
  const as = {
    opd: await apiAs(PEOPLE.opd.username, PASSWORD),
    umum: await apiAs(PEOPLE.umum.username, PASSWORD),
    kepala: await apiAs(PEOPLE.kepala.username, PASSWORD),
    kabid: await apiAs(PEOPLE.kabid.username, PASSWORD),
  };
  const form = new FormData();
  for (const [key, value] of Object.entries({
    kind: 'new',
    subject: SUBJECT,
    letterNumber: '556/041/DISPAR/2026',
    letterDate: appToday(),
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
  await act(as.kepala, 'dispose', {
    toUnitId: units.items.find((u) => u.code === 'APTIKA')?.id,
    instruction: 'tindak_lanjuti',
    note: 'Segera dikaji.',
  });
  await act(as.kabid, 'review', { findings: 'Layak dibuat di server bersama.', recommendation: 'approve' });
  caseId = c.id;
  caseRef = c.ref;
  browser = await launchBrowser();
  await mkdir(SCREENS, { recursive: true });
});

afterAll(async () => {
  await stopAll(browser, server, dataDir);
});

const browserProblems: string[] = [];

async function kabidOnCase(): Promise<[BrowserContext, Page]> {
  const [context, page] = await newPageIn(browser, DESKTOP, { problems: browserProblems, fixTime: true });
  await signInAt(page, server.url, PEOPLE.kabid.username, PASSWORD);
  await page.goto(`${server.url}/permohonan/${caseId}`);
  await page.getByTestId('case-ref').filter({ hasText: caseRef }).waitFor();
  await page.getByTestId('case-history').locator('.mantine-Timeline-item').first().waitFor();
  return [context, page];
}

describe('Printing a request', () => {
  it('prints the record on A4: no navigation, header bar, action form or buttons', async () => {
    const [context, page] = await kabidOnCase();
    // On screen, the Kabid has the decision form, the navigation and the Cetak button.
    await expect(page.getByTestId('case-actions').isVisible()).resolves.toBe(true);
    await expect(page.locator('form').first().isVisible()).resolves.toBe(true);
    await expect(page.locator('.app-navbar').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('case-print').isVisible()).resolves.toBe(true);

    await page.emulateMedia({ media: 'print' });
    for (const hidden of [
      '.app-navbar',
      '.app-header',
      '[data-testid="case-actions"]',
      '[data-testid="case-flow"]',
    ]) {
      await expect(page.locator(hidden).isVisible(), hidden).resolves.toBe(false);
    }
    const visibleForms = await page
      .locator('form')
      .evaluateAll((forms) => forms.filter((f) => f.getClientRects().length > 0).length);
    expect(visibleForms).toBe(0);
    const visibleButtons = await page
      .locator('.case-page button, .case-page .mantine-Button-root')
      .evaluateAll((all) => all.filter((b) => b.getClientRects().length > 0).length);
    expect(visibleButtons).toBe(0);

    // The record stays: the header with the reference, the steps table whole, the history.
    await expect(page.getByTestId('case-header').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('case-ref').textContent()).resolves.toBe(caseRef);
    await expect(page.getByTestId('case-timeline').locator('table').isVisible()).resolves.toBe(true);
    const history = page.getByTestId('case-history').locator('.mantine-Timeline-item');
    expect(await history.count()).toBeGreaterThanOrEqual(4);
    await expect(history.last().isVisible()).resolves.toBe(true);
    // The steps table fits an A4 page (210 mm less 12 mm margins each side, at 96 dpi: 703 px): nothing
    // scrolls sideways, nothing is cut off. (The page keeps the layout it had on screen when printed, so
    // the main column is narrowed rather than the window, which would swap the table for phone cards.)
    await page.evaluate(`document.querySelector('.app-main').style.width = '703px'`);
    const overflow = await page
      .getByTestId('case-timeline')
      .locator('table')
      .evaluate((table) => {
        const section = table.closest('section');
        if (!section) throw new Error('the steps table is not in its section');
        return table.getBoundingClientRect().right - section.getBoundingClientRect().right;
      });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.evaluate(`document.querySelector('.app-main').style.width = ''`);
    // The main column starts at the page's edge, with no room kept for the navigation.
    const left = await page.locator('.app-main').evaluate((main) => main.getBoundingClientRect().left);
    expect(left).toBe(0);

    const pdf = await page.pdf({
      format: 'A4',
      path: join(SCREENS, 'print-case-a4.pdf'),
      printBackground: true,
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(browserProblems).toEqual([]);
    await context.close();
  });

  it('"Cetak" issues the official Request Summary and opens the PDF in a new tab', async () => {
    const [context, page] = await kabidOnCase();
    const [popup, issued, file] = await Promise.all([
      page.waitForEvent('popup'),
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith(`/api/cases/${caseId}/documents`),
      ),
      page.waitForResponse((r) => /\/api\/documents\/[^/]+\/pdf$/.test(r.url())),
      page.getByTestId('case-print').click(),
    ]);
    expect(issued.status()).toBe(201);
    const document = (await issued.json()) as { kind: string; url: string; title: string };
    expect(document.kind).toBe('case_summary');
    expect(document.title).toContain(caseRef);
    expect(file.url()).toBe(`${server.url}${document.url}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('application/pdf');
    // The stored file is a PDF, and the new tab shows those very bytes.
    const stored = await context.request.get(`${server.url}${document.url}`);
    const bytes = await stored.body();
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // The new tab shows it: a copy of those bytes the request page made (the file itself is an attachment).
    await popup.waitForURL(/^blob:/);
    // The summary is now among the request's documents.
    await page.getByTestId('case-official-documents').locator('[data-kind="case_summary"]').first().waitFor();
    expect(browserProblems).toEqual([]);
    await context.close();
  });
});
