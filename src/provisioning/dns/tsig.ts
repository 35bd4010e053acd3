// TSIG (RFC 8945) with HMAC-SHA256: signing a request and verifying the server's signed answer.
//
// Request MAC = HMAC(key, message-without-TSIG ‖ TSIG variables)
// Response MAC = HMAC(key, len(request MAC) ‖ request MAC ‖ response-without-TSIG ‖ TSIG variables)
// where "without TSIG" means: the TSIG record cut off, ARCOUNT decremented, and (for the response) the
// message ID set back to the TSIG record's Original ID. The TSIG variables (§4.3.3) are: key name
// (canonical wire form), class ANY, TTL 0, algorithm name (canonical wire form), time signed (48 bits),
// fudge, error, other length, other data.
//
// Pure apart from the clock (which callers may pass in).

import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  CLASS,
  type DecodedMessage,
  DnsFormatError,
  encodeCanonicalName,
  encodeRecord,
  encodeTsigRdata,
  type TsigRdata,
  TYPE,
  writeUint48,
} from './message.ts';

export const HMAC_SHA256 = 'hmac-sha256';
export const DEFAULT_FUDGE = 300;

export type TsigKey = { name: string; secret: Buffer };

/** The TSIG variables of RFC 8945 §4.3.3, in wire form. */
export function tsigVariables(
  keyName: string,
  v: { algorithm: string; timeSigned: number; fudge: number; error: number; otherData: Buffer },
): Buffer {
  const classTtl = Buffer.alloc(6);
  classTtl.writeUInt16BE(CLASS.ANY, 0);
  classTtl.writeUInt32BE(0, 2);
  const time = Buffer.alloc(8);
  writeUint48(time, v.timeSigned, 0);
  time.writeUInt16BE(v.fudge, 6);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(v.error, 0);
  tail.writeUInt16BE(v.otherData.length, 2);
  return Buffer.concat([
    encodeCanonicalName(keyName),
    classTtl,
    encodeCanonicalName(v.algorithm),
    time,
    tail,
    v.otherData,
  ]);
}

function hmac(secret: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(p);
  return h.digest();
}

export type SignedRequest = { message: Buffer; mac: Buffer; timeSigned: number };

/**
 * Appends a TSIG record to an encoded message (whose ARCOUNT does not yet count it) and returns the
 * signed message and its MAC (needed to verify the answer).
 */
export function signRequest(
  message: Buffer,
  key: TsigKey,
  opts: { now?: number; fudge?: number } = {},
): SignedRequest {
  if (message.length < 12) throw new DnsFormatError('message shorter than a header');
  if (key.secret.length === 0) throw new DnsFormatError('empty TSIG secret');
  const timeSigned = Math.floor((opts.now ?? Date.now()) / 1000);
  const fudge = opts.fudge ?? DEFAULT_FUDGE;
  const otherData = Buffer.alloc(0);
  const mac = hmac(
    key.secret,
    message,
    tsigVariables(key.name, { algorithm: HMAC_SHA256, timeSigned, fudge, error: 0, otherData }),
  );
  const rdata: TsigRdata = {
    algorithm: HMAC_SHA256,
    timeSigned,
    fudge,
    mac,
    originalId: message.readUInt16BE(0),
    error: 0,
    otherData,
  };
  const record = encodeRecord({
    name: key.name,
    type: TYPE.TSIG,
    class: CLASS.ANY,
    ttl: 0,
    rdata: encodeTsigRdata(rdata),
  });
  const signed = Buffer.concat([message, record]);
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return { message: signed, mac, timeSigned };
}

export type TsigCheck =
  | { ok: true; tsig: TsigRdata }
  | {
      ok: false;
      /** 'MISSING' (unsigned), 'KEY' (another key or algorithm), 'ERROR' (the server reports a TSIG
       *  error, e.g. BADSIG/BADKEY), 'MAC' (the MAC does not verify), 'TIME' (outside the fudge). */
      problem: 'MISSING' | 'KEY' | 'ERROR' | 'MAC' | 'TIME';
      tsig?: TsigRdata;
    };

/**
 * Verifies the TSIG record of a response to a signed request. `raw` is the response exactly as
 * received, `decoded` its decoding, `requestMac` the MAC of the request it answers.
 */
export function verifyResponse(
  raw: Buffer,
  decoded: DecodedMessage,
  requestMac: Buffer,
  key: TsigKey,
  opts: { now?: number } = {},
): TsigCheck {
  const last = decoded.additionals[decoded.additionals.length - 1];
  // RFC 8945 §5.2: the TSIG record must be the last record; a TSIG anywhere else is a format error.
  const misplaced = [...decoded.answers, ...decoded.authorities, ...decoded.additionals.slice(0, -1)].some(
    (rr) => rr.type === TYPE.TSIG,
  );
  if (!last || last.type !== TYPE.TSIG || misplaced || typeof last.data !== 'object') {
    return { ok: false, problem: 'MISSING' };
  }
  const tsig = last.data;
  if (
    last.name.toLowerCase() !== key.name.toLowerCase() ||
    tsig.algorithm.toLowerCase() !== HMAC_SHA256 ||
    last.class !== CLASS.ANY ||
    last.ttl !== 0
  ) {
    return { ok: false, problem: 'KEY', tsig };
  }
  if (tsig.error !== 0) return { ok: false, problem: 'ERROR', tsig };
  const stripped = Buffer.from(raw.subarray(0, last.offset));
  stripped.writeUInt16BE(tsig.originalId, 0);
  stripped.writeUInt16BE(decoded.additionals.length - 1, 10);
  const macLen = Buffer.alloc(2);
  macLen.writeUInt16BE(requestMac.length);
  const expected = hmac(key.secret, macLen, requestMac, stripped, tsigVariables(key.name, tsig));
  // HMAC-SHA256 truncated MACs (RFC 8945 §5.2.2.1) are not accepted: the full 32 bytes or nothing.
  if (tsig.mac.length !== expected.length || !timingSafeEqual(tsig.mac, expected)) {
    return { ok: false, problem: 'MAC', tsig };
  }
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (Math.abs(now - tsig.timeSigned) > tsig.fudge) return { ok: false, problem: 'TIME', tsig };
  return { ok: true, tsig };
}
