/**
 * Pure helpers for the website fields of a request and its work steps: host names split into label and
 * zone, the server's reasons for a name it will not give put into message keys, and the one rule of the
 * installation form that JSON Schema cannot carry. No I/O, no i18n instance: the callers translate.
 */

/** One DNS label as src/registry/names.ts accepts it (lower case; refused, never cleaned up). */
const LABEL_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A typed name split at its first dot: `dinkes.example-kab.go.id` → `dinkes` + `example-kab.go.id`. */
export function splitHostname(text: string): { label: string; zone: string } {
  const value = text.trim();
  const dot = value.indexOf('.');
  if (dot < 0) return { label: value, zone: '' };
  return { label: value.slice(0, dot), zone: value.slice(dot + 1) };
}

/** The full name from its two parts, or '' while either is missing. */
export function composeHostname(label: string, zone: string): string {
  const l = label.trim();
  const z = zone.trim().replace(/^\.+/, '');
  return l && z ? `${l}.${z}` : '';
}

/** The zones a list of host names lives in (everything after the first label), unique, in order. */
export function zonesOf(hostnames: readonly (string | null | undefined)[]): string[] {
  const zones: string[] = [];
  for (const hostname of hostnames) {
    if (!hostname) continue;
    const { zone } = splitHostname(hostname);
    if (zone && !zones.includes(zone)) zones.push(zone);
  }
  return zones;
}

/**
 * The managed zones, when the server named them in its reason ("not inside a managed zone (a, b)"). An
 * OPD user may not list the zones; the name check tells them this way which ones there are.
 */
export function zonesFromReason(reason: string | null | undefined): string[] {
  const match = /not inside a managed zone \(([^)]*)\)/.exec(reason ?? '');
  if (!match?.[1] || match[1].startsWith('(none')) return [];
  return match[1]
    .split(',')
    .map((zone) => zone.trim())
    .filter((zone) => /^[a-z0-9.-]+$/.test(zone));
}

/** Keys under `newCase.nameReasons` (present in both dictionaries). */
export type NameReasonKey =
  | 'taken'
  | 'held'
  | 'outsideZones'
  | 'noZones'
  | 'reserved'
  | 'tooDeep'
  | 'zoneItself'
  | 'upperCase'
  | 'characters'
  | 'dash'
  | 'emptyLabel'
  | 'trailingDot'
  | 'leadingDot'
  | 'tooLong'
  | 'empty';

export type NameReason = { key: NameReasonKey; params: Record<string, string> };

/**
 * The server's reason (English, from src/registry/names.ts and zone.service.ts) as a message key with its
 * values, so the form can say it in the user's language; null for a reason it does not know (shown as
 * the server wrote it).
 */
export function nameReason(reason: string | null | undefined): NameReason | null {
  const text = reason ?? '';
  let m: RegExpExecArray | null;
  if (/is already in use or reserved/.test(text)) return { key: 'taken', params: {} };
  m = /is held after its website was retired, until (\d{4}-\d{2}-\d{2})/.exec(text);
  if (m) return { key: 'held', params: { date: m[1] ?? '' } };
  if (/not inside a managed zone/.test(text)) {
    const zones = zonesFromReason(text);
    return zones.length
      ? { key: 'outsideZones', params: { zones: zones.join(', ') } }
      : { key: 'noZones', params: {} };
  }
  m = /"([^"]+)" is a reserved name/.exec(text);
  if (m) return { key: 'reserved', params: { label: m[1] ?? '' } };
  m = /below the zone (\S+?):/.exec(text);
  if (m) return { key: 'tooDeep', params: { zone: m[1] ?? '' } };
  m = /is the zone (\S+) itself/.exec(text);
  if (m) return { key: 'zoneItself', params: { zone: m[1] ?? '' } };
  if (/upper case/.test(text)) return { key: 'upperCase', params: {} };
  if (/contains a character other than/.test(text)) return { key: 'characters', params: {} };
  if (/starts or ends with -/.test(text)) return { key: 'dash', params: {} };
  if (/two dots in a row/.test(text)) return { key: 'emptyLabel', params: {} };
  if (/ends with a dot/.test(text)) return { key: 'trailingDot', params: {} };
  if (/starts with a dot/.test(text)) return { key: 'leadingDot', params: {} };
  if (/longer than/.test(text)) return { key: 'tooLong', params: {} };
  if (/^empty$|: empty$/.test(text)) return { key: 'empty', params: {} };
  return null;
}

/**
 * What is wrong with a label before asking the server (the same rules, in the same order, as
 * checkSubdomainLabel in src/registry/names.ts), or null when it looks right.
 */
export function labelProblem(label: string): NameReasonKey | null {
  if (label === '') return null;
  if (label.length > 63) return 'tooLong';
  if (/[^a-zA-Z0-9-]/.test(label)) return 'characters';
  if (/[A-Z]/.test(label)) return 'upperCase';
  if (label.startsWith('-') || label.endsWith('-')) return 'dash';
  return LABEL_RE.test(label) ? null : 'characters';
}

/**
 * The installation's address rule: an address typed, or a pool to take the next free one from, unless the
 * website already has an address. Answers the field to mark, or null.
 */
export function installationAddressProblem(values: {
  ipAddress?: unknown;
  poolId?: unknown;
  websiteHasAddress: boolean;
}): 'poolId' | null {
  const typed = typeof values.ipAddress === 'string' && values.ipAddress.trim() !== '';
  const pool = typeof values.poolId === 'string' && values.poolId !== '';
  return typed || pool || values.websiteHasAddress ? null : 'poolId';
}

/** A decimal count of free addresses (a string: an IPv6 block can hold 2^64), grouped for reading. */
export function formatCount(decimal: string, locale: string): string {
  if (!/^\d+$/.test(decimal)) return decimal;
  try {
    return BigInt(decimal).toLocaleString(locale);
  } catch {
    return decimal;
  }
}
