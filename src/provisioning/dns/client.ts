// The DNS adapter of provisioning: A/AAAA/CNAME records in a parent zone on the NS server by RFC 2136
// dynamic update signed with TSIG (HMAC-SHA256), over TCP (2-byte length prefix, RFC 1035 §4.2.2).
//
// Every exported function validates all of its inputs FIRST (src/provisioning/types.ts) and throws
// UnsafeValueError before any socket is opened. Names are never escaped or fixed up: a hostile name
// is refused. Each answer to a signed request must carry a TSIG record that verifies with the key.
//
// Idempotent: addRecord answers 'exists' when the name already holds exactly this record, and
// removeRecord answers 'absent' when the record is not there, so a killed job may run a step again.

import { randomInt } from 'node:crypto';
import net from 'node:net';
import { formatIp, tryParseIp } from '../../registry/ip.ts';
import { assertSafeHostname, assertSafeIp, UnsafeValueError } from '../types.ts';
import {
  CLASS,
  type DecodedMessage,
  type DecodedRecord,
  DnsFormatError,
  decodeMessage,
  encodeQuery,
  encodeUpdate,
  OPCODE,
  prereqNameNotInUse,
  RCODE,
  rcodeName,
  rdataA,
  rdataAAAA,
  rdataName,
  TYPE,
  updateDeleteRR,
} from './message.ts';
import { signRequest, type TsigKey, verifyResponse } from './tsig.ts';

export type DnsTarget = {
  host: string;
  port: number;
  keyName: string;
  keySecret: Buffer;
  timeoutMs?: number;
};
export type DnsRecord = {
  zone: string;
  name: string;
  type: 'A' | 'AAAA' | 'CNAME';
  value: string;
  ttl: number;
};

/** A DNS operation failed; `rcode` is the server's RCODE name or 'TIMEOUT' / 'NETWORK' / 'BADSIG' / 'FORMERR'. */
export class DnsError extends Error {
  rcode: string;
  /** The TSIG error the server reported (e.g. 'BADSIG', 'BADKEY'), when it reported one. */
  tsigError?: string;
  constructor(rcode: string, message: string, tsigError?: string) {
    super(message);
    this.name = 'DnsError';
    this.rcode = rcode;
    if (tsigError !== undefined) this.tsigError = tsigError;
  }
}

/** The name exists with something other than the requested record: it is never overwritten. */
export class DnsConflictError extends DnsError {
  /** What the name holds, as zone-file-like lines (empty when only names below it exist). */
  existing: string[];
  constructor(message: string, existing: string[]) {
    super('YXDOMAIN', message);
    this.name = 'DnsConflictError';
    this.existing = existing;
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MIN_TTL = 60;
const MAX_TTL = 86_400;
const RECORD_TYPES = ['A', 'AAAA', 'CNAME'] as const;
/** DNSSEC bookkeeping records that may sit next to ours in a signed zone; not a conflict. */
const DNSSEC_TYPES: ReadonlySet<number> = new Set([TYPE.RRSIG, TYPE.NSEC, TYPE.NSEC3]);

// ---------------------------------------------------------------------------------------------------
// Validation (before any socket)

function assertRecordType(type: unknown): asserts type is DnsRecord['type'] {
  if (!RECORD_TYPES.includes(type as DnsRecord['type'])) {
    throw new UnsafeValueError('type', 'must be A, AAAA or CNAME');
  }
}

function isCanonicalIp(value: string, version: 4 | 6): boolean {
  const ip = typeof value === 'string' ? tryParseIp(value) : null;
  return ip !== null && ip.version === version && formatIp(ip) === value;
}

function validateRecord(r: DnsRecord): void {
  if (typeof r !== 'object' || r === null) throw new UnsafeValueError('record', 'missing');
  const zone = assertSafeHostname('zone', r.zone);
  const name = assertSafeHostname('name', r.name);
  if (!name.endsWith(`.${zone}`)) throw new UnsafeValueError('name', `not a subdomain of ${zone}`);
  assertRecordType(r.type);
  if (r.type === 'A' && !isCanonicalIp(r.value, 4)) {
    throw new UnsafeValueError('value', 'not a canonical IPv4 address');
  }
  if (r.type === 'AAAA' && !isCanonicalIp(r.value, 6)) {
    throw new UnsafeValueError('value', 'not a canonical IPv6 address (RFC 5952)');
  }
  if (r.type === 'CNAME') {
    assertSafeHostname('value', r.value);
    if (r.value === name) throw new UnsafeValueError('value', 'a CNAME cannot point to itself');
  }
  if (!Number.isInteger(r.ttl) || r.ttl < MIN_TTL || r.ttl > MAX_TTL) {
    throw new UnsafeValueError('ttl', `an integer from ${MIN_TTL} to ${MAX_TTL}`);
  }
}

function validateServer(t: Pick<DnsTarget, 'host' | 'port' | 'timeoutMs'>): void {
  if (typeof t !== 'object' || t === null) throw new UnsafeValueError('target', 'missing');
  assertSafeIp('host', t.host);
  if (!Number.isInteger(t.port) || t.port < 1 || t.port > 65_535) {
    throw new UnsafeValueError('port', 'an integer from 1 to 65535');
  }
  if (t.timeoutMs !== undefined && (!Number.isInteger(t.timeoutMs) || t.timeoutMs < 1)) {
    throw new UnsafeValueError('timeoutMs', 'a positive integer');
  }
}

function validateTarget(t: DnsTarget): void {
  validateServer(t);
  assertSafeHostname('keyName', t.keyName);
  if (!Buffer.isBuffer(t.keySecret) || t.keySecret.length === 0) {
    throw new UnsafeValueError('keySecret', 'a non-empty Buffer');
  }
}

function rdataOf(r: DnsRecord): Buffer {
  if (r.type === 'A') return rdataA(r.value);
  if (r.type === 'AAAA') return rdataAAAA(r.value);
  return rdataName(r.value);
}

// ---------------------------------------------------------------------------------------------------
// Transport: one TCP connection per message

function exchange(host: string, port: number, message: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (err: Error | null, value?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value as Buffer);
    };
    const timer = setTimeout(
      () => finish(new DnsError('TIMEOUT', `no answer from ${host}:${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('connect', () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(message.length);
      socket.write(Buffer.concat([prefix, message]));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 2) return;
      const all = Buffer.concat(chunks);
      const length = all.readUInt16BE(0);
      if (all.length >= 2 + length) finish(null, all.subarray(2, 2 + length));
    });
    socket.on('error', (e) => finish(new DnsError('NETWORK', `${host}:${port}: ${e.message}`)));
    socket.on('close', () => finish(new DnsError('NETWORK', `${host}:${port} closed the connection`)));
  });
}

function decodeAnswer(raw: Buffer, id: number, opcode: number): DecodedMessage {
  let m: DecodedMessage;
  try {
    m = decodeMessage(raw);
  } catch (e) {
    if (e instanceof DnsFormatError) throw new DnsError('FORMERR', `malformed answer: ${e.message}`);
    throw e;
  }
  if (m.id !== id || !m.qr || m.opcode !== opcode) {
    throw new DnsError('FORMERR', 'the answer does not match the request (id, QR or opcode)');
  }
  return m;
}

/** RCODEs we act on: an answer carrying one of them must be signed. */
const ACTED_ON: ReadonlySet<number> = new Set([
  RCODE.NOERROR,
  RCODE.NXDOMAIN,
  RCODE.YXDOMAIN,
  RCODE.YXRRSET,
  RCODE.NXRRSET,
]);

async function signedExchange(t: DnsTarget, message: Buffer, opcode: number): Promise<DecodedMessage> {
  const key: TsigKey = { name: t.keyName, secret: t.keySecret };
  const id = message.readUInt16BE(0);
  const signed = signRequest(message, key);
  const raw = await exchange(t.host, t.port, signed.message, t.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const answer = decodeAnswer(raw, id, opcode);
  const check = verifyResponse(raw, answer, signed.mac, key);
  if (check.ok) return answer;
  const rcode = rcodeName(answer.rcode);
  if (check.problem === 'ERROR' && check.tsig) {
    // The server refused our signature (wrong secret → BADSIG, unknown key → BADKEY, clock → BADTIME).
    const tsigError = rcodeName(check.tsig.error);
    throw new DnsError(
      rcode,
      `${rcode}: the server rejected the request's signature (${tsigError})`,
      tsigError,
    );
  }
  if (check.problem === 'MISSING' && !ACTED_ON.has(answer.rcode)) {
    // An unsigned failure (e.g. FORMERR/NOTAUTH from a server that could not check our TSIG): it is
    // reported as the failure it claims to be; nothing is concluded from it.
    throw new DnsError(rcode, `${rcode} (unsigned answer)`);
  }
  throw new DnsError('BADSIG', `the answer's TSIG signature did not verify (${check.problem})`);
}

function newId(): number {
  return randomInt(0, 0x1_0000);
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function recordValue(rr: DecodedRecord): string | undefined {
  return typeof rr.data === 'string' ? rr.data.toLowerCase() : undefined;
}

function describeDecoded(rr: DecodedRecord): string {
  const typeName = Object.entries(TYPE).find(([, v]) => v === rr.type)?.[0] ?? `TYPE${rr.type}`;
  const value = typeof rr.data === 'string' ? rr.data : `\\# ${rr.rdata.length}`;
  const shown = rr.type === TYPE.CNAME || rr.type === TYPE.NS ? `${value}.` : value;
  return `${rr.name}. ${rr.ttl} IN ${typeName} ${shown}`;
}

// ---------------------------------------------------------------------------------------------------
// API

/**
 * Adds the record with the prerequisite "name is not in use" (NXDOMAIN). If the name exists with
 * exactly this record, answers 'exists' (idempotent); with anything else, throws DnsConflictError and
 * changes nothing. "Exactly this record": the name holds one RR, of this type and value (the TTL is
 * not part of an RR's identity and is not compared; DNSSEC RRSIG/NSEC records are ignored).
 */
export async function addRecord(t: DnsTarget, r: DnsRecord): Promise<'created' | 'exists'> {
  validateTarget(t);
  validateRecord(r);
  const type = TYPE[r.type];
  const update = encodeUpdate({
    id: newId(),
    zone: r.zone,
    prerequisites: [prereqNameNotInUse(r.name)],
    updates: [{ name: r.name, type, class: CLASS.IN, ttl: r.ttl, rdata: rdataOf(r) }],
  });
  const answer = await signedExchange(t, update, OPCODE.UPDATE);
  if (answer.rcode === RCODE.NOERROR) return 'created';
  if (answer.rcode !== RCODE.YXDOMAIN) {
    const rcode = rcodeName(answer.rcode);
    throw new DnsError(rcode, `update of ${r.name} in ${r.zone} failed: ${rcode}`);
  }
  // The name is in use. Ask (signed) what it holds; nothing is changed whatever the answer.
  const query = await signedExchange(t, encodeQuery(newId(), r.name, TYPE.ANY), OPCODE.QUERY);
  if (query.rcode !== RCODE.NOERROR && query.rcode !== RCODE.NXDOMAIN) {
    const rcode = rcodeName(query.rcode);
    throw new DnsError(rcode, `query of ${r.name} failed: ${rcode}`);
  }
  const held = query.answers.filter((rr) => sameName(rr.name, r.name) && !DNSSEC_TYPES.has(rr.type));
  const only = held.length === 1 ? held[0] : undefined;
  if (only && only.type === type && only.class === CLASS.IN && recordValue(only) === r.value.toLowerCase()) {
    return 'exists';
  }
  const existing = held.map(describeDecoded);
  throw new DnsConflictError(
    `${r.name} is already in use${existing.length ? `: ${existing.join('; ')}` : ' (names exist below it)'}; not overwritten`,
    existing,
  );
}

/** Deletes exactly this RR (class NONE delete); 'absent' when it was not there. Other records of the name stay. */
export async function removeRecord(t: DnsTarget, r: DnsRecord): Promise<'removed' | 'absent'> {
  validateTarget(t);
  validateRecord(r);
  const type = TYPE[r.type];
  const query = await signedExchange(t, encodeQuery(newId(), r.name, type), OPCODE.QUERY);
  if (query.rcode !== RCODE.NOERROR && query.rcode !== RCODE.NXDOMAIN) {
    const rcode = rcodeName(query.rcode);
    throw new DnsError(rcode, `query of ${r.name} failed: ${rcode}`);
  }
  const present = query.answers.some(
    (rr) => sameName(rr.name, r.name) && rr.type === type && recordValue(rr) === r.value.toLowerCase(),
  );
  if (!present) return 'absent';
  const update = encodeUpdate({
    id: newId(),
    zone: r.zone,
    prerequisites: [],
    updates: [updateDeleteRR(r.name, type, rdataOf(r))],
  });
  const answer = await signedExchange(t, update, OPCODE.UPDATE);
  if (answer.rcode !== RCODE.NOERROR) {
    const rcode = rcodeName(answer.rcode);
    throw new DnsError(rcode, `delete of ${r.name} in ${r.zone} failed: ${rcode}`);
  }
  return 'removed';
}

/** Asks the server (no recursion) for the name's records of this type; [] when none. */
export async function queryRecords(
  t: Pick<DnsTarget, 'host' | 'port' | 'timeoutMs'>,
  name: string,
  type: 'A' | 'AAAA' | 'CNAME',
): Promise<string[]> {
  validateServer(t);
  assertSafeHostname('name', name);
  assertRecordType(type);
  const id = newId();
  const raw = await exchange(
    t.host,
    t.port,
    encodeQuery(id, name, TYPE[type]),
    t.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  const answer = decodeAnswer(raw, id, OPCODE.QUERY);
  if (answer.rcode !== RCODE.NOERROR && answer.rcode !== RCODE.NXDOMAIN) {
    const rcode = rcodeName(answer.rcode);
    throw new DnsError(rcode, `query of ${name} failed: ${rcode}`);
  }
  return answer.answers
    .filter((rr) => sameName(rr.name, name) && rr.type === TYPE[type] && rr.class === CLASS.IN)
    .map((rr) => recordValue(rr))
    .filter((v): v is string => v !== undefined);
}

/** What addRecord would send, as zone-file-like text, for the plan shown to the user. */
export function describeRecord(r: DnsRecord): string {
  validateRecord(r);
  const value = r.type === 'CNAME' ? `${r.value}.` : r.value;
  return `${r.name}. ${r.ttl} IN ${r.type} ${value}`;
}
