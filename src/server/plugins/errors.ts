import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, errorStatus } from '../../errors.ts';
import { findUnstorableText } from '../../shared/storable-text.ts';

type Body = { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };

/** Fastify's own client-error codes, mapped onto ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
};

/**
 * PostgreSQL errors that can only come from a racing client or from text the database cannot
 * store (a NUL character, 22021), not from a bug.
 */
const PG_CODES: Record<string, ErrorCode> = {
  '23505': 'CONFLICT',
  '40001': 'CONFLICT',
  '40P01': 'CONFLICT',
  '22021': 'VALIDATION_FAILED',
  '22P05': 'VALIDATION_FAILED',
};

/** Seconds a client should wait before retrying while the database is unreachable. */
export const DB_RETRY_AFTER_SECONDS = 5;

/**
 * The database is unreachable or went away mid-request — not a bug of ours and nothing the client
 * did: PostgreSQL's admin shutdown, crash shutdown and cannot-connect-now (57P01/57P02/57P03),
 * connection exceptions (class 08), too many connections (53300), a socket error of the database
 * pool (marked by `markDatabaseUnavailable`), and node-postgres's own "Connection terminated" /
 * connection timeout.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^57P0[123]$/.test(code) || /^08[0-9A-Z]{3}$/.test(code) || code === '53300') return true;
  // Socket errors (refused, reset, timed out) count when they came from the database pool.
  if ((e as { databaseUnavailable?: unknown }).databaseUnavailable === true) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /^Connection terminated|^timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable/.test(
    message,
  );
}

/**
 * No text Loket stores may hold a NUL character or a lone UTF-16 surrogate (PostgreSQL cannot
 * store either): refused up front with 400, naming the field, for every JSON body, query and path
 * parameter. Multipart text fields are checked where they are read (src/storage/upload.ts).
 */
export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [where, value] of [
      ['body', request.body],
      ['querystring', request.query],
      ['params', request.params],
    ] as const) {
      const found = findUnstorableText(value);
      if (found) {
        throw new AppError('VALIDATION_FAILED', `The request ${where} ${found.message}`, {
          details: { in: where, fields: [found] },
        });
      }
    }
  });
}

export function toErrorBody(err: unknown): { status: number; body: Body; headers?: Record<string, string> } {
  if (err instanceof AppError) {
    const body: Body = { error: { code: err.code, message: err.message } };
    if (err.details) body.error.details = err.details;
    return { status: err.status, body, ...(err.headers ? { headers: err.headers } : {}) };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as { validationContext?: string }).validationContext ?? 'body';
    const fields = err.validation.map((v) => ({
      path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
      message: v.message ?? 'invalid',
    }));
    return {
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: `The request ${where} is not valid`,
          details: { in: where, fields },
        },
      },
    };
  }
  if (isDatabaseUnavailable(err)) {
    return {
      status: 503,
      body: {
        error: {
          code: 'DB_UNAVAILABLE',
          message: 'The database is not reachable at the moment; try again shortly',
        },
      },
      headers: { 'retry-after': String(DB_RETRY_AFTER_SECONDS) },
    };
  }
  const fe = err as FastifyError & { code?: string };
  const mapped = fe.code ? (FASTIFY_CODES[fe.code] ?? PG_CODES[fe.code]) : undefined;
  if (mapped) {
    return { status: errorStatus[mapped], body: { error: { code: mapped, message: fe.message } } };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code: ErrorCode = fe.statusCode === 429 ? 'TOO_MANY_ATTEMPTS' : 'BAD_REQUEST';
    return { status: fe.statusCode, body: { error: { code, message: fe.message } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side' } } };
}

/** Errors Fastify raises before routing (bad URL encoding, over-long parameters), in our shape. */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const { status, body, headers } = toErrorBody(err);
  if (headers) reply.headers(headers);
  reply.status(status).send(body);
}

/** One error handler: client mistakes become 4xx with a code; anything else is logged and hidden. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, body, headers } = toErrorBody(err);
    if (body.error.code === 'DB_UNAVAILABLE') request.log.warn({ err }, 'database unavailable');
    else if (status >= 500) request.log.error({ err }, 'unhandled error');
    if (headers) reply.headers(headers);
    return reply.status(status).send(body);
  });
}
