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
  const { status, body } = toErrorBody(err);
  reply.status(status).send(body);
}

/** One error handler: client mistakes become 4xx with a code; anything else is logged and hidden. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, body, headers } = toErrorBody(err);
    if (status >= 500) request.log.error({ err }, 'unhandled error');
    if (headers) reply.headers(headers);
    return reply.status(status).send(body);
  });
}
