// Start-up and memory, measured as a new user starts Loket: `npm start` (npm's own start and the
// web app's staleness check included) until GET /readyz answers 200, on an existing data directory (cold
// start) and on an empty one (first start: database created, migrated, first administrator). Each
// figure sits next to a bare PGlite process measured in the same run, in alternating rounds: Node
// opening the same data directory with PGlite's defaults and answering /readyz
// (bench/readyz-baseline.ts). Loket started directly (`node src/cli.ts start`) is measured too, so
// npm's share is visible.
//
// RSS is the server process's resident set (/proc/<pid>/status VmRSS) when /readyz first answers
// and again after SETTLE_MS idle (pg-boss's first maintenance, timers); `tree` adds npm and its
// shell, which stay resident while Loket runs. Peak is VmHWM. Medians with their sample count n.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..');
const node = process.execPath;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3000);

type Sample = { ms: number; rssMb: number; settledRssMb: number; peakMb: number; treeMb: number };
type Kind = 'baseline' | 'loketNode' | 'loketNpm';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function procStatus(pid: number): Record<string, number> {
  try {
    const out: Record<string, number> = {};
    for (const line of fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
      const m = /^(Vm\w+):\s+(\d+) kB/.exec(line);
      if (m) out[m[1] as string] = Number(m[2]) / 1024;
    }
    return out;
  } catch {
    return {};
  }
}

/** The process and all its descendants, from /proc. */
function tree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
    } catch {}
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

/** The Node process that serves HTTP: the deepest process of the tree whose command is node. */
function serverPid(pid: number): number {
  const pids = tree(pid);
  for (const p of pids.reverse()) {
    try {
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (/(launch|cli|readyz-baseline)\.ts/.test(cmd)) return p;
    } catch {}
  }
  return pid;
}

async function startOnce(kind: Kind, dataDir: string): Promise<Sample> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const env = {
    ...process.env,
    LOKET_DATA_DIR: dataDir,
    LOKET_ADMIN_PASSWORD: 'Bench-Loket-Kuat-2026',
    LOKET_LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  const [cmd, args] =
    kind === 'baseline'
      ? [node, [path.join(root, 'bench', 'readyz-baseline.ts')]]
      : kind === 'loketNode'
        ? [node, ['--liftoff-only', '--max-semi-space-size=2', path.join(root, 'src', 'launch.ts'), 'start']]
        : ['npm', ['start', '--silent']];
  const started = performance.now();
  const child: ChildProcess = spawn(cmd, args, { cwd: root, env, stdio: 'ignore', detached: true });
  try {
    let ms = 0;
    for (;;) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (r.status === 200) {
          ms = performance.now() - started;
          break;
        }
      } catch {}
      if (child.exitCode !== null) throw new Error(`${kind} exited with ${child.exitCode}`);
      if (performance.now() - started > 120_000) throw new Error(`${kind}: not ready after 120 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const pid = serverPid(child.pid as number);
    const rssMb = procStatus(pid).VmRSS ?? 0;
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const st = procStatus(pid);
    const treeMb = tree(child.pid as number).reduce((s, p) => s + (procStatus(p).VmRSS ?? 0), 0);
    return { ms, rssMb, settledRssMb: st.VmRSS ?? 0, peakMb: st.VmHWM ?? 0, treeMb };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    if (child.exitCode === null) process.kill(-(child.pid as number), 'SIGTERM');
    await exited;
    // npm may exit before its child; wait until nothing of the group holds the data directory.
    for (let i = 0; i < 200; i++) {
      try {
        process.kill(-(child.pid as number), 0);
        await new Promise((r) => setTimeout(r, 25));
      } catch {
        break;
      }
    }
  }
}

function summarise(samples: Sample[]) {
  const pick = (k: keyof Sample) => median(samples.map((s) => s[k]));
  return {
    n: samples.length,
    ms: pick('ms'),
    rssMb: pick('rssMb'),
    settledRssMb: pick('settledRssMb'),
    peakMb: pick('peakMb'),
    treeMb: pick('treeMb'),
    samples,
  };
}

export async function startupBench({ rounds, firstRounds }: { rounds: number; firstRounds: number }) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-startup-'));
  try {
    // First start: an empty data directory each time (the first round also builds web/dist if stale).
    const first: Record<Kind, Sample[]> = { baseline: [], loketNode: [], loketNpm: [] };
    for (let i = 0; i < firstRounds; i++) {
      for (const kind of ['baseline', 'loketNpm'] as const) {
        const dir = fs.mkdtempSync(path.join(work, 'first-'));
        first[kind].push(await startOnce(kind, dir));
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    // Cold start: one data directory, created and migrated by a first start that is not counted.
    const dataDir = path.join(work, 'data');
    await startOnce('loketNode', dataDir);
    const cold: Record<Kind, Sample[]> = { baseline: [], loketNode: [], loketNpm: [] };
    for (let i = 0; i < rounds; i++) {
      for (const kind of ['baseline', 'loketNpm', 'loketNode'] as const)
        cold[kind].push(await startOnce(kind, dataDir));
    }
    const result = {
      settleMs: SETTLE_MS,
      first: { baseline: summarise(first.baseline), loketNpm: summarise(first.loketNpm) },
      cold: {
        baseline: summarise(cold.baseline),
        loketNpm: summarise(cold.loketNpm),
        loketNode: summarise(cold.loketNode),
      },
    };
    const line = (label: string, l: ReturnType<typeof summarise>, b: ReturnType<typeof summarise>) =>
      console.log(
        `  ${label}: ${l.ms.toFixed(0)} ms to /readyz (n=${l.n}) = ${(l.ms / b.ms).toFixed(2)} × bare PGlite ` +
          `${b.ms.toFixed(0)} ms (n=${b.n}); RSS at ready ${l.rssMb.toFixed(0)} MB, after ${SETTLE_MS / 1000} s ` +
          `${l.settledRssMb.toFixed(0)} MB = ${(l.settledRssMb / b.settledRssMb).toFixed(2)} × bare ` +
          `${b.settledRssMb.toFixed(0)} MB; peak ${l.peakMb.toFixed(0)} MB; with npm ${l.treeMb.toFixed(0)} MB`,
      );
    line('cold start, npm start  ', result.cold.loketNpm, result.cold.baseline);
    line('cold start, node direct', result.cold.loketNode, result.cold.baseline);
    line('first start, npm start ', result.first.loketNpm, result.first.baseline);
    console.log(
      `  targets: cold start < 3000 ms (${result.cold.loketNpm.ms < 3000 ? 'met' : 'NOT met'}), ` +
        `RSS < 250 MB (${result.cold.loketNpm.settledRssMb < 250 ? 'met' : 'NOT met'})`,
    );
    return result;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const result = await startupBench({
    rounds: Number(process.env.BENCH_ROUNDS ?? 5),
    firstRounds: Number(process.env.BENCH_FIRST_ROUNDS ?? 3),
  });
  const out = path.join(root, 'bench', 'results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `startup-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(`Results written to ${path.relative(root, file)}`);
}
