import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { loadWorkCalendar } from '../../calendar/calendar.loader.ts';
import { calendarClock } from '../../cases/calendar-clock.ts';
import { findCase } from '../../cases/case.repository.ts';
import { caseDetailOut, caseSummaryOut, listCasesQuery } from '../../cases/case.schemas.ts';
import type { IncomingFile } from '../../cases/case-deps.ts';
import { sopOf } from '../../cases/case-presenter.ts';
import { createCase, REQUEST_FILES, serviceOfRequest, updateDraft } from '../../cases/create-case.ts';
import { makeCaseDeps } from '../../cases/make-case-deps.ts';
import { performAction } from '../../cases/perform-action.ts';
import {
  caseCounts,
  getCase,
  getCaseFile,
  listCases,
  listStaffPeople,
} from '../../cases/read-cases.ts';
import { requestBodyJsonSchema } from '../../cases/request-schema.ts';
import { ROLES } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { runOnce } from '../../idempotency/idempotency.ts';
import { currentSop } from '../../sop/catalogue.ts';
import type { FileSpec } from '../../sop/types.ts';
import { sendStoredFile } from '../../storage/download.ts';
import { LocalFileStore } from '../../storage/file-store.ts';
import { storageSettings } from '../../storage/settings.ts';
import { type UploadSpec, withUploads } from '../../storage/upload.ts';
import { ctxOf } from '../plugins/auth.ts';
import { idempotencyFor, sendAnswer } from './idempotent.ts';
import { errorOut, idParams, pageOut, privateErrors, type RouteDeps, typed } from './shared.ts';

/**
 * Multipart text fields are strings: turn the ones the action's schema types as booleans, numbers
 * or arrays into those, so one zod schema serves JSON and multipart alike.
 */
function coerceFields(fields: Record<string, string | string[]>, schema: Record<string, unknown>) {
  const props = (schema.properties ?? {}) as Record<string, { type?: string }>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    const type = props[k]?.type;
    const one = Array.isArray(v) ? v[v.length - 1] : v;
    if (type === 'boolean') out[k] = one === 'true' ? true : one === 'false' ? false : one;
    else if (type === 'array') out[k] = Array.isArray(v) ? v : [v];
    else if ((type === 'number' || type === 'integer') && one !== undefined && one !== '')
      out[k] = Number(one);
    else out[k] = one === '' ? undefined : one;
  }
  return out;
}

const detailResponses = {
  200: caseDetailOut,
  ...privateErrors,
  409: errorOut,
  413: errorOut,
  415: errorOut,
  422: errorOut,
};

export function caseRoutes(app: FastifyInstance, { db, config, jobs, now }: RouteDeps): void {
  const r = typed(app);
  const settings = storageSettings(config);
  const store = new LocalFileStore(settings.filesDir);
  const deps = () => makeCaseDeps(db, config, store, jobs, now);
  // Reading cases needs only the clock: no SOP stamp check, no file store or registry set-up.
  const readDeps = async () => ({ clock: calendarClock(await loadWorkCalendar(db, config), now) });
  const uploadSpec = (files: readonly FileSpec[]): UploadSpec => ({
    settings,
    files: Object.fromEntries(
      files.map((f) => [
        f.field,
        { kind: f.kinds.some((k) => k === 'zip' || k === 'targz') ? 'archive' : 'document', maxCount: f.max },
      ]),
    ),
  });
  /**
   * JSON or multipart: the body as an object plus any received files, then `handle`. Multipart text
   * fields are typed by `schema` (or by what it answers for the fields received).
   */
  type FormSchema = Record<string, unknown>;
  const withBody = <T>(
    request: FastifyRequest,
    files: readonly FileSpec[],
    schema: FormSchema | ((fields: Record<string, string | string[]>) => Promise<FormSchema>),
    handle: (body: unknown, files: IncomingFile[]) => Promise<T>,
  ) =>
    request.isMultipart()
      ? withUploads(request, uploadSpec(files), async (got) =>
          handle(
            coerceFields(got.fields, typeof schema === 'function' ? await schema(got.fields) : schema),
            got.files,
          ),
        )
      : handle(request.body ?? {}, []);
  /** A request's form is typed by its service's request schema (unknown service: left to the check). */
  const requestForm = async (fields: Record<string, string | string[]>): Promise<FormSchema> => {
    try {
      const service = fields.service;
      return requestBodyJsonSchema(serviceOfRequest(service === undefined ? {} : { service }));
    } catch {
      return { properties: {} };
    }
  };
  /** A draft's form is typed by its case's SOP. */
  const draftForm = (id: string) => async (): Promise<FormSchema> => {
    const c = await findCase(db, id);
    const props = c ? (requestBodyJsonSchema(sopOf(c)).properties as object) : {};
    return { properties: { ...props, version: { type: 'integer' } } };
  };

  r.post(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'File a request (OPD users): JSON, or multipart with files `letter` and `attachments`',
        response: { 201: caseDetailOut, ...privateErrors, 413: errorOut, 415: errorOut, 422: errorOut },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const once = idempotencyFor(request, ctx);
      const d = await deps();
      // The body is checked by createCase against its service's request schema.
      const answer = await withBody(request, REQUEST_FILES, requestForm, async (body, files) =>
        db
          .transaction()
          .execute((trx) => runOnce(trx, once(body, files), 201, () => createCase(trx, body, files, ctx, d))),
      );
      return sendAnswer(reply, answer);
    },
  );

  r.patch(
    '/api/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'Edit a draft (the owning OPD)',
        params: idParams,
        response: detailResponses,
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const d = await deps();
      // The body is checked by updateDraft against the case's SOP's request schema.
      return withBody(request, REQUEST_FILES, draftForm(request.params.id), async (body, files) =>
        db.transaction().execute((trx) => updateDraft(trx, request.params.id, body, files, ctx, d)),
      );
    },
  );

  r.get(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        querystring: listCasesQuery,
        // Matches are counted up to 1000; `totalCapped` says there are more (pages go no deeper).
        response: { 200: pageOut(caseSummaryOut).extend({ totalCapped: z.boolean() }), ...privateErrors },
      },
    },
    async (request) => listCases(db, request.query, ctxOf(request), await readDeps()),
  );

  r.get(
    '/api/cases/counts',
    {
      schema: {
        tags: ['cases'],
        summary: 'Menu badges: cases waiting for me, and how many of them are overdue',
        response: {
          200: z.object({
            inbox: z.number(),
            overdue: z.number(),
            // Each is counted up to 1000; these say there are more.
            inboxCapped: z.boolean(),
            overdueCapped: z.boolean(),
          }),
          ...privateErrors,
        },
      },
    },
    async (request) => caseCounts(db, ctxOf(request), await readDeps()),
  );

  r.get(
    '/api/cases/:id',
    { schema: { tags: ['cases'], params: idParams, response: { 200: caseDetailOut, ...privateErrors } } },
    async (request) => getCase(db, request.params.id, ctxOf(request), await readDeps()),
  );

  r.post(
    '/api/cases/:id/actions/:action',
    {
      schema: {
        tags: ['cases'],
        summary: 'Perform one SOP action: JSON `{ version, …payload }`, or multipart with the action’s files',
        params: z.strictObject({
          id: z.uuid('not a valid id'),
          action: z.string().regex(/^[a-z_]{1,40}$/, 'unknown action'),
        }),
        response: detailResponses,
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const once = idempotencyFor(request, ctx);
      const d = await deps();
      const action = currentSop('website').actions.find((a) => a.key === request.params.action);
      const schema = action
        ? {
            properties: {
              version: { type: 'integer' },
              ...(
                z.toJSONSchema(action.input, { io: 'input', unrepresentable: 'any' }) as {
                  properties?: object;
                }
              ).properties,
            },
          }
        : {};
      return withBody(request, action?.files ?? [], schema, async (body, files) => {
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw new AppError('VALIDATION_FAILED', 'The body must be an object', { details: { fields: [] } });
        }
        const answer = await db.transaction().execute((trx) =>
          runOnce(trx, once(body, files), 200, () =>
            performAction(
              trx,
              {
                caseId: request.params.id,
                action: request.params.action,
                body: body as Record<string, unknown>,
                files,
              },
              ctx,
              d,
            ),
          ),
        );
        return sendAnswer(reply, answer);
      });
    },
  );

  r.get(
    '/api/cases/:id/files/:fileId',
    {
      schema: {
        tags: ['cases'],
        summary: 'Download a case file (as an attachment)',
        params: z.strictObject({ id: z.uuid('not a valid id'), fileId: z.uuid('not a valid id') }),
      },
    },
    async (request, reply) => {
      const file = await getCaseFile(db, request.params.id, request.params.fileId, ctxOf(request));
      return sendStoredFile(reply, store, file);
    },
  );

  r.get(
    '/api/staff',
    {
      schema: {
        tags: ['cases'],
        summary: 'DKISP staff, for disposition and team pickers',
        querystring: z.strictObject({ role: z.enum(ROLES).optional() }),
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              username: z.string(),
              fullName: z.string(),
              roles: z.array(z.enum(ROLES)),
              unit: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
            }),
          ),
          ...privateErrors,
        },
      },
    },
    async (request) => listStaffPeople(db, request.query.role, ctxOf(request)),
  );
}
