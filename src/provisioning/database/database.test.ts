// The database adapter on real servers: an own MariaDB instance (test/servers/mariadb.ts) and an own
// PostgreSQL instance whose TCP connections authenticate with passwords (test/servers/postgres-auth.ts),
// so "wrong password refused" and "locked account refused" really are refusals. Unsafe names are shown
// to reach no server at all: the administrator target is a TCP listener that counts connections.

import net from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMariadbBin, type MariadbServer, startMariadb } from '../../../test/servers/mariadb.ts';
import { findPostgresBin } from '../../../test/servers/postgres.ts';
import { type PostgresAuthServer, startPostgresWithPasswords } from '../../../test/servers/postgres-auth.ts';
import { UnsafeValueError } from '../types.ts';
import {
  type DbAdmin,
  dropSiteDatabase,
  ensureSiteDatabase,
  generateDbPassword,
  lockSiteUser,
  siteDatabaseState,
  unlockSiteUser,
} from './index.ts';
import { SITE_GROUP_ROLE, scramVerifier } from './postgres.ts';

const CI = process.env.CI === 'true';
function available(what: string, found: boolean, pkg: string): boolean {
  if (found) return true;
  if (CI) throw new Error(`${what} is required under CI=true: apt-get install ${pkg}`);
  console.warn(
    `Skipping the ${what} database adapter tests: server binaries missing (apt-get install ${pkg})`,
  );
  return false;
}
const haveMariadb = available('MariaDB', findMariadbBin() !== undefined, 'mariadb-server');
const havePostgres = available('PostgreSQL', findPostgresBin() !== undefined, 'postgresql');

/** A driver-neutral view of one engine, for the tests that are the same on both. */
type Engine = {
  admin: DbAdmin;
  /** Opens a session as `user` on `database`; rejects with the driver's error. */
  session(user: string, password: string, database: string): Promise<Session>;
  /** Runs statements as the administrator. */
  adminRun(statements: string[]): Promise<void>;
  isBadPassword(e: unknown): boolean;
  isLocked(e: unknown): boolean;
  isDatabaseDenied(e: unknown): boolean;
};
type Session = { query(sql: string): Promise<unknown[]>; close(): Promise<void> };

type DriverError = { errno?: number; code?: string; message?: string };
const err = (e: unknown) => e as DriverError;

function mariadbEngine(srv: MariadbServer): Engine {
  const admin: DbAdmin = { engine: 'mariadb', host: srv.host, port: srv.port, user: srv.user, password: '' };
  return {
    admin,
    async session(user, password, database) {
      const c = await mysql.createConnection({ host: srv.host, port: srv.port, user, password, database });
      c.on('error', () => {});
      return {
        async query(sql) {
          const [rows] = await c.query(sql);
          return Array.isArray(rows) ? rows : [];
        },
        close: () => c.end().catch(() => c.destroy()),
      };
    },
    async adminRun(statements) {
      const c = await mysql.createConnection({ host: srv.host, port: srv.port, user: 'root', password: '' });
      try {
        for (const s of statements) await c.query(s);
      } finally {
        await c.end();
      }
    },
    // Matched on errno: mysql2's names for MariaDB-only numbers are MySQL's.
    isBadPassword: (e) => err(e).errno === 1045, // ER_ACCESS_DENIED_ERROR
    isLocked: (e) => err(e).errno === 4151, // MariaDB ER_ACCOUNT_HAS_BEEN_LOCKED
    isDatabaseDenied: (e) => err(e).errno === 1044, // ER_DBACCESS_DENIED_ERROR
  };
}

function postgresEngine(srv: PostgresAuthServer): Engine {
  const admin: DbAdmin = {
    engine: 'postgresql',
    host: srv.host,
    port: srv.port,
    user: srv.user,
    password: srv.password,
  };
  const client = (user: string, password: string, database: string) => {
    const c = new pg.Client({ host: srv.host, port: srv.port, user, password, database });
    c.on('error', () => {});
    return c;
  };
  return {
    admin,
    async session(user, password, database) {
      const c = client(user, password, database);
      try {
        await c.connect();
      } catch (e) {
        await c.end().catch(() => {});
        throw e;
      }
      return {
        async query(sql) {
          return (await c.query(sql)).rows;
        },
        close: () => c.end().catch(() => {}),
      };
    },
    async adminRun(statements) {
      const c = client(srv.user, srv.password, 'postgres');
      await c.connect();
      try {
        for (const s of statements) await c.query(s);
      } finally {
        await c.end();
      }
    },
    isBadPassword: (e) => err(e).code === '28P01', // invalid_password
    isLocked: (e) => err(e).code === '28000' && /not permitted to log in/.test(err(e).message ?? ''),
    isDatabaseDenied: (e) =>
      err(e).code === '42501' && /permission denied for database/.test(err(e).message ?? ''),
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a refusal, but it succeeded');
}

/** Connects, runs the statements and closes; returns the last statement's rows. */
async function asUser(e: Engine, user: string, password: string, db: string, statements: string[]) {
  const s = await e.session(user, password, db);
  try {
    let rows: unknown[] = [];
    for (const sql of statements) rows = await s.query(sql);
    return rows;
  } finally {
    await s.close();
  }
}

function sharedBehaviour(getEngine: () => Engine) {
  it('creates the database and its user; the user works in its own database', async () => {
    const e = getEngine();
    const pw = generateDbPassword();
    expect(await ensureSiteDatabase(e.admin, { name: 'site_one', user: 'site_one_u', password: pw })).toBe(
      'created',
    );
    expect(await siteDatabaseState(e.admin, { name: 'site_one', user: 'site_one_u' })).toEqual({
      database: true,
      user: true,
      locked: false,
    });
    const rows = await asUser(e, 'site_one_u', pw, 'site_one', [
      'CREATE TABLE pages (id integer PRIMARY KEY, title varchar(100))',
      "INSERT INTO pages VALUES (1, 'Beranda')",
      'SELECT title FROM pages',
    ]);
    expect(rows).toEqual([{ title: 'Beranda' }]);
  });

  it('refuses a wrong password', async () => {
    const e = getEngine();
    await ensureSiteDatabase(e.admin, { name: 'site_pw', user: 'site_pw_u', password: generateDbPassword() });
    const refused = await rejection(e.session('site_pw_u', 'definitely-not-the-password', 'site_pw'));
    expect(e.isBadPassword(refused), String(refused)).toBe(true);
  });

  it("cannot reach another site's database (two sites, both directions)", async () => {
    const e = getEngine();
    const pa = generateDbPassword();
    const pb = generateDbPassword();
    await ensureSiteDatabase(e.admin, { name: 'site_a', user: 'site_a_u', password: pa });
    await ensureSiteDatabase(e.admin, { name: 'site_b', user: 'site_b_u', password: pb });
    await asUser(e, 'site_a_u', pa, 'site_a', ['CREATE TABLE secret (v integer)']);
    await asUser(e, 'site_b_u', pb, 'site_b', ['CREATE TABLE secret (v integer)']);
    // Each works in its own database (the control) …
    expect(await asUser(e, 'site_a_u', pa, 'site_a', ['SELECT count(*) AS n FROM secret'])).toHaveLength(1);
    // … and is refused on the other one.
    const ab = await rejection(e.session('site_a_u', pa, 'site_b'));
    expect(e.isDatabaseDenied(ab), String(ab)).toBe(true);
    const ba = await rejection(e.session('site_b_u', pb, 'site_a'));
    expect(e.isDatabaseDenied(ba), String(ba)).toBe(true);
  });

  it('a second ensure reports exists, keeps the data and replaces the password', async () => {
    const e = getEngine();
    const oldPw = generateDbPassword();
    const newPw = generateDbPassword();
    const site = { name: 'site_rot', user: 'site_rot_u' };
    expect(await ensureSiteDatabase(e.admin, { ...site, password: oldPw })).toBe('created');
    await asUser(e, site.user, oldPw, site.name, [
      'CREATE TABLE kept (v integer)',
      'INSERT INTO kept VALUES (7)',
    ]);
    expect(await ensureSiteDatabase(e.admin, { ...site, password: newPw })).toBe('exists');
    const old = await rejection(e.session(site.user, oldPw, site.name));
    expect(e.isBadPassword(old), String(old)).toBe(true);
    expect(await asUser(e, site.user, newPw, site.name, ['SELECT v FROM kept'])).toEqual([{ v: 7 }]);
    // Same password again: still 'exists', still works.
    expect(await ensureSiteDatabase(e.admin, { ...site, password: newPw })).toBe('exists');
    expect(await asUser(e, site.user, newPw, site.name, ['SELECT v FROM kept'])).toEqual([{ v: 7 }]);
  });

  it('a partly created site (database only) is completed and reported as created', async () => {
    const e = getEngine();
    await e.adminRun(['CREATE DATABASE site_half']);
    expect(await siteDatabaseState(e.admin, { name: 'site_half', user: 'site_half_u' })).toEqual({
      database: true,
      user: false,
      locked: false,
    });
    const pw = generateDbPassword();
    expect(await ensureSiteDatabase(e.admin, { name: 'site_half', user: 'site_half_u', password: pw })).toBe(
      'created',
    );
    await asUser(e, 'site_half_u', pw, 'site_half', ['CREATE TABLE t (v integer)']);
  });

  it('lock refuses logins and ends open sessions; unlock lets the user in again; both idempotent', async () => {
    const e = getEngine();
    const pw = generateDbPassword();
    const site = { name: 'site_lock', user: 'site_lock_u' };
    await ensureSiteDatabase(e.admin, { ...site, password: pw });
    const open = await e.session(site.user, pw, site.name);
    expect(await open.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);

    await lockSiteUser(e.admin, site.user);
    await lockSiteUser(e.admin, site.user);
    expect(await siteDatabaseState(e.admin, site)).toEqual({ database: true, user: true, locked: true });
    const refused = await rejection(e.session(site.user, pw, site.name));
    expect(e.isLocked(refused), String(refused)).toBe(true);
    // The session that was open when the lock came is gone.
    await rejection(open.query('SELECT 1 AS one'));
    await open.close();

    // A re-run of ensure (a resumed job) does not unlock a suspended site.
    expect(await ensureSiteDatabase(e.admin, { ...site, password: pw })).toBe('exists');
    expect((await siteDatabaseState(e.admin, site)).locked).toBe(true);

    await unlockSiteUser(e.admin, site.user);
    await unlockSiteUser(e.admin, site.user);
    expect(await siteDatabaseState(e.admin, site)).toEqual({ database: true, user: true, locked: false });
    expect(await asUser(e, site.user, pw, site.name, ['SELECT 1 AS one'])).toEqual([{ one: 1 }]);
  });

  it('lock and unlock of a user that does not exist do nothing', async () => {
    const e = getEngine();
    await lockSiteUser(e.admin, 'nobody_here');
    await unlockSiteUser(e.admin, 'nobody_here');
    expect(await siteDatabaseState(e.admin, { name: 'nobody_here', user: 'nobody_here' })).toEqual({
      database: false,
      user: false,
      locked: false,
    });
  });

  it('drop removes database and user (ending open sessions); a second drop reports absent', async () => {
    const e = getEngine();
    const pw = generateDbPassword();
    const site = { name: 'site_gone', user: 'site_gone_u' };
    await ensureSiteDatabase(e.admin, { ...site, password: pw });
    const open = await e.session(site.user, pw, site.name);
    await open.query('CREATE TABLE t (v integer)');

    expect(await dropSiteDatabase(e.admin, site)).toBe('removed');
    expect(await siteDatabaseState(e.admin, site)).toEqual({ database: false, user: false, locked: false });
    await rejection(open.query('SELECT 1 AS one'));
    await open.close();
    const refused = await rejection(e.session(site.user, pw, site.name));
    expect(e.isBadPassword(refused), String(refused)).toBe(true);
    expect(await dropSiteDatabase(e.admin, site)).toBe('absent');

    // And it can be created again from scratch.
    expect(await ensureSiteDatabase(e.admin, { ...site, password: pw })).toBe('created');
    expect(await asUser(e, site.user, pw, site.name, ["SELECT 'x' AS v"])).toEqual([{ v: 'x' }]);
  });

  it("refuses the server's own accounts and databases before connecting", async () => {
    const e = getEngine();
    for (const name of ['mysql', 'postgres', 'template1', 'information_schema', 'pg_catalog', 'sys']) {
      await expect(
        ensureSiteDatabase(e.admin, { name, user: 'x_u', password: generateDbPassword() }),
      ).rejects.toThrow(UnsafeValueError);
    }
    for (const user of ['root', 'postgres', 'pg_monitor', SITE_GROUP_ROLE]) {
      await expect(lockSiteUser(e.admin, user)).rejects.toThrow(UnsafeValueError);
      await expect(dropSiteDatabase(e.admin, { name: 'x', user })).rejects.toThrow(UnsafeValueError);
    }
    // The administrator itself can still log in.
    await e.adminRun(['SELECT 1']);
  });
}

describe.skipIf(!haveMariadb)('database adapter on MariaDB', () => {
  let srv: MariadbServer | undefined;
  let engine: Engine;
  beforeAll(async () => {
    srv = await startMariadb();
    engine = mariadbEngine(srv);
  }, 180_000);
  afterAll(async () => {
    await srv?.stop();
  });

  sharedBehaviour(() => engine);

  it('grants exactly its own database: `_` is not a wildcard, nothing global', async () => {
    const pw = generateDbPassword();
    await ensureSiteDatabase(engine.admin, { name: 'app_a', user: 'app_a_u', password: pw });
    // `appxa` matches the GRANT pattern `app_a` if the underscore were left unescaped.
    await engine.adminRun([
      'CREATE DATABASE appxa',
      'CREATE TABLE appxa.t (v integer)',
      'INSERT INTO appxa.t VALUES (1)',
    ]);
    const denied = await rejection(engine.session('app_a_u', pw, 'appxa'));
    expect(engine.isDatabaseDenied(denied), String(denied)).toBe(true);
    const s = await engine.session('app_a_u', pw, 'app_a');
    try {
      expect(err(await rejection(s.query('SELECT * FROM appxa.t'))).errno).toBe(1142); // ER_TABLEACCESS_DENIED_ERROR
      expect(err(await rejection(s.query('CREATE DATABASE appya'))).errno).toBe(1044);
      expect(err(await rejection(s.query('SELECT * FROM mysql.global_priv'))).errno).toBe(1142);
      const grants = (await s.query('SHOW GRANTS')).map((r) => Object.values(r as object)[0]);
      expect(grants).toHaveLength(2);
      expect(grants[0]).toMatch(/^GRANT USAGE ON \*\.\* TO `app_a_u`@`%`/);
      expect(grants[1]).toBe('GRANT ALL PRIVILEGES ON `app\\_a`.* TO `app_a_u`@`%`');
    } finally {
      await s.close();
    }
  });

  it('ensure takes away privileges the account was given elsewhere', async () => {
    const pw = generateDbPassword();
    await ensureSiteDatabase(engine.admin, { name: 'site_extra', user: 'site_extra_u', password: pw });
    await engine.adminRun(['CREATE DATABASE other_db', "GRANT SELECT ON *.* TO 'site_extra_u'@'%'"]);
    expect(
      await ensureSiteDatabase(engine.admin, { name: 'site_extra', user: 'site_extra_u', password: pw }),
    ).toBe('exists');
    const denied = await rejection(engine.session('site_extra_u', pw, 'other_db'));
    expect(engine.isDatabaseDenied(denied), String(denied)).toBe(true);
  });

  it('fromHost: an account for one IP only is a separate account from the % one', async () => {
    const pw = generateDbPassword();
    const site = { name: 'site_ip', user: 'site_ip_u', fromHost: '127.0.0.1' };
    expect(await ensureSiteDatabase(engine.admin, { ...site, password: pw })).toBe('created');
    expect(await siteDatabaseState(engine.admin, site)).toEqual({
      database: true,
      user: true,
      locked: false,
    });
    expect(await siteDatabaseState(engine.admin, { ...site, fromHost: '%' })).toMatchObject({ user: false });
    await asUser(engine, site.user, pw, site.name, ['CREATE TABLE t (v integer)']);
    expect(await dropSiteDatabase(engine.admin, site)).toBe('removed');
  });

  it('keeps escaping right when the server runs with NO_BACKSLASH_ESCAPES', async () => {
    await engine.adminRun(["SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES')"]);
    try {
      // Quotes and backslashes in a password: with the mode on, mysql2's `\'` would end the literal.
      const pw = "it's a \\' trap \\\\ ok '' \" `";
      expect(
        await ensureSiteDatabase(engine.admin, { name: 'site_esc', user: 'site_esc_u', password: pw }),
      ).toBe('created');
      expect(await asUser(engine, 'site_esc_u', pw, 'site_esc', ['SELECT 1 AS one'])).toEqual([{ one: 1 }]);
    } finally {
      await engine.adminRun([
        "SET GLOBAL sql_mode = REPLACE(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES', '')",
      ]);
    }
  });
});

describe.skipIf(!havePostgres)('database adapter on PostgreSQL', () => {
  let srv: PostgresAuthServer | undefined;
  let engine: Engine;
  beforeAll(async () => {
    // The hardening documented in postgres.ts: site roles are refused on the databases PUBLIC may
    // connect to by default, and only they.
    srv = await startPostgresWithPasswords({
      hbaLines: [`host postgres,template1 +${SITE_GROUP_ROLE} 127.0.0.1/32 reject`],
    });
    engine = postgresEngine(srv);
  }, 180_000);
  afterAll(async () => {
    await srv?.stop();
  });

  sharedBehaviour(() => engine);

  it('the role owns its database only, has no special attributes, and PUBLIC cannot connect to it', async () => {
    const pw = generateDbPassword();
    await ensureSiteDatabase(engine.admin, { name: 'site_attr', user: 'site_attr_u', password: pw });
    const rows = await asUser(engine, 'site_attr_u', pw, 'site_attr', [
      `SELECT r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolreplication, r.rolbypassrls,
              pg_get_userbyid(d.datdba) AS owner,
              has_database_privilege('public', 'site_attr', 'CONNECT') AS public_connect
         FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`,
    ]);
    expect(rows).toEqual([
      {
        rolsuper: false,
        rolcreatedb: false,
        rolcreaterole: false,
        rolreplication: false,
        rolbypassrls: false,
        owner: 'site_attr_u',
        public_connect: false,
      },
    ]);
  });

  it("the password reaches the server only as a SCRAM verifier that the client's password matches", async () => {
    const pw = generateDbPassword();
    await ensureSiteDatabase(engine.admin, { name: 'site_scram', user: 'site_scram_u', password: pw });
    const c = new pg.Client({ ...clientOf(engine.admin), database: 'postgres' });
    await c.connect();
    try {
      const r = await c.query<{ rolpassword: string }>(
        'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
        ['site_scram_u'],
      );
      expect(r.rows[0]?.rolpassword).toMatch(
        /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/,
      );
      expect(r.rows[0]?.rolpassword).not.toContain(pw);
    } finally {
      await c.end();
    }
    expect(scramVerifier(pw)).not.toBe(scramVerifier(pw)); // salted
  });

  it('a site role is refused on postgres/template1 by the pg_hba rule; a non-site role is not', async () => {
    const pw = generateDbPassword();
    await ensureSiteDatabase(engine.admin, { name: 'site_hba', user: 'site_hba_u', password: pw });
    for (const db of ['postgres', 'template1']) {
      const refused = await rejection(engine.session('site_hba_u', pw, db));
      expect(err(refused).code, String(refused)).toBe('28000');
      expect(String(err(refused).message)).toMatch(/pg_hba\.conf rejects connection/);
    }
    // The control: an ordinary role (not a member of the group) still connects to postgres.
    const other = generateDbPassword();
    await engine.adminRun([`CREATE ROLE monitor_x LOGIN PASSWORD ${pg.escapeLiteral(other)}`]);
    expect(await asUser(engine, 'monitor_x', other, 'postgres', ['SELECT 1 AS one'])).toEqual([{ one: 1 }]);
  });
});

function clientOf(a: DbAdmin) {
  return { host: a.host, port: a.port, user: a.user, password: a.password };
}

describe('unsafe values never reach a server', () => {
  let listener: net.Server;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => listener.close(resolve));
  });

  const hostile = [
    'a; DROP DATABASE x',
    'a`b',
    "a'b",
    'a"b',
    'x\ny',
    'x\r\ny',
    'Ünï',
    '../x',
    '$(reboot)',
    '`reboot`',
    'UPPER',
    'Site_a',
    'a'.repeat(33),
    '',
    ' a',
    'a b',
    'a\u0000b',
    'a\\b',
    'a-b',
    'a.b',
    'a%',
    '_a',
    '1a',
    'a\u200bb',
    'ａｂ',
    42 as unknown as string,
    null as unknown as string,
  ];

  for (const engine of ['mariadb', 'postgresql'] as const) {
    const admin = (): DbAdmin => ({ engine, host: '127.0.0.1', port, user: 'admin', password: 'x' });
    const ok = generateDbPassword();

    it(`${engine}: hostile names and users throw UnsafeValueError with no connection made`, async () => {
      const before = connections;
      for (const bad of hostile) {
        const calls: Array<() => Promise<unknown>> = [
          () => ensureSiteDatabase(admin(), { name: bad, user: 'good_u', password: ok }),
          () => ensureSiteDatabase(admin(), { name: 'good', user: bad, password: ok }),
          () => lockSiteUser(admin(), bad),
          () => unlockSiteUser(admin(), bad),
          () => dropSiteDatabase(admin(), { name: bad, user: 'good_u' }),
          () => dropSiteDatabase(admin(), { name: 'good', user: bad }),
          () => siteDatabaseState(admin(), { name: bad, user: 'good_u' }),
          () => siteDatabaseState(admin(), { name: 'good', user: bad }),
        ];
        for (const call of calls) {
          await expect(call(), JSON.stringify(bad)).rejects.toThrow(UnsafeValueError);
        }
      }
      expect(connections - before).toBe(0);
    });

    it(`${engine}: hostile host parts, passwords and admin targets throw with no connection made`, async () => {
      const before = connections;
      const site = { name: 'good', user: 'good_u', password: ok };
      for (const fromHost of [
        '%\n',
        'evil.example',
        "127.0.0.1' OR '1",
        '10.0.0.0/8',
        '%.example',
        '',
        ' %',
      ]) {
        await expect(ensureSiteDatabase(admin(), { ...site, fromHost }), fromHost).rejects.toThrow(
          UnsafeValueError,
        );
        await expect(dropSiteDatabase(admin(), { ...site, fromHost }), fromHost).rejects.toThrow(
          UnsafeValueError,
        );
      }
      for (const password of [
        'short',
        'x'.repeat(15),
        'x'.repeat(201),
        `${'x'.repeat(20)}\n`,
        `${'x'.repeat(20)}\u0000`,
        `${'x'.repeat(20)}\t`,
        `${'x'.repeat(20)}é`,
        undefined as unknown as string,
      ]) {
        await expect(
          ensureSiteDatabase(admin(), { ...site, password }),
          JSON.stringify(password),
        ).rejects.toThrow(UnsafeValueError);
      }
      for (const bad of [
        { host: '127.0.0.1\nx' },
        { host: 'a b' },
        { port: 0 },
        { port: 70000 },
        { user: 'ad\nmin' },
        { password: 'x\u0000' },
        { database: 'a; b' },
      ]) {
        await expect(ensureSiteDatabase({ ...admin(), ...bad }, site), JSON.stringify(bad)).rejects.toThrow(
          UnsafeValueError,
        );
      }
      expect(connections - before).toBe(0);
    });

    it(`${engine}: the control — a valid call does reach the (fake) server`, async () => {
      const before = connections;
      const e = await rejection(ensureSiteDatabase(admin(), { name: 'good', user: 'good_u', password: ok }));
      expect(e).not.toBeInstanceOf(UnsafeValueError);
      expect(connections - before).toBe(1);
    });
  }

  it('generated passwords are 32 base64url characters, accepted by the validation, and differ', () => {
    const a = generateDbPassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(generateDbPassword()).not.toBe(a);
  });
});
