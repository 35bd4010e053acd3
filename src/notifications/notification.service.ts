import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Jobs } from '../jobs/jobs.ts';
import type { Ctx } from '../shared/context.ts';
import type { PageInput } from '../shared/pagination.ts';
import {
  countUnreadOf,
  findEmailRecipients,
  insertNotifications,
  listNotificationsOf,
  markNotificationsRead,
} from './notification.repository.ts';
import type { Notification, NotificationPage } from './notification.schemas.ts';
import type { NotificationRow } from './notification.tables.ts';

/** What a notification says. Title and body in Bahasa Indonesia, short: they show in a bell menu. */
export type NewNotification = {
  /** Machine-readable, e.g. `case.assigned`: lower-case letters, digits, `.`, `_`, `-`. */
  kind: string;
  /** At most 200 characters, e.g. "Disposisi baru: Pembuatan website Dinas Kesehatan". */
  title: string;
  /** At most 2000 characters. */
  body: string;
  /** A path inside Loket, e.g. `/cases/…`; never a full URL. */
  link?: string | null | undefined;
  caseId?: string | null | undefined;
};

const KIND = /^[a-z][a-z0-9_.-]{0,63}$/;
// A path on this site: one leading slash, not `//host` or `/\host` (browsers read both as a host).
const LINK = /^\/(?![/\\])[\x21-\x7e]*$/;

/** Checks a notification before it is stored; a bad one is a programming error, said plainly. */
function checked(n: NewNotification) {
  const title = n.title.trim();
  const body = n.body.trim();
  const problems: string[] = [];
  if (!KIND.test(n.kind)) problems.push(`kind "${n.kind}" is not like case.assigned`);
  if (title.length < 1 || title.length > 200) problems.push('title must have 1–200 characters');
  if (body.length > 2000) problems.push('body must have at most 2000 characters');
  if (n.link != null && (!LINK.test(n.link) || n.link.length > 500))
    problems.push('link must be a path like /cases/…');
  // A caller's bug, not the user's: a 500 that is logged, not a 400.
  if (problems.length > 0) throw new Error(`Invalid notification: ${problems.join('; ')}`);
  return { kind: n.kind, title, body, link: n.link ?? null, caseId: n.caseId ?? null };
}

export function presentNotification(r: NotificationRow): Notification {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    caseId: r.case_id,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at ? r.read_at.toISOString() : null,
  };
}

/**
 * In-app notification for each recipient (user ids; duplicates count once), written in the
 * caller's transaction: it exists only if the change it announces commits.
 */
export async function notify(
  trx: Kysely<Database>,
  recipients: readonly string[],
  n: NewNotification,
): Promise<Notification[]> {
  const v = checked(n);
  const rows = await insertNotifications(trx, [...new Set(recipients)], v);
  return rows.map(presentNotification);
}

/**
 * In-app notification plus one e-mail job per recipient that is active and has an address. The
 * e-mail jobs are inserted into pg-boss's table through the same transaction (`send` with `trx`),
 * so a rolled-back change sends no mail, and a committed one is delivered by the `email` worker
 * with retries however long the mail server is away. Returns how many e-mails were queued.
 */
export async function notifyAndEmail(
  trx: Kysely<Database>,
  jobs: Pick<Jobs, 'send'>,
  recipients: readonly string[],
  n: NewNotification,
): Promise<{ notifications: Notification[]; emailsQueued: number }> {
  const v = checked(n);
  const rows = await insertNotifications(trx, [...new Set(recipients)], v);
  const notifications = rows.map(presentNotification);
  const notificationOf = new Map(rows.map((r) => [r.user_id, r.id]));
  const targets = await findEmailRecipients(trx, [...new Set(recipients)]);
  for (const t of targets) {
    const notificationId = notificationOf.get(t.id);
    await jobs.send(
      'email',
      {
        to: t.email,
        subject: `[Loket] ${v.title}`,
        text: v.body || v.title,
        ...(v.link ? { link: v.link } : {}),
        ...(notificationId ? { notificationId } : {}),
      },
      { trx },
    );
  }
  return { notifications, emailsQueued: targets.length };
}

/** The signed-in user's own notifications, newest first, with the count of all unread ones. */
export async function listMyNotifications(
  db: Kysely<Database>,
  query: { unread?: boolean | undefined } & PageInput,
  ctx: Ctx,
): Promise<NotificationPage> {
  const { page, pageSize } = query;
  const [{ rows, total }, unread] = await Promise.all([
    listNotificationsOf(db, ctx.actor.id, { unreadOnly: query.unread === true }, { page, pageSize }),
    countUnreadOf(db, ctx.actor.id),
  ]);
  return { items: rows.map(presentNotification), total, unread, page, pageSize };
}

/**
 * Marks the signed-in user's notifications read: the given ids, or all. Ids that are not the
 * user's own (or do not exist, or are already read) are left alone, so nothing is revealed.
 */
export async function markRead(
  trx: Kysely<Database>,
  ids: readonly string[] | 'all',
  ctx: Ctx,
): Promise<{ marked: number; unread: number }> {
  const marked = await markNotificationsRead(trx, ctx.actor.id, ids === 'all' ? 'all' : [...new Set(ids)]);
  const unread = await countUnreadOf(trx, ctx.actor.id);
  return { marked, unread };
}
