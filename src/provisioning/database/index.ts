// Provisioning step 3: a website's database and its user, on MariaDB (mysql2) or PostgreSQL (pg).
//
// Every function validates its inputs (common.ts) BEFORE opening a connection: names and users
// against the registry's database-name rule (`^[a-z][a-z0-9_]{0,31}$`), `fromHost` against
// '%' | 'localhost' | an IP address, the password as 16–200 printable ASCII characters. System
// names (root, mysql, postgres, template1, pg_*, the admin's own user and maintenance database …)
// are refused. Each operation is idempotent, because a killed provisioning job re-runs its step:
// ensure reports 'exists' only when both database and user were already there (a half-done run is
// completed and reports 'created'); it resets the password and privileges but never unlocks a
// suspended account. Lock/unlock of a user that does not exist do nothing; on MariaDB they apply to
// every host part of that user name.
//
// Privileges:
// - MariaDB: `GRANT ALL PRIVILEGES ON <db>.*` with `_` escaped as `\_` (in a GRANT's database name
//   `_` and `%` are wildcards: an unescaped `app_a` would also cover `appxa`), nothing global.
// - PostgreSQL: the role owns its database; `REVOKE ALL ON DATABASE <db> FROM PUBLIC`, so no other
//   site role (nor any other non-superuser) can connect to it. Every site role is also made a member
//   of the NOLOGIN group role `loket_sites` (no privileges of its own), so that the database server's
//   pg_hba.conf can refuse site roles on the databases that PUBLIC may connect to by default, without
//   changing anyone else's rights:  `host postgres,template1 +loket_sites all reject` before the other
//   host lines. (Revoking CONNECT on `postgres`/template1 from PUBLIC would cut off every other role.)
//   The password is sent as a SCRAM-SHA-256 verifier computed here, never in clear text (so it cannot
//   show up in the server's statement log).

import { randomBytes } from 'node:crypto';
import * as mariadb from './mariadb.ts';
import * as postgres from './postgres.ts';

export type DbAdmin = {
  engine: 'mariadb' | 'postgresql';
  host: string;
  port: number;
  user: string;
  password: string;
  /** pg: the maintenance database to connect to, default 'postgres' */
  database?: string;
};
export type SiteDb = {
  name: string;
  user: string;
  password: string;
  /** MariaDB: the host part of the account, default '%' */
  fromHost?: string;
};

function engineOf(a: DbAdmin): typeof mariadb | typeof postgres {
  if (a?.engine === 'mariadb') return mariadb;
  if (a?.engine === 'postgresql') return postgres;
  throw new TypeError(`unknown database engine: ${String(a?.engine).slice(0, 40)}`);
}

/** Creates the database and its user with privileges on that database only; idempotent: when they exist, the user's password is set to the given one and privileges re-granted → 'exists'. */
export async function ensureSiteDatabase(a: DbAdmin, s: SiteDb): Promise<'created' | 'exists'> {
  return engineOf(a).ensureSiteDatabase(a, s);
}

/** Suspends the account (MariaDB ACCOUNT LOCK; PostgreSQL NOLOGIN) and ends its open sessions; idempotent. */
export async function lockSiteUser(a: DbAdmin, user: string): Promise<void> {
  return engineOf(a).lockSiteUser(a, user);
}

export async function unlockSiteUser(a: DbAdmin, user: string): Promise<void> {
  return engineOf(a).unlockSiteUser(a, user);
}

/** Removes database and user; 'absent' when neither existed. */
export async function dropSiteDatabase(
  a: DbAdmin,
  s: Pick<SiteDb, 'name' | 'user' | 'fromHost'>,
): Promise<'removed' | 'absent'> {
  return engineOf(a).dropSiteDatabase(a, s);
}

export async function siteDatabaseState(
  a: DbAdmin,
  s: Pick<SiteDb, 'name' | 'user' | 'fromHost'>,
): Promise<{ database: boolean; user: boolean; locked: boolean }> {
  return engineOf(a).siteDatabaseState(a, s);
}

/** A strong generated password (e.g. 32 chars base64url from crypto.randomBytes). */
export function generateDbPassword(): string {
  return randomBytes(24).toString('base64url');
}
