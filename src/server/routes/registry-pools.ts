import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { runOnce } from '../../idempotency/idempotency.ts';
import {
  allocateAddress,
  createPool,
  getAddressMap,
  getPool,
  getPoolHistory,
  listPools,
  releaseAllocation,
  updatePool,
} from '../../registry/ip-pool.service.ts';
import {
  addressMapOut,
  addressMapQuery,
  allocateBody,
  allocationOut,
  createPoolBody,
  historyOut,
  listPoolsQuery,
  poolOut,
  releaseQuery,
  updatePoolBody,
} from '../../registry/registry.schemas.ts';
import { makeRegistryDeps } from '../../registry/registry-deps.ts';
import { ctxOf } from '../plugins/auth.ts';
import { idempotencyFor, sendAnswer } from './idempotent.ts';
import { errorOut, idParams, pageOut, privateErrors, type RouteDeps, typed } from './shared.ts';

/** Public IP pools (IPv4 and IPv6 blocks), their address map, and allocations from them. */
export function registryPoolRoutes(app: FastifyInstance, { db, config, now }: RouteDeps): void {
  const r = typed(app);
  const deps = () => makeRegistryDeps(config, now);
  const tags = ['registry: pools'];

  r.get(
    '/api/registry/pools',
    { schema: { tags, querystring: listPoolsQuery, response: { 200: pageOut(poolOut), ...privateErrors } } },
    async (request) => {
      const { page, pageSize, ...query } = request.query;
      return listPools(db, query, { page, pageSize }, ctxOf(request));
    },
  );
  r.post(
    '/api/registry/pools',
    {
      schema: {
        tags,
        body: createPoolBody,
        response: { 201: poolOut, ...privateErrors, 409: errorOut, 422: errorOut },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const answer = await db
        .transaction()
        .execute((trx) =>
          runOnce(trx, idempotencyFor(request, ctx)(request.body), 201, () =>
            createPool(trx, request.body, ctx),
          ),
        );
      return sendAnswer(reply, answer);
    },
  );
  r.get(
    '/api/registry/pools/:id',
    { schema: { tags, params: idParams, response: { 200: poolOut, ...privateErrors } } },
    async (request) => getPool(db, request.params.id, ctxOf(request)),
  );
  r.patch(
    '/api/registry/pools/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: updatePoolBody,
        response: { 200: poolOut, ...privateErrors, 409: errorOut },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      return db.transaction().execute((trx) => updatePool(trx, request.params.id, request.body, ctx));
    },
  );
  r.get(
    '/api/registry/pools/:id/addresses',
    {
      schema: {
        tags,
        summary: 'A window of the address map: each address from `from` with its state and allocation',
        params: idParams,
        querystring: addressMapQuery,
        response: { 200: addressMapOut, ...privateErrors, 422: errorOut },
      },
    },
    async (request) => getAddressMap(db, request.params.id, request.query, ctxOf(request)),
  );
  r.get(
    '/api/registry/pools/:id/history',
    { schema: { tags, params: idParams, response: { 200: historyOut, ...privateErrors } } },
    async (request) => getPoolHistory(db, request.params.id, ctxOf(request)),
  );
  r.post(
    '/api/registry/pools/:id/allocations',
    {
      schema: {
        tags,
        summary: 'Allocate an address: the one given, or the next free one',
        params: idParams,
        body: allocateBody,
        response: { 201: allocationOut, ...privateErrors, 409: errorOut, 422: errorOut },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const answer = await db
        .transaction()
        .execute((trx) =>
          runOnce(trx, idempotencyFor(request, ctx)(request.body), 201, () =>
            allocateAddress(trx, request.params.id, request.body, ctx, deps()),
          ),
        );
      return sendAnswer(reply, answer);
    },
  );
  r.delete(
    '/api/registry/allocations/:id',
    {
      schema: {
        tags,
        summary: 'Release an allocation at once (the gateway cannot be released)',
        params: idParams,
        querystring: releaseQuery,
        response: { 204: z.null(), ...privateErrors, 409: errorOut },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      await db.transaction().execute((trx) => releaseAllocation(trx, request.params.id, request.query, ctx));
      return reply.status(204).send(null);
    },
  );
}
