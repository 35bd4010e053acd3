// Server side of the cases benchmark: Loket on DATABASE_URL, a Kabid signed in, and bare routes
// that run the same repository queries without auth, presenting or schemas.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { hashPassword } from '../src/auth/password.ts';
import { findCaseDetail, listCaseRows } from '../src/cases/case.repository.ts';
import { startLoket } from '../src/main.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-bench-cases-'));
const loket = await startLoket({
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOKET_DATA_DIR: dataDir,
    LOKET_ADMIN_PASSWORD: 'Bench-Loket-Kuat-2026',
  },
  print: () => {},
});
const db = loket.handle.db;
const password = 'Bench-Kabid-Kuat-2026';
await db
  .insertInto('users')
  .values({
    username: 'kabid.bench',
    full_name: 'Kabid Bench',
    roles: ['kabid'],
    password_hash: await hashPassword(password),
  })
  .execute();
const res = await fetch(`${loket.url}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'kabid.bench', password }),
});
const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

const bare = Fastify({ logger: false });
bare.get('/inbox', async () => {
  const r = await listCaseRows(
    db,
    { view: 'inbox', roles: ['kabid'], onlyOpdId: null, now: new Date() },
    { page: 1, pageSize: 20 },
  );
  return { n: r.rows.length, total: r.total };
});
bare.get<{ Params: { id: string } }>('/detail/:id', async (request) => {
  // The same single statement the case page runs, without auth, presenting or schemas.
  const c = await findCaseDetail(db, request.params.id);
  return { id: c?.id, steps: c?.steps.length, events: c?.events.length, files: c?.files.length };
});
await bare.listen({ host: '127.0.0.1', port: 0 });
const port = (bare.server.address() as { port: number }).port;
process.stdout.write(
  `${JSON.stringify({ ready: true, loket: loket.url, bare: `http://127.0.0.1:${port}`, cookie })}\n`,
);
const stop = async () => {
  await bare.close();
  await loket.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
