// Server side of the case-list benchmark (bench/cases.ts): Loket on DATABASE_URL (or on PGlite in a
// temporary data directory when it is unset), BENCH_CASES cases generated into it by
// bench/generate-cases.sql, then
//   - step changes timed one at a time: the inbox trigger (UPDATE of roles_waiting, which rewrites
//     the case's `case_waiting` rows) next to an UPDATE of another column of the same cases;
//   - a Kabid and an OPD operator signed in.
// It prints one JSON line `{"ready": …}` with the URLs, cookies and figures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { hashPassword } from '../src/auth/password.ts';
import { startLoket } from '../src/main.ts';

const cases = Number(process.env.BENCH_CASES ?? 100_000);
const history = Number(process.env.BENCH_CASES_HISTORY ?? 2);
const stepSamples = Number(process.env.BENCH_STEP_SAMPLES ?? 1000);

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

// ---- data -------------------------------------------------------------------------------------
const generateStarted = performance.now();
const script = fs
  .readFileSync(path.join(import.meta.dirname, 'generate-cases.sql'), 'utf8')
  .replace(/^--.*$/gm, '')
  .replaceAll(':cases', String(cases))
  .replaceAll(':history', String(history));
for (const statement of script.split(/;\s*$/m)) {
  if (statement.trim()) await sql.raw(statement).execute(db);
}
const generateSeconds = (performance.now() - generateStarted) / 1000;
const counts = await sql<{ c: string; w: string; s: string }>`
  SELECT (SELECT count(*) FROM cases) c, (SELECT count(*) FROM case_waiting) w,
         (SELECT count(*) FROM case_steps) s`.execute(db);

// ---- step changes: the inbox trigger vs an update of another column ---------------------------
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
};
const open = (
  await sql<{ id: string }>`
    SELECT id FROM cases WHERE roles_waiting <> '{}' ORDER BY md5(id::text) LIMIT ${stepSamples}`.execute(db)
).rows.map((r) => r.id);
const timeEach = async (each: (id: string, i: number) => Promise<unknown>) => {
  const ms: number[] = [];
  for (const [i, id] of open.entries()) {
    const t = performance.now();
    await each(id, i);
    ms.push(performance.now() - t);
  }
  return { n: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99) };
};
// Each statement commits on its own, as an action's transaction would.
const plainUpdate = await timeEach((id) =>
  sql`UPDATE cases SET version = version + 1 WHERE id = ${id}`.execute(db),
);
const waitingUpdate = await timeEach((id, i) =>
  sql`UPDATE cases SET roles_waiting = ${i % 2 ? ['kabid', 'subkoor'] : ['kabid', 'staf']}::text[] WHERE id = ${id}`.execute(
    db,
  ),
);

// ---- people ------------------------------------------------------------------------------------
const password = 'Bench-Orang-Kuat-2026';
const hash = await hashPassword(password);
const opd = await db.selectFrom('opds').select('id').where('code', '=', 'BENCH1').executeTakeFirstOrThrow();
await db
  .insertInto('users')
  .values([
    { username: 'kabid.bench', full_name: 'Kabid Bench', roles: ['kabid'], password_hash: hash },
    { username: 'opd.bench', full_name: 'OPD Bench', roles: ['opd'], opd_id: opd.id, password_hash: hash },
  ])
  .execute();
const signIn = async (username: string) => {
  const res = await fetch(`${loket.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${username}: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
};
const ids = (
  await sql<{ id: string }>`SELECT id FROM cases ORDER BY md5(id::text || 'x') LIMIT 500`.execute(db)
).rows.map((r) => r.id);
const settings =
  loket.handle.kind === 'postgres'
    ? (
        await sql<{ fsync: string; synchronous_commit: string; full_page_writes: string }>`
          SELECT current_setting('fsync') fsync, current_setting('synchronous_commit') synchronous_commit,
                 current_setting('full_page_writes') full_page_writes`.execute(db)
      ).rows[0]
    : null;

process.stdout.write(
  `${JSON.stringify({
    ready: true,
    loket: loket.url,
    kind: loket.handle.kind,
    settings,
    kabid: await signIn('kabid.bench'),
    opd: await signIn('opd.bench'),
    ids,
    generated: { ...counts.rows[0], seconds: generateSeconds },
    stepChange: { plainUpdate, waitingUpdate, openCases: open.length },
  })}\n`,
);

const stop = async () => {
  await loket.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
