import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { registerAuth } from './plugins/auth.ts';
import { frameworkErrors, refuseUnstorableText, registerErrorHandling } from './plugins/errors.ts';
import { registerMetrics } from './plugins/metrics.ts';
import { registerOriginCheck } from './plugins/origin.ts';
import { registerWeb } from './plugins/web.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { caseRoutes } from './routes/cases.ts';
import { documentRoutes } from './routes/documents.ts';
import { healthRoutes } from './routes/health.ts';
import { holidayRoutes } from './routes/holidays.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { opdRoutes, unitRoutes } from './routes/orgs.ts';
import { provisioningRoutes } from './routes/provisioning.ts';
import { registryIoRoutes } from './routes/registry-io.ts';
import { registryPoolRoutes } from './routes/registry-pools.ts';
import { registryServerRoutes } from './routes/registry-servers.ts';
import { registryWebsiteRoutes } from './routes/registry-websites.ts';
import { registryZoneRoutes } from './routes/registry-zones.ts';
import { serviceRoutes } from './routes/services.ts';
import { userRoutes } from './routes/users.ts';

export type BuildAppOptions = {
  config: Config;
  db: Kysely<Database>;
  /** A pino logger configuration, or false for none (tests). */
  logger?: boolean | { level: string };
  /** Durable jobs (e-mail); without them notifications stay in-app. */
  jobs?: Jobs;
  /**
   * The app's clock (default: the real one). Step clocks, due dates, "today" and registry holds read
   * it; tests pass one that starts at a fixed instant. Sessions and sign-in throttling do not: they
   * are timed by the database's own clock.
   */
  now?: () => Date;
};

/** Builds the HTTP application; tests call this and use `app.inject`. */
export async function buildApp({
  config,
  db,
  logger,
  jobs,
  now = () => new Date(),
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
    bodyLimit: config.bodyLimitBytes,
    // A stalled client cannot hold a connection forever; large source archives still fit.
    requestTimeout: 15 * 60_000,
    trustProxy: config.trustProxy,
    // Fastify's two lines per request are replaced by the single access line below.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  refuseUnstorableText(app);

  // One access-log line per request, after the answer, with what an operator needs.
  app.addHook('onResponse', async (request, reply) => {
    if (request.url === '/healthz' || request.url === '/metrics') return;
    request.log.info(
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // The SOP designer shows the sheet preview (a PDF fetched by the page) in a frame from a blob: URL.
        frameSrc: ["'self'", 'blob:'],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only makes sense over HTTPS; a reverse proxy in front sets it there.
    hsts: false,
  });
  await app.register(fastifyCookie);
  // Uploads are read by src/storage/upload.ts, which sets its own limits per request.
  await app.register(fastifyMultipart, { limits: { fields: 50, files: 20, parts: 100 } });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, ctx) =>
      new AppError('TOO_MANY_ATTEMPTS', 'Too many requests. Try again later.', {
        details: { retryAfterSeconds: Math.ceil(ctx.ttl / 1000) },
        headers: { 'retry-after': String(Math.ceil(ctx.ttl / 1000)) },
      }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Loket API',
        version: '0.1.0',
        description: 'Service desk of DKISP: letters, dispositions, SOP steps, registry and provisioning.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'loket_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  registerOriginCheck(app, config.allowedOrigins);
  registerAuth(app, db, config);
  registerMetrics(app);

  const deps = { db, config, jobs, now };
  healthRoutes(app, deps);
  authRoutes(app, deps);
  opdRoutes(app, deps);
  unitRoutes(app, deps);
  userRoutes(app, deps);
  auditRoutes(app, deps);
  caseRoutes(app, deps);
  serviceRoutes(app, deps);
  holidayRoutes(app, deps);
  notificationRoutes(app, deps);
  documentRoutes(app, deps);
  registryIoRoutes(app, deps);
  registryServerRoutes(app, deps);
  registryPoolRoutes(app, deps);
  registryZoneRoutes(app, deps);
  registryWebsiteRoutes(app, deps);
  provisioningRoutes(app, deps);
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await registerWeb(app, config.webDir);
  return app;
}
