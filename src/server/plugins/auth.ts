import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { type AuthConfig, type Authenticated, authenticate } from '../../auth/auth.service.ts';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { Ctx, RequestMeta } from '../../shared/context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
  }
  interface FastifyContextConfig {
    /** Routes are private unless they say `public: true`. */
    public?: boolean;
  }
}

const PLAIN = 'loket_session';
const HOST_PREFIXED = '__Host-loket_session';

export type CookieSettings = Pick<Config, 'cookieSecure'> & { maxAgeSeconds: number };

function isSecure(request: FastifyRequest, s: Pick<Config, 'cookieSecure'>): boolean {
  if (s.cookieSecure === 'true') return true;
  if (s.cookieSecure === 'false') return false;
  return request.protocol === 'https';
}

/** The session cookie: `__Host-` prefixed and Secure over HTTPS, HttpOnly and SameSite=Lax always. */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  s: CookieSettings,
) {
  const secure = isSecure(request, s);
  reply.setCookie(secure ? HOST_PREFIXED : PLAIN, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: s.maxAgeSeconds,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, s: CookieSettings) {
  const secure = isSecure(request, s);
  reply.clearCookie(secure ? HOST_PREFIXED : PLAIN, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/**
 * The session token from the one cookie this request may carry it in: the `__Host-` cookie when
 * the request is secure, the plain one otherwise. Over HTTPS a plain `loket_session` is ignored: a
 * sibling subdomain (where OPD sites live) can set that one, but never a `__Host-` cookie.
 */
export function sessionToken(request: FastifyRequest, s: Pick<Config, 'cookieSecure'>): string | undefined {
  return request.cookies[isSecure(request, s) ? HOST_PREFIXED : PLAIN];
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  return { ip: request.ip ?? null, userAgent: request.headers['user-agent']?.slice(0, 500) ?? null };
}

/** The acting user and request origin for a service call on a private route. */
export function ctxOf(request: FastifyRequest): Ctx {
  if (!request.auth) throw new AppError('UNAUTHENTICATED', 'Please sign in');
  return { actor: request.auth.actor, meta: requestMeta(request) };
}

/**
 * Everything under `/api/` is private unless its route says `public: true`; the API docs, the web
 * app's files, health and metrics are public, and unknown paths fall through to their 404.
 */
function isPublic(request: FastifyRequest): boolean {
  if (request.is404 || request.routeOptions.config?.public) return true;
  const url = request.routeOptions.url ?? '';
  return !url.startsWith('/api/') || url.startsWith('/api/docs');
}

/** Resolves the session cookie on every request; private routes without a session answer 401. */
export function registerAuth(
  app: FastifyInstance,
  db: Kysely<Database>,
  cfg: AuthConfig & Pick<Config, 'cookieSecure'>,
): void {
  app.decorateRequest('auth', null);
  app.addHook('preHandler', async (request) => {
    const token = sessionToken(request, cfg);
    if (token) request.auth = await authenticate(db, token, cfg);
    if (!request.auth && !isPublic(request)) throw new AppError('UNAUTHENTICATED', 'Please sign in');
  });
}
