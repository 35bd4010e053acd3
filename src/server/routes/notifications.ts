import type { FastifyInstance } from 'fastify';
import {
  listNotificationsQuery,
  markReadBody,
  markReadOut,
  notificationPageOut,
} from '../../notifications/notification.schemas.ts';
import { listMyNotifications, markRead } from '../../notifications/notification.service.ts';
import { ctxOf } from '../plugins/auth.ts';
import { privateErrors, type RouteDeps, typed } from './shared.ts';

/** The signed-in user's own notifications (the bell): list, and mark read. */
export function notificationRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = typed(app);

  r.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first, with the number of unread ones',
        querystring: listNotificationsQuery,
        response: { 200: notificationPageOut, ...privateErrors },
      },
    },
    async (request) => listMyNotifications(db, request.query, ctxOf(request)),
  );
  r.post(
    '/api/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark my notifications read: { ids } or { all: true }',
        body: markReadBody,
        response: { 200: markReadOut, ...privateErrors },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const body = request.body;
      const ids = 'all' in body ? 'all' : body.ids;
      return db.transaction().execute((trx) => markRead(trx, ids, ctx));
    },
  );
}
