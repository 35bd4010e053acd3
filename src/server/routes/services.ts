import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireAdmin } from '../../auth/policy.ts';
import { defKey } from '../../sop/definition.ts';
import {
  blockCatalogue,
  blockOut,
  definitionOut,
  listServices,
  serviceDefinition,
  serviceOut,
} from '../../sop/services.ts';
import {
  changeStandardTimes,
  changeStandardTimesBody,
  definitionProblems,
  publishDefinition,
  setServiceRetired,
  syncSopVersions,
} from '../../sop/sop-versions.ts';
import { ctxOf } from '../plugins/auth.ts';
import { errorOut, privateErrors, type RouteDeps, typed } from './shared.ts';

// The service catalogue and the SOP definitions the administrator publishes (docs/api.md
// "Services", docs/adr/0017-publishing-sops.md).

const keyParams = z.strictObject({ key: defKey });
const versionParams = z.strictObject({
  key: defKey,
  version: z.coerce.number().int().min(1).max(1_000_000),
});
const published = z.object({ key: z.string(), version: z.number() });
const problemsOut = z.object({ problems: z.array(z.object({ path: z.string(), message: z.string() })) });
const retiredOut = z.object({ key: z.string(), retired: z.boolean() });

export function serviceRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = typed(app);

  r.get(
    '/api/services',
    {
      schema: {
        tags: ['services'],
        summary:
          'The service catalogue: each service’s current SOP (retired ones too with ?retired=include, administrators)',
        querystring: z.strictObject({ retired: z.enum(['exclude', 'include']).default('exclude') }),
        response: { 200: z.array(serviceOut), ...privateErrors },
      },
    },
    async (request) => {
      const includeRetired = request.query.retired === 'include';
      if (includeRetired) requireAdmin(ctxOf(request).actor);
      await syncSopVersions(db);
      return listServices({ includeRetired });
    },
  );

  r.get(
    '/api/services/:key',
    {
      schema: {
        tags: ['services'],
        summary: 'A service’s current SOP definition — exactly what PUT takes',
        params: keyParams,
        response: { 200: definitionOut, ...privateErrors },
      },
    },
    async (request) => {
      await syncSopVersions(db);
      return serviceDefinition(request.params.key);
    },
  );

  r.get(
    '/api/services/:key/versions/:version',
    {
      schema: {
        tags: ['services'],
        summary: 'One published version of a service’s SOP definition',
        params: versionParams,
        response: { 200: definitionOut, ...privateErrors },
      },
    },
    async (request) => {
      await syncSopVersions(db);
      return serviceDefinition(request.params.key, request.params.version);
    },
  );

  r.put(
    '/api/services/:key',
    {
      schema: {
        tags: ['services'],
        summary:
          'Publish a new version of a service’s SOP, or a new service (administrators). The body is an SOP definition (as GET answers it); every problem is named (422 DEFINITION_INVALID)',
        params: keyParams,
        // Checked by the validator, which names every problem at once (not only the schema's).
        body: z.unknown(),
        response: {
          200: published,
          ...privateErrors,
          409: errorOut,
          413: errorOut,
          415: errorOut,
          422: errorOut,
        },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      requireAdmin(ctx.actor);
      const def = await db
        .transaction()
        .execute((trx) => publishDefinition(trx, request.params.key, request.body, ctx));
      await syncSopVersions(db);
      return { key: def.key, version: def.version };
    },
  );

  r.post(
    '/api/services/:key/validate',
    {
      schema: {
        tags: ['services'],
        summary:
          'Check an SOP definition as PUT would, storing nothing (administrators; the designer’s live check)',
        params: keyParams,
        body: z.unknown(),
        response: { 200: problemsOut, ...privateErrors, 413: errorOut, 415: errorOut },
      },
    },
    async (request) => {
      requireAdmin(ctxOf(request).actor);
      const { problems } = await definitionProblems(db, request.params.key, request.body);
      return { problems };
    },
  );

  for (const [path, retired] of [
    ['retire', true],
    ['reactivate', false],
  ] as const) {
    r.post(
      `/api/services/:key/${path}`,
      {
        schema: {
          tags: ['services'],
          summary: retired
            ? 'Retire a service (administrators): no new requests; running cases go on'
            : 'Take a retired service back into the catalogue (administrators)',
          params: keyParams,
          response: { 200: retiredOut, ...privateErrors },
        },
      },
      async (request) => {
        const ctx = ctxOf(request);
        requireAdmin(ctx.actor);
        const out = await db
          .transaction()
          .execute((trx) => setServiceRetired(trx, request.params.key, retired, ctx));
        await syncSopVersions(db);
        return out;
      },
    );
  }

  r.put(
    '/api/services/:key/standard-times',
    {
      schema: {
        tags: ['services'],
        summary: 'Change SOP standard times (administrators): a new version for new cases and the SOP sheet',
        params: keyParams,
        body: changeStandardTimesBody,
        response: { 200: published, ...privateErrors, 409: errorOut, 422: errorOut },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      requireAdmin(ctx.actor);
      const def = await db
        .transaction()
        .execute((trx) => changeStandardTimes(trx, request.params.key, request.body, ctx));
      await syncSopVersions(db);
      return { key: def.key, version: def.version };
    },
  );

  r.get(
    '/api/sop-blocks',
    {
      schema: {
        tags: ['services'],
        summary: 'The block catalogue SOP steps are built from (administrators)',
        response: { 200: z.array(blockOut), ...privateErrors },
      },
    },
    async (request) => {
      requireAdmin(ctxOf(request).actor);
      return blockCatalogue();
    },
  );
}
