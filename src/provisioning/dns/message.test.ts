// Pure tests of the DNS wire encoder/decoder and of the TSIG MAC (no server). The expected bytes are
// written out by hand from RFC 1035 / RFC 2136 / RFC 8945, and the MACs are computed here with
// node:crypto over digest components assembled independently of the code under test.

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CLASS,
  DnsFormatError,
  decodeMessage,
  decodeName,
  encodeName,
  encodeQuery,
  encodeUpdate,
  prereqNameNotInUse,
  rdataA,
  rdataAAAA,
  TYPE,
  updateDeleteRR,
} from './message.ts';
import { signRequest, verifyResponse } from './tsig.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string) => Buffer.from(s, 'ascii').toString('hex');

describe('encodeName', () => {
  it('writes length-prefixed labels and the root', () => {
    expect(encodeName('a.bc').toString('hex')).toBe('0161026263' + '00');
    expect(encodeName('a.bc.').toString('hex')).toBe('016102626300');
    expect(encodeName('').toString('hex')).toBe('00');
    expect(encodeName('dinkes.example-kab.go.id').toString('hex')).toBe(
      `06${ascii('dinkes')}0b${ascii('example-kab')}02${ascii('go')}02${ascii('id')}00`,
    );
  });

  it.each([
    ['empty label', 'a..b'],
    ['space', 'a b.c'],
    ['newline', 'a\nupdate delete x.c'],
    ['non-ASCII', 'ü.c'],
    ['label over 63', `${'a'.repeat(64)}.c`],
    ['name over 255 octets', Array(9).fill('a'.repeat(30)).join('.')],
    ['quote', '"a".c'],
  ])('refuses %s', (_why, name) => {
    expect(() => encodeName(name)).toThrow(DnsFormatError);
  });
});

describe('rdata', () => {
  it('A and AAAA addresses', () => {
    expect(rdataA('192.0.2.1').toString('hex')).toBe('c0000201');
    expect(rdataAAAA('2001:db8::1').toString('hex')).toBe('20010db8000000000000000000000001');
    expect(() => rdataA('2001:db8::1')).toThrow(DnsFormatError);
    expect(() => rdataAAAA('192.0.2.1')).toThrow(DnsFormatError);
  });
});

describe('encodeQuery', () => {
  it('is a standard query without RD', () => {
    expect(encodeQuery(0x1234, 'a.bc', TYPE.A).toString('hex')).toBe(
      '1234 0000 0001 0000 0000 0000 0161026263 00 0001 0001'.replace(/ /g, ''),
    );
  });
});

/** UPDATE id 0xbeef, zone bc, prerequisite "a.bc not in use", add a.bc 3600 IN A 192.0.2.1 (by hand). */
const UPDATE_ADD = hex(`
  beef 2800 0001 0001 0001 0000
  02626300 0006 0001
  016102626300 00ff 00fe 00000000 0000
  016102626300 0001 0001 00000e10 0004 c0000201
`);

describe('encodeUpdate', () => {
  it('builds zone, prerequisite (NONE ANY) and add sections', () => {
    const msg = encodeUpdate({
      id: 0xbeef,
      zone: 'bc',
      prerequisites: [prereqNameNotInUse('a.bc')],
      updates: [{ name: 'a.bc', type: TYPE.A, class: CLASS.IN, ttl: 3600, rdata: rdataA('192.0.2.1') }],
    });
    expect(msg.toString('hex')).toBe(UPDATE_ADD.toString('hex'));
  });

  it('deletes one RR with class NONE, TTL 0 and the rdata', () => {
    const msg = encodeUpdate({
      id: 1,
      zone: 'bc',
      prerequisites: [],
      updates: [updateDeleteRR('a.bc', TYPE.AAAA, rdataAAAA('2001:db8::1'))],
    });
    expect(msg.toString('hex')).toBe(
      hex(`
        0001 2800 0001 0000 0001 0000
        02626300 0006 0001
        016102626300 001c 00fe 00000000 0010 20010db8000000000000000000000001
      `).toString('hex'),
    );
  });
});

describe('decodeMessage', () => {
  // A response to "a.bc A": answer a.bc CNAME www.bc (compressed), www.bc A 192.0.2.7 (compressed).
  const response = hex(`
    4321 8400 0001 0002 0000 0000
    016102626300 0001 0001
    c00c 0005 0001 0000012c 0006 03777777 c00e
    c022 0001 0001 0000012c 0004 c0000207
  `);

  it('follows compression pointers in owner names and in CNAME rdata', () => {
    const m = decodeMessage(response);
    expect(m).toMatchObject({ id: 0x4321, qr: true, aa: true, opcode: 0, rcode: 0 });
    expect(m.questions).toEqual([{ name: 'a.bc', type: TYPE.A, class: CLASS.IN }]);
    expect(m.answers.map((r) => [r.name, r.type, r.ttl, r.data])).toEqual([
      ['a.bc', TYPE.CNAME, 300, 'www.bc'],
      ['www.bc', TYPE.A, 300, '192.0.2.7'],
    ]);
  });

  it('formats AAAA canonically', () => {
    const m = decodeMessage(
      hex(`0001 8400 0000 0001 0000 0000
           016102626300 001c 0001 0000003c 0010 20010DB8000000000000000000000020`),
    );
    expect(m.answers[0]?.data).toBe('2001:db8::20');
  });

  it('refuses pointer loops, forward pointers, truncation and trailing bytes', () => {
    // A pointer to itself at offset 12.
    expect(() => decodeName(hex('000000000000000000000000 c00c'), 12)).toThrow(/backwards/);
    // A forward pointer.
    expect(() => decodeName(hex('000000000000000000000000 c00f 00 00'), 12)).toThrow(/backwards/);
    // Label past the end.
    expect(() => decodeName(hex('05 6161'), 0)).toThrow(DnsFormatError);
    expect(() => decodeMessage(response.subarray(0, response.length - 1))).toThrow(DnsFormatError);
    expect(() => decodeMessage(Buffer.concat([response, hex('00')]))).toThrow(/trailing/);
  });

  it('shows hostile bytes in a label escaped, never as a plain name', () => {
    const { name } = decodeName(hex('03 610a62 00'), 0);
    expect(name).toBe('a\\010b');
  });
});

// ---------------------------------------------------------------------------------------------------
// TSIG (RFC 8945 §4.3.3): MAC = HMAC-SHA256(secret, message ‖ TSIG variables)

const SECRET = Buffer.from('8gTzL8Hb0G1zY3Yx0n7m3l4cVt2r9Qp1x5w6e7u8i9o=', 'base64');
const KEY = { name: 'loket-key', secret: SECRET };
const NOW = 1_700_000_000_000; // 1700000000 s = 0x6553f100
const KEY_NAME_WIRE = `09${ascii('loket-key')}00`;
const ALG_WIRE = `0b${ascii('hmac-sha256')}00`;

/** TSIG variables assembled by hand: key name, class ANY, TTL 0, algorithm, time, fudge 300, error, other len. */
function variables(time48Hex: string, errorHex = '0000'): Buffer {
  return hex(`${KEY_NAME_WIRE} 00ff 00000000 ${ALG_WIRE} ${time48Hex} 012c ${errorHex} 0000`);
}

describe('TSIG signing', () => {
  it('computes the request MAC over the message and the TSIG variables', () => {
    const expectedMac = createHmac('sha256', SECRET)
      .update(UPDATE_ADD)
      .update(variables('00006553f100'))
      .digest();
    const signed = signRequest(UPDATE_ADD, KEY, { now: NOW });
    expect(signed.mac.toString('hex')).toBe(expectedMac.toString('hex'));
    expect(signed.timeSigned).toBe(1_700_000_000);

    // The signed message: ARCOUNT 1, then the TSIG RR appended after the unchanged body.
    const expected = Buffer.concat([UPDATE_ADD, hex(`${KEY_NAME_WIRE} 00fa 00ff 00000000`)]);
    expected.writeUInt16BE(1, 10);
    const rdata = hex(`${ALG_WIRE} 00006553f100 012c 0020 ${expectedMac.toString('hex')} beef 0000 0000`);
    const rdlen = Buffer.alloc(2);
    rdlen.writeUInt16BE(rdata.length);
    expect(signed.message.toString('hex')).toBe(Buffer.concat([expected, rdlen, rdata]).toString('hex'));
    // The request itself is not modified.
    expect(UPDATE_ADD.readUInt16BE(10)).toBe(0);
  });

  it('a different secret, time or message gives a different MAC', () => {
    const a = signRequest(UPDATE_ADD, KEY, { now: NOW }).mac;
    expect(signRequest(UPDATE_ADD, { ...KEY, secret: Buffer.from('x') }, { now: NOW }).mac).not.toEqual(a);
    expect(signRequest(UPDATE_ADD, KEY, { now: NOW + 1000 }).mac).not.toEqual(a);
    const other = Buffer.from(UPDATE_ADD);
    other[other.length - 1] = 2;
    expect(signRequest(other, KEY, { now: NOW }).mac).not.toEqual(a);
  });
});

describe('TSIG response verification', () => {
  const request = signRequest(UPDATE_ADD, KEY, { now: NOW });
  // The server's answer: same id, QR + UPDATE + NOERROR, the zone section echoed, no records.
  const body = hex('beef a800 0001 0000 0000 0000 02626300 0006 0001');

  /** Signs `body` as the server would (independently of tsig.ts), optionally with a changed id. */
  function serverAnswer(opts: { id?: number; time?: string; error?: string; macOverride?: Buffer } = {}) {
    const time = opts.time ?? '00006553f164'; // +100 s
    const error = opts.error ?? '0000';
    const macLen = hex('0020');
    const mac =
      opts.macOverride ??
      createHmac('sha256', SECRET)
        .update(macLen)
        .update(request.mac)
        .update(body) // with the original id and ARCOUNT 0
        .update(variables(time, error))
        .digest();
    const rdata = hex(`${ALG_WIRE} ${time} 012c ${mac.length.toString(16).padStart(4, '0')}`);
    const rdataTail = hex(`beef ${error} 0000`);
    const rd = Buffer.concat([rdata, mac, rdataTail]);
    const rdlen = Buffer.alloc(2);
    rdlen.writeUInt16BE(rd.length);
    const raw = Buffer.concat([body, hex(`${KEY_NAME_WIRE} 00fa 00ff 00000000`), rdlen, rd]);
    raw.writeUInt16BE(1, 10);
    if (opts.id !== undefined) raw.writeUInt16BE(opts.id, 0);
    return raw;
  }

  const verify = (raw: Buffer, mac = request.mac, now = NOW) =>
    verifyResponse(raw, decodeMessage(raw), mac, KEY, { now });

  it('accepts the correctly signed answer', () => {
    expect(verify(serverAnswer()).ok).toBe(true);
  });

  it('uses the Original ID when the id was changed in transit (RFC 8945 §5.3)', () => {
    expect(verify(serverAnswer({ id: 0x1111 })).ok).toBe(true);
  });

  it('refuses a changed byte, a different request MAC, a bad MAC and an unsigned answer', () => {
    const raw = serverAnswer();
    const tampered = Buffer.from(raw);
    tampered[3] = 0x86; // rcode → YXDOMAIN
    expect(verify(tampered)).toMatchObject({ ok: false, problem: 'MAC' });
    expect(verify(raw, Buffer.alloc(32))).toMatchObject({ ok: false, problem: 'MAC' });
    expect(verify(serverAnswer({ macOverride: Buffer.alloc(32, 1) }))).toMatchObject({ problem: 'MAC' });
    expect(verify(serverAnswer({ macOverride: Buffer.alloc(16, 1) }))).toMatchObject({ problem: 'MAC' });
    expect(verify(body)).toMatchObject({ ok: false, problem: 'MISSING' });
  });

  it('refuses an answer signed outside the fudge, and reports a TSIG error', () => {
    expect(verify(serverAnswer(), request.mac, NOW + 301_000 + 100_000)).toMatchObject({ problem: 'TIME' });
    expect(verify(serverAnswer({ error: '0010' }))).toMatchObject({ ok: false, problem: 'ERROR' });
  });
});
