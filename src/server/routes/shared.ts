import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/schema.ts';
import type { Jobs } from '../../jobs/jobs.ts';

/** What every route module receives. */
export type RouteDeps = {
  db: Kysely<Database>;
  config: Config;
  jobs?: Jobs | undefined;
  /** The app's clock: "now" for SOP step clocks, due dates, "today" and registry holds (default: real). */
  now?: (() => Date) | undefined;
};

export type App = ReturnType<FastifyInstance['withTypeProvider']> & FastifyInstance;

export function typed(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

export const idParams = z.strictObject({ id: z.uuid('not a valid id') });

export const errorOut = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export function pageOut<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });
}

/** The usual error answers of a private route, for the OpenAPI document. */
export const privateErrors = { 400: errorOut, 401: errorOut, 403: errorOut, 404: errorOut } as const;
