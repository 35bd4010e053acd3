// Validation shared by the MariaDB and PostgreSQL adapters. Every exported adapter function calls
// these FIRST, before any connection is opened: a value that fails never reaches a server.

import { tryParseIp } from '../../registry/ip.ts';
import { assertSafeDbName, assertSafeHostname, assertSafeIp, UnsafeValueError } from '../types.ts';
import type { DbAdmin, SiteDb } from './index.ts';

/**
 * Names that belong to the database server itself, never to a website: creating, locking or
 * dropping them would break the server or another tenant. (`pg_` is reserved by PostgreSQL.)
 */
const RESERVED = new Set([
  'root',
  'mysql',
  'information_schema',
  'performance_schema',
  'sys',
  'postgres',
  'template0',
  'template1',
  'public',
  'loket_sites',
]);

function assertNotReserved(field: string, value: string, a: DbAdmin): void {
  if (RESERVED.has(value) || value.startsWith('pg_')) {
    throw new UnsafeValueError(field, `"${value}" is reserved for the database server`);
  }
  if (value === a.user || value === (a.database ?? 'postgres')) {
    throw new UnsafeValueError(field, `"${value}" is the administrator's own account or database`);
  }
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/** The administrator connection: engine, a host name or IP, a port, a user and password without control characters. */
export function checkAdmin(a: DbAdmin): void {
  if (a === null || typeof a !== 'object') throw new UnsafeValueError('admin', 'missing');
  if (a.engine !== 'mariadb' && a.engine !== 'postgresql') {
    throw new UnsafeValueError('admin.engine', 'not mariadb or postgresql');
  }
  if (typeof a.host !== 'string' || !tryParseIp(a.host)) assertSafeHostname('admin.host', a.host);
  if (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535) {
    throw new UnsafeValueError('admin.port', 'not a port number');
  }
  if (typeof a.user !== 'string' || !/^[\x21-\x7e]{1,80}$/.test(a.user)) {
    throw new UnsafeValueError('admin.user', 'not a user name');
  }
  if (typeof a.password !== 'string' || a.password.length > 1024 || hasControlCharacter(a.password)) {
    throw new UnsafeValueError('admin.password', 'contains a control character or is too long');
  }
  if (a.database !== undefined) assertSafeDbName('admin.database', a.database);
}

export function checkName(a: DbAdmin, name: string): string {
  assertSafeDbName('name', name);
  assertNotReserved('name', name, a);
  return name;
}

export function checkUser(a: DbAdmin, user: string): string {
  assertSafeDbName('user', user);
  assertNotReserved('user', user, a);
  return user;
}

/** 16–200 printable ASCII characters (space to ~): no NUL, no line breaks, nothing a driver could mangle. */
export function checkPassword(password: string): string {
  if (typeof password !== 'string' || !/^[\x20-\x7e]{16,200}$/.test(password)) {
    throw new UnsafeValueError('password', 'must be 16–200 printable ASCII characters');
  }
  return password;
}

/** MariaDB account host part: '%', 'localhost' or an IP address; default '%'. */
export function checkFromHost(fromHost: string | undefined): string {
  if (fromHost === undefined) return '%';
  if (fromHost === '%' || fromHost === 'localhost') return fromHost;
  return assertSafeIp('fromHost', fromHost);
}

/**
 * Validates everything about a site before any connection: name and user first (the registry's
 * database-name rule), then the host part, the administrator connection, and the reserved names.
 */
export function checkSite(a: DbAdmin, s: Pick<SiteDb, 'name' | 'user' | 'fromHost'>) {
  if (s === null || typeof s !== 'object') throw new UnsafeValueError('site', 'missing');
  assertSafeDbName('name', s.name);
  assertSafeDbName('user', s.user);
  const fromHost = checkFromHost(s.fromHost);
  checkAdmin(a);
  return { name: checkName(a, s.name), user: checkUser(a, s.user), fromHost };
}

/** The user of lock/unlock: the database-name rule first, then the administrator connection. */
export function checkLockUser(a: DbAdmin, user: string): string {
  assertSafeDbName('user', user);
  checkAdmin(a);
  return checkUser(a, user);
}
