import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests sent from another site. Browsers send `Origin` on such requests
 * (and `Sec-Fetch-Site`); tools like curl send neither and are let through, the cookie still rules.
 */
export function registerOriginCheck(app: FastifyInstance, allowedOrigins: string[]): void {
  const allowed = new Set(allowedOrigins);
  app.addHook('onRequest', async (request) => {
    if (SAFE.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin !== undefined) {
      const own = `${request.protocol}://${request.host}`;
      if (origin !== own && !allowed.has(origin)) {
        throw new AppError('CROSS_ORIGIN', 'Requests from another site are not accepted');
      }
      return;
    }
    if (request.headers['sec-fetch-site'] === 'cross-site') {
      throw new AppError('CROSS_ORIGIN', 'Requests from another site are not accepted');
    }
  });
}
