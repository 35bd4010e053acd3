import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { cidrContains, type IpAddress, tryParseIp } from './ip.ts';
import { listPoolBlocks } from './ip-pool.repository.ts';

// Which addresses a website may have (issue 10, section 4). Loket connects to a website's address
// (the provisioning check) and publishes it in DNS, and anyone who edits the registry sets it: so it
// must lie in an IP pool a manager registered, and never be an address that reaches Loket's own host
// or no host at all (loopback, link-local, unspecified, multicast) — unless the installation allows
// others (LOKET_ALLOW_UNPOOLED_ADDRESSES=true: a test installation whose servers are on loopback).

const SPECIAL: [string, string][] = [
  ['0.0.0.0/8', 'an unspecified ("this host") address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved address'],
  ['::/128', 'the unspecified address'],
  ['::1/128', 'the loopback address'],
  ['fe80::/10', 'a link-local address'],
  ['ff00::/8', 'a multicast address'],
];

/** Why an address can reach no website of its own (loopback, link-local, …), or null. */
export function specialAddress(ip: IpAddress): string | null {
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address to a socket.
  const v4 =
    ip.version === 6 && ip.value >> 32n === 0xffffn
      ? { version: 4 as const, value: ip.value & 0xffffffffn }
      : null;
  const target = v4 ?? ip;
  for (const [cidr, what] of SPECIAL) {
    if ((cidr.includes(':') ? 6 : 4) === target.version && cidrContains(cidr, target)) return what;
  }
  return null;
}

function refuse(code: 'IP_NOT_IN_POOL' | 'IP_NOT_USABLE', path: string, message: string): AppError {
  return new AppError(code, message, { details: { fields: [{ path, message }] } });
}

/**
 * Checks a website's address against the policy; `pooled` says whether a registered pool holds it.
 * Throws IP_NOT_USABLE (loopback, link-local, …) or IP_NOT_IN_POOL (outside every pool).
 */
export function assertWebsiteAddressAllowed(
  address: string,
  pooled: boolean,
  allowOthers: boolean,
  path = 'ipAddress',
): void {
  if (allowOthers) return;
  const ip = tryParseIp(address);
  if (!ip) throw refuse('IP_NOT_USABLE', path, `${address} is not an IP address`);
  const special = specialAddress(ip);
  if (special) {
    throw refuse('IP_NOT_USABLE', path, `${address} is ${special}: not a website's address`);
  }
  if (!pooled) {
    throw refuse(
      'IP_NOT_IN_POOL',
      path,
      `${address} lies in no registered IP pool: register its pool first (Registri › Pool IP)`,
    );
  }
}

/** The same check for an address already stored (at plan time), looking the pools up. */
export async function assertStoredWebsiteAddressAllowed(
  db: Kysely<Database>,
  address: string,
  allowOthers: boolean,
): Promise<void> {
  if (allowOthers) return;
  const ip = tryParseIp(address);
  const pools = ip ? await listPoolBlocks(db, ip.version) : [];
  const pooled = ip !== null && pools.some((p) => cidrContains(p.cidr, ip));
  assertWebsiteAddressAllowed(address, pooled, false);
}
