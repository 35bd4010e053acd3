import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export type KeyId = { user_id: string; route: string; key: string };

/**
 * Claims a key for this transaction: true when the row was inserted. A concurrent transaction that
 * claimed the same key first makes this wait until it ends (PostgreSQL's unique-index wait), then
 * answers false if it committed. A claim older than `expiredBefore` is dropped and taken anew.
 */
export async function claimKey(
  trx: Kysely<Database>,
  id: KeyId,
  requestHash: string,
  expiredBefore: Date,
): Promise<boolean> {
  await trx
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', id.user_id)
    .where('route', '=', id.route)
    .where('key', '=', id.key)
    .where('created_at', '<', expiredBefore)
    .execute();
  const row = await trx
    .insertInto('idempotency_keys')
    .values({ ...id, request_hash: requestHash })
    .onConflict((oc) => oc.columns(['user_id', 'route', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findKey(trx: Kysely<Database>, id: KeyId) {
  return trx
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status', 'response'])
    .where('user_id', '=', id.user_id)
    .where('route', '=', id.route)
    .where('key', '=', id.key)
    .executeTakeFirst();
}

/** Stores the answer with the claim, in the transaction of the change. */
export async function recordAnswer(trx: Kysely<Database>, id: KeyId, status: number, response: unknown) {
  await trx
    .updateTable('idempotency_keys')
    .set({ status, response: JSON.stringify(response) })
    .where('user_id', '=', id.user_id)
    .where('route', '=', id.route)
    .where('key', '=', id.key)
    .execute();
}

/** Housekeeping: forgets keys created before `before`. Returns how many. */
export async function deleteExpiredKeys(db: Kysely<Database>, before: Date): Promise<number> {
  const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
