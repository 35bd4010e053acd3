import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { runOnce } from '../../idempotency/idempotency.ts';
import {
  changeStatusBody,
  createWebsiteBody,
  historyOut,
  listWebsitesQuery,
  updateWebsiteBody,
  websiteListItemOut,
  websiteOut,
} from '../../registry/registry.schemas.ts';
import { makeRegistryDeps } from '../../registry/registry-deps.ts';
import {
  changeWebsiteStatus,
  createWebsite,
  getWebsite,
  listWebsites,
  updateWebsite,
  websiteHistory,
} from '../../registry/website.service.ts';
import { ctxOf } from '../plugins/auth.ts';
import { idempotencyFor, sendAnswer } from './idempotent.ts';
import { errorOut, idParams, pageOut, privateErrors, type RouteDeps, typed } from './shared.ts';

/** Websites in the registry: DKISP staff see all, an OPD only its own. */
export function registryWebsiteRoutes(app: FastifyInstance, { db, config, now }: RouteDeps): void {
  const r = typed(app);
  const deps = () => makeRegistryDeps(config, now);
  const tags = ['registry: websites'];
  const writeErrors = { ...privateErrors, 409: errorOut, 422: errorOut };

  r.get(
    '/api/registry/websites',
    {
      schema: {
        tags,
        querystring: listWebsitesQuery,
        response: {
          // With a text filter, matches are counted up to 1000; `totalCapped` says there are more.
          200: pageOut(websiteListItemOut).extend({ totalCapped: z.boolean() }),
          ...privateErrors,
        },
      },
    },
    async (request) => {
      const { page, pageSize, sort, dir, ...filter } = request.query;
      return listWebsites(db, filter, { by: sort, dir }, { page, pageSize }, ctxOf(request));
    },
  );
  r.get(
    '/api/registry/websites/:id',
    { schema: { tags, params: idParams, response: { 200: websiteOut, ...privateErrors } } },
    async (request) => getWebsite(db, request.params.id, ctxOf(request)),
  );
  r.get(
    '/api/registry/websites/:id/history',
    { schema: { tags, params: idParams, response: { 200: historyOut, ...privateErrors } } },
    async (request) => ({ items: await websiteHistory(db, request.params.id, ctxOf(request)) }),
  );
  r.post(
    '/api/registry/websites',
    { schema: { tags, body: createWebsiteBody, response: { 201: websiteOut, ...writeErrors } } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const answer = await db
        .transaction()
        .execute((trx) =>
          runOnce(trx, idempotencyFor(request, ctx)(request.body), 201, () =>
            createWebsite(trx, request.body, ctx, deps()),
          ),
        );
      return sendAnswer(reply, answer);
    },
  );
  r.patch(
    '/api/registry/websites/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: updateWebsiteBody,
        response: { 200: websiteOut, ...writeErrors },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      return db
        .transaction()
        .execute((trx) => updateWebsite(trx, request.params.id, request.body, ctx, deps()));
    },
  );
  r.post(
    '/api/registry/websites/:id/status',
    {
      schema: {
        tags,
        summary:
          'planned → active → suspended ⇄ active → retired (retiring holds name and address in quarantine)',
        params: idParams,
        body: changeStatusBody,
        response: { 200: websiteOut, ...writeErrors },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      return db
        .transaction()
        .execute((trx) => changeWebsiteStatus(trx, request.params.id, request.body, ctx, deps()));
    },
  );
}
