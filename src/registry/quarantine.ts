import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { purgeExpiredAddressHolds } from './ip-pool.service.ts';
import { purgeExpiredNames } from './zone.repository.ts';

/**
 * Frees the names and addresses of retired websites whose quarantine has ended. Claims already
 * free an expired hold on the spot; this keeps the lists and the pool view tidy as well.
 */
export async function purgeExpiredHolds(
  db: Kysely<Database>,
  now: Date,
): Promise<{ names: number; addresses: number }> {
  return db.transaction().execute(async (trx) => ({
    names: await purgeExpiredNames(trx, now),
    addresses: await purgeExpiredAddressHolds(trx, now),
  }));
}
