import fsp from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { audienceOf } from '../../auth/policy.ts';
import { caseSource } from '../../cases/case-source.ts';
import { makeCaseDeps, publicUrlOf } from '../../cases/make-case-deps.ts';
import {
  documentFile,
  listDocumentsOfCase,
  presentDocument,
  verificationInfo,
} from '../../documents/document-service.ts';
import {
  documentSettingsSchema,
  getDocumentSettings,
  previewTemplate,
  saveDocumentSettings,
  setLetterheadLogo,
} from '../../documents/document-settings.ts';
import { type DocumentDeps, issueDocument } from '../../documents/issue-document.ts';
import { checkLogo, LOGO_LIMITS } from '../../documents/logo.ts';
import { previewSopSheet } from '../../documents/sop-sheet-preview.ts';
import { AppError } from '../../errors.ts';
import { defKey } from '../../sop/definition.ts';
import { sendStoredFile } from '../../storage/download.ts';
import { LocalFileStore } from '../../storage/file-store.ts';
import { storageSettings } from '../../storage/settings.ts';
import { withUploads } from '../../storage/upload.ts';
import { ctxOf } from '../plugins/auth.ts';
import { errorOut, idParams, privateErrors, type RouteDeps, typed } from './shared.ts';

const documentOut = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  number: z.string().nullable(),
  version: z.number(),
  replacesId: z.string().nullable(),
  sha256: z.string(),
  size: z.number(),
  issuedAt: z.string(),
  issuedBy: z.object({ id: z.string().optional(), fullName: z.string() }),
  url: z.string(),
  verifyUrl: z.string(),
});

export function documentRoutes(app: FastifyInstance, { db, config, jobs, now }: RouteDeps): void {
  const r = typed(app);
  const settings = storageSettings(config);
  const files = new LocalFileStore(settings.filesDir);
  const publicUrl = publicUrlOf(config);
  const deps = async (): Promise<DocumentDeps> => ({
    ...(await makeCaseDeps(db, config, files, jobs, now)),
    files,
    tmpDir: settings.tmpDir,
    publicUrl,
    cases: caseSource,
  });

  r.get(
    '/api/cases/:id/documents',
    {
      schema: {
        tags: ['documents'],
        params: idParams,
        response: { 200: z.array(documentOut), ...privateErrors },
      },
    },
    async (request) => listDocumentsOfCase(db, request.params.id, ctxOf(request), caseSource),
  );

  r.post(
    '/api/cases/:id/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Issue an official document of the case (a new version if one was issued before)',
        params: idParams,
        body: z.strictObject({
          kind: z.enum(['disposition_sheet', 'follow_up_letter', 'kak', 'report', 'case_summary']),
          kakVersion: z.number().int().min(1).optional(),
        }),
        response: { 201: documentOut, ...privateErrors, 409: errorOut },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const d = await deps();
      const doc = await db.transaction().execute((trx) =>
        issueDocument(
          trx,
          {
            kind: request.body.kind,
            caseId: request.params.id,
            subjectKey: request.body.kind === 'kak' ? String(request.body.kakVersion ?? '') : '',
          },
          ctx,
          d,
        ),
      );
      return reply.status(201).send(presentDocument(doc, audienceOf(ctx.actor)));
    },
  );

  r.post(
    '/api/sop-sheets/:key',
    {
      schema: {
        tags: ['documents'],
        summary: 'Issue the SOP sheet of a service: its current version, or `?version=n`',
        params: z.strictObject({ key: defKey }),
        querystring: z.strictObject({ version: z.coerce.number().int().min(1).max(1_000_000).optional() }),
        response: { 201: documentOut, ...privateErrors },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const d = await deps();
      const doc = await db.transaction().execute((trx) =>
        issueDocument(
          trx,
          {
            kind: 'sop_sheet',
            caseId: null,
            subjectKey: request.params.key,
            ...(request.query.version !== undefined ? { version: request.query.version } : {}),
          },
          ctx,
          d,
        ),
      );
      return reply.status(201).send(presentDocument(doc, audienceOf(ctx.actor)));
    },
  );

  r.post(
    '/api/services/:key/sheet-preview',
    {
      // The designer calls it on pauses in typing: a generous limit, counted per address.
      config: { rateLimit: { max: 240, timeWindow: 60_000 } },
      schema: {
        tags: ['documents'],
        summary:
          'The SOP sheet of an unsaved definition, as a PDF marked PRATINJAU (administrators; nothing stored or numbered)',
        params: z.strictObject({ key: defKey }),
        // The answer is the PDF (or an error: 400/401/403, 422 DEFINITION_INVALID).
        body: z.record(z.string(), z.unknown()),
      },
    },
    async (request, reply) => {
      const pdf = await previewSopSheet(db, files, request.params.key, request.body, ctxOf(request));
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', 'inline; filename="pratinjau-sop.pdf"')
        .send(pdf);
    },
  );

  r.get(
    '/api/documents/:id/pdf',
    { schema: { tags: ['documents'], summary: 'The issued PDF, byte for byte', params: idParams } },
    async (request, reply) =>
      sendStoredFile(reply, files, await documentFile(db, request.params.id, ctxOf(request), caseSource)),
  );

  const verifyOut = z.object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    number: z.string().nullable(),
    version: z.number(),
    issuedAt: z.string(),
    issuedBy: z.string(),
    sha256: z.string(),
    replacesId: z.string().nullable(),
    replacedById: z.string().nullable(),
    info: z.record(z.string(), z.unknown()),
  });

  r.get(
    '/api/verify/:id',
    {
      config: { public: true, rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        tags: ['verification'],
        summary: 'Public: what a document is',
        params: idParams,
        response: { 200: verifyOut, 400: errorOut, 404: errorOut },
      },
    },
    async (request) => verificationInfo(db, request.params.id),
  );

  r.post(
    '/api/verify/:id',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags: ['verification'],
        summary: 'Public: is this file byte-identical to the issued document? (multipart field `file`)',
        params: idParams,
        response: {
          200: z.object({ valid: z.boolean(), sha256: z.string(), issuedSha256: z.string() }),
          400: errorOut,
          404: errorOut,
          413: errorOut,
          415: errorOut,
        },
      },
    },
    async (request) => {
      const issued = await verificationInfo(db, request.params.id);
      return withUploads(
        request,
        { settings, files: { file: { kind: 'document', required: true } } },
        async ({ files: got }) => {
          const sha256 = got[0]?.sha256 ?? '';
          return { valid: sha256 === issued.sha256, sha256, issuedSha256: issued.sha256 };
        },
      );
    },
  );

  // The answer's shape (no input transforms: responses are only encoded).
  const settingsOut = z.object({
    letterhead: z.object({
      government: z.string(),
      agency: z.string(),
      address: z.string(),
      contact: z.string(),
    }),
    signer: z.object({ name: z.string(), title: z.string(), nip: z.string().nullable() }),
    place: z.string(),
    numbering: z.object({ pattern: z.string(), classification: z.string(), unit: z.string() }),
    templates: z.object({ approve: z.string(), reject: z.string(), return: z.string() }),
    logo: z.object({ mime: z.string() }).nullable(),
  });
  const present = (s: Awaited<ReturnType<typeof getDocumentSettings>>) => ({
    ...s,
    logo: s.logo ? { mime: s.logo.mime } : null,
  });

  r.get(
    '/api/document-settings',
    { schema: { tags: ['documents'], response: { 200: settingsOut, ...privateErrors } } },
    async (request) => present(await getDocumentSettings(db, ctxOf(request))),
  );
  r.put(
    '/api/document-settings',
    {
      schema: {
        tags: ['documents'],
        summary: 'Letterhead, signer, numbering and letter templates (administrators)',
        body: documentSettingsSchema,
        response: { 200: settingsOut, ...privateErrors, 422: errorOut },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      return present(await db.transaction().execute((trx) => saveDocumentSettings(trx, request.body, ctx)));
    },
  );
  r.post(
    '/api/document-settings/preview',
    {
      schema: {
        tags: ['documents'],
        summary: 'Try a letter template: its paragraphs with sample values, and unknown fields',
        body: z.strictObject({ template: z.string().max(10_000) }),
        response: {
          200: z.object({ paragraphs: z.array(z.string()), unknownFields: z.array(z.string()) }),
          ...privateErrors,
        },
      },
    },
    async (request) => previewTemplate(request.body.template, ctxOf(request)),
  );
  r.post(
    '/api/document-settings/logo',
    {
      schema: {
        tags: ['documents'],
        summary:
          'Upload the letterhead logo (PNG or JPEG, at most 512 KiB and 4096 × 4096 pixels, 16 MiB decoded; multipart field `logo`)',
        response: { 200: settingsOut, ...privateErrors, 413: errorOut, 415: errorOut, 422: errorOut },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      if (!ctx.actor.roles.includes('admin'))
        throw new AppError('FORBIDDEN', 'You are not allowed to do this');
      return withUploads(
        request,
        { settings, files: { logo: { kind: 'document', required: true } } },
        async ({ files: got }) => {
          const f = got[0];
          if (!f || (f.type !== 'png' && f.type !== 'jpeg')) {
            throw new AppError('LOGO_INVALID', 'The logo must be a PNG or JPEG image', {
              details: { fields: [{ path: 'logo', message: 'PNG or JPEG' }] },
            });
          }
          if (f.size > LOGO_LIMITS.maxBytes) {
            throw new AppError('FILE_TOO_LARGE', 'The logo may be at most 512 KiB', {
              details: { fields: [{ path: 'logo', message: 'at most 512 KiB' }] },
            });
          }
          // Its pixels, from its headers: a small file may declare an enormous image.
          checkLogo(await fsp.readFile(f.tempPath));
          const { key } = await files.put(f.tempPath);
          try {
            const { previous, settings: s } = await db
              .transaction()
              .execute((trx) => setLetterheadLogo(trx, { key, mime: f.mime }, ctx));
            if (previous) await files.remove(previous.key).catch(() => {});
            return present(s);
          } catch (e) {
            await files.remove(key).catch(() => {});
            throw e;
          }
        },
      );
    },
  );
}
