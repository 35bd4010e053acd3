import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { claimKey, findKey, type KeyId, recordAnswer } from './idempotency.repository.ts';

/** How long a key is remembered (housekeeping forgets it after this; a later reuse starts anew). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** Printable ASCII without spaces, 1–255 characters (a UUID is the usual choice). */
const KEY_FORMAT = /^[!-~]{1,255}$/;

/** A request that carries an `Idempotency-Key`: who sent it, where, with what key and content. */
export type IdempotentRequest = { userId: string; route: string; key: string; requestHash: string };

export type Answer<T> = { status: number; body: T; replayed: boolean };

/** The `Idempotency-Key` header, checked; null when the request has none. */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | null {
  const raw = headers['idempotency-key'];
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !KEY_FORMAT.test(raw)) {
    throw new AppError('VALIDATION_FAILED', 'The Idempotency-Key header is not valid', {
      details: {
        in: 'headers',
        fields: [{ path: 'idempotency-key', message: '1–255 printable ASCII characters, no spaces' }],
      },
    });
  }
  return raw;
}

/** JSON with object keys sorted, so equal content hashes equally whatever the key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** SHA-256 of a request's content (body fields and the hashes of its files). */
export function requestHash(content: unknown): string {
  return createHash('sha256').update(canonical(content)).digest('hex');
}

/**
 * Runs `change` at most once per idempotency key, inside the caller's transaction `trx`: the key is
 * claimed first, and the answer is stored with the change, so both commit or neither does.
 * - No key (`req` null): just runs it.
 * - A key seen before with the same content: the stored answer, `replayed`; nothing runs.
 * - The same key with other content: 422 IDEMPOTENCY_KEY_REUSED.
 * - The same key in flight in another transaction: waits for it, then answers as above (or runs,
 *   when that one rolled back). Only successful answers are stored; a refused request can be
 *   retried with the same key.
 */
export async function runOnce<T>(
  trx: Kysely<Database>,
  req: IdempotentRequest | null,
  status: number,
  change: () => Promise<T>,
  now: Date = new Date(),
): Promise<Answer<T>> {
  if (!req) return { status, body: await change(), replayed: false };
  const id: KeyId = { user_id: req.userId, route: req.route, key: req.key };
  const claimed = await claimKey(trx, id, req.requestHash, new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS));
  if (claimed) {
    const body = await change();
    await recordAnswer(trx, id, status, body);
    return { status, body, replayed: false };
  }
  const row = await findKey(trx, id);
  if (!row || row.status === 0) {
    throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still running');
  }
  if (row.request_hash !== req.requestHash) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different request',
    );
  }
  return { status: row.status, body: row.response as T, replayed: true };
}
