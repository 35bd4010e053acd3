import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailJob } from './definitions.ts';
import { eventually, type JobsTestDb, jobsBackends, memoryLog, openJobsTestDb } from './jobs.test-support.ts';
import { type Jobs, startJobs } from './jobs.ts';

const fast = { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 };
const mail = (subject: string): EmailJob => ({ to: 'siti@dinkes.example.go.id', subject, text: 'Isi pesan' });

describe.each(jobsBackends)('pg-boss on %s', (backend) => {
  let t: JobsTestDb;
  let jobs: Jobs;
  const log = memoryLog();
  const handlers = new Map<string, (job: { data: EmailJob; retryCount: number }) => Promise<void>>();

  beforeAll(async () => {
    t = await openJobsTestDb(backend);
    jobs = await startJobs({ handle: t.handle, config: t.config, log });
    // One worker for the file; each test routes its own jobs by subject.
    await jobs.work(
      'email',
      async (job) => {
        const h = handlers.get(job.data.subject);
        if (h) await h(job);
      },
      fast,
    );
  });
  afterAll(async () => {
    await jobs?.stop();
    await t?.close();
  }, 60_000);

  it('creates the queues with the policy of definitions.ts', async () => {
    const q = await jobs.boss.getQueue('email');
    expect(q).toMatchObject({
      name: 'email',
      retryLimit: 8,
      retryDelay: 60,
      retryBackoff: true,
      notify: true,
    });
    expect(await jobs.boss.getQueue('overdue-sweep')).toMatchObject({ retryLimit: 0 });
  }, 60_000);

  it('a sent job reaches its worker with its data', async () => {
    const seen: EmailJob[] = [];
    handlers.set('kirim', async (job) => {
      seen.push(job.data);
    });
    const id = await jobs.send('email', mail('kirim'));
    expect(id).toEqual(expect.any(String));
    await eventually(async () => seen.length === 1);
    expect(seen[0]).toEqual(mail('kirim'));
    const done = await eventually(async () => {
      const [job] = await jobs.boss.findJobs('email', { id: id as string });
      return job?.state === 'completed' && job;
    });
    expect(done.retryCount).toBe(0);
  }, 60_000);

  it('retries a failing handler, then completes', async () => {
    const attempts: number[] = [];
    handlers.set('coba lagi', async (job) => {
      attempts.push(job.retryCount);
      if (attempts.length < 3) throw new Error(`server sibuk (${attempts.length})`);
    });
    const id = (await jobs.send('email', mail('coba lagi'), {
      retryLimit: 3,
      retryDelay: 0,
      retryBackoff: false,
    })) as string;
    const job = await eventually(async () => {
      const [j] = await jobs.boss.findJobs('email', { id });
      return j?.state === 'completed' && j;
    });
    expect(attempts).toEqual([0, 1, 2]);
    expect(job.retryCount).toBe(2);
    // Each failed attempt was logged with the job.
    const warned = log.lines.filter((l) => l.level === 'warn' && JSON.stringify(l.obj).includes(id));
    expect(warned).toHaveLength(2);
  }, 60_000);

  it('marks a job failed, with the error, once its retries are used up', async () => {
    let attempts = 0;
    handlers.set('selalu gagal', async () => {
      attempts += 1;
      throw new Error('alamat ditolak');
    });
    const id = (await jobs.send('email', mail('selalu gagal'), {
      retryLimit: 1,
      retryDelay: 0,
      retryBackoff: false,
    })) as string;
    const job = await eventually(async () => {
      const [j] = await jobs.boss.findJobs('email', { id });
      return j?.state === 'failed' && j;
    });
    expect(attempts).toBe(2);
    expect(job.output).toMatchObject({ message: 'alamat ditolak' });
  }, 60_000);

  it('with trx, a job exists only if the transaction commits', async () => {
    const db = t.handle.db;
    const committed = await db.transaction().execute((trx) => jobs.send('email', mail('jadi'), { trx }));
    await expect(
      db.transaction().execute(async (trx) => {
        await jobs.send('email', mail('batal'), { trx });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await jobs.boss.findJobs('email', { id: committed as string })).toHaveLength(1);
    expect(await jobs.boss.findJobs('email', { data: { subject: 'batal' } })).toEqual([]);
    // And the database is usable afterwards on both sides.
    expect(await jobs.send('email', mail('sesudahnya'))).toEqual(expect.any(String));
  }, 60_000);

  it('schedules and unschedules a recurring job', async () => {
    await jobs.schedule('overdue-sweep', '* * * * *');
    const [s] = await jobs.boss.getSchedules('overdue-sweep');
    expect(s).toMatchObject({ name: 'overdue-sweep', cron: '* * * * *' });
    await jobs.unschedule('overdue-sweep');
    expect(await jobs.boss.getSchedules('overdue-sweep')).toEqual([]);
  }, 60_000);

  it('stop() ends everything it started: a process that used the jobs exits by itself', async () => {
    // A separate Node process starts the jobs, round-trips one, stops, and must then exit on its
    // own (no process.exit): no timer, socket or pool is left behind.
    const jobsModule = path.join(import.meta.dirname, 'jobs.ts');
    const code = `
      import { PGlite } from '@electric-sql/pglite';
      import { startJobs } from ${JSON.stringify(jobsModule)};
      const url = process.env.JOBS_DATABASE_URL;
      const pglite = url ? undefined : await PGlite.create();
      const quiet = () => {};
      const log = { debug: quiet, info: quiet, warn: quiet, error: (o, m) => console.error(m, o) };
      const jobs = await startJobs({
        handle: pglite ? { kind: 'pglite', pglite } : { kind: 'postgres' },
        config: { databaseUrl: url },
        log,
      });
      const got = new Promise((resolve) =>
        jobs.work('email', async (job) => resolve(job.data.subject), { pollingIntervalSeconds: 0.5 }),
      );
      await jobs.send('email', { to: 'a@example.go.id', subject: 'pulang', text: '.' });
      console.log(await got);
      await jobs.stop();
      await pglite?.close();
    `;
    // Its own database, so this file's worker does not take the child's job.
    const own = backend === 'postgres' ? await openJobsTestDb('postgres') : undefined;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      cwd: path.join(import.meta.dirname, '..', '..'),
      env: { ...process.env, JOBS_DATABASE_URL: own?.config.databaseUrl ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      out += c;
    });
    const exit = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running 30 s later');
      }, 30_000);
      child.on('exit', (status) => {
        clearTimeout(timer);
        resolve(status ?? 'killed');
      });
    });
    await own?.close();
    expect({ exit, out: out.trim() }).toMatchObject({ exit: 0, out: expect.stringMatching(/^pulang$/m) });
  }, 60_000);
});
