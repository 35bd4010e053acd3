import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { deleteOldFailures } from './auth/login-failure.repository.ts';
import { deleteDeadSessions } from './auth/session.repository.ts';
import { ensureFirstAdmin, firstAdminNotice } from './bootstrap.ts';
import { makeCaseDeps } from './cases/make-case-deps.ts';
import { sweepOverdue } from './cases/overdue-sweep.ts';
import { type Config, loadConfig } from './config.ts';
import { createDb, type DbHandle } from './db/create-db.ts';
import { migrateToLatest } from './db/migrate.ts';
import { deleteExpiredKeys } from './idempotency/idempotency.repository.ts';
import { IDEMPOTENCY_KEY_TTL_MS } from './idempotency/idempotency.ts';
import { type Jobs, startJobs } from './jobs/jobs.ts';
import { workEmailJobs } from './notifications/email-job.ts';
import { createMailer } from './notifications/mailer.ts';
import { makeProvisioningDeps } from './provisioning/provisioning-deps.ts';
import { processRun, resumeStaleRuns } from './provisioning/runs.ts';
import { purgeExpiredHolds } from './registry/quarantine.ts';
import { makeRegistryDeps } from './registry/registry-deps.ts';
import { buildApp } from './server/app.ts';
import { LocalFileStore } from './storage/file-store.ts';
import { sweepOrphanFiles } from './storage/orphan-sweep.ts';
import { storageSettings } from './storage/settings.ts';
import { sweepStaleUploads } from './storage/upload.ts';

/** A temp upload not written to for this long belongs to no live request. */
const STALE_UPLOAD_MS = 15 * 60_000;

export type RunningLoket = {
  url: string;
  app: FastifyInstance;
  handle: DbHandle;
  config: Config;
  close(): Promise<void>;
};

/**
 * Starts the whole product: config, database (migrated), first administrator, HTTP server and the
 * housekeeping timer. `env` is normally `process.env`; tests pass their own.
 */
export async function startLoket(options: {
  env: Record<string, string | undefined>;
  print?: (line: string) => void;
  /** The app's clock (default: the real one); the browser tests start it at a fixed instant. */
  now?: () => Date;
}): Promise<RunningLoket> {
  const config = loadConfig(options.env);
  const now = options.now ?? (() => new Date());
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const handle = await createDb(config);
  let jobs: Jobs | undefined;
  let closeMailer: (() => void) | undefined;
  try {
    await migrateToLatest(handle.db);
    const first = await ensureFirstAdmin(handle.db, config.admin, config.passwordPolicy);
    if (first.generatedPassword) {
      for (const line of firstAdminNotice(config.admin.username, first.generatedPassword)) print(line);
    }
    // Read (or create) the key for stored secrets now: a broken key stops the start, not a request.
    makeRegistryDeps(config);
    const settings = storageSettings(config);
    const log = pino({ level: config.logLevel, base: { component: 'jobs' } });
    // Temp uploads of a killed process: on the embedded database this process is the data
    // directory's only user, so every one is dead; instances sharing a directory keep fresh ones.
    const staleUploadMs = handle.kind === 'pglite' ? 0 : STALE_UPLOAD_MS;
    await sweepStaleUploads(settings.tmpDir, { olderThanMs: staleUploadMs }).catch(() => {});
    const fileStore = new LocalFileStore(settings.filesDir);
    const sweepFiles = () =>
      sweepOrphanFiles(handle.db, fileStore).then((keys) => {
        if (keys.length > 0) log.info({ files: keys.length }, 'orphaned stored files removed');
      });
    jobs = await startJobs({ handle, config, log });
    const mailer = createMailer(config.mail, log);
    closeMailer = () => mailer.close();
    await workEmailJobs(jobs, mailer, {
      db: handle.db,
      publicUrl: config.mail.publicUrl,
      from: config.mail.from,
      log,
    });
    const started = jobs;
    await jobs.work('overdue-sweep', async () => {
      const deps = await makeCaseDeps(handle.db, config, new LocalFileStore(settings.filesDir), started, now);
      const n = await sweepOverdue(handle.db, deps);
      if (n > 0) log.info({ steps: n }, 'overdue steps flagged');
    });
    await jobs.schedule('overdue-sweep', '* * * * *', {});
    // Provisioning runs: one job per run; a run whose worker died is resumed once its lease lapses.
    const provisioning = makeProvisioningDeps(config, started, now);
    await jobs.work('provision', async (job) => processRun(handle.db, job.data.runId, provisioning), {
      localConcurrency: 2,
    });
    const resume = () =>
      resumeStaleRuns(handle.db, provisioning)
        .then((ids) => {
          if (ids.length > 0) log.info({ runs: ids }, 'provisioning runs resumed');
        })
        .catch((err) => log.warn({ err }, 'resuming provisioning runs failed'));
    await resume();
    const resumeTimer = setInterval(resume, Math.max(5, config.provisioning.leaseSeconds) * 1000);
    resumeTimer.unref();
    const app = await buildApp({ config, db: handle.db, jobs, now });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;

    const sweep = setInterval(() => {
      Promise.all([
        deleteDeadSessions(handle.db, config.session.idleMinutes),
        deleteOldFailures(handle.db, config.loginThrottle.windowMinutes * 2),
        purgeExpiredHolds(handle.db, now()),
        deleteExpiredKeys(handle.db, new Date(Date.now() - IDEMPOTENCY_KEY_TTL_MS)),
        sweepStaleUploads(settings.tmpDir, { olderThanMs: STALE_UPLOAD_MS }),
        sweepFiles(),
      ]).catch((err) => app.log.warn({ err }, 'housekeeping failed'));
    }, 10 * 60_000);
    sweep.unref();
    sweepFiles().catch((err) => app.log.warn({ err }, 'sweeping orphaned files failed'));

    return {
      url,
      app,
      handle,
      config,
      async close() {
        clearInterval(sweep);
        clearInterval(resumeTimer);
        await app.close();
        await started.stop();
        closeMailer?.();
        await handle.close();
      },
    };
  } catch (err) {
    await jobs?.stop().catch(() => {});
    closeMailer?.();
    await handle.close().catch(() => {});
    throw err;
  }
}
