// DNS wire format (RFC 1035 §4, RFC 2136 §2 for UPDATE): just enough to build QUERY and UPDATE
// messages and to read the answers of an authoritative server.
//
// Encoding never compresses names (allowed by RFC 1035, and needed anyway for the TSIG digest, which
// uses names in canonical uncompressed form). Decoding follows compression pointers, strictly
// backwards and a bounded number of times, so a hostile answer cannot loop the decoder.
//
// This module is pure (no I/O). It does not validate names against the registry's rules — the client
// (client.ts) does that before anything is encoded — but it refuses anything that could not be a
// well-formed wire name (empty or over-long labels, characters outside [A-Za-z0-9_-]).

import { formatIp, tryParseIp } from '../../registry/ip.ts';

export const TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  TXT: 16,
  AAAA: 28,
  OPT: 41,
  RRSIG: 46,
  NSEC: 47,
  NSEC3: 50,
  TSIG: 250,
  ANY: 255,
} as const;

export const CLASS = { IN: 1, NONE: 254, ANY: 255 } as const;

export const OPCODE = { QUERY: 0, UPDATE: 5 } as const;

/** RCODE values (RFC 1035, RFC 2136, RFC 8945 for the TSIG error field). */
const RCODE_NAMES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
  16: 'BADSIG',
  17: 'BADKEY',
  18: 'BADTIME',
  19: 'BADMODE',
  20: 'BADNAME',
  21: 'BADALG',
  22: 'BADTRUNC',
  23: 'BADCOOKIE',
};

export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
  YXRRSET: 7,
  NXRRSET: 8,
  NOTAUTH: 9,
  NOTZONE: 10,
} as const;

export function rcodeName(code: number): string {
  return RCODE_NAMES[code] ?? `RCODE${code}`;
}

export class DnsFormatError extends Error {
  override name = 'DnsFormatError';
}

export type Question = { name: string; type: number; class: number };

/** A resource record to encode; `rdata` is already in wire form (see the rdata* helpers). */
export type ResourceRecord = { name: string; type: number; class: number; ttl: number; rdata: Buffer };

export type MessageHeader = {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  rcode: number;
};

/**
 * A message to encode. For UPDATE (RFC 2136 §2) the sections are named differently but sit at the
 * same places: zone = questions, prerequisites = answers, updates = authorities.
 */
export type Message = MessageHeader & {
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
};

export type TsigRdata = {
  algorithm: string;
  /** Seconds since the epoch (48 bits on the wire). */
  timeSigned: number;
  fudge: number;
  mac: Buffer;
  originalId: number;
  error: number;
  otherData: Buffer;
};

export type DecodedRecord = ResourceRecord & {
  /** Byte offset of the record's first byte (its owner name) in the message. */
  offset: number;
  /** Decoded rdata: an address (canonical text) for A/AAAA, a name for CNAME/NS, TSIG fields for TSIG. */
  data?: string | TsigRdata;
};

export type DecodedMessage = MessageHeader & {
  questions: Question[];
  answers: DecodedRecord[];
  authorities: DecodedRecord[];
  additionals: DecodedRecord[];
};

const WIRE_LABEL_RE = /^[A-Za-z0-9_-]{1,63}$/;

/** A name in uncompressed wire form. `''` (or `'.'`) is the root. A trailing dot is accepted here. */
export function encodeName(name: string): Buffer {
  const text = name.endsWith('.') ? name.slice(0, -1) : name;
  if (text === '') return Buffer.from([0]);
  const parts: Buffer[] = [];
  for (const label of text.split('.')) {
    if (!WIRE_LABEL_RE.test(label)) throw new DnsFormatError(`cannot encode label ${JSON.stringify(label)}`);
    parts.push(Buffer.from([label.length]), Buffer.from(label, 'ascii'));
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  if (out.length > 255) throw new DnsFormatError('name longer than 255 octets on the wire');
  return out;
}

/** The canonical form of a name for TSIG digests (RFC 4034 §6.2): lower case, uncompressed. */
export function encodeCanonicalName(name: string): Buffer {
  return encodeName(name.toLowerCase());
}

export function rdataA(address: string): Buffer {
  const ip = tryParseIp(address);
  if (ip?.version !== 4) throw new DnsFormatError(`not an IPv4 address: ${JSON.stringify(address)}`);
  const out = Buffer.alloc(4);
  out.writeUInt32BE(Number(ip.value));
  return out;
}

export function rdataAAAA(address: string): Buffer {
  const ip = tryParseIp(address);
  if (ip?.version !== 6) throw new DnsFormatError(`not an IPv6 address: ${JSON.stringify(address)}`);
  const out = Buffer.alloc(16);
  out.writeBigUInt64BE(ip.value >> 64n, 0);
  out.writeBigUInt64BE(ip.value & 0xffff_ffff_ffff_ffffn, 8);
  return out;
}

export function rdataName(name: string): Buffer {
  return encodeName(name);
}

export function encodeTsigRdata(t: TsigRdata): Buffer {
  const fixed = Buffer.alloc(10);
  writeUint48(fixed, t.timeSigned, 0);
  fixed.writeUInt16BE(t.fudge, 6);
  fixed.writeUInt16BE(t.mac.length, 8);
  const tail = Buffer.alloc(6);
  tail.writeUInt16BE(t.originalId, 0);
  tail.writeUInt16BE(t.error, 2);
  tail.writeUInt16BE(t.otherData.length, 4);
  return Buffer.concat([encodeName(t.algorithm), fixed, t.mac, tail, t.otherData]);
}

export function writeUint48(buf: Buffer, value: number, offset: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff_ffff) {
    throw new DnsFormatError('48-bit value out of range');
  }
  buf.writeUInt16BE(Math.floor(value / 0x1_0000_0000), offset);
  buf.writeUInt32BE(value % 0x1_0000_0000, offset + 2);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

export function encodeRecord(rr: ResourceRecord): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(rr.type, 0);
  fixed.writeUInt16BE(rr.class, 2);
  fixed.writeUInt32BE(rr.ttl, 4);
  fixed.writeUInt16BE(rr.rdata.length, 8);
  return Buffer.concat([encodeName(rr.name), fixed, rr.rdata]);
}

export function encodeMessage(m: Message): Buffer {
  if (m.questions.length > 0xffff || m.answers.length > 0xffff) throw new DnsFormatError('too many records');
  const header = Buffer.alloc(12);
  header.writeUInt16BE(m.id, 0);
  let flags = 0;
  if (m.qr) flags |= 0x8000;
  flags |= (m.opcode & 0xf) << 11;
  if (m.aa) flags |= 0x0400;
  if (m.tc) flags |= 0x0200;
  if (m.rd) flags |= 0x0100;
  if (m.ra) flags |= 0x0080;
  flags |= m.rcode & 0xf;
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(m.questions.length, 4);
  header.writeUInt16BE(m.answers.length, 6);
  header.writeUInt16BE(m.authorities.length, 8);
  header.writeUInt16BE(m.additionals.length, 10);
  const parts: Buffer[] = [header];
  for (const q of m.questions) parts.push(encodeName(q.name), u16(q.type), u16(q.class));
  for (const rr of [...m.answers, ...m.authorities, ...m.additionals]) parts.push(encodeRecord(rr));
  const out = Buffer.concat(parts);
  if (out.length > 0xffff) throw new DnsFormatError('message longer than 65535 octets');
  return out;
}

const EMPTY = Buffer.alloc(0);

/** A standard query (no recursion desired) for one name and type. */
export function encodeQuery(id: number, name: string, type: number): Buffer {
  return encodeMessage({
    id,
    qr: false,
    opcode: OPCODE.QUERY,
    aa: false,
    tc: false,
    rd: false,
    ra: false,
    rcode: 0,
    questions: [{ name, type, class: CLASS.IN }],
    answers: [],
    authorities: [],
    additionals: [],
  });
}

/** An UPDATE message (RFC 2136): zone section, prerequisites, updates. */
export function encodeUpdate(u: {
  id: number;
  zone: string;
  prerequisites: ResourceRecord[];
  updates: ResourceRecord[];
}): Buffer {
  return encodeMessage({
    id: u.id,
    qr: false,
    opcode: OPCODE.UPDATE,
    aa: false,
    tc: false,
    rd: false,
    ra: false,
    rcode: 0,
    questions: [{ name: u.zone, type: TYPE.SOA, class: CLASS.IN }],
    answers: u.prerequisites,
    authorities: u.updates,
    additionals: [],
  });
}

/** RFC 2136 §2.4.5 "Name is not in use": NONE/ANY, TTL 0, empty rdata. */
export function prereqNameNotInUse(name: string): ResourceRecord {
  return { name, type: TYPE.ANY, class: CLASS.NONE, ttl: 0, rdata: EMPTY };
}

/** RFC 2136 §2.5.4 "Delete an RR from an RRset": class NONE, TTL 0, the RR's rdata. */
export function updateDeleteRR(name: string, type: number, rdata: Buffer): ResourceRecord {
  return { name, type, class: CLASS.NONE, ttl: 0, rdata };
}

// ---------------------------------------------------------------------------------------------------
// Decoding

const MAX_POINTER_JUMPS = 64;

class Reader {
  readonly buf: Buffer;
  pos = 0;
  constructor(buf: Buffer) {
    this.buf = buf;
  }
  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new DnsFormatError('message truncated');
  }
  u8(): number {
    this.need(1);
    return this.buf.readUInt8(this.pos++);
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}

/**
 * Reads a (possibly compressed) name starting at `offset`. Returns the name in presentation form
 * without the trailing dot ('' for the root) and the offset just after the name's first encoding.
 * Pointers must point strictly backwards, so decoding always terminates.
 */
export function decodeName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  let jumps = 0;
  let wireLength = 1;
  for (;;) {
    if (pos >= buf.length) throw new DnsFormatError('name runs past the end of the message');
    const len = buf.readUInt8(pos);
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw new DnsFormatError('truncated compression pointer');
      const target = ((len & 0x3f) << 8) | buf.readUInt8(pos + 1);
      if (target >= pos) throw new DnsFormatError('compression pointer does not point backwards');
      if (++jumps > MAX_POINTER_JUMPS) throw new DnsFormatError('too many compression pointers');
      if (next < 0) next = pos + 2;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new DnsFormatError('unsupported label type');
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if (pos + 1 + len > buf.length) throw new DnsFormatError('label runs past the end of the message');
    wireLength += len + 1;
    if (wireLength > 255) throw new DnsFormatError('name longer than 255 octets');
    const raw = buf.subarray(pos + 1, pos + 1 + len);
    // Presentation form: escape anything that is not a plain letter, digit, '-' or '_', so a
    // hostile label can never be mistaken for a plain host name (it then fails validation upstream).
    let label = '';
    for (const byte of raw) {
      const c = String.fromCharCode(byte);
      label += /[A-Za-z0-9_-]/.test(c) ? c : `\\${String(byte).padStart(3, '0')}`;
    }
    labels.push(label);
    pos += 1 + len;
  }
  return { name: labels.join('.'), next };
}

function readQuestion(r: Reader): Question {
  const { name, next } = decodeName(r.buf, r.pos);
  r.pos = next;
  return { name, type: r.u16(), class: r.u16() };
}

function decodeTsigRdata(buf: Buffer, start: number, end: number): TsigRdata {
  const { name: algorithm, next } = decodeName(buf, start);
  const r = new Reader(buf.subarray(0, end));
  r.pos = next;
  const hi = r.u16();
  const lo = r.u32();
  const fudge = r.u16();
  const macSize = r.u16();
  const mac = Buffer.from(r.bytes(macSize));
  const originalId = r.u16();
  const error = r.u16();
  const otherLen = r.u16();
  const otherData = Buffer.from(r.bytes(otherLen));
  if (r.pos !== end) throw new DnsFormatError('TSIG rdata has trailing bytes');
  return { algorithm, timeSigned: hi * 0x1_0000_0000 + lo, fudge, mac, originalId, error, otherData };
}

function readRecord(r: Reader): DecodedRecord {
  const offset = r.pos;
  const { name, next } = decodeName(r.buf, r.pos);
  r.pos = next;
  const type = r.u16();
  const klass = r.u16();
  const ttl = r.u32();
  const rdlength = r.u16();
  const rdataStart = r.pos;
  const rdata = Buffer.from(r.bytes(rdlength));
  const rr: DecodedRecord = { name, type, class: klass, ttl, rdata, offset };
  if (type === TYPE.A && rdlength === 4) {
    rr.data = formatIp({ version: 4, value: BigInt(rdata.readUInt32BE(0)) });
  } else if (type === TYPE.AAAA && rdlength === 16) {
    rr.data = formatIp({ version: 6, value: (rdata.readBigUInt64BE(0) << 64n) | rdata.readBigUInt64BE(8) });
  } else if ((type === TYPE.CNAME || type === TYPE.NS) && klass === CLASS.IN && rdlength > 0) {
    const target = decodeName(r.buf, rdataStart);
    if (target.next !== rdataStart + rdlength) throw new DnsFormatError('name rdata length mismatch');
    rr.data = target.name;
  } else if (type === TYPE.TSIG) {
    rr.data = decodeTsigRdata(r.buf, rdataStart, rdataStart + rdlength);
  }
  return rr;
}

export function decodeMessage(buf: Buffer): DecodedMessage {
  const r = new Reader(buf);
  const id = r.u16();
  const flags = r.u16();
  const qd = r.u16();
  const an = r.u16();
  const ns = r.u16();
  const ar = r.u16();
  const questions: Question[] = [];
  for (let i = 0; i < qd; i++) questions.push(readQuestion(r));
  const answers: DecodedRecord[] = [];
  for (let i = 0; i < an; i++) answers.push(readRecord(r));
  const authorities: DecodedRecord[] = [];
  for (let i = 0; i < ns; i++) authorities.push(readRecord(r));
  const additionals: DecodedRecord[] = [];
  for (let i = 0; i < ar; i++) additionals.push(readRecord(r));
  if (r.pos !== buf.length) throw new DnsFormatError('trailing bytes after the last record');
  return {
    id,
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    rcode: flags & 0xf,
    questions,
    answers,
    authorities,
    additionals,
  };
}
