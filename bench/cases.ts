// Cases at scale on PostgreSQL: 100,000 cases and 1,000,000 step records (plus 1,000,000 history
// events). GET /api/cases (a Kabid's inbox, first page) and GET /api/cases/:id at 20 concurrent
// clients, next to bare routes running the same repository queries (no auth, no presenting).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';
import { startPostgres } from '../test/servers/postgres.ts';

const root = path.join(import.meta.dirname, '..');

function firstJsonLine(child: ChildProcess, key: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.on('line', (l) => {
      if (l.startsWith(`{"${key}"`)) resolve(JSON.parse(l));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function load(url: string | string[], cookie: string, seconds: number, connections: number) {
  const urls = Array.isArray(url) ? url : [url];
  let i = 0;
  const first = new URL(urls[0] as string);
  const r = await autocannon({
    url: first.origin,
    connections,
    duration: seconds,
    headers: { cookie },
    requests: [
      {
        setupRequest: (req) => {
          const u = new URL(urls[i++ % urls.length] as string);
          return { ...req, path: u.pathname + u.search };
        },
      },
    ],
  });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${first}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

export async function casesBench(opts: {
  cases: number;
  seconds: number;
  connections: number;
  rounds: number;
}) {
  const server = await startPostgres();
  const base = new URL(server.url);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('CREATE DATABASE loket_bench');
  await admin.end();
  base.pathname = '/loket_bench';
  const url = base.toString();
  const child = spawn(process.execPath, [path.join(root, 'bench', 'cases-server.ts')], {
    env: { ...process.env, DATABASE_URL: url, LOKET_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const info = await firstJsonLine(child, 'ready');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const started = performance.now();
    const sql = fs
      .readFileSync(path.join(root, 'bench', 'generate-cases.sql'), 'utf8')
      .replaceAll(':cases', String(opts.cases));
    await client.query(sql);
    // As autovacuum would have by now: visibility map set, so counts read the index only.
    await client.query('VACUUM ANALYZE cases');
    const counts = await client.query(
      'SELECT (SELECT count(*) FROM cases) c, (SELECT count(*) FROM case_steps) s, (SELECT count(*) FROM case_events) e',
    );
    const ids = (
      await client.query("SELECT id FROM cases WHERE ref LIKE 'BENCH-%' ORDER BY random() LIMIT 500")
    ).rows.map((r) => r.id as string);
    await client.end();
    const row = counts.rows[0] as { c: string; s: string; e: string };
    console.log(
      `  generated ${row.c} cases, ${row.s} step records, ${row.e} events in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    child.stdout?.resume();
    const cookie = info.cookie as string;
    const loket = info.loket as string;
    const bare = info.bare as string;
    const inbox = `${loket}/api/cases?view=inbox`;
    const bareInbox = `${bare}/inbox`;
    const detail = ids.map((id) => `${loket}/api/cases/${id}`);
    const bareDetail = ids.map((id) => `${bare}/detail/${id}`);
    await load(inbox, cookie, 2, opts.connections);
    await load(detail, cookie, 2, opts.connections);
    const out: Record<string, unknown> = {};
    for (const [label, l, b] of [
      ['GET /api/cases (Kabid inbox, page 1)', inbox, bareInbox],
      ['GET /api/cases/:id', detail, bareDetail],
    ] as const) {
      const rounds = [];
      for (let i = 0; i < opts.rounds; i++) {
        const bb = await load(b as string | string[], cookie, opts.seconds, opts.connections);
        const ll = await load(l as string | string[], cookie, opts.seconds, opts.connections);
        rounds.push({ bare: bb, loket: ll });
        console.log(
          `  ${label} round ${i + 1}: Loket ${ll.rps.toFixed(0)} req/s p50 ${ll.p50} ms p99 ${ll.p99} ms | ` +
            `same queries bare ${bb.rps.toFixed(0)} req/s p99 ${bb.p99} ms | ratio ${(ll.rps / bb.rps).toFixed(2)}`,
        );
      }
      out[label] = rounds;
    }
    return { generated: row, results: out };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await server.stop();
  }
}
