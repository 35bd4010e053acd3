/**
 * Strict IPv4 / IPv6 address and CIDR arithmetic for the registry and provisioning. Pure: no I/O.
 *
 * Parsing is strict: no whitespace anywhere, no leading zeros in IPv4 octets (`010` could mean octal
 * elsewhere), no out-of-range values, IPv6 `::` at most once, no zone ids (`%eth0`), no host bits set in
 * a CIDR block. Addresses are held as BigInt so IPv4 and IPv6 share one arithmetic.
 *
 * Formatting: IPv4 dotted decimal; IPv6 per RFC 5952 (lower case, no leading zeros, longest run of two
 * or more zero groups shortened to `::`, the first one on a tie).
 */

export type IpVersion = 4 | 6;

export interface IpAddress {
  readonly version: IpVersion;
  readonly value: bigint;
}

export interface CidrBlock {
  readonly version: IpVersion;
  /** The network address (host bits all zero). */
  readonly network: bigint;
  readonly prefix: number;
}

export class IpParseError extends Error {
  override name = 'IpParseError';
}

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };
const OCTET_RE = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP_RE = /^[0-9a-fA-F]{1,4}$/;
const PREFIX_RE = /^(0|[1-9][0-9]{0,2})$/;

function fail(text: string, why: string): never {
  throw new IpParseError(`${JSON.stringify(text)} is not a valid address: ${why}`);
}

function parseIpv4(text: string, original: string): bigint {
  const parts = text.split('.');
  if (parts.length !== 4) fail(original, 'an IPv4 address has four parts');
  let value = 0n;
  for (const part of parts) {
    if (!OCTET_RE.test(part)) fail(original, 'each IPv4 part is 0–255 without leading zeros');
    const n = Number(part);
    if (n > 255) fail(original, 'each IPv4 part is 0–255');
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseGroups(text: string, original: string, allowTrailingV4: boolean): bigint[] {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: bigint[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (allowTrailingV4 && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part, original);
      groups.push(v4 >> 16n, v4 & 0xffffn);
    } else {
      if (!HEX_GROUP_RE.test(part)) fail(original, 'each IPv6 group is one to four hex digits');
      groups.push(BigInt(`0x${part}`));
    }
  }
  return groups;
}

function parseIpv6(text: string): bigint {
  if (text.includes('%')) fail(text, 'zone ids (%…) are not accepted');
  if (!/^[0-9a-fA-F:.]+$/.test(text)) fail(text, 'unexpected character');
  const halves = text.split('::');
  if (halves.length > 2) fail(text, ':: may appear only once');
  let groups: bigint[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] ?? '', text, false);
    const tail = parseGroups(halves[1] ?? '', text, true);
    const missing = 8 - head.length - tail.length;
    if (missing < 1) fail(text, 'too many groups for ::');
    groups = [...head, ...Array<bigint>(missing).fill(0n), ...tail];
  } else {
    groups = parseGroups(text, text, true);
    if (groups.length !== 8) fail(text, 'an IPv6 address has eight groups (or uses ::)');
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | g;
  return value;
}

/** Parse an IPv4 or IPv6 address strictly; throws {@link IpParseError}. */
export function parseIp(text: string): IpAddress {
  if (typeof text !== 'string' || text.length === 0) fail(String(text), 'empty');
  if (/\s/.test(text)) fail(text, 'contains whitespace');
  if (text.includes(':')) return { version: 6, value: parseIpv6(text) };
  return { version: 4, value: parseIpv4(text, text) };
}

/** Like {@link parseIp} but returns null instead of throwing. */
export function tryParseIp(text: string): IpAddress | null {
  try {
    return parseIp(text);
  } catch (e) {
    if (e instanceof IpParseError) return null;
    throw e;
  }
}

/** Canonical text of an address (IPv4 dotted decimal, IPv6 RFC 5952). */
export function formatIp(addr: IpAddress): string {
  const max = maxValue(addr.version);
  if (addr.value < 0n || addr.value > max) throw new RangeError('address value out of range');
  if (addr.version === 4) {
    const v = addr.value;
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((addr.value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

function maxValue(version: IpVersion): bigint {
  return (1n << BigInt(BITS[version])) - 1n;
}

function hostMask(version: IpVersion, prefix: number): bigint {
  return (1n << BigInt(BITS[version] - prefix)) - 1n;
}

/** Parse `address/prefix` strictly; host bits must be zero (`10.0.0.1/24` is refused). */
export function parseCidr(text: string): CidrBlock {
  if (typeof text !== 'string') fail(String(text), 'not a string');
  const slash = text.indexOf('/');
  if (slash < 0 || slash !== text.lastIndexOf('/')) fail(text, 'a CIDR block is address/prefix');
  const addr = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!PREFIX_RE.test(prefixText)) fail(text, 'the prefix is a number without leading zeros');
  const prefix = Number(prefixText);
  if (prefix > BITS[addr.version]) fail(text, `the prefix is at most ${BITS[addr.version]}`);
  if ((addr.value & hostMask(addr.version, prefix)) !== 0n) {
    fail(text, 'host bits are set: give the network address');
  }
  return { version: addr.version, network: addr.value, prefix };
}

/** Like {@link parseCidr} but returns null instead of throwing. */
export function tryParseCidr(text: string): CidrBlock | null {
  try {
    return parseCidr(text);
  } catch (e) {
    if (e instanceof IpParseError) return null;
    throw e;
  }
}

export function formatCidr(block: CidrBlock): string {
  return `${formatIp({ version: block.version, value: block.network })}/${block.prefix}`;
}

function toBlock(block: CidrBlock | string): CidrBlock {
  return typeof block === 'string' ? parseCidr(block) : block;
}

function toAddr(addr: IpAddress | string): IpAddress {
  return typeof addr === 'string' ? parseIp(addr) : addr;
}

/** Number of addresses in the block (all of them, including network/broadcast). */
export function blockSize(block: CidrBlock | string): bigint {
  const b = toBlock(block);
  return 1n << BigInt(BITS[b.version] - b.prefix);
}

export function networkAddress(block: CidrBlock | string): IpAddress {
  const b = toBlock(block);
  return { version: b.version, value: b.network };
}

/** Last address of the block (all host bits set). */
export function lastAddress(block: CidrBlock | string): IpAddress {
  const b = toBlock(block);
  return { version: b.version, value: b.network | hostMask(b.version, b.prefix) };
}

/** IPv4 broadcast address; IPv6 has none, so an IPv6 block throws. */
export function broadcastAddress(block: CidrBlock | string): IpAddress {
  const b = toBlock(block);
  if (b.version !== 4) throw new TypeError('IPv6 has no broadcast address');
  return lastAddress(b);
}

/** True when `addr` is of the same family and inside `block`. */
export function cidrContains(block: CidrBlock | string, addr: IpAddress | string): boolean {
  const b = toBlock(block);
  const a = toAddr(addr);
  if (a.version !== b.version) return false;
  return (a.value & ~hostMask(b.version, b.prefix) & maxValue(b.version)) === b.network;
}

export interface AddressRange {
  readonly first: IpAddress;
  readonly last: IpAddress;
}

/**
 * Addresses that may be given to hosts.
 * - IPv4: network+1 … broadcast−1; a /31 (RFC 3021 point-to-point) uses both, a /32 its one address.
 * - IPv6: every address but the subnet-router anycast address (the block's `::` / network address);
 *   a /127 (RFC 6164 point-to-point) uses both, a /128 its one address.
 */
export function usableRange(block: CidrBlock | string): AddressRange {
  const b = toBlock(block);
  const first = b.network;
  const last = b.network | hostMask(b.version, b.prefix);
  const hostBits = BITS[b.version] - b.prefix;
  if (hostBits <= 1)
    return { first: { version: b.version, value: first }, last: { version: b.version, value: last } };
  if (b.version === 4) {
    return { first: { version: 4, value: first + 1n }, last: { version: 4, value: last - 1n } };
  }
  return { first: { version: 6, value: first + 1n }, last: { version: 6, value: last } };
}

export interface NextFreeOptions {
  gateway?: string | IpAddress | null;
  reserved?: Iterable<string | IpAddress>;
  /** Addresses already handed out, in any order (an array, a Set, a generator, a sorted list…). */
  allocated: Iterable<string | IpAddress>;
}

/**
 * The lowest usable address of `block` that is not the gateway, reserved or allocated; null when none
 * is left. Every given address must parse (a malformed one throws rather than being skipped silently);
 * addresses outside the block or of the other family are ignored.
 *
 * Complexity: O(n) to parse the n excluded addresses into a Set<bigint>, then a walk upward from the
 * first usable address that stops at the first address not in the Set. Every step of the walk but the
 * last lands on a distinct excluded address, so the walk takes at most n + 1 steps: O(n) overall,
 * independent of the block size (a /16 with 60,000 allocated, or an IPv6 /64, is fine). It never
 * enumerates the block's free space.
 */
export function nextFreeAddress(block: CidrBlock | string, options: NextFreeOptions): string | null {
  const b = toBlock(block);
  const range = usableRange(b);
  const taken = new Set<bigint>();
  const take = (item: string | IpAddress): void => {
    const a = toAddr(item);
    if (a.version === b.version && a.value >= range.first.value && a.value <= range.last.value) {
      taken.add(a.value);
    }
  };
  if (options.gateway !== undefined && options.gateway !== null) take(options.gateway);
  for (const r of options.reserved ?? []) take(r);
  for (const a of options.allocated) take(a);
  let candidate = range.first.value;
  while (candidate <= range.last.value) {
    if (!taken.has(candidate)) return formatIp({ version: b.version, value: candidate });
    candidate++;
  }
  return null;
}
