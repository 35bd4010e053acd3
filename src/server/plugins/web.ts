import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';

const NOT_BUILT = `<!doctype html><html lang="id"><meta charset="utf-8"><title>Loket</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>Loket</h1><p>Antarmuka web belum dibangun. Jalankan <code>npm run build</code>, lalu muat ulang.</p>
<p lang="en">The web UI has not been built. Run <code>npm run build</code> and reload.</p></body></html>`;

/**
 * Serves the single-page app from `webDir`; unknown non-API paths get `index.html` so client-side
 * routes survive a reload. Unknown `/api/…` paths answer a JSON 404.
 */
export async function registerWeb(app: FastifyInstance, webDir: string): Promise<void> {
  const index = path.join(webDir, 'index.html');
  const built = fs.existsSync(index);
  if (built) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      maxAge: '1h',
      setHeaders(res, filePath) {
        // Vite's hashed assets never change; index.html always may.
        if (filePath.includes(`${path.sep}assets${path.sep}`))
          res.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !url.startsWith('/api/');
    if (!wantsPage || /\.[a-z0-9]+$/i.test(url)) {
      throw new AppError('ROUTE_NOT_FOUND', `No route ${request.method} ${url}`);
    }
    reply.header('cache-control', 'no-cache');
    if (!built) return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
    return reply.sendFile('index.html');
  });
}
