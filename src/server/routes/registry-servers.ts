import type { FastifyInstance } from 'fastify';
import { runOnce } from '../../idempotency/idempotency.ts';
import {
  createServerBody,
  historyOut,
  listServersQuery,
  serverDetailOut,
  serverOut,
  updateServerBody,
} from '../../registry/registry.schemas.ts';
import {
  createServer,
  getServer,
  getServerHistory,
  listServers,
  updateServer,
} from '../../registry/server.service.ts';
import { ctxOf } from '../plugins/auth.ts';
import { idempotencyFor, sendAnswer } from './idempotent.ts';
import { errorOut, idParams, pageOut, privateErrors, type RouteDeps, typed } from './shared.ts';

/** Servers in the registry: DKISP's own, shared and virtual machines, with their roles and addresses. */
export function registryServerRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = typed(app);
  const tags = ['registry: servers'];

  r.get(
    '/api/registry/servers',
    {
      schema: {
        tags,
        querystring: listServersQuery,
        response: { 200: pageOut(serverOut), ...privateErrors },
      },
    },
    async (request) => {
      const { page, pageSize, ...query } = request.query;
      return listServers(db, query, { page, pageSize }, ctxOf(request));
    },
  );
  r.post(
    '/api/registry/servers',
    {
      schema: {
        tags,
        body: createServerBody,
        response: { 201: serverOut, ...privateErrors, 409: errorOut, 422: errorOut },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const answer = await db
        .transaction()
        .execute((trx) =>
          runOnce(trx, idempotencyFor(request, ctx)(request.body), 201, () =>
            createServer(trx, request.body, ctx),
          ),
        );
      return sendAnswer(reply, answer);
    },
  );
  r.get(
    '/api/registry/servers/:id',
    { schema: { tags, params: idParams, response: { 200: serverDetailOut, ...privateErrors } } },
    async (request) => getServer(db, request.params.id, ctxOf(request)),
  );
  r.patch(
    '/api/registry/servers/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: updateServerBody,
        response: { 200: serverOut, ...privateErrors, 409: errorOut, 422: errorOut },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      return db.transaction().execute((trx) => updateServer(trx, request.params.id, request.body, ctx));
    },
  );
  r.get(
    '/api/registry/servers/:id/history',
    { schema: { tags, params: idParams, response: { 200: historyOut, ...privateErrors } } },
    async (request) => getServerHistory(db, request.params.id, ctxOf(request)),
  );
}
