import os from 'node:os';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { uniq } from '../../test/helpers/factories.ts';
import { createDb, type DbHandle } from '../db/create-db.ts';
import { AppError } from '../errors.ts';
import { systemCtx } from '../shared/context.ts';
import { allocateAddress } from './ip-pool.service.ts';
import type { AllocateInput } from './registry.schemas.ts';

// No address is ever given out twice, even when many allocators race. On PostgreSQL the allocators
// run in real parallel transactions on separate connections; PGlite has one connection, so there
// the same assertions run on allocations made one after the other.

const PG_URL = process.env.TEST_DATABASE_URL;
const PARALLEL = 40;

let t: TestApp;
let manager: string;
let editor: string;
/** A second connection pool with a connection for every racer (PostgreSQL only). */
let wide: DbHandle | undefined;

beforeAll(async () => {
  t = await createTestApp();
  manager = (await t.as(['admin'])).cookie;
  editor = (await t.as(['staf'])).cookie;
  if (t.handle.kind === 'postgres' && PG_URL) {
    const { rows } = await sql<{ db: string }>`SELECT current_database() AS db`.execute(t.db);
    const u = new URL(PG_URL);
    u.pathname = `/${rows[0]?.db}`;
    wide = await createDb({
      databaseUrl: u.toString(),
      dataDir: os.tmpdir(),
      poolSize: PARALLEL + 2,
      // Connections still closing when the test database is dropped are not news.
      onIdleError: () => {},
    });
  }
});
afterAll(async () => {
  await wide?.close();
  await t.close();
});

async function createPool(cidr: string, gateway?: string): Promise<{ id: string }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/registry/pools',
    headers: { cookie: manager },
    payload: { name: `Race ${uniq()}`, cidr, ...(gateway ? { gateway } : {}) },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const ctx = systemCtx('concurrency-test');
const deps = { now: () => new Date() };

type Outcome = { ok: true; address: string; pid: number } | { ok: false; code: string; pid: number };

/**
 * Runs `n` allocations, each in its own transaction on its own connection; every transaction has
 * begun (and says on which server process) before any of them allocates, so they truly race.
 */
async function race(poolId: string, n: number, input: AllocateInput): Promise<Outcome[]> {
  const db = wide?.db;
  if (!db) throw new Error('PostgreSQL only');
  let arrived = 0;
  let release!: () => void;
  const allStarted = new Promise<void>((resolve) => {
    release = resolve;
  });
  return Promise.all(
    Array.from({ length: n }, async (): Promise<Outcome> => {
      let pid = 0;
      try {
        // A refused allocation throws, so its transaction rolls back as in the route.
        const a = await db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
          pid = Number(rows[0]?.pid);
          arrived += 1;
          if (arrived === n) release();
          await allStarted;
          return allocateAddress(trx, poolId, input, ctx, deps);
        });
        return { ok: true, address: a.address, pid };
      } catch (e) {
        if (e instanceof AppError) return { ok: false, code: e.code, pid };
        throw e;
      }
    }),
  );
}

async function rowsOf(poolId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('ip_allocations')
    .select('address')
    .where('pool_id', '=', poolId)
    .where('kind', '=', 'reserved')
    .execute();
  return rows.map((r) => r.address).sort();
}

function ipv4(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

describe.skipIf(!PG_URL)(
  'parallel allocation on PostgreSQL (skipped: TEST_DATABASE_URL unset; `npm run test:pg` sets it)',
  () => {
    it(`${PARALLEL} racers on a small pool: every address once, the rest told the pool is full`, async () => {
      const pool = await createPool('172.16.0.0/27', '172.16.0.1');
      const out = await race(pool.id, PARALLEL, { kind: 'reserved' });
      expect(new Set(out.map((o) => o.pid)).size).toBe(PARALLEL);
      const won = out.flatMap((o) => (o.ok ? [o.address] : []));
      const lost = out.flatMap((o) => (o.ok ? [] : [o.code]));
      expect(won).toHaveLength(29);
      expect(new Set(won).size).toBe(won.length);
      expect(lost).toEqual(Array(PARALLEL - 29).fill('POOL_FULL'));
      expect(await rowsOf(pool.id)).toEqual([...won].sort());
      expect(won.sort()).toEqual(Array.from({ length: 29 }, (_, i) => `172.16.0.${i + 2}`).sort());
    });

    it(`${PARALLEL} racers on a /16: all succeed with distinct addresses, the lowest free ones`, async () => {
      const pool = await createPool('172.17.0.0/16', '172.17.0.1');
      const out = await race(pool.id, PARALLEL, { kind: 'reserved' });
      expect(new Set(out.map((o) => o.pid)).size).toBe(PARALLEL);
      const won = out.flatMap((o) => (o.ok ? [o.address] : []));
      expect(won).toHaveLength(PARALLEL);
      expect(new Set(won).size).toBe(PARALLEL);
      const base = (172 << 24) | (17 << 16);
      expect([...won].sort()).toEqual(Array.from({ length: PARALLEL }, (_, i) => ipv4(base + 2 + i)).sort());
      expect(await rowsOf(pool.id)).toEqual([...won].sort());
    });

    it(`${PARALLEL} racers pick the same address: exactly one wins, the others get IP_TAKEN`, async () => {
      const pool = await createPool('172.18.0.0/24');
      const out = await race(pool.id, PARALLEL, { kind: 'reserved', address: '172.18.0.77' });
      expect(out.filter((o) => o.ok)).toHaveLength(1);
      expect(out.flatMap((o) => (o.ok ? [] : [o.code]))).toEqual(Array(PARALLEL - 1).fill('IP_TAKEN'));
      expect(await rowsOf(pool.id)).toEqual(['172.18.0.77']);
    });

    it('through the HTTP API, concurrent requests at an IPv6 pool never share an address', async () => {
      const pool = await createPool('2001:db8:77::/120');
      const res = await Promise.all(
        Array.from({ length: PARALLEL }, () =>
          t.app.inject({
            method: 'POST',
            url: `/api/registry/pools/${pool.id}/allocations`,
            headers: { cookie: editor },
            payload: { kind: 'reserved' },
          }),
        ),
      );
      expect(res.map((r) => r.statusCode)).toEqual(Array(PARALLEL).fill(201));
      const won = res.map((r) => r.json().address as string);
      expect(new Set(won).size).toBe(PARALLEL);
      expect(await rowsOf(pool.id)).toEqual([...won].sort());
    });
  },
);

describe('allocation one after the other (every database)', () => {
  it(`${PARALLEL} allocations on a small pool: distinct, as many as fit, rows match`, async () => {
    const pool = await createPool('172.19.0.0/27', '172.19.0.1');
    const won: string[] = [];
    const lost: string[] = [];
    for (let i = 0; i < PARALLEL; i++) {
      try {
        const a = await t.db
          .transaction()
          .execute((trx) => allocateAddress(trx, pool.id, { kind: 'reserved' }, ctx, deps));
        won.push(a.address);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        lost.push(e.code);
      }
    }
    expect(won).toEqual(Array.from({ length: 29 }, (_, i) => `172.19.0.${i + 2}`));
    expect(lost).toEqual(Array(PARALLEL - 29).fill('POOL_FULL'));
    expect(await rowsOf(pool.id)).toEqual([...won].sort());
  });

  it('the same address twice: the second is IP_TAKEN', async () => {
    const pool = await createPool('172.19.1.0/24');
    const pick = () =>
      t.db
        .transaction()
        .execute((trx) =>
          allocateAddress(trx, pool.id, { kind: 'reserved', address: '172.19.1.9' }, ctx, deps),
        );
    await expect(pick()).resolves.toMatchObject({ address: '172.19.1.9' });
    await expect(pick()).rejects.toMatchObject({ code: 'IP_TAKEN' });
    expect(await rowsOf(pool.id)).toEqual(['172.19.1.9']);
  });
});
