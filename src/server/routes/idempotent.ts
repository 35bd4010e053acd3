import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingFile } from '../../cases/case-deps.ts';
import {
  type Answer,
  type IdempotentRequest,
  idempotencyKeyOf,
  requestHash,
} from '../../idempotency/idempotency.ts';
import type { Ctx } from '../../shared/context.ts';

/**
 * The request's `Idempotency-Key` (checked up front: a malformed one is a 400 before anything is
 * read) and a function giving the `IdempotentRequest` for `runOnce` once the body is known. The
 * content hashed is the body and, for multipart, each file's field, name and SHA-256.
 */
export function idempotencyFor(
  request: FastifyRequest,
  ctx: Ctx,
): (body: unknown, files?: readonly IncomingFile[]) => IdempotentRequest | null {
  const key = idempotencyKeyOf(request.headers);
  const route = `${request.method} ${request.url.split('?')[0]}`;
  return (body, files = []) =>
    key === null
      ? null
      : {
          userId: ctx.actor.id,
          route,
          key,
          requestHash: requestHash({
            body,
            files: files.map((f) => ({ field: f.field, name: f.displayName, sha256: f.sha256 })),
          }),
        };
}

/** Sends an answer of `runOnce`; a replayed one says so in `Idempotent-Replayed: true`. */
export function sendAnswer<T>(reply: FastifyReply, answer: Answer<T>): FastifyReply {
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  return reply.status(answer.status).send(answer.body);
}
