import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Claims the delivery of a notification's e-mail before it is sent: true when this attempt inserted
 * the claim, false when an earlier attempt already holds one (sent, or interrupted).
 */
export async function claimDelivery(db: Kysely<Database>, notificationId: string, messageId: string) {
  const row = await db
    .insertInto('email_deliveries')
    .values({ notification_id: notificationId, message_id: messageId })
    .onConflict((oc) => oc.column('notification_id').doNothing())
    .returning('notification_id')
    .executeTakeFirst();
  return row !== undefined;
}

export function findDelivery(db: Kysely<Database>, notificationId: string) {
  return db
    .selectFrom('email_deliveries')
    .select(['message_id', 'claimed_at', 'sent_at'])
    .where('notification_id', '=', notificationId)
    .executeTakeFirst();
}

/** The SMTP server accepted the message. */
export async function markDelivered(db: Kysely<Database>, notificationId: string, at: Date): Promise<void> {
  await db
    .updateTable('email_deliveries')
    .set({ sent_at: at })
    .where('notification_id', '=', notificationId)
    .execute();
}

/** The server refused or could not be reached: nothing was sent, a later attempt may claim again. */
export async function releaseDelivery(db: Kysely<Database>, notificationId: string): Promise<void> {
  await db
    .deleteFrom('email_deliveries')
    .where('notification_id', '=', notificationId)
    .where('sent_at', 'is', null)
    .execute();
}
