// MariaDB (≥ 10.4) through mysql2. Values go into statements only through mysql2's client-side
// placeholders (`??` identifiers, `?` values), after validation (common.ts). mysql2 escapes with
// backslashes, so every session first makes sure NO_BACKSLASH_ESCAPES is off (with it on, a `\'`
// in a password would end the string literal). Errors are matched on errno: mysql2 names some
// MariaDB errno values with MySQL's names.

import type mysql from 'mysql2/promise';
import { checkLockUser, checkPassword, checkSite } from './common.ts';
import type { DbAdmin, SiteDb } from './index.ts';

/** ER_CANNOT_USER: an ALTER USER on an account that vanished in between. */
const ER_CANNOT_USER = 1396;

async function withAdmin<T>(a: DbAdmin, fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const { default: mysqlClient } = await import('mysql2/promise'); // on first use, not at start
  const c = await mysqlClient.createConnection({
    host: a.host,
    port: a.port,
    user: a.user,
    password: a.password,
    multipleStatements: false,
    connectTimeout: 10_000,
    charset: 'utf8mb4_general_ci',
  });
  // A connection lost between statements is reported here; a statement's error reaches its promise.
  c.on('error', () => {});
  try {
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT @@SESSION.sql_mode AS mode');
    const mode = String(rows[0]?.mode ?? '');
    if (mode.split(',').includes('NO_BACKSLASH_ESCAPES')) {
      const without = mode
        .split(',')
        .filter((m) => m !== 'NO_BACKSLASH_ESCAPES')
        .join(',');
      await c.query('SET SESSION sql_mode = ?', [without]);
    }
    return await fn(c);
  } finally {
    await c.end().catch(() => c.destroy());
  }
}

/**
 * The database name as a GRANT pattern: in `GRANT … ON db.*` the characters `_` and `%` are
 * wildcards, so `app_a` would also grant `appxa`, `app1a` …; `\_` is a literal underscore.
 */
function grantPattern(name: string): string {
  return name.replace(/_/g, '\\_');
}

type State = { database: boolean; user: boolean; locked: boolean };

async function readState(c: mysql.Connection, name: string, user: string, fromHost: string): Promise<State> {
  const [dbs] = await c.query<mysql.RowDataPacket[]>(
    'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [name],
  );
  const [users] = await c.query<mysql.RowDataPacket[]>(
    "SELECT JSON_VALUE(Priv, '$.account_locked') AS locked FROM mysql.global_priv WHERE User = ? AND Host = ?",
    [user, fromHost],
  );
  const u = users[0];
  return {
    database: dbs.length > 0,
    user: u !== undefined,
    locked:
      u !== undefined && (u.locked === 'true' || u.locked === '1' || u.locked === 1 || u.locked === true),
  };
}

/** Every host part the user name has an account for. */
async function accountHosts(c: mysql.Connection, user: string): Promise<string[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(
    'SELECT Host AS host FROM mysql.global_priv WHERE User = ?',
    [user],
  );
  return rows.map((r) => String(r.host));
}

function ignoreErrno(errno: number) {
  return (e: unknown) => {
    if ((e as { errno?: number }).errno !== errno) throw e;
  };
}

export async function ensureSiteDatabase(a: DbAdmin, s: SiteDb): Promise<'created' | 'exists'> {
  const { name, user, fromHost } = checkSite(a, s);
  const password = checkPassword(s.password);
  return withAdmin(a, async (c) => {
    const before = await readState(c, name, user, fromHost);
    await c.query('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4', [name]);
    await c.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [user, fromHost, password]);
    await c.query('ALTER USER ?@? IDENTIFIED BY ?', [user, fromHost, password]);
    // Exactly one grant: whatever else the account may have been given is taken away first.
    await c.query('REVOKE ALL PRIVILEGES, GRANT OPTION FROM ?@?', [user, fromHost]);
    await c.query('GRANT ALL PRIVILEGES ON ??.* TO ?@?', [grantPattern(name), user, fromHost]);
    return before.database && before.user ? 'exists' : 'created';
  });
}

/** Locks every account of the user name (all host parts), then ends its sessions. No account: nothing to do. */
export async function lockSiteUser(a: DbAdmin, user: string): Promise<void> {
  const u = checkLockUser(a, user);
  await withAdmin(a, async (c) => {
    for (const host of await accountHosts(c, u)) {
      await c.query('ALTER USER ?@? ACCOUNT LOCK', [u, host]).catch(ignoreErrno(ER_CANNOT_USER));
    }
    // After the lock, so a killed client cannot log in again.
    await c.query('KILL CONNECTION USER ?', [u]);
  });
}

export async function unlockSiteUser(a: DbAdmin, user: string): Promise<void> {
  const u = checkLockUser(a, user);
  await withAdmin(a, async (c) => {
    for (const host of await accountHosts(c, u)) {
      await c.query('ALTER USER ?@? ACCOUNT UNLOCK', [u, host]).catch(ignoreErrno(ER_CANNOT_USER));
    }
  });
}

export async function dropSiteDatabase(
  a: DbAdmin,
  s: Pick<SiteDb, 'name' | 'user' | 'fromHost'>,
): Promise<'removed' | 'absent'> {
  const { name, user, fromHost } = checkSite(a, s);
  return withAdmin(a, async (c) => {
    const before = await readState(c, name, user, fromHost);
    if (before.user) {
      await c.query('DROP USER IF EXISTS ?@?', [user, fromHost]);
      await c.query('KILL CONNECTION USER ?@?', [user, fromHost]);
    }
    await c.query('DROP DATABASE IF EXISTS ??', [name]);
    return before.database || before.user ? 'removed' : 'absent';
  });
}

export async function siteDatabaseState(
  a: DbAdmin,
  s: Pick<SiteDb, 'name' | 'user' | 'fromHost'>,
): Promise<State> {
  const { name, user, fromHost } = checkSite(a, s);
  return withAdmin(a, (c) => readState(c, name, user, fromHost));
}
