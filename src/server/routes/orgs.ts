import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { importOpds } from '../../orgs/opd-import.ts';
import type { OrgTableName } from '../../orgs/org.repository.ts';
import {
  createOrgBody,
  importOpdsBody,
  listOrgsQuery,
  orgOut,
  updateOrgBody,
} from '../../orgs/org.schemas.ts';
import {
  createOrganisation,
  getOrganisation,
  listOrganisations,
  updateOrganisation,
} from '../../orgs/org.service.ts';
import { ctxOf } from '../plugins/auth.ts';
import { errorOut, idParams, pageOut, privateErrors, type RouteDeps, typed } from './shared.ts';

/** The same five routes serve OPDs (`/api/opds`) and DKISP units (`/api/units`). */
function orgRoutes(app: FastifyInstance, { db }: RouteDeps, table: OrgTableName, tag: string): void {
  const r = typed(app);
  const base = `/api/${table}`;

  r.get(
    base,
    {
      schema: {
        tags: [tag],
        querystring: listOrgsQuery,
        response: { 200: pageOut(orgOut), ...privateErrors },
      },
    },
    async (request) => {
      const { page, pageSize, ...filter } = request.query;
      return listOrganisations(db, table, filter, { page, pageSize }, ctxOf(request));
    },
  );
  r.get(
    `${base}/:id`,
    { schema: { tags: [tag], params: idParams, response: { 200: orgOut, ...privateErrors } } },
    async (request) => getOrganisation(db, table, request.params.id, ctxOf(request)),
  );
  r.post(
    base,
    {
      schema: {
        tags: [tag],
        body: createOrgBody,
        response: { 201: orgOut, ...privateErrors, 409: errorOut },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const org = await db.transaction().execute((trx) => createOrganisation(trx, table, request.body, ctx));
      return reply.status(201).send(org);
    },
  );
  r.patch(
    `${base}/:id`,
    {
      schema: {
        tags: [tag],
        params: idParams,
        body: updateOrgBody,
        response: { 200: orgOut, ...privateErrors, 409: errorOut },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      return db
        .transaction()
        .execute((trx) => updateOrganisation(trx, table, request.params.id, request.body, ctx));
    },
  );
}

const importRow = z.object({
  line: z.number(),
  code: z.string(),
  name: z.string(),
  active: z.boolean(),
  action: z.enum(['create', 'update', 'unchanged', 'error']),
  errors: z.array(z.string()),
});

export function opdRoutes(app: FastifyInstance, deps: RouteDeps): void {
  orgRoutes(app, deps, 'opds', 'opds');
  typed(app).post(
    '/api/opds/import',
    {
      schema: {
        tags: ['opds'],
        summary: 'Import OPDs from CSV (code,name[,active]); dryRun previews, otherwise all rows or none',
        body: importOpdsBody,
        response: {
          200: z.object({
            rows: z.array(importRow),
            created: z.number(),
            updated: z.number(),
            unchanged: z.number(),
            errors: z.number(),
          }),
          ...privateErrors,
          422: errorOut,
        },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      return deps.db.transaction().execute((trx) => importOpds(trx, request.body, ctx));
    },
  );
}

export function unitRoutes(app: FastifyInstance, deps: RouteDeps): void {
  orgRoutes(app, deps, 'units', 'units');
}
