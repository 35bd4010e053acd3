import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createUserBody,
  listUsersQuery,
  setPasswordBody,
  updateUserBody,
  userOut,
} from '../../users/user.schemas.ts';
import {
  createUser,
  getUser,
  listUsers,
  setUserPassword,
  updateUserProfile,
} from '../../users/user.service.ts';
import { ctxOf } from '../plugins/auth.ts';
import { errorOut, idParams, pageOut, privateErrors, type RouteDeps, typed } from './shared.ts';

export function userRoutes(app: FastifyInstance, { db, config }: RouteDeps): void {
  const r = typed(app);
  const errors = { ...privateErrors, 409: errorOut, 422: errorOut };

  r.get(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        querystring: listUsersQuery,
        response: { 200: pageOut(userOut), ...privateErrors },
      },
    },
    async (request) => {
      const { page, pageSize, ...filter } = request.query;
      return listUsers(db, filter, { page, pageSize }, ctxOf(request));
    },
  );
  r.get(
    '/api/users/:id',
    { schema: { tags: ['users'], params: idParams, response: { 200: userOut, ...privateErrors } } },
    async (request) => getUser(db, request.params.id, ctxOf(request)),
  );
  r.post(
    '/api/users',
    { schema: { tags: ['users'], body: createUserBody, response: { 201: userOut, ...errors } } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const user = await db
        .transaction()
        .execute((trx) => createUser(trx, request.body, config.passwordPolicy, ctx));
      return reply.status(201).send(user);
    },
  );
  r.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        params: idParams,
        body: updateUserBody,
        response: { 200: userOut, ...errors },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      return db.transaction().execute((trx) => updateUserProfile(trx, request.params.id, request.body, ctx));
    },
  );
  r.post(
    '/api/users/:id/password',
    {
      schema: {
        tags: ['users'],
        summary: "Set a user's password; the user's sessions end",
        params: idParams,
        body: setPasswordBody,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      await db
        .transaction()
        .execute((trx) =>
          setUserPassword(trx, request.params.id, request.body.password, config.passwordPolicy, ctx),
        );
      return reply.status(204).send(null);
    },
  );
}
