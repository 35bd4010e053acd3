import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listAuditEntries } from '../../audit/audit.service.ts';
import { pageQuery } from '../../shared/pagination.ts';
import { ctxOf } from '../plugins/auth.ts';
import { pageOut, privateErrors, type RouteDeps, typed } from './shared.ts';

const auditQuery = z.strictObject({
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(100).optional(),
  entityType: z.string().trim().max(50).optional(),
  entityId: z.string().trim().max(100).optional(),
  from: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
  to: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
  ...pageQuery,
});

const auditOut = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorUsername: z.string().nullable(),
  action: z.string(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export function auditRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  typed(app).get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (administrators)',
        querystring: auditQuery,
        response: { 200: pageOut(auditOut), ...privateErrors },
      },
    },
    async (request) => {
      const { page, pageSize, ...filter } = request.query;
      return listAuditEntries(db, filter, { page, pageSize }, ctxOf(request));
    },
  );
}
