// Server side of the registry benchmark: Loket on DATABASE_URL, a Kabid signed in, and bare
// Fastify routes on the same database handle (same pool) without auth, schemas or presenting:
//   GET  /websites?q=          the repository's list query (page 1 of 20, sorted by host name)
//   POST /insert/:poolId       one INSERT of a precomputed address (counting down from the top of
//                              the pool, so it never meets the addresses Loket hands out upward)
//   POST /locked/:poolId       the least a correct allocator does: lock the pool row, insert at
//                              next_hint, move the hint, commit (no gap search, no history)
//   POST /single/:poolId       the same in a single statement outside a transaction (lock, find
//                              the next free from the hint, insert, move the hint, write the audit
//                              row): the pool lock is held for one statement, not for round trips
//   POST /reset                forget the counter of /insert (the harness deletes the rows)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { hashPassword } from '../src/auth/password.ts';
import { startLoket } from '../src/main.ts';
import { formatIp } from '../src/registry/ip.ts';
import { listWebsiteRows } from '../src/registry/website.repository.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-bench-registry-'));
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
    username: 'kabid.registry',
    full_name: 'Kabid Registry Bench',
    roles: ['kabid'],
    password_hash: await hashPassword(password),
  })
  .execute();
const res = await fetch(`${loket.url}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'kabid.registry', password }),
});
if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

const bare = Fastify({ logger: false });
bare.setErrorHandler((error, _request, reply) => {
  process.stderr.write(`bare route: ${error instanceof Error ? error.message : String(error)}\n`);
  void reply.status(500).send({ error: 'bare route failed' });
});
bare.get<{ Querystring: { q?: string } }>('/websites', async (request) => {
  const r = await listWebsiteRows(
    db,
    { q: request.query.q },
    { by: 'hostname', dir: 'asc' },
    { page: 1, pageSize: 20 },
  );
  return { items: r.rows, total: r.total };
});

const lastN = new Map<string, bigint>();
let down = 0n;
bare.post<{ Params: { poolId: string } }>('/insert/:poolId', async (request) => {
  const poolId = request.params.poolId;
  let last = lastN.get(poolId);
  if (last === undefined) {
    const p = await db
      .selectFrom('ip_pools')
      .select('last_n')
      .where('id', '=', poolId)
      .executeTakeFirstOrThrow();
    last = BigInt(p.last_n);
    lastN.set(poolId, last);
  }
  const n = last - down++;
  const a = await db
    .insertInto('ip_allocations')
    .values({
      pool_id: poolId,
      address: formatIp({ version: 4, value: n }),
      n: sql<string>`${n.toString()}::numeric`,
      kind: 'reserved',
      note: 'bench-bare',
    })
    .returning(['id', 'address'])
    .executeTakeFirstOrThrow();
  return a;
});
bare.post<{ Params: { poolId: string } }>('/locked/:poolId', async (request) =>
  db.transaction().execute(async (trx) => {
    const p = await trx
      .selectFrom('ip_pools')
      .select('next_hint')
      .where('id', '=', request.params.poolId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const n = BigInt(p.next_hint);
    const a = await trx
      .insertInto('ip_allocations')
      .values({
        pool_id: request.params.poolId,
        address: formatIp({ version: 4, value: n }),
        n: sql<string>`${n.toString()}::numeric`,
        kind: 'reserved',
        note: 'bench-bare',
      })
      .returning(['id', 'address'])
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('ip_pools')
      .set({ next_hint: sql<string>`${(n + 1n).toString()}::numeric` })
      .where('id', '=', request.params.poolId)
      .execute();
    return { id: a.id, address: a.address };
  }),
);
bare.post<{ Params: { poolId: string } }>('/single/:poolId', async (request) => {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await sql<{ id: string; address: string }>`
        WITH p AS (SELECT id, next_hint, last_n FROM ip_pools WHERE id = ${request.params.poolId} FOR UPDATE),
        f AS (
          SELECT p.id, p.last_n,
            CASE WHEN NOT EXISTS (SELECT 1 FROM ip_allocations a WHERE a.pool_id = p.id AND a.n = p.next_hint)
              THEN p.next_hint
              ELSE (SELECT a.n + 1 FROM ip_allocations a
                    WHERE a.pool_id = p.id AND a.n >= p.next_hint
                      AND NOT EXISTS (SELECT 1 FROM ip_allocations b WHERE b.pool_id = p.id AND b.n = a.n + 1)
                    ORDER BY a.n LIMIT 1)
            END AS n
          FROM p),
        ins AS (
          INSERT INTO ip_allocations (pool_id, address, n, kind, note)
          SELECT f.id, ((f.n::bigint >> 24) & 255) || '.' || ((f.n::bigint >> 16) & 255) || '.'
                 || ((f.n::bigint >> 8) & 255) || '.' || (f.n::bigint & 255), f.n, 'reserved', 'bench-bare'
          FROM f WHERE f.n <= f.last_n
          RETURNING id, pool_id, address, n),
        h AS (UPDATE ip_pools SET next_hint = ins.n + 1 FROM ins WHERE ip_pools.id = ins.pool_id),
        au AS (
          INSERT INTO audit_log (actor_username, action, entity_type, entity_id, details)
          SELECT 'bench', 'ip_pool.allocate', 'ip_pool', ins.pool_id::text,
                 jsonb_build_object('after', jsonb_build_object('address', ins.address, 'kind', 'reserved'))
          FROM ins)
        SELECT id, address FROM ins`.execute(db);
      return r.rows[0];
    } catch (e) {
      // The statement's snapshot predates the lock wait: another allocator may have taken the
      // number it found. The unique index refuses it; try again.
      if ((e as { code?: string }).code !== '23505' || attempt >= 5) throw e;
    }
  }
});
bare.post('/reset', async () => {
  down = 0n;
  return { ok: true };
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
process.on('SIGINT', () => void stop());
