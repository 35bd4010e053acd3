// PostgreSQL (≥ 13) through pg. Utility statements (CREATE ROLE, CREATE DATABASE, GRANT …) take no
// parameters, so identifiers and literals are quoted with pg's escapeIdentifier / escapeLiteral —
// only ever on values that already passed validation (common.ts). Catalog queries use parameters.
//
// The administrator should be a superuser (or, short of that: CREATEROLE, CREATEDB, membership in
// pg_signal_backend, ADMIN on the group role below, and on PostgreSQL 16+ createrole_self_grant =
// 'set, inherit' so it may give databases to the roles it creates).
//
// Isolation: the site role owns its database and `REVOKE ALL ON DATABASE … FROM PUBLIC` removes the
// default CONNECT for everyone else, so no other site role can connect to it. Every site role is a
// member of the NOLOGIN group role `loket_sites` (which holds no privileges), so the server's
// pg_hba.conf can refuse site roles on the databases PUBLIC may connect to by default without
// touching anyone else:  `host postgres,template1 +loket_sites all reject`  (before the other host
// lines). Revoking CONNECT on `postgres`/template1 from PUBLIC would lock out every other role.
//
// The password is sent as a SCRAM-SHA-256 verifier computed here, never in clear text, so it cannot
// appear in the server's statement log; md5 and scram-sha-256 pg_hba methods both accept it.

import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';
import { checkLockUser, checkPassword, checkSite } from './common.ts';
import type { DbAdmin, SiteDb } from './index.ts';

/** The group role every site role belongs to (for pg_hba.conf rules); it has no privileges. */
export const SITE_GROUP_ROLE = 'loket_sites';

const ident = pg.escapeIdentifier;
const lit = pg.escapeLiteral;

/** Role attributes a site role always has (ALTER ROLE resets anything else someone set). */
const ROLE_ATTRIBUTES = 'NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT';

const DUPLICATE_OBJECT = '42710';
const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

async function withAdmin<T>(a: DbAdmin, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({
    host: a.host,
    port: a.port,
    user: a.user,
    password: a.password,
    database: a.database ?? 'postgres',
    connectionTimeoutMillis: 10_000,
    application_name: 'loket-provisioning',
  });
  // A connection lost while idle is reported here; errors of a statement reach its promise.
  c.on('error', () => {});
  try {
    await c.connect();
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
  }
}

/** Runs a CREATE; true when it created, false when a concurrent run was first (codes), else throws. */
async function tryCreate(c: pg.Client, sql: string, ...codes: string[]): Promise<boolean> {
  try {
    await c.query(sql);
    return true;
  } catch (e) {
    if (!codes.includes(String((e as { code?: unknown }).code))) throw e;
    return false;
  }
}

/** A SCRAM-SHA-256 verifier (RFC 5802/7677, PostgreSQL's stored format) for the password. */
export function scramVerifier(password: string): string {
  // SASLprep is the identity on printable ASCII, the only passwords checkPassword lets through.
  const salt = randomBytes(16);
  const iterations = 4096;
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

type State = { database: boolean; user: boolean; locked: boolean };

async function readState(c: pg.Client, name: string, user: string): Promise<State> {
  const db = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  const role = await c.query<{ rolcanlogin: boolean }>(
    'SELECT rolcanlogin FROM pg_roles WHERE rolname = $1',
    [user],
  );
  const r = role.rows[0];
  return {
    database: (db.rowCount ?? 0) > 0,
    user: r !== undefined,
    locked: r !== undefined && !r.rolcanlogin,
  };
}

async function roleExists(c: pg.Client, role: string): Promise<boolean> {
  const r = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  return (r.rowCount ?? 0) > 0;
}

async function terminateSessions(c: pg.Client, user: string): Promise<void> {
  await c.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()',
    [user],
  );
}

export async function ensureSiteDatabase(a: DbAdmin, s: SiteDb): Promise<'created' | 'exists'> {
  const { name, user } = checkSite(a, s);
  const password = checkPassword(s.password);
  const verifier = lit(scramVerifier(password));
  const role = ident(user);
  const db = ident(name);
  return withAdmin(a, async (c) => {
    const before = await readState(c, name, user);

    if (!(await roleExists(c, SITE_GROUP_ROLE))) {
      await tryCreate(c, `CREATE ROLE ${ident(SITE_GROUP_ROLE)} NOLOGIN`, DUPLICATE_OBJECT, UNIQUE_VIOLATION);
    }

    let createdRole = false;
    if (!before.user) {
      createdRole = await tryCreate(
        c,
        `CREATE ROLE ${role} WITH LOGIN ${ROLE_ATTRIBUTES} PASSWORD ${verifier}`,
        DUPLICATE_OBJECT,
        UNIQUE_VIOLATION,
      );
    }
    if (!createdRole) {
      // LOGIN/NOLOGIN is left as it is: a suspended site stays suspended.
      await c.query(`ALTER ROLE ${role} WITH ${ROLE_ATTRIBUTES} PASSWORD ${verifier}`);
    }
    await c.query(`GRANT ${ident(SITE_GROUP_ROLE)} TO ${role}`);

    let createdDb = false;
    if (!before.database) {
      // CREATE DATABASE cannot run in a transaction block: pg sends each query on its own.
      createdDb = await tryCreate(
        c,
        `CREATE DATABASE ${db} OWNER ${role} ENCODING 'UTF8' TEMPLATE template0`,
        DUPLICATE_DATABASE,
        UNIQUE_VIOLATION,
      );
    }
    if (!createdDb) await c.query(`ALTER DATABASE ${db} OWNER TO ${role}`);
    await c.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    await c.query(`GRANT ALL ON DATABASE ${db} TO ${role}`);
    return before.database && before.user ? 'exists' : 'created';
  });
}

/** NOLOGIN, then its sessions are terminated. No such role: nothing to do. */
export async function lockSiteUser(a: DbAdmin, user: string): Promise<void> {
  const u = checkLockUser(a, user);
  await withAdmin(a, async (c) => {
    if (!(await roleExists(c, u))) return;
    await c.query(`ALTER ROLE ${ident(u)} NOLOGIN`);
    // After NOLOGIN, so a terminated client cannot log in again.
    await terminateSessions(c, u);
  });
}

export async function unlockSiteUser(a: DbAdmin, user: string): Promise<void> {
  const u = checkLockUser(a, user);
  await withAdmin(a, async (c) => {
    if (!(await roleExists(c, u))) return;
    await c.query(`ALTER ROLE ${ident(u)} LOGIN`);
  });
}

export async function dropSiteDatabase(
  a: DbAdmin,
  s: Pick<SiteDb, 'name' | 'user' | 'fromHost'>,
): Promise<'removed' | 'absent'> {
  const { name, user } = checkSite(a, s);
  const role = ident(user);
  return withAdmin(a, async (c) => {
    const before = await readState(c, name, user);
    if (before.user) {
      await c.query(`ALTER ROLE ${role} NOLOGIN`);
      await terminateSessions(c, user);
    }
    if (before.database) await c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
    if (before.user) {
      // Privileges granted to the role on shared objects and in this database go with it.
      await c.query(`DROP OWNED BY ${role}`);
      await c.query(`DROP ROLE IF EXISTS ${role}`);
    }
    return before.database || before.user ? 'removed' : 'absent';
  });
}

export async function siteDatabaseState(
  a: DbAdmin,
  s: Pick<SiteDb, 'name' | 'user' | 'fromHost'>,
): Promise<State> {
  const { name, user } = checkSite(a, s);
  return withAdmin(a, (c) => readState(c, name, user));
}
