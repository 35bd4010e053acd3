import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { offsetOf, type PageInput } from '../shared/pagination.ts';
import type { NotificationRow } from './notification.tables.ts';

export type NotificationInsert = {
  kind: string;
  title: string;
  body: string;
  link: string | null;
  caseId: string | null;
};

/** One row per recipient, all in one statement. */
export async function insertNotifications(
  db: Kysely<Database>,
  userIds: readonly string[],
  n: NotificationInsert,
): Promise<NotificationRow[]> {
  if (userIds.length === 0) return [];
  return db
    .insertInto('notifications')
    .values(
      userIds.map((userId) => ({
        user_id: userId,
        case_id: n.caseId,
        kind: n.kind,
        title: n.title,
        body: n.body,
        link: n.link,
      })),
    )
    .returningAll()
    .execute();
}

/** A user's notifications, newest first; the total counts the same filter. */
export async function listNotificationsOf(
  db: Kysely<Database>,
  userId: string,
  f: { unreadOnly: boolean },
  page: PageInput,
): Promise<{ rows: NotificationRow[]; total: number }> {
  let q = db.selectFrom('notifications').where('user_id', '=', userId);
  if (f.unreadOnly) q = q.where('read_at', 'is', null);
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function countUnreadOf(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Marks a user's unread notifications read: the given ones, or all. Ids of other users'
 * notifications match nothing (the user id is part of the condition). Returns how many changed.
 */
export async function markNotificationsRead(
  db: Kysely<Database>,
  userId: string,
  ids: readonly string[] | 'all',
): Promise<number> {
  if (ids !== 'all' && ids.length === 0) return 0;
  let q = db
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', ids);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** The e-mail addresses of the active users among `userIds` that have one. */
export function findEmailRecipients(
  db: Kysely<Database>,
  userIds: readonly string[],
): Promise<{ id: string; email: string }[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('id', 'in', userIds)
    .where('active', '=', true)
    .where('email', 'is not', null)
    .orderBy('id')
    .execute() as Promise<{ id: string; email: string }[]>;
}
