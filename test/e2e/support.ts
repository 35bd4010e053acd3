/**
 * What the browser tests share: the real server on a fresh data directory, Chromium with the same flags,
 * pages at desktop and phone sizes, signing in and out, the plain screenshot and the API set-up helpers.
 * Each test file keeps its own helpers where it needs something different.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startLoket } from '../../src/main.ts';
import { clockFrom, jakartaDate, OFFICE_HOURS } from '../helpers/clock.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENS = new URL('../../test-results/screens/', import.meta.url).pathname;
export const ADMIN = { username: 'admin', password: 'Uji-Loket-2026!aman' };

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };

export type Server = { url: string; close(): Promise<void> };

/**
 * The clock of the server this file started (and of its browser pages): it starts at OFFICE_HOURS —
 * Tuesday 1 December 2026, 09:00 WIB, a working day — and moves with real time, so the walks run in
 * office hours whatever the hour of the run. One server per test file.
 */
let appClock: () => Date = clockFrom(OFFICE_HOURS);
/** Now, by the server's clock. */
export const appNow = (): Date => appClock();
/** Today in Jakarta by the server's clock (`YYYY-MM-DD`). */
export const appToday = (): string => jakartaDate(appClock());
export type Viewport = { width: number; height: number };
export type Person = { username: string; fullName: string; roles: string[]; unit?: string };
/** Calls the API with one session. */
export type Call = (method: string, path: string, body?: unknown) => Promise<unknown>;

/**
 * Starts the real server on a fresh temporary data directory (named from `prefix`), with the test
 * administrator; `quiet` silences its start-up print.
 */
export async function startServer(
  prefix: string,
  {
    quiet = true,
    env = {},
    start = OFFICE_HOURS,
  }: { quiet?: boolean; env?: Record<string, string>; start?: Date } = {},
): Promise<{ server: Server; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(SCREENS, { recursive: true });
  appClock = clockFrom(start);
  const server = await startLoket({
    now: appClock,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      LOKET_DATA_DIR: dataDir,
      LOKET_ADMIN_USERNAME: ADMIN.username,
      LOKET_ADMIN_PASSWORD: ADMIN.password,
      LOKET_LOG_LEVEL: 'warn',
      ...env,
    },
    ...(quiet ? { print: () => {} } : {}),
  });
  return { server, dataDir };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Closes the browser, stops the server and removes its data directory (whatever of them was started). */
export async function stopAll(
  browser: Browser | undefined,
  server: Server | undefined,
  dataDir: string | undefined,
): Promise<void> {
  await browser?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

/**
 * A fresh context and page in Indonesian and Jakarta time; with `fixTime`, its clock fixed at the
 * server's current instant (Playwright's clock), so the web's "today" and due times agree with the
 * server's. With
 * `problems`, script errors and CSP violations are collected there (the test fails on any); without,
 * script errors are printed.
 */
export async function newPage(
  browser: Browser,
  viewport: Viewport,
  {
    problems,
    acceptDownloads = false,
    fixTime = false,
  }: { problems?: string[]; acceptDownloads?: boolean; fixTime?: boolean } = {},
): Promise<[BrowserContext, Page]> {
  const context = await browser.newContext({
    viewport,
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    ...(acceptDownloads ? { acceptDownloads: true } : {}),
  });
  // A fixed time, not an installed fake clock: `clock.install` also fakes the page's timers (a
  // notification went missing in the holidays walk). The server's clock moves on by the seconds the
  // walk takes; the browser's stays at its start — the same day, in office hours. Opt-in: with a
  // fixed Date the SOP-times page's dialogs did not settle, so only the walks whose "today" and due
  // times must agree with the server's (cases, documents) fix it.
  if (fixTime) await context.clock.setFixedTime(appClock());
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  if (problems) {
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy|Refused to/i.test(text)) problems.push(`csp: ${text}`);
    });
  } else {
    // Surface what the browser saw when something breaks.
    page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
  }
  return [context, page];
}

/** Waits for animations (drawers, notifications) to settle, then saves a full-page screenshot. */
export async function shot(page: Page, name: string, settleMs = 350): Promise<void> {
  // Park the pointer where it shows no tooltip or hover state.
  await page.mouse.move(1, 799);
  await page.waitForTimeout(settleMs);
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}

/** Signs in through the sign-in page and waits for the greeting on Beranda. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/masuk`);
  await page.getByLabel('Nama pengguna', { exact: true }).fill(username);
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.getByRole('heading', { level: 1, name: /^Selamat (pagi|siang|sore|malam)/ }).waitFor();
}

/** Signs out through the user menu and waits for the sign-in page's address. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Menu pengguna' }).click();
  await page.getByRole('menuitem', { name: 'Keluar' }).click();
  await page.waitForURL(/\/masuk/);
}

/** Signs in through the API (set-up only) and answers a function that calls it with that session. */
export async function apiAs(baseUrl: string, username: string, password: string): Promise<Call> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return async (method, path, body) => {
    const form = body instanceof FormData;
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { cookie, ...(body && !form ? { 'content-type': 'application/json' } : {}) },
      body: form ? body : body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

export type Unit = { id: string; code: string };

/**
 * Creates the OPD and the people (all with `password`) through the administrator's API session: the OPD
 * user belongs to the OPD, everyone else to the work unit with their `unit` code.
 */
export async function createPeople(
  admin: Call,
  opd: { code: string; name: string },
  people: Person[],
  password: string,
): Promise<{ opd: { id: string }; units: { items: Unit[] } }> {
  const created = (await admin('POST', '/api/opds', opd)) as { id: string };
  const units = (await admin('GET', '/api/units?pageSize=100')) as { items: Unit[] };
  for (const person of people) {
    const unitId = person.unit ? units.items.find((u) => u.code === person.unit)?.id : undefined;
    await admin('POST', '/api/users', {
      username: person.username,
      fullName: person.fullName,
      roles: person.roles,
      password,
      ...(person.roles.includes('opd') ? { opdId: created.id } : { unitId }),
    });
  }
  return { opd: created, units };
}
