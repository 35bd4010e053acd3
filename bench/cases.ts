// Case lists at scale (issue 10, section 6). For each tier (BENCH_CASES_TIERS, default 100000; add
// 1000000 for the million-case tier, which takes many minutes):
//
//   PostgreSQL (a throw-away server with its default durability: fsync, synchronous_commit and
//   full_page_writes on) — every list view the web offers, one request at a time, round-robin over
//   the views so that noise falls on all alike, BENCH_CASES_SAMPLES rounds (default 1000; a tier
//   stops early after BENCH_CASES_MAX_SECONDS, and every percentile says over how many samples it
//   was taken). Baselines in the same run: GET /healthz (no database) and GET /api/auth/me (the
//   whole stack and one indexed query); each view's p50 is also given as a ratio to /api/auth/me's.
//   Plus step changes one at a time (the inbox trigger vs an update of another column) and the
//   server's RSS after loading and after the lists.
//
//   PGlite (BENCH_CASES_PGLITE, default 100000 cases; 0 skips it) — the embedded database serves one
//   query at a time, so a slow list stalls everyone: GET /api/auth/me alone, then while another
//   client loads "Semua" without pause.
//
// Standalone: `npx node bench/cases.ts`.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPostgres } from '../test/servers/postgres.ts';

const root = path.join(import.meta.dirname, '..');

type Ready = {
  loket: string;
  kind: string;
  settings: Record<string, string> | null;
  kabid: string;
  opd: string;
  ids: string[];
  generated: Record<string, string | number>;
  stepChange: Record<string, unknown>;
};

export type Latency = { n: number; p50: number; p99: number; max: number };

function firstJsonLine(child: ChildProcess): Promise<Ready> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.on('line', (l) => {
      if (l.startsWith('{"ready"')) resolve(JSON.parse(l));
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function latency(ms: number[]): Latency {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? 0 };
}

const fmt = (l: Latency) =>
  `p50 ${l.p50.toFixed(1)} ms (n=${l.n}), p99 ${l.p99.toFixed(1)} ms (n=${l.n})` +
  (l.n < 1000 ? ' — fewer than 1,000 samples: p99 is indicative only' : '');

/** The server's resident set (VmRSS) and its peak (VmHWM), in MB, from /proc. */
function rss(pid: number | undefined): { rssMb: number; peakMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

async function timed(url: string, cookie: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  await res.arrayBuffer();
  const ms = performance.now() - t;
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return ms;
}

async function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(root, 'bench', 'cases-server.ts')], {
    env: { ...process.env, LOKET_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await firstJsonLine(child);
  child.stdout?.resume(); // Loket's access log goes to the pipe and is dropped, as in production to a file.
  return {
    child,
    info,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

type View = { label: string; url: (i: number) => string; cookie: 'kabid' | 'opd' };

function views(cases: number, ids: string[]): View[] {
  const n = (i: number) => 1 + ((i * 7919) % cases);
  return [
    { label: 'baseline: GET /healthz', url: () => '/healthz', cookie: 'kabid' },
    { label: 'baseline: GET /api/auth/me', url: () => '/api/auth/me', cookie: 'kabid' },
    { label: 'Kabid inbox', url: () => '/api/cases?view=inbox', cookie: 'kabid' },
    { label: 'Kabid menu counts', url: () => '/api/cases/counts', cookie: 'kabid' },
    { label: 'overdue (Terlambat)', url: () => '/api/cases?view=overdue', cookie: 'kabid' },
    { label: 'all (Semua)', url: () => '/api/cases?view=all', cookie: 'kabid' },
    { label: 'all, page 40', url: () => '/api/cases?view=all&page=40', cookie: 'kabid' },
    { label: 'all, status=rejected', url: () => '/api/cases?view=all&status=rejected', cookie: 'kabid' },
    { label: 'all, step=pengkajian', url: () => '/api/cases?view=all&step=pengkajian', cookie: 'kabid' },
    {
      label: 'search, a case number (~1-111 hits)',
      url: (i) => `/api/cases?view=all&q=${encodeURIComponent(`nomor ${n(i)}`)}`,
      cookie: 'kabid',
    },
    {
      label: 'search, a reference (1 hit)',
      url: (i) => `/api/cases?view=all&q=BENCH-${String(n(i)).padStart(7, '0')}`,
      cookie: 'kabid',
    },
    { label: 'search, a word in every case', url: () => '/api/cases?view=all&q=website', cookie: 'kabid' },
    { label: 'search, no match', url: () => '/api/cases?view=all&q=tidak-ada-sama-sekali', cookie: 'kabid' },
    { label: 'OPD own list (Semua)', url: () => '/api/cases?view=all', cookie: 'opd' },
    { label: 'OPD inbox', url: () => '/api/cases?view=inbox', cookie: 'opd' },
    { label: 'case page', url: (i) => `/api/cases/${ids[i % ids.length]}`, cookie: 'kabid' },
  ];
}

async function postgresTier(cases: number, samples: number, maxSeconds: number) {
  const server = await startPostgres({ durable: true });
  const base = new URL(server.url);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('CREATE DATABASE loket_bench');
  await admin.end();
  base.pathname = '/loket_bench';
  try {
    const history = cases >= 1_000_000 ? 1 : 2;
    const s = await startServer({
      DATABASE_URL: base.toString(),
      BENCH_CASES: String(cases),
      BENCH_CASES_HISTORY: String(history),
    });
    try {
      const { info } = s;
      console.log(
        `  PostgreSQL ${JSON.stringify(info.settings)}: generated ${info.generated.c} cases ` +
          `(${info.generated.w} inbox rows, ${info.generated.s} step records) in ${Number(info.generated.seconds).toFixed(1)} s`,
      );
      const sc = info.stepChange as { plainUpdate: Latency; waitingUpdate: Latency; openCases: number };
      console.log(
        `  step change, one at a time over ${sc.openCases} open cases: roles_waiting (inbox trigger) ` +
          `${fmt(sc.waitingUpdate)} | another column ${fmt(sc.plainUpdate)} | p50 ratio ` +
          `${(sc.waitingUpdate.p50 / sc.plainUpdate.p50).toFixed(2)}`,
      );
      const rssLoaded = rss(s.child.pid);
      const vs = views(cases, info.ids);
      const ms: number[][] = vs.map(() => []);
      // Warm-up: each view a few times, discarded.
      for (let i = 0; i < 5; i++) {
        for (const v of vs) await timed(info.loket + v.url(i), info[v.cookie]);
      }
      const started = performance.now();
      let rounds = 0;
      while (rounds < samples && performance.now() - started < maxSeconds * 1000) {
        for (const [k, v] of vs.entries()) {
          ms[k]?.push(await timed(info.loket + v.url(rounds), info[v.cookie]));
        }
        rounds++;
      }
      const me = latency(ms[1] ?? []);
      const out: Record<string, Latency & { ratioToMe: number }> = {};
      for (const [k, v] of vs.entries()) {
        const l = latency(ms[k] ?? []);
        out[v.label] = { ...l, ratioToMe: l.p50 / me.p50 };
        console.log(`  ${v.label.padEnd(38)} ${fmt(l)} | ×${(l.p50 / me.p50).toFixed(1)} /api/auth/me`);
      }
      const rssAfter = rss(s.child.pid);
      console.log(
        `  Loket RSS: ${rssLoaded?.rssMb} MB after loading, ${rssAfter?.rssMb} MB after the lists (peak ${rssAfter?.peakMb} MB); ` +
          `${rounds} rounds in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
      return {
        cases,
        settings: info.settings,
        generated: info.generated,
        stepChange: info.stepChange,
        views: out,
        rss: { loaded: rssLoaded, after: rssAfter },
      };
    } finally {
      await s.stop();
    }
  } finally {
    await server.stop();
  }
}

async function pgliteStall(cases: number, samples: number) {
  const s = await startServer({ BENCH_CASES: String(cases), BENCH_CASES_HISTORY: '1' });
  try {
    const { info } = s;
    console.log(
      `  PGlite: generated ${info.generated.c} cases in ${Number(info.generated.seconds).toFixed(1)} s`,
    );
    const me = `${info.loket}/api/auth/me`;
    const all = `${info.loket}/api/cases?view=all`;
    for (let i = 0; i < 20; i++) await timed(me, info.kabid);
    const alone: number[] = [];
    for (let i = 0; i < samples; i++) alone.push(await timed(me, info.kabid));
    let loading = true;
    const semua: number[] = [];
    const loader = (async () => {
      while (loading) semua.push(await timed(all, info.kabid));
    })();
    const during: number[] = [];
    for (let i = 0; i < samples; i++) during.push(await timed(me, info.kabid));
    loading = false;
    await loader;
    const r = {
      alone: latency(alone),
      whileSemua: latency(during),
      semua: latency(semua),
      rss: rss(s.child.pid),
    };
    console.log(`  GET /api/auth/me alone:                    ${fmt(r.alone)}`);
    console.log(`  GET /api/auth/me while "Semua" loads:      ${fmt(r.whileSemua)}`);
    console.log(`  "Semua" itself, meanwhile:                 ${fmt(r.semua)}`);
    console.log(
      `  p50 ratio while/alone: ${(r.whileSemua.p50 / r.alone.p50).toFixed(1)}; RSS ${r.rss?.rssMb} MB`,
    );
    return r;
  } finally {
    await s.stop();
  }
}

export async function caseListsBench(
  opts: {
    tiers?: number[];
    samples?: number;
    maxSeconds?: number;
    pgliteCases?: number;
    postgres?: boolean;
  } = {},
) {
  const tiers = opts.tiers ?? (process.env.BENCH_CASES_TIERS ?? '100000').split(',').map(Number);
  const samples = opts.samples ?? Number(process.env.BENCH_CASES_SAMPLES ?? 1000);
  const maxSeconds = opts.maxSeconds ?? Number(process.env.BENCH_CASES_MAX_SECONDS ?? 900);
  const pgliteCases = opts.pgliteCases ?? Number(process.env.BENCH_CASES_PGLITE ?? 100_000);
  const results: Record<string, unknown> = {};
  if (opts.postgres !== false) {
    for (const cases of tiers) {
      console.log(`Case lists on PostgreSQL, ${cases} cases, one request at a time:`);
      results[`postgres-${cases}`] = await postgresTier(cases, samples, maxSeconds);
    }
  }
  if (pgliteCases > 0) {
    console.log(`Case lists on PGlite, ${pgliteCases} cases: does a slow list stall other users?`);
    results[`pglite-${pgliteCases}`] = await pgliteStall(pgliteCases, samples);
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await caseListsBench();
  const out = path.join(root, 'bench', 'results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `cases-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(r, null, 2));
  console.log(`Results written to ${path.relative(root, file)}`);
}
