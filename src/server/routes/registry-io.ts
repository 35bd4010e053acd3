import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import {
  makeRegistryDeps,
  requireRegistryManager,
  requireRegistryReader,
} from '../../registry/registry-deps.ts';
import { exportTable, IO_ENTITIES, type IoEntity, importRegistry } from '../../registry/registry-io.ts';
import { CONTENT_TYPES, csvStream, readTable, xlsxStream } from '../../registry/tabular.ts';
import { contentDisposition } from '../../storage/download.ts';
import { checkFileName } from '../../storage/upload.ts';
import { ctxOf } from '../plugins/auth.ts';
import { errorOut, privateErrors, type RouteDeps, typed } from './shared.ts';

/** Largest import file: the configured upload limit, at most 10 MiB (5000 rows fit easily). */
const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

const FILE_NAMES: Record<IoEntity, { file: string; sheet: string }> = {
  websites: { file: 'website', sheet: 'Website' },
  servers: { file: 'server', sheet: 'Server' },
  pools: { file: 'pool-ip', sheet: 'Pool IP' },
};

const importFields = z.strictObject({
  entity: z.enum(IO_ENTITIES),
  /** Preview unless told otherwise. */
  dryRun: z.enum(['true', 'false']).default('true'),
});

const importOut = z.object({
  entity: z.enum(IO_ENTITIES),
  rows: z.array(
    z.object({
      line: z.number(),
      key: z.string(),
      action: z.enum(['create', 'update', 'unchanged', 'error']),
      errors: z.array(z.string()),
    }),
  ),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  errors: z.number(),
});

type Received = { fields: Record<string, string>; file: { name: string; data: Buffer } | null };

function fail(
  code: 'BAD_REQUEST' | 'FILE_TOO_LARGE' | 'PAYLOAD_TOO_LARGE' | 'TOO_MANY_FILES',
  message: string,
) {
  return new AppError(code, message);
}

/** The multipart plugin's errors as ours (anything else goes on as it is). */
function asAppError(err: unknown, maxBytes: number): unknown {
  if (err instanceof AppError) return err;
  switch ((err as { code?: string } | null)?.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('FILE_TOO_LARGE', 'The file is too large', { details: { maxBytes } });
    case 'FST_FILES_LIMIT':
      return fail('TOO_MANY_FILES', 'Send one file');
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return fail('PAYLOAD_TOO_LARGE', 'Too many form fields');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Expected a multipart/form-data request');
    case 'FST_PROTO_VIOLATION':
    case 'FST_MP_PREMATURE_CLOSE':
      return fail('BAD_REQUEST', 'The form data is malformed');
  }
  if (/multipart|boundary|needle/i.test((err as Error | null)?.message ?? '')) {
    return fail('BAD_REQUEST', 'The form data is malformed');
  }
  return err;
}

/**
 * Reads the form into memory: a few short text fields and one file of at most `maxBytes`. (The
 * general upload path, src/storage/upload.ts, types files by sniffing binary formats and so has
 * no kind for CSV text; a table this small is simply held in memory.)
 */
async function receiveTableUpload(request: FastifyRequest, maxBytes: number): Promise<Received> {
  if (typeof request.isMultipart !== 'function' || !request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Expected a multipart/form-data request');
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024) {
    request.raw.unpipe();
    request.raw.resume();
    throw new AppError('FILE_TOO_LARGE', 'The file is too large', { details: { maxBytes } });
  }
  const fields: Record<string, string> = {};
  let file: Received['file'] = null;
  try {
    const parts = request.parts({
      limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file')
          throw fail('BAD_REQUEST', `No file is expected in "${part.fieldname}"`);
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of part.file) {
          size += (chunk as Buffer).length;
          if (size > maxBytes) {
            throw new AppError('FILE_TOO_LARGE', 'The file is too large', { details: { maxBytes } });
          }
          chunks.push(chunk as Buffer);
        }
        if (part.file.truncated) {
          throw new AppError('FILE_TOO_LARGE', 'The file is too large', { details: { maxBytes } });
        }
        if (!part.filename && size === 0) continue; // "no file chosen"
        const name = checkFileName(part.filename ?? '');
        if (name === null) throw new AppError('FILE_NAME_INVALID', 'The file name is not acceptable');
        if (size === 0) throw new AppError('FILE_EMPTY', 'The file is empty');
        file = { name, data: Buffer.concat(chunks, size) };
      } else {
        if (part.valueTruncated || part.fieldnameTruncated) {
          throw fail('PAYLOAD_TOO_LARGE', `The form field "${part.fieldname}" is too long`);
        }
        fields[part.fieldname] = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
      }
    }
  } catch (err) {
    request.raw.unpipe();
    request.raw.resume();
    throw asAppError(err, maxBytes);
  }
  return { fields, file };
}

function parseFields(fields: Record<string, string>): z.output<typeof importFields> {
  const r = importFields.safeParse(fields);
  if (r.success) return r.data;
  throw new AppError('VALIDATION_FAILED', 'The form is not valid', {
    details: {
      in: 'body',
      fields: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    },
  });
}

/** Today in the configured time zone, as YYYY-MM-DD (the export's file name carries it). */
function today(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

/** Import and export of the registry as CSV or XLSX. */
export function registryIoRoutes(app: FastifyInstance, { db, config, now }: RouteDeps): void {
  const r = typed(app);
  const tags = ['registry: import/export'];
  const maxBytes = Math.min(config.uploadMaxBytes, IMPORT_MAX_BYTES);

  r.get(
    '/api/registry/export',
    {
      schema: {
        tags,
        summary: 'Every website, server or IP pool as a CSV (UTF-8) or XLSX download, ordered by key',
        querystring: z.strictObject({ entity: z.enum(IO_ENTITIES), format: z.enum(['csv', 'xlsx']) }),
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      requireRegistryReader(ctx.actor);
      const { entity, format } = request.query;
      const { header, rows } = exportTable(db, entity, ctx);
      const names = FILE_NAMES[entity];
      const body = format === 'csv' ? csvStream(header, rows) : xlsxStream(header, rows, names.sheet);
      reply.headers({
        'content-type': CONTENT_TYPES[format],
        'content-disposition': contentDisposition(
          `registri-${names.file}-${today(config.calendar.timeZone)}.${format}`,
        ),
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      });
      return reply.send(body);
    },
  );

  r.post(
    '/api/registry/import',
    {
      schema: {
        tags,
        summary:
          'Import websites, servers or IP pools from CSV or XLSX (multipart: entity, dryRun, file). dryRun previews each row; otherwise all rows or none',
        response: { 200: importOut, ...privateErrors, 413: errorOut, 415: errorOut, 422: errorOut },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      requireRegistryManager(ctx.actor);
      const { fields, file } = await receiveTableUpload(request, maxBytes);
      const form = parseFields(fields);
      if (!file) throw new AppError('FILE_REQUIRED', 'A file is required', { details: { field: 'file' } });
      const table = await readTable(file.data);
      return importRegistry(
        db,
        { entity: form.entity, table, dryRun: form.dryRun === 'true', fileName: file.name },
        ctx,
        makeRegistryDeps(config, now),
      );
    },
  );
}
