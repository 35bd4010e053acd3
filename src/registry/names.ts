/**
 * Name validators for the website registry and provisioning.
 *
 * These are the injection defence described in docs/real-servers.md ("Injection, reproduced here"):
 * every host name, database name and document root is *validated* here before it reaches any file
 * (Apache vhost, zone update) or command (nsupdate, SQL DDL). Nothing is ever escaped or "fixed up":
 * a name that does not pass is refused with a reason in plain words, and the caller shows that reason.
 *
 * Pure: no database, no I/O.
 */

export type NameCheck = { ok: true } | { ok: false; reason: string };

export type HostnameCheck = { ok: true; label: string; zone: string } | { ok: false; reason: string };

/** Labels that may never be handed out as a website subdomain. */
export const DEFAULT_RESERVED_LABELS: readonly string[] = Object.freeze([
  'www',
  'mail',
  'ns',
  'ns1',
  'ns2',
  'ns3',
  'admin',
  'administrator',
  'root',
  'ftp',
  'sftp',
  'smtp',
  'imap',
  'pop',
  'pop3',
  'webmail',
  'cpanel',
  'whm',
  'webdisk',
  'autodiscover',
  'autoconfig',
  'localhost',
  'mx',
  'dns',
  'vpn',
  'proxy',
  'hostmaster',
  'postmaster',
  'abuse',
  'wpad',
  'isatap',
]);

export const MAX_LABEL_LENGTH = 63;
export const MAX_HOSTNAME_LENGTH = 253;
export const MAX_DATABASE_NAME_LENGTH = 32;

const LABEL_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DATABASE_RE = /^[a-z][a-z0-9_]{0,31}$/;
/** C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators. */
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}
const PATH_SEGMENT_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * One DNS label for a website subdomain: lower case a–z, 0–9 and `-`, 1–63 characters,
 * not starting or ending with `-`. Upper case is refused (never lower-cased for the caller).
 */
export function checkSubdomainLabel(label: string): NameCheck {
  if (typeof label !== 'string' || label.length === 0) return { ok: false, reason: 'empty' };
  if (label.length > MAX_LABEL_LENGTH) {
    return { ok: false, reason: `longer than ${MAX_LABEL_LENGTH} characters` };
  }
  if (label.includes('.')) return { ok: false, reason: 'contains a dot' };
  // A hostile character is the more important reason, so it is reported before upper case.
  if (/[^a-zA-Z0-9-]/.test(label)) {
    return { ok: false, reason: 'contains a character other than a–z, 0–9 and -' };
  }
  if (/[A-Z]/.test(label)) return { ok: false, reason: 'upper case letters: use lower case' };
  if (label.startsWith('-') || label.endsWith('-')) return { ok: false, reason: 'starts or ends with -' };
  // Belt and braces: the rules above are exactly the specification regex; keep the regex as the final word.
  if (!LABEL_RE.test(label)) return { ok: false, reason: 'not a valid label' };
  return { ok: true };
}

export interface HostnameOptions {
  /** Managed zones, e.g. `['example-kab.go.id']`. Compared in lower case. */
  zones: readonly string[];
  /** Labels that may not be used; defaults to {@link DEFAULT_RESERVED_LABELS}. Compared in lower case. */
  reserved?: readonly string[];
}

/**
 * A fully qualified website host name: exactly one valid label directly below one of the managed zones,
 * e.g. `dinkes.example-kab.go.id` in zone `example-kab.go.id`, at most 253 characters, the label not
 * reserved. No trailing dot, no upper case (refused, not lower-cased).
 *
 * Uniqueness (including case-insensitive uniqueness against existing records) is NOT checked here: it is
 * the registry repository's job, under a unique index on the lower-cased name.
 */
export function checkHostname(name: string, options: HostnameOptions): HostnameCheck {
  if (typeof name !== 'string' || name.length === 0) return { ok: false, reason: 'empty' };
  if (name.length > MAX_HOSTNAME_LENGTH) {
    return { ok: false, reason: `longer than ${MAX_HOSTNAME_LENGTH} characters` };
  }
  if (name.endsWith('.')) return { ok: false, reason: 'ends with a dot: leave out the trailing dot' };
  if (name.startsWith('.')) return { ok: false, reason: 'starts with a dot' };
  const labels = name.split('.');
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] ?? '';
    if (label.length === 0) return { ok: false, reason: 'two dots in a row (empty label)' };
    const check = checkSubdomainLabel(label);
    if (!check.ok) return { ok: false, reason: `label ${i + 1}: ${check.reason}` };
  }

  const zones = options.zones.map((z) => z.toLowerCase()).sort((a, b) => b.length - a.length);
  const zone = zones.find((z) => z.length > 0 && (name === z || name.endsWith(`.${z}`)));
  if (zone === undefined) {
    const list = options.zones.length > 0 ? options.zones.join(', ') : '(none configured)';
    return { ok: false, reason: `not inside a managed zone (${list})` };
  }
  if (name === zone) {
    return { ok: false, reason: `is the zone ${zone} itself: a website needs one label below the zone` };
  }
  const below = name.slice(0, name.length - zone.length - 1).split('.');
  if (below.length !== 1) {
    return {
      ok: false,
      reason: `has ${below.length} labels below the zone ${zone}: a website subdomain is exactly one label below the zone`,
    };
  }
  const label = below[0] ?? '';
  const reserved = (options.reserved ?? DEFAULT_RESERVED_LABELS).map((r) => r.toLowerCase());
  if (reserved.includes(label)) return { ok: false, reason: `"${label}" is a reserved name` };
  return { ok: true, label, zone };
}

/** A database (and database user) name: `^[a-z][a-z0-9_]{0,31}$`. Upper case is refused, never lowered. */
export function checkDatabaseName(name: string): NameCheck {
  if (typeof name !== 'string' || name.length === 0) return { ok: false, reason: 'empty' };
  if (name.length > MAX_DATABASE_NAME_LENGTH) {
    return { ok: false, reason: `longer than ${MAX_DATABASE_NAME_LENGTH} characters` };
  }
  if (/[^a-zA-Z0-9_]/.test(name)) {
    return { ok: false, reason: 'contains a character other than a–z, 0–9 and _' };
  }
  if (/[A-Z]/.test(name)) return { ok: false, reason: 'upper case letters: use lower case' };
  if (!/^[a-z]/.test(name)) return { ok: false, reason: 'does not start with a letter a–z' };
  if (!DATABASE_RE.test(name)) return { ok: false, reason: 'not a valid database name' };
  return { ok: true };
}

function checkAbsoluteNormalised(path: string, what: string): NameCheck {
  if (typeof path !== 'string' || path.length === 0) return { ok: false, reason: `${what} is empty` };
  if (path.length > 4095) return { ok: false, reason: `${what} is longer than 4095 characters` };
  if (path.includes('\u0000')) return { ok: false, reason: `${what} contains a NUL character` };
  if (/[\n\r]/.test(path)) return { ok: false, reason: `${what} contains a line break` };
  if (hasControlCharacter(path)) return { ok: false, reason: `${what} contains a control character` };
  if (!path.startsWith('/')) return { ok: false, reason: `${what} is not absolute (must start with /)` };
  if (path === '/') return { ok: true };
  if (path.includes('//')) return { ok: false, reason: `${what} contains // (an empty path segment)` };
  if (path.endsWith('/')) return { ok: false, reason: `${what} ends with /` };
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '..') return { ok: false, reason: `${what} contains ..` };
    if (segment === '.') return { ok: false, reason: `${what} contains a . segment` };
    if (!PATH_SEGMENT_RE.test(segment)) {
      return {
        ok: false,
        reason: `${what} has a segment with characters other than A–Z, a–z, 0–9, ., _ and - (or starting with . or -)`,
      };
    }
  }
  return { ok: true };
}

/**
 * A website document root: absolute, already normalised (no `//`, no `.` or `..` segments, no trailing
 * `/`), strictly inside `baseDir`, no NUL, line breaks or other control characters, and each segment
 * made only of `A–Z a–z 0–9 . _ -` (not starting with `.` or `-`) so it can be written into an Apache
 * config without quoting. This is a string check only: it cannot see symlinks on disk; provisioning must
 * still create the directory itself and refuse to follow existing symlinks.
 */
export function checkDocumentRootPath(path: string, baseDir: string): NameCheck {
  const base = checkAbsoluteNormalised(baseDir, 'the base directory');
  if (!base.ok) return base;
  const own = checkAbsoluteNormalised(path, 'the path');
  if (!own.ok) return own;
  const prefix = baseDir === '/' ? '/' : `${baseDir}/`;
  if (path === baseDir)
    return { ok: false, reason: `is the base directory ${baseDir} itself, not inside it` };
  if (!path.startsWith(prefix)) return { ok: false, reason: `is not inside ${baseDir}` };
  return { ok: true };
}
