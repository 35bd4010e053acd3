import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockSize,
  broadcastAddress,
  type CidrBlock,
  cidrContains,
  formatCidr,
  formatIp,
  IpParseError,
  lastAddress,
  networkAddress,
  nextFreeAddress,
  parseCidr,
  parseIp,
  tryParseCidr,
  tryParseIp,
  usableRange,
} from './ip.ts';

const v4 = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((value) => ({ version: 4 as const, value }));
// Bias IPv6 towards zero runs so :: compression is exercised.
const group = fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 0xffffn }));
const v6 = fc
  .array(group, { minLength: 8, maxLength: 8 })
  .map((gs) => ({ version: 6 as const, value: gs.reduce((acc, g) => (acc << 16n) | g, 0n) }));
const anyAddr = fc.oneof(v4, v6);

function blockOf(version: 4 | 6, value: bigint, prefix: number): CidrBlock {
  const bits = version === 4 ? 32 : 128;
  const host = (1n << BigInt(bits - prefix)) - 1n;
  return { version, network: value & ~host & ((1n << BigInt(bits)) - 1n), prefix };
}

const anyBlock = fc.oneof(
  fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, p]) => blockOf(4, a.value, p)),
  fc.tuple(v6, fc.integer({ min: 0, max: 128 })).map(([a, p]) => blockOf(6, a.value, p)),
);

describe('parseIp / formatIp', () => {
  it.each([
    ['0.0.0.0', 0n],
    ['10.0.0.1', 0x0a000001n],
    ['255.255.255.255', 0xffffffffn],
    ['192.168.1.10', 0xc0a8010an],
  ])('parses IPv4 %s', (text, value) => {
    expect(parseIp(text)).toEqual({ version: 4, value });
    expect(formatIp({ version: 4, value })).toBe(text);
  });

  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
    ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['fe80::', 'fe80::'],
  ])('parses IPv6 %s, formats as %s', (text, canonical) => {
    expect(formatIp(parseIp(text))).toBe(canonical);
  });

  it.each([
    '',
    ' 10.0.0.1',
    '10.0.0.1 ',
    '10.0.0.1\n',
    '10.0. 0.1',
    '010.0.0.1',
    '10.0.0.01',
    '10.0.0.00',
    '256.0.0.1',
    '10.0.0',
    '10.0.0.1.2',
    '10..0.1',
    '10.0.0.-1',
    '10.0.0.+1',
    '1e1.0.0.1',
    '0x10.0.0.1',
    '١٠.0.0.1',
    '10.0.0.1/32',
    '1::2::3',
    ':::',
    ':1::',
    '1::2:',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '12345::',
    'g::1',
    'fe80::1%eth0',
    'fe80::1%25eth0',
    ' ::1',
    '::1\t',
    '::ffff:1.2.3.04',
    '::ffff:1.2.3',
    '1.2.3.4::',
    '[::1]',
  ])('refuses %j', (text) => {
    expect(() => parseIp(text)).toThrow(IpParseError);
    expect(tryParseIp(text)).toBeNull();
  });

  it('round-trips: parse(format(x)) === x for random addresses', () => {
    fc.assert(
      fc.property(anyAddr, (addr) => {
        const text = formatIp(addr);
        expect(parseIp(text)).toEqual(addr);
        // Canonical form is a fixed point.
        expect(formatIp(parseIp(text))).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });

  it('canonical IPv6 never has a leading zero in a group and uses :: at most once, never for one group', () => {
    fc.assert(
      fc.property(v6, (addr) => {
        const text = formatIp(addr);
        expect(text).toBe(text.toLowerCase());
        expect(text.split('::').length).toBeLessThanOrEqual(2);
        for (const g of text.split(':')) if (g.length > 1) expect(g.startsWith('0')).toBe(false);
        if (text.includes('::')) {
          const groups = text.split(':').filter((g) => g !== '').length;
          expect(groups).toBeLessThanOrEqual(6);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('CIDR blocks', () => {
  it('parses and formats', () => {
    expect(parseCidr('10.20.0.0/16')).toEqual({ version: 4, network: 0x0a140000n, prefix: 16 });
    expect(formatCidr(parseCidr('2001:DB8::/32'))).toBe('2001:db8::/32');
    expect(formatCidr(parseCidr('0.0.0.0/0'))).toBe('0.0.0.0/0');
  });

  it.each([
    '10.0.0.1/24',
    '10.0.0.0/33',
    '10.0.0.0/024',
    '10.0.0.0/',
    '10.0.0.0',
    '10.0.0.0/24/24',
    '10.0.0.0/ 24',
    '10.0.0.0/-1',
    '2001:db8::/129',
    '2001:db8::1/64',
    'fe80::%eth0/64',
  ])('refuses %j', (text) => {
    expect(() => parseCidr(text)).toThrow(IpParseError);
    expect(tryParseCidr(text)).toBeNull();
  });

  it('round-trips random blocks', () => {
    fc.assert(
      fc.property(anyBlock, (block) => {
        expect(parseCidr(formatCidr(block))).toEqual(block);
      }),
      { numRuns: 3000 },
    );
  });

  it('computes size, network, broadcast and usable ranges', () => {
    expect(blockSize('10.0.0.0/24')).toBe(256n);
    expect(blockSize('10.0.0.0/16')).toBe(65536n);
    expect(blockSize('::/0')).toBe(1n << 128n);
    expect(formatIp(networkAddress('192.168.1.0/24'))).toBe('192.168.1.0');
    expect(formatIp(broadcastAddress('192.168.1.0/24'))).toBe('192.168.1.255');
    expect(() => broadcastAddress('2001:db8::/64')).toThrow(TypeError);
    expect(formatIp(lastAddress('2001:db8::/64'))).toBe('2001:db8::ffff:ffff:ffff:ffff');

    const r = (b: string) => {
      const u = usableRange(b);
      return [formatIp(u.first), formatIp(u.last)];
    };
    expect(r('192.168.1.0/24')).toEqual(['192.168.1.1', '192.168.1.254']);
    expect(r('192.168.1.0/30')).toEqual(['192.168.1.1', '192.168.1.2']);
    expect(r('192.168.1.0/31')).toEqual(['192.168.1.0', '192.168.1.1']);
    expect(r('192.168.1.7/32')).toEqual(['192.168.1.7', '192.168.1.7']);
    expect(r('2001:db8::/64')).toEqual(['2001:db8::1', '2001:db8::ffff:ffff:ffff:ffff']);
    expect(r('2001:db8::/126')).toEqual(['2001:db8::1', '2001:db8::3']);
    expect(r('2001:db8::/127')).toEqual(['2001:db8::', '2001:db8::1']);
    expect(r('2001:db8::1/128')).toEqual(['2001:db8::1', '2001:db8::1']);
  });

  it('containment: examples', () => {
    expect(cidrContains('10.0.0.0/8', '10.255.255.255')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '11.0.0.0')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '1.2.3.4')).toBe(true);
    expect(cidrContains('0.0.0.0/0', '::1')).toBe(false);
    expect(cidrContains('::/0', '::1')).toBe(true);
    expect(cidrContains('2001:db8::/32', '2001:db9::')).toBe(false);
    expect(cidrContains('2001:db8::/32', '2001:db8:ffff::1')).toBe(true);
  });

  it('containment: every address is in its own block at any prefix, and agrees with first/last', () => {
    fc.assert(
      fc.property(anyAddr, fc.integer({ min: 0, max: 128 }), anyAddr, (addr, p, other) => {
        const prefix = addr.version === 4 ? p % 33 : p;
        const block = blockOf(addr.version, addr.value, prefix);
        expect(cidrContains(block, addr)).toBe(true);
        expect(cidrContains(block, networkAddress(block))).toBe(true);
        expect(cidrContains(block, lastAddress(block))).toBe(true);
        const first = block.network;
        const last = lastAddress(block).value;
        expect(lastAddress(block).value - first + 1n).toBe(blockSize(block));
        const inRange = other.version === block.version && other.value >= first && other.value <= last;
        expect(cidrContains(block, other)).toBe(inRange);
        if (first > 0n)
          expect(cidrContains(block, { version: block.version, value: first - 1n })).toBe(false);
        const max = block.version === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n;
        if (last < max) expect(cidrContains(block, { version: block.version, value: last + 1n })).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('containment: a sub-block is inside its parent', () => {
    fc.assert(
      fc.property(anyBlock, fc.nat(), (parent, n) => {
        const bits = parent.version === 4 ? 32 : 128;
        const childPrefix = parent.prefix + (n % (bits - parent.prefix + 1));
        const child = blockOf(parent.version, lastAddress(parent).value, childPrefix);
        expect(cidrContains(parent, networkAddress(child))).toBe(true);
        expect(cidrContains(parent, lastAddress(child))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('nextFreeAddress', () => {
  it('examples', () => {
    expect(nextFreeAddress('10.0.0.0/24', { allocated: [] })).toBe('10.0.0.1');
    expect(nextFreeAddress('10.0.0.0/24', { gateway: '10.0.0.1', allocated: [] })).toBe('10.0.0.2');
    expect(
      nextFreeAddress('10.0.0.0/24', {
        gateway: '10.0.0.1',
        reserved: ['10.0.0.2', '10.0.0.3'],
        allocated: new Set(['10.0.0.5', '10.0.0.4']),
      }),
    ).toBe('10.0.0.6');
    expect(nextFreeAddress('10.0.0.0/24', { allocated: ['10.0.0.2'] })).toBe('10.0.0.1');
    expect(nextFreeAddress('10.0.0.0/30', { allocated: ['10.0.0.1', '10.0.0.2'] })).toBeNull();
    expect(nextFreeAddress('10.0.0.0/31', { allocated: ['10.0.0.0'] })).toBe('10.0.0.1');
    expect(nextFreeAddress('10.0.0.9/32', { allocated: [] })).toBe('10.0.0.9');
    expect(nextFreeAddress('2001:db8::/64', { gateway: '2001:db8::1', allocated: [] })).toBe('2001:db8::2');
    expect(
      nextFreeAddress('2001:db8::/126', { allocated: ['2001:db8::1', '2001:db8::2', '2001:db8::3'] }),
    ).toBeNull();
    // Out-of-block and other-family entries are ignored.
    expect(nextFreeAddress('10.0.0.0/29', { allocated: ['10.0.1.1', '::1', '10.0.0.1'] })).toBe('10.0.0.2');
  });

  it('throws on a malformed allocated address rather than skipping it', () => {
    expect(() => nextFreeAddress('10.0.0.0/24', { allocated: ['10.0.0.01'] })).toThrow(IpParseError);
  });

  const smallBlocks = [
    '192.168.5.0/30',
    '192.168.5.8/29',
    '192.168.5.0/31',
    '192.168.5.4/32',
    '2001:db8::/126',
    '2001:db8::/125',
  ];

  it('exhaustively on small blocks: never returns a taken address, null exactly when full, always the lowest free', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...smallBlocks),
        fc.array(fc.nat({ max: 9 })),
        fc.array(fc.nat({ max: 9 })),
        fc.option(fc.nat({ max: 9 })),
        (blockText, allocatedIdx, reservedIdx, gatewayIdx) => {
          const block = parseCidr(blockText);
          // Offsets 0..9 reach past small blocks, so out-of-block entries are exercised too.
          const addr = (i: number) => formatIp({ version: block.version, value: block.network + BigInt(i) });
          const allocated = allocatedIdx.map(addr);
          const reserved = reservedIdx.map(addr);
          const gateway = gatewayIdx === null ? undefined : addr(gatewayIdx);
          const taken = new Set([...allocated, ...reserved, ...(gateway ? [gateway] : [])]);
          const u = usableRange(block);
          const usable: string[] = [];
          for (let v = u.first.value; v <= u.last.value; v++)
            usable.push(formatIp({ version: block.version, value: v }));
          const expected = usable.find((a) => !taken.has(a)) ?? null;

          const got = nextFreeAddress(block, { gateway, reserved, allocated });
          expect(got).toBe(expected);
          if (got !== null) {
            expect(taken.has(got)).toBe(false);
            expect(cidrContains(block, got)).toBe(true);
          } else {
            expect(usable.every((a) => taken.has(a))).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  // Speed is measured in bench/, never asserted here; this checks the answer on a large pool.
  it('answers right on a /16 with tens of thousands allocated, and null when it is full', () => {
    const block = parseCidr('10.20.0.0/16');
    const allocated: string[] = [];
    for (let i = 2; i < 60_002; i++)
      allocated.push(formatIp({ version: 4, value: block.network + BigInt(i) }));
    const got = nextFreeAddress(block, { gateway: '10.20.0.1', reserved: [], allocated });
    expect(got).toBe('10.20.234.98'); // offset 60,002

    // Full /16: null.
    const all: string[] = [];
    for (let i = 2; i < 65_535; i++) all.push(formatIp({ version: 4, value: block.network + BigInt(i) }));
    expect(nextFreeAddress(block, { gateway: '10.20.0.1', allocated: all })).toBeNull();
  });
});
