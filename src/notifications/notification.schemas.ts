import { z } from 'zod';
import { boolQuery, pageQuery } from '../shared/pagination.ts';

export const listNotificationsQuery = z.strictObject({
  unread: boolQuery.optional(),
  ...pageQuery,
});

/** `{ ids: [...] }` marks those (own ones only; others are ignored); `{ all: true }` marks every one. */
export const markReadBody = z.union([
  z.strictObject({ ids: z.array(z.uuid('not a valid id')).min(1, 'choose at least one').max(500) }),
  z.strictObject({ all: z.literal(true) }),
]);

export const notificationOut = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  caseId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export const notificationPageOut = z.object({
  items: z.array(notificationOut),
  total: z.number(),
  /** All of the user's unread notifications, whatever the filter and page. */
  unread: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export const markReadOut = z.object({ marked: z.number(), unread: z.number() });

export type ListNotificationsInput = z.infer<typeof listNotificationsQuery>;
export type MarkReadInput = z.infer<typeof markReadBody>;
export type Notification = z.infer<typeof notificationOut>;
export type NotificationPage = z.infer<typeof notificationPageOut>;
