import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { runOnce } from '../../idempotency/idempotency.ts';
import { planOut, planQuery, runOut, startRunBody } from '../../provisioning/provisioning.schemas.ts';
import { makeProvisioningDeps } from '../../provisioning/provisioning-deps.ts';
import { getRun, listRuns, planRun, startRollback, startRun } from '../../provisioning/runs.ts';
import {
  getServerProvisioning,
  provisioningOut,
  putProvisioningBody,
  putServerProvisioning,
} from '../../provisioning/server-config.ts';
import { makeRegistryDeps } from '../../registry/registry-deps.ts';
import { ctxOf } from '../plugins/auth.ts';
import { idempotencyFor } from './idempotent.ts';
import { errorOut, idParams, privateErrors, type RouteDeps, typed } from './shared.ts';

/** Provisioning: server access and settings, plans, runs with their progress, rollback. */
export function provisioningRoutes(app: FastifyInstance, { db, config, jobs, now }: RouteDeps): void {
  const r = typed(app);
  const tags = ['provisioning'];
  const deps = () => makeProvisioningDeps(config, jobs, now);
  const writeErrors = { ...privateErrors, 409: errorOut, 422: errorOut };

  r.get(
    '/api/registry/servers/:id/provisioning',
    { schema: { tags, params: idParams, response: { 200: provisioningOut, ...privateErrors } } },
    async (request) =>
      getServerProvisioning(db, request.params.id, ctxOf(request), config.provisioning.localAgent),
  );
  r.put(
    '/api/registry/servers/:id/provisioning',
    {
      schema: {
        tags,
        summary: 'How Loket reaches the server, what runs there, and its secrets (write-only)',
        params: idParams,
        body: putProvisioningBody,
        response: { 200: provisioningOut, ...writeErrors },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const deps = { ...makeRegistryDeps(config, now), localAgent: config.provisioning.localAgent };
      return db
        .transaction()
        .execute((trx) => putServerProvisioning(trx, request.params.id, request.body, ctx, deps));
    },
  );
  r.get(
    '/api/registry/websites/:id/provision/plan',
    {
      schema: {
        tags,
        summary: 'What a run would do: every record, file and account, and on which server',
        params: idParams,
        querystring: planQuery,
        response: { 200: z.object({ plan: planOut }), ...writeErrors },
      },
    },
    async (request) => {
      const { plan } = await planRun(
        db,
        request.params.id,
        request.query.kind,
        { caseId: request.query.caseId },
        ctxOf(request),
        deps(),
      );
      return { plan };
    },
  );
  r.post(
    '/api/registry/websites/:id/provision',
    {
      schema: {
        tags,
        summary:
          'Apply: queue a run (install, suspend, resume, retire); follow it with GET /api/provision-runs/:id',
        params: idParams,
        body: startRunBody,
        response: { 202: runOut, ...writeErrors },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const d = deps();
      const once = idempotencyFor(request, ctx)(request.body ?? null);
      const answer = await db
        .transaction()
        .execute((trx) =>
          runOnce(trx, once, 202, () => startRun(trx, request.params.id, request.body, ctx, d)),
        );
      // A replay answers with the run as it stands now.
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(202).send(await getRun(db, answer.body, ctx));
    },
  );
  r.get(
    '/api/registry/websites/:id/provision-runs',
    {
      schema: {
        tags,
        params: idParams,
        response: { 200: z.object({ items: z.array(runOut) }), ...privateErrors },
      },
    },
    async (request) => ({ items: await listRuns(db, request.params.id, ctxOf(request)) }),
  );
  r.get(
    '/api/provision-runs/:id',
    { schema: { tags, params: idParams, response: { 200: runOut, ...privateErrors } } },
    async (request) => getRun(db, request.params.id, ctxOf(request)),
  );
  r.post(
    '/api/provision-runs/:id/rollback',
    { schema: { tags, params: idParams, response: { 202: runOut, ...writeErrors } } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const d = deps();
      const once = idempotencyFor(request, ctx)(request.body ?? null);
      const answer = await db
        .transaction()
        .execute((trx) => runOnce(trx, once, 202, () => startRollback(trx, request.params.id, ctx, d)));
      // A replay answers with the run as it stands now.
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(202).send(await getRun(db, answer.body, ctx));
    },
  );
}
