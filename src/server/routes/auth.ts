import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { changeOwnPassword, login, logout } from '../../auth/auth.service.ts';
import { AppError } from '../../errors.ts';
import { meOut } from '../../users/user.schemas.ts';
import { clearSessionCookie, ctxOf, requestMeta, sessionToken, setSessionCookie } from '../plugins/auth.ts';
import { errorOut, type RouteDeps, typed } from './shared.ts';

const loginBody = z.strictObject({
  username: z.string().min(1, 'required').max(256),
  password: z.string().min(1, 'required').max(1024),
});
const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1, 'required').max(1024),
  newPassword: z.string().max(256),
});

export function authRoutes(app: FastifyInstance, { db, config }: RouteDeps): void {
  const r = typed(app);
  const cookie = { cookieSecure: config.cookieSecure, maxAgeSeconds: config.session.absoluteHours * 3600 };

  r.post(
    '/api/auth/login',
    {
      config: {
        public: true,
        rateLimit: { max: config.loginRatePerMinute, timeWindow: 60_000 },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the session cookie',
        body: loginBody,
        response: { 200: z.object({ user: meOut }), 400: errorOut, 401: errorOut, 429: errorOut },
      },
    },
    async (request, reply) => {
      const { token, auth } = await login(
        db,
        { ...request.body, previousToken: sessionToken(request, config) },
        requestMeta(request),
        config,
      );
      setSessionCookie(request, reply, token, cookie);
      return { user: auth.me };
    },
  );

  r.post(
    '/api/auth/logout',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Sign out', response: { 204: z.null() } },
    },
    async (request, reply) => {
      await db.transaction().execute((trx) => logout(trx, request.auth, requestMeta(request)));
      clearSessionCookie(request, reply, cookie);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        response: { 200: z.object({ user: meOut }), 401: errorOut },
      },
    },
    async (request) => {
      if (!request.auth) throw new AppError('UNAUTHENTICATED', 'Please sign in');
      return { user: request.auth.me };
    },
  );

  r.post(
    '/api/auth/password',
    {
      config: { rateLimit: { max: config.loginRatePerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary:
          'Change your own password; your other sessions end. A wrong current password counts as a failed sign-in.',
        body: changePasswordBody,
        response: { 204: z.null(), 400: errorOut, 401: errorOut, 422: errorOut, 429: errorOut },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      if (!request.auth) throw new AppError('UNAUTHENTICATED', 'Please sign in');
      const { token } = await changeOwnPassword(db, request.auth, request.body, ctx, config);
      setSessionCookie(request, reply, token, cookie);
      return reply.status(204).send(null);
    },
  );
}
