/**
 * Client-side checks for the registry forms. The name and address rules are the server's own pure
 * validators (src/registry/names.ts, src/registry/ip.ts), so the form and the API never disagree; their
 * English reasons become messages in the user's language here. The server stays the authority.
 */

import {
  cidrContains,
  formatIp,
  tryParseCidr,
  tryParseIp,
  usableRange,
} from '../../../../src/registry/ip.ts';
import { checkDatabaseName, checkSubdomainLabel } from '../../../../src/registry/names.ts';
import i18n, { currentLocale } from '../../i18n/index.ts';

export { tryParseCidr, tryParseIp };

function formatDay(iso: string): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'long', timeZone: 'Asia/Jakarta' }).format(
    new Date(iso),
  );
}

/** Translates an English reason of the shared validators (or of the server) into the user's language. */
export function reasonText(reason: string): string {
  const plain = reason.replace(/^the name is not allowed: /i, '').replace(/^label \d+: /, '');
  const r = plain.toLowerCase();
  if (r === 'empty') return i18n.t('validation.required');
  if (r.startsWith('longer than')) {
    const max = /\d+/.exec(r)?.[0] ?? '';
    return i18n.t('registry.rules.tooLong', { max });
  }
  if (r.includes('contains a dot')) return i18n.t('registry.rules.labelDot');
  if (r.includes('other than a–z, 0–9 and -')) return i18n.t('registry.rules.labelChars');
  if (r.includes('other than a–z, 0–9 and _')) return i18n.t('registry.rules.dbChars');
  if (r.includes('upper case')) return i18n.t('registry.rules.upperCase');
  if (r.includes('starts or ends with -')) return i18n.t('registry.rules.labelDash');
  if (r.includes('does not start with a letter')) return i18n.t('registry.rules.dbStart');
  if (r.includes('held') || r.includes('quarantine')) {
    const until = /until (\d{4}-\d{2}-\d{2})/.exec(r)?.[1];
    return until
      ? i18n.t('registry.rules.nameHeldUntil', { date: formatDay(`${until}T12:00:00+07:00`) })
      : i18n.t('registry.rules.nameHeld');
  }
  if (r.includes('taken') || r.includes('in use') || r.includes('already') || r.includes('used by')) {
    return i18n.t('registry.rules.nameTaken');
  }
  if (r.includes('reserved')) return i18n.t('registry.rules.nameReserved');
  if (r.includes('zone')) return i18n.t('registry.rules.nameZone');
  return plain;
}

/** A subdomain label (the part before the zone); empty is allowed (a website may not have a name yet). */
export function optionalLabel(value: string): string | null {
  if (!value) return null;
  const check = checkSubdomainLabel(value);
  return check.ok ? null : reasonText(check.reason);
}

/** A label to reserve: required. */
export function label(value: string): string | null {
  if (!value) return 'validation.required';
  return optionalLabel(value);
}

export function optionalDbName(value: string): string | null {
  if (!value.trim()) return null;
  const check = checkDatabaseName(value.trim());
  return check.ok ? null : reasonText(check.reason);
}

/** One address, in the canonical form the server insists on. */
export function ipProblem(value: string): string | null {
  const ip = tryParseIp(value);
  if (!ip) return i18n.t('registry.rules.ip');
  const canonical = formatIp(ip);
  return canonical === value ? null : i18n.t('registry.rules.ipCanonical', { canonical });
}

export function optionalIp(value: string): string | null {
  return value.trim() ? ipProblem(value.trim()) : null;
}

/** Every address of a list; the first problem, naming the address. */
export function ipList(values: string[]): string | null {
  for (const value of values) {
    const problem = ipProblem(value);
    if (problem) return `${value}: ${problem}`;
  }
  return new Set(values).size === values.length ? null : i18n.t('registry.rules.duplicate');
}

export function cidr(value: string): string | null {
  const text = value.trim();
  if (!text) return 'validation.required';
  if (!text.includes('/')) return i18n.t('registry.rules.cidr');
  const block = tryParseCidr(text);
  if (block) return null;
  // Say what is wrong when the address part is fine but host bits are set.
  const [address, prefix] = text.split('/');
  const ip = tryParseIp(address ?? '');
  if (ip && /^\d{1,3}$/.test(prefix ?? '')) return i18n.t('registry.rules.cidrHostBits');
  return i18n.t('registry.rules.cidr');
}

/** An address that must lie in the block (gateway, reserved addresses). */
export function inBlock(value: string, block: string): string | null {
  const problem = ipProblem(value);
  if (problem) return problem;
  const parsed = tryParseCidr(block.trim());
  if (!parsed) return null;
  if (!cidrContains(parsed, value)) return i18n.t('registry.rules.notInBlock', { cidr: block.trim() });
  const range = usableRange(parsed);
  const ip = tryParseIp(value);
  if (ip && (ip.value < range.first.value || ip.value > range.last.value)) {
    return i18n.t('registry.rules.notUsable');
  }
  return null;
}

/** The address `steps` after (or, negative, before) `address`, clamped to [min, max]; null if unparsable. */
export function stepAddress(address: string, steps: number, min: string, max: string): string | null {
  const ip = tryParseIp(address);
  const lo = tryParseIp(min);
  const hi = tryParseIp(max);
  if (!ip || !lo || !hi) return null;
  let value = ip.value + BigInt(steps);
  if (value < lo.value) value = lo.value;
  if (value > hi.value) value = hi.value;
  return formatIp({ version: ip.version, value });
}

/** Whether a is before b (both addresses of one family). */
export function addressBefore(a: string, b: string): boolean {
  const x = tryParseIp(a);
  const y = tryParseIp(b);
  return Boolean(x && y && x.value < y.value);
}

/** The network's first address (where the map starts, to show network/broadcast too). */
export function blockStart(cidrText: string): string | null {
  const block = tryParseCidr(cidrText);
  return block ? formatIp({ version: block.version, value: block.network }) : null;
}

/** Share of the pool in use, 0–100 (sizes are decimal strings: an IPv6 block can be 2^64 and more). */
export function usagePercent(used: number, size: string): number {
  let total: bigint;
  try {
    total = BigInt(size);
  } catch {
    return 0;
  }
  if (total <= 0n) return 0;
  // Scaled so that a few addresses of an IPv6 /64 still count as more than nothing.
  const scale = 10n ** 24n;
  const scaled = (BigInt(used) * 100n * scale) / total;
  return Math.min(100, Number(scaled) / 1e24);
}

/** A huge decimal string shortened for people: 18446744073709551616 → "1,8 × 10^19". */
export function bigCount(value: string, locale: string): string {
  if (value.length <= 12) {
    const number = Number(value);
    return Number.isFinite(number) ? new Intl.NumberFormat(locale).format(number) : value;
  }
  const mantissa = Number(`${value[0]}.${value.slice(1, 3)}`);
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(mantissa)} × 10^${value.length - 1}`;
}
