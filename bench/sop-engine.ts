// The SOP engine as data (issue 11): the case page and the inboxes, before and after, in the same
// run. "Before" is Loket at BENCH_BASELINE_REF (default: the last commit before the SOPs became
// data), checked out into a temporary git worktree; "after" is this checkout. Each runs its own
// bench/cases-server.ts (so each generates the same BENCH_ENGINE_CASES cases with its own schema)
// on its own database of one PostgreSQL server with its default durability. Requests go one at a
// time and alternate between the two servers view by view, so the machine's noise falls on both
// alike; the figure is the p50 ratio after / before per view (target: ≤ 1.2).
//
// Standalone: `npx node bench/sop-engine.ts`.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPostgres } from '../test/servers/postgres.ts';
import { type Latency, latency } from './cases.ts';

const root = path.join(import.meta.dirname, '..');
const BASELINE_REF = process.env.BENCH_BASELINE_REF ?? '6708c82';

type Ready = { loket: string; kabid: string; opd: string; ids: string[] };

function ready(child: ChildProcess): Promise<Ready> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.on('line', (l) => {
      if (l.startsWith('{"ready"')) resolve(JSON.parse(l));
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

async function timed(url: string, cookie: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  await res.arrayBuffer();
  const ms = performance.now() - t;
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return ms;
}

/** A checkout of the baseline commit beside this one (node_modules shared: the lock file is the same or older). */
function baselineCheckout(): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-baseline-'));
  fs.rmSync(dir, { recursive: true });
  execFileSync('git', ['-C', root, 'worktree', 'add', '--detach', dir, BASELINE_REF], { stdio: 'ignore' });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  return {
    dir,
    remove: () =>
      execFileSync('git', ['-C', root, 'worktree', 'remove', '--force', dir], { stdio: 'ignore' }),
  };
}

function startServer(checkout: string, databaseUrl: string, cases: number) {
  const child = spawn(process.execPath, [path.join(checkout, 'bench', 'cases-server.ts')], {
    cwd: checkout,
    env: {
      ...process.env,
      LOKET_LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      BENCH_CASES: String(cases),
      BENCH_CASES_HISTORY: '2',
      BENCH_STEP_SAMPLES: '10',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return {
    child,
    info: ready(child).then((r) => {
      child.stdout?.resume();
      return r;
    }),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

type View = { label: string; url: (i: number, ids: string[]) => string; cookie: 'kabid' | 'opd' };
const VIEWS: View[] = [
  { label: 'baseline: GET /api/auth/me', url: () => '/api/auth/me', cookie: 'kabid' },
  { label: 'case page (Kabid)', url: (i, ids) => `/api/cases/${ids[i % ids.length]}`, cookie: 'kabid' },
  { label: 'Kabid inbox', url: () => '/api/cases?view=inbox', cookie: 'kabid' },
  { label: 'Kabid menu counts', url: () => '/api/cases/counts', cookie: 'kabid' },
  { label: 'all (Semua)', url: () => '/api/cases?view=all', cookie: 'kabid' },
  { label: 'OPD own list', url: () => '/api/cases?view=all', cookie: 'opd' },
];

export async function sopEngineBench(opts: { cases?: number; samples?: number } = {}) {
  const cases = opts.cases ?? Number(process.env.BENCH_ENGINE_CASES ?? 20_000);
  const samples = opts.samples ?? Number(process.env.BENCH_ENGINE_SAMPLES ?? 1000);
  const checkout = baselineCheckout();
  const server = await startPostgres({ durable: true });
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE loket_before');
    await admin.query('CREATE DATABASE loket_after');
    await admin.end();
    const url = (db: string) => {
      const u = new URL(server.url);
      u.pathname = `/${db}`;
      return u.toString();
    };
    const before = startServer(checkout.dir, url('loket_before'), cases);
    const beforeInfo = await before.info;
    const after = startServer(root, url('loket_after'), cases);
    const afterInfo = await after.info;
    try {
      const sides = [
        { name: 'before', info: beforeInfo, ms: VIEWS.map(() => [] as number[]) },
        { name: 'after', info: afterInfo, ms: VIEWS.map(() => [] as number[]) },
      ];
      for (let i = 0; i < 10; i++) {
        for (const s of sides)
          for (const v of VIEWS) await timed(s.info.loket + v.url(i, s.info.ids), s.info[v.cookie]);
      }
      for (let i = 0; i < samples; i++) {
        for (const [k, v] of VIEWS.entries()) {
          // Alternate which side goes first, so neither always meets a warmer cache.
          const order = i % 2 ? [sides[1], sides[0]] : [sides[0], sides[1]];
          for (const s of order) {
            if (!s) continue;
            s.ms[k]?.push(await timed(s.info.loket + v.url(i, s.info.ids), s.info[v.cookie]));
          }
        }
      }
      const out: Record<string, { before: Latency; after: Latency; ratio: number }> = {};
      console.log(`SOP engine as data: before (${BASELINE_REF}) vs after, ${cases} cases on PostgreSQL:`);
      for (const [k, v] of VIEWS.entries()) {
        const b = latency(sides[0]?.ms[k] ?? []);
        const a = latency(sides[1]?.ms[k] ?? []);
        out[v.label] = { before: b, after: a, ratio: a.p50 / b.p50 };
        console.log(
          `  ${v.label.padEnd(28)} before p50 ${b.p50.toFixed(1)} ms, after p50 ${a.p50.toFixed(1)} ms (n=${a.n}) | after/before ×${(a.p50 / b.p50).toFixed(2)}`,
        );
      }
      return { baseline: BASELINE_REF, cases, samples, views: out };
    } finally {
      await after.stop();
      await before.stop();
    }
  } finally {
    await server.stop();
    checkout.remove();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await sopEngineBench();
  const out = path.join(root, 'bench', 'results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `sop-engine-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(r, null, 2));
  console.log(`Results written to ${path.relative(root, file)}`);
}
