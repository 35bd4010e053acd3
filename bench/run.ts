// `npm run bench`: Loket's figures next to baselines measured in the same run, reported as
// ratios (this machine is shared and noisy; absolute numbers alone mean little).
//
// 1. GET /api/auth/me with a valid session vs a bare Fastify route doing the same single indexed
//    query on the same database — on PGlite (embedded) and, when its binaries exist, on a
//    PostgreSQL server started for the run. Rounds alternate bare/Loket; the ratio is per round.
// 2. Start-up and memory (bench/startup.ts): `npm start` until /readyz answers 200 on an existing
//    data directory (cold) and an empty one (first start), with the server's RSS, next to a bare
//    PGlite process opening the same directory in the same run; medians with their sample count.
// 4. Official PDFs (bench/documents.ts): the disposition sheet and the SOP sheet, p50/p99 over
//    100 renders, next to a one-line pdfkit document.
// 3. Case lists at scale (bench/cases.ts): every list view, the menu counts and a case page, one
//    request at a time over >= 1,000 samples, at 100,000 cases (BENCH_CASES_TIERS=100000,1000000
//    adds the million-case tier, which takes many minutes) on a PostgreSQL server with its default
//    durability, as ratios to GET /api/auth/me in the same run; step changes (the inbox trigger);
//    and on PGlite, /api/auth/me while another client loads "Semua" (BENCH_CASES_PGLITE=0 skips it).
// 5. Registry at scale (bench/registry.ts): the website list with a text filter over 50,000
//    websites and allocating the next free address in a /16 with 40,000 taken, on PostgreSQL, next
//    to bare routes (the same list query; one INSERT of a precomputed address). Target p99 < 50 ms.
// 7. The SOP engine as data (bench/sop-engine.ts): the case page and the inboxes of Loket before
//    the SOPs became data (BENCH_BASELINE_REF, a temporary git worktree) and of this checkout, side
//    by side on one PostgreSQL server, requests alternating; p50 ratios after/before (target ≤ 1.2).
// 6. Provisioning (bench/provision.ts) on real BIND, Apache, MariaDB and pebble on loopback: the
//    POST that applies an install until the site answers over HTTPS by its name, for single sites
//    and 20 in a row, with each step's share, next to the raw operations done without Loket (DNS
//    update, apache2 -t + graceful, CREATE DATABASE, a pebble certificate). Target < 10 s for one
//    site. Skipped when the Debian packages are missing (or BENCH_SKIP_PROVISION=1).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { findPostgresBin, startPostgres } from '../test/servers/postgres.ts';
import { caseListsBench } from './cases.ts';
import { documentsBench } from './documents.ts';
import { provisionBench } from './provision.ts';
import { registryBench } from './registry.ts';
import { sopEngineBench } from './sop-engine.ts';
import { startupBench } from './startup.ts';

const root = path.join(import.meta.dirname, '..');
const node = process.execPath;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.on('line', (l) => {
      if (l.startsWith('{"loket"')) resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function load(url: string, cookie: string) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: { cookie } });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

async function authBench(label: string, env: Record<string, string>) {
  const child = spawn(
    node,
    ['--liftoff-only', '--max-semi-space-size=2', path.join(root, 'bench', 'server.ts')],
    {
      env: { ...process.env, LOKET_LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const info = JSON.parse(await firstLine(child)) as { loket: string; bare: string; cookie: string };
    child.stdout?.resume(); // Loket's access log goes to the pipe and is dropped, as in production to a file.
    await load(`${info.loket}/api/auth/me`, info.cookie); // warm-up, discarded
    await load(`${info.bare}/me`, info.cookie);
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) {
      const bare = await load(`${info.bare}/me`, info.cookie);
      const loket = await load(`${info.loket}/api/auth/me`, info.cookie);
      rounds.push({ bare, loket, ratio: loket.rps / bare.rps });
      console.log(
        `  ${label} round ${i + 1}: bare ${bare.rps.toFixed(0)} req/s (p50 ${bare.p50} ms, p99 ${bare.p99} ms) | ` +
          `Loket ${loket.rps.toFixed(0)} req/s (p50 ${loket.p50} ms, p99 ${loket.p99} ms) | ratio ${(loket.rps / bare.rps).toFixed(2)}`,
      );
    }
    const summary = {
      ratioMedian: median(rounds.map((r) => r.ratio)),
      loketRps: median(rounds.map((r) => r.loket.rps)),
      bareRps: median(rounds.map((r) => r.bare.rps)),
      loketP50: median(rounds.map((r) => r.loket.p50)),
      loketP99: median(rounds.map((r) => r.loket.p99)),
      bareP50: median(rounds.map((r) => r.bare.p50)),
      bareP99: median(rounds.map((r) => r.bare.p99)),
      rounds,
    };
    console.log(
      `  ${label}: Loket/bare throughput ratio ${summary.ratioMedian.toFixed(2)} (target ≥ 0.5); ` +
        `Loket p50 ${summary.loketP50} ms, p99 ${summary.loketP99} ms`,
    );
    return summary;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

console.log(
  `Loket benchmark — ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections, Node ${process.version}`,
);
console.log('GET /api/auth/me vs bare route (same query, same database):');
results.authPglite = await authBench('PGlite', {});
if (findPostgresBin() && process.env.BENCH_SKIP_PG !== '1') {
  const pg = await startPostgres();
  try {
    results.authPostgres = await authBench('PostgreSQL', { DATABASE_URL: pg.url });
  } finally {
    await pg.stop();
  }
} else {
  console.log('  PostgreSQL: skipped (no server binaries)');
}
if (findPostgresBin() && process.env.BENCH_SKIP_PG !== '1') {
  results.cases = await caseListsBench();
  const websites = Number(process.env.BENCH_WEBSITES ?? 50_000);
  console.log(`Registry at scale on PostgreSQL (${websites} websites, /16 pool, 20 concurrent clients):`);
  results.registry = await registryBench({ websites, seconds: SECONDS, connections: 20, rounds: ROUNDS });
  if (process.env.BENCH_SKIP_ENGINE !== '1') results.sopEngine = await sopEngineBench();
}
results.documents = await documentsBench();
if (process.env.BENCH_SKIP_PROVISION !== '1') {
  const singles = Number(process.env.BENCH_PROVISION_SINGLES ?? 5);
  const series = Number(process.env.BENCH_PROVISION_SERIES ?? 20);
  console.log(`Provisioning on the local test servers (${singles} single sites, then ${series} in a row):`);
  results.provision = await provisionBench({ singles, series });
}
console.log('Start-up and memory (npm start vs bare PGlite, same run):');
results.startup = await startupBench({
  rounds: Number(process.env.BENCH_START_ROUNDS ?? 5),
  firstRounds: Number(process.env.BENCH_FIRST_ROUNDS ?? 3),
});

const out = path.join(root, 'bench', 'results');
fs.mkdirSync(out, { recursive: true });
const file = path.join(out, `bench-${Date.now()}.json`);
fs.writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`Results written to ${path.relative(root, file)}`);
