// The server side of the auth benchmark: Loket itself and, in the same process on the same
// database handle, a bare Fastify route that runs the same single indexed session query.
// Prints one JSON line with both URLs and a valid session cookie, then serves until killed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { tokenHash } from '../src/auth/auth.service.ts';
import { liveSessionQuery } from '../src/auth/session.repository.ts';
import { startLoket } from '../src/main.ts';

const password = 'Bench-Loket-Kuat-2026';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-bench-'));
const loket = await startLoket({
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOKET_DATA_DIR: dataDir,
    LOKET_ADMIN_USERNAME: 'admin',
    LOKET_ADMIN_PASSWORD: password,
  },
  print: () => {},
});
const db = loket.handle.db;

const login = await fetch(`${loket.url}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password }),
});
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

// The bare route: parse the cookie by hand, run the very same compiled session query, send the
// row. No plugins, no hooks, no schema.
const bare = Fastify({ logger: false });
bare.get('/me', async (request, reply) => {
  const token = /loket_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
  if (!token) return reply.status(401).send({ error: 'no session' });
  const r = await db.executeQuery(liveSessionQuery(db, tokenHash(token), 30));
  if (r.rows.length === 0) return reply.status(401).send({ error: 'no session' });
  return { user: r.rows[0] };
});
await bare.listen({ host: '127.0.0.1', port: 0 });
const bareAddr = bare.server.address() as { port: number };

process.stdout.write(
  `${JSON.stringify({ loket: loket.url, bare: `http://127.0.0.1:${bareAddr.port}`, cookie, kind: loket.handle.kind })}\n`,
);
const stop = async () => {
  await bare.close();
  await loket.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
