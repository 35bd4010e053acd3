import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import { type ConstructorOptions, fromKysely, fromPglite, PgBoss, type SendOptions } from 'pg-boss';
import type { BaseLogger } from 'pino';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { JOB_NAMES, type JobData, type JobName, QUEUES } from './definitions.ts';

export type JobsLog = Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

/**
 * What the jobs need of the database handle: which kind it is and, for the embedded database, the
 * PGlite instance itself (pg-boss runs on it through an adapter). A PostgreSQL server is reached
 * with its own pool from `config.databaseUrl`.
 */
export type JobsDbHandle = { kind: 'pglite' | 'postgres'; pglite?: PGlite | undefined };

export type JobSendOptions = Omit<SendOptions, 'db'> & {
  /**
   * Enqueue inside this Kysely transaction: the job exists only if the transaction commits. On the
   * embedded database this is required whenever the caller is inside a transaction (PGlite has one
   * connection, and the transaction holds it).
   */
  trx?: Kysely<Database>;
};

export type JobContext<N extends JobName> = {
  id: string;
  name: N;
  data: JobData<N>;
  /** 0 on the first attempt, then 1, 2, … */
  retryCount: number;
  /** Aborted when the job expires or the queue stops. */
  signal: AbortSignal;
};

export type JobHandler<N extends JobName> = (job: JobContext<N>) => Promise<void>;

export type JobWorkOptions = {
  /** Idle poll, in seconds (≥ 0.5); default 2. Only used when LISTEN/NOTIFY is unavailable. */
  pollingIntervalSeconds?: number;
  /**
   * Poll while LISTEN/NOTIFY wakes the worker for new jobs, in seconds (≥ 0.5); default 30. Retries
   * are not notified, so this also bounds how late a retry starts after its delay.
   */
  notifyPollingIntervalSeconds?: number;
  /** Jobs of this queue handled at once by this process; default 1. */
  localConcurrency?: number;
};

export interface Jobs {
  /** Enqueues a job; pass `trx` to make it part of a transaction. Returns the job id. */
  send<N extends JobName>(name: N, data: JobData<N>, options?: JobSendOptions): Promise<string | null>;
  /**
   * Runs `handler` for each job of `name`. A handler that throws fails the attempt; pg-boss retries
   * it as the queue's policy (definitions.ts) says, then marks the job failed.
   */
  work<N extends JobName>(name: N, handler: JobHandler<N>, options?: JobWorkOptions): Promise<string>;
  /** Sends `name` on a cron schedule (e.g. `* * * * *`), once across all instances. */
  schedule<N extends JobName>(
    name: N,
    cron: string,
    data?: JobData<N>,
    options?: { tz?: string; key?: string },
  ): Promise<void>;
  unschedule(name: JobName, key?: string): Promise<void>;
  /** Stops polling, waits for running handlers (up to 10 s), closes pg-boss's own pool. */
  stop(): Promise<void>;
  /** The pg-boss instance, for inspection (findJobs, getQueue) in tests and operations. */
  readonly boss: PgBoss;
}

/**
 * Starts pg-boss on Loket's own database: on the embedded PGlite through pg-boss's PGlite adapter,
 * on a PostgreSQL server with its own small pool. pg-boss installs or migrates its schema
 * (`pgboss`), the queues of definitions.ts are created or brought up to date, and jobs can be sent.
 * Workers start with `work()`.
 */
export async function startJobs({
  handle,
  config,
  log,
}: {
  handle: JobsDbHandle;
  config: Pick<Config, 'databaseUrl'>;
  log: JobsLog;
}): Promise<Jobs> {
  const common: ConstructorOptions = {
    schema: 'pgboss',
    // New jobs wake workers at once (NOTIFY at commit); polling stays as the safety net.
    useListenNotify: true,
  };
  let options: ConstructorOptions;
  if (handle.kind === 'pglite') {
    if (!handle.pglite) throw new Error('startJobs: the PGlite database handle does not expose its instance');
    // pg-boss's own adapter: parameterised statements through pglite.query(), its multi-statement
    // SQL through pglite.exec() with the rows of every statement kept, and a ROLLBACK after a failed
    // statement so one error never leaves the single connection inside an aborted transaction.
    // Both calls wait for PGlite's transaction lock, so they never run inside a Kysely transaction.
    options = { ...common, db: fromPglite(handle.pglite), backend: 'pglite' };
  } else {
    if (!config.databaseUrl) throw new Error('startJobs: DATABASE_URL is required on PostgreSQL');
    options = { ...common, connectionString: config.databaseUrl, max: 4, application_name: 'loket-jobs' };
  }

  const boss = new PgBoss(options);
  // pg-boss is an EventEmitter: an 'error' without a listener would crash the process.
  // Logged without the pg client pg-boss attaches to connection errors (hundreds of lines each).
  boss.on('error', (err) => {
    const { message, code } = err as Error & { code?: string };
    log.error({ err: { type: err.name, message, code } }, 'job queue error');
  });
  boss.on('warning', (warning) => log.warn({ warning }, 'job queue warning'));
  await boss.start();
  try {
    for (const name of JOB_NAMES) {
      const q = { ...QUEUES[name], notify: true };
      await boss.createQueue(name, q);
      // createQueue leaves an existing queue as it is; the policy in definitions.ts wins.
      const { retryDelayMax: _max, heartbeatSeconds: _hb, ...updatable } = q;
      await boss.updateQueue(name, {
        ...updatable,
        retryDelayMax: q.retryDelayMax ?? null,
        heartbeatSeconds: q.heartbeatSeconds ?? null,
      });
    }
  } catch (err) {
    await boss.stop({ graceful: false }).catch(() => {});
    throw err;
  }
  log.debug({ backend: handle.kind }, 'job queue started');

  return {
    boss,
    async send(name, data, sendOptions = {}) {
      const { trx, ...rest } = sendOptions;
      return boss.send(name, data, trx ? { ...rest, db: fromKysely(trx) } : rest);
    },
    async work(name, handler, workOptions = {}) {
      return boss.work<JobData<typeof name>>(name, { ...workOptions, batchSize: 1 }, async (batch) => {
        for (const job of batch) {
          try {
            await handler({
              id: job.id,
              name,
              data: job.data,
              retryCount: job.retryCount,
              signal: job.signal,
            });
          } catch (err) {
            log.warn({ err, job: { id: job.id, name, attempt: job.retryCount + 1 } }, 'job attempt failed');
            throw err;
          }
        }
      });
    },
    async schedule(name, cron, data, scheduleOptions = {}) {
      await boss.schedule(name, cron, data ?? {}, scheduleOptions);
    },
    async unschedule(name, key) {
      await boss.unschedule(name, key);
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000 });
      log.debug('job queue stopped');
    },
  };
}
