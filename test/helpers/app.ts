import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type Config, loadConfig } from '../../src/config.ts';
import type { Db, DbHandle } from '../../src/db/create-db.ts';
import type { Role } from '../../src/db/schema.ts';
import { buildApp } from '../../src/server/app.ts';
import { clockFrom, OFFICE_HOURS } from './clock.ts';
import { createTestDb } from './db.ts';
import { type BuiltUser, buildUser } from './factories.ts';

export type TestApp = {
  app: FastifyInstance;
  db: Db;
  handle: DbHandle;
  config: Config;
  /** The app's clock (by default it starts at OFFICE_HOURS and moves with real time). */
  now: () => Date;
  /** Signs in and returns the Cookie header value to send with later requests. */
  login(username: string, password: string): Promise<string>;
  /** Creates a user with the given roles and signs it in. */
  as(
    roles: Role[],
    overrides?: Parameters<typeof buildUser>[1],
  ): Promise<{ user: BuiltUser; cookie: string }>;
  close(): Promise<void>;
};

export function cookieFrom(res: LightMyRequestResponse): string {
  const c = res.cookies.find((k) => k.name.endsWith('loket_session'));
  if (!c) throw new Error(`no session cookie in ${res.statusCode} ${res.body}`);
  return `${c.name}=${c.value}`;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    LOKET_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'loket-test-data-')),
    LOKET_LOGIN_RATE_PER_MINUTE: '100000',
    LOKET_LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
    LOKET_WEB_DIR: '/nonexistent-web-dir',
    ...env,
  });
}

/**
 * The real app on a real (copied) database, driven by `app.inject`. Its clock starts at a fixed
 * instant inside office hours (Tuesday 09:00 WIB) unless `now` says otherwise: the real clock would
 * make the tests' outcome depend on the hour they run at.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  handle?: DbHandle,
  { now = clockFrom(OFFICE_HOURS) }: { now?: () => Date } = {},
): Promise<TestApp> {
  const h = handle ?? (await createTestDb());
  const config = testConfig(env);
  const app = await buildApp({ config, db: h.db, logger: false, now });
  const login = async (username: string, password: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    return cookieFrom(res);
  };
  return {
    app,
    db: h.db,
    handle: h,
    config,
    now,
    login,
    async as(roles, overrides = {}) {
      const user = await buildUser(h.db, { ...overrides, roles });
      return { user, cookie: await login(user.username, user.password) };
    },
    async close() {
      await app.close();
      if (!handle) await h.close();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

/** A multipart/form-data body for `app.inject`: text fields and files. */
export function multipart(
  fields: Record<string, string | string[]>,
  files: { field: string; name: string; type: string; data: Buffer }[] = [],
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----loket${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${one}\r\n`),
      );
    }
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
