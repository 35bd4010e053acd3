import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { runOnce } from '../../idempotency/idempotency.ts';
import {
  checkNameOut,
  checkNameQuery,
  createZoneBody,
  dnsNameOut,
  listNamesQuery,
  releaseQuery,
  reserveNameBody,
  updateZoneBody,
  zoneOut,
} from '../../registry/registry.schemas.ts';
import { makeRegistryDeps } from '../../registry/registry-deps.ts';
import {
  checkNameAvailable,
  createZone,
  listZoneNames,
  listZones,
  reserveName,
  unreserveName,
  updateZone,
} from '../../registry/zone.service.ts';
import { ctxOf } from '../plugins/auth.ts';
import { idempotencyFor, sendAnswer } from './idempotent.ts';
import { errorOut, idParams, pageOut, privateErrors, type RouteDeps, typed } from './shared.ts';

/** DNS zones DKISP manages and the names in them (in use, reserved, or held in quarantine). */
export function registryZoneRoutes(app: FastifyInstance, { db, config, now }: RouteDeps): void {
  const r = typed(app);
  const deps = () => makeRegistryDeps(config, now);
  const tags = ['registry: zones'];

  r.get(
    '/api/registry/zones',
    { schema: { tags, response: { 200: z.object({ items: z.array(zoneOut) }), ...privateErrors } } },
    async (request) => ({ items: await listZones(db, ctxOf(request)) }),
  );
  r.post(
    '/api/registry/zones',
    { schema: { tags, body: createZoneBody, response: { 201: zoneOut, ...privateErrors, 409: errorOut } } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const answer = await db
        .transaction()
        .execute((trx) =>
          runOnce(trx, idempotencyFor(request, ctx)(request.body), 201, () =>
            createZone(trx, request.body, ctx),
          ),
        );
      return sendAnswer(reply, answer);
    },
  );
  r.patch(
    '/api/registry/zones/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: updateZoneBody,
        response: { 200: zoneOut, ...privateErrors, 409: errorOut },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      return db.transaction().execute((trx) => updateZone(trx, request.params.id, request.body, ctx));
    },
  );
  r.get(
    '/api/registry/zones/:id/names',
    {
      schema: {
        tags,
        params: idParams,
        querystring: listNamesQuery,
        response: { 200: pageOut(dnsNameOut), ...privateErrors },
      },
    },
    async (request) => {
      const { page, pageSize, ...f } = request.query;
      return listZoneNames(db, request.params.id, f, { page, pageSize }, ctxOf(request));
    },
  );
  r.post(
    '/api/registry/zones/:id/names',
    {
      schema: {
        tags,
        summary: 'Reserve a label in the zone so no website can take it',
        params: idParams,
        body: reserveNameBody,
        response: { 201: dnsNameOut, ...privateErrors, 409: errorOut, 422: errorOut },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const answer = await db
        .transaction()
        .execute((trx) =>
          runOnce(trx, idempotencyFor(request, ctx)(request.body), 201, () =>
            reserveName(trx, request.params.id, request.body, ctx, deps()),
          ),
        );
      return sendAnswer(reply, answer);
    },
  );
  r.delete(
    '/api/registry/names/:id',
    {
      schema: {
        tags,
        summary: 'Release a reserved label',
        params: idParams,
        querystring: releaseQuery,
        response: { 204: z.null(), ...privateErrors, 409: errorOut },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      await db
        .transaction()
        .execute((trx) => unreserveName(trx, request.params.id, request.query.reason, ctx));
      return reply.status(204).send(null);
    },
  );
  r.get(
    '/api/registry/names/check',
    {
      schema: {
        tags,
        summary: 'Whether a host name may be taken now, and if not why (for forms)',
        querystring: checkNameQuery,
        response: { 200: checkNameOut, ...privateErrors },
      },
    },
    async (request) => checkNameAvailable(db, request.query.hostname, request.query.websiteId, deps()),
  );
}
