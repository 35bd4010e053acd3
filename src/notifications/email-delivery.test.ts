import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.ts';
import { buildUser } from '../../test/helpers/factories.ts';
import { type PostgresServer, startPostgres } from '../../test/servers/postgres.ts';
import { createDb, type DbHandle } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { EmailJob } from '../jobs/definitions.ts';
import { memoryLog } from '../jobs/jobs.test-support.ts';
import type { JobHandler } from '../jobs/jobs.ts';
import { workEmailJobs } from './email-job.ts';
import { createMailer } from './mailer.ts';
import { notify } from './notification.service.ts';
import { startTestSmtp, type TestSmtp } from './smtp.test-support.ts';

// A notification's e-mail reaches the SMTP server at most once, whatever happens to the attempt
// that sent it. The worker's handler is called as pg-boss calls it (a retry is another call with
// the same job), against a real database and a real SMTP server.

const FROM = 'Loket DKISP <loket@dkisp.example.go.id>';
const log = memoryLog();

async function emailWorker(handle: DbHandle, smtp: TestSmtp): Promise<JobHandler<'email'>> {
  let handler: JobHandler<'email'> | undefined;
  const jobs = {
    work: async (_name: string, h: JobHandler<'email'>) => {
      handler = h;
      return 'worker';
    },
  };
  const mailer = createMailer({ smtpUrl: smtp.url, from: FROM }, log);
  await workEmailJobs(jobs as never, mailer, { db: handle.db, from: FROM, log });
  if (!handler) throw new Error('no handler');
  return handler;
}

async function notificationFor(
  handle: DbHandle,
  title: string,
): Promise<EmailJob & { notificationId: string }> {
  const user = await buildUser(handle.db);
  const to = `${user.username}@dinkes.example.go.id`;
  const [n] = await notify(handle.db, [user.id], { kind: 'case.done', title, body: 'Selesai.' });
  if (!n) throw new Error('no notification');
  return { to, subject: `[Loket] ${title}`, text: 'Selesai.', notificationId: n.id };
}

const attempt = (handler: JobHandler<'email'>, data: EmailJob, retryCount: number) =>
  handler({
    id: `job-${data.notificationId}`,
    name: 'email',
    data,
    retryCount,
    signal: new AbortController().signal,
  });

describe('e-mail delivery per notification', () => {
  let handle: DbHandle;
  let smtp: TestSmtp;
  let handler: JobHandler<'email'>;
  beforeAll(async () => {
    handle = await createTestDb();
    smtp = await startTestSmtp();
    handler = await emailWorker(handle, smtp);
  });
  afterAll(async () => {
    await smtp?.close();
    await handle?.close();
  });

  it('a job run again after it delivered (expired and retried, or run twice) sends nothing more', async () => {
    const job = await notificationFor(handle, 'Sekali saja');
    await attempt(handler, job, 0);
    await attempt(handler, job, 1);
    const got = smtp.received.filter((m) => m.to.includes(job.to));
    expect(got).toHaveLength(1);
    expect(got[0]?.headers['message-id']).toBe(`<notification.${job.notificationId}@dkisp.example.go.id>`);
    const row = await handle.db
      .selectFrom('email_deliveries')
      .selectAll()
      .where('notification_id', '=', job.notificationId)
      .executeTakeFirstOrThrow();
    expect(row.sent_at).not.toBeNull();
  });

  it('a server that refused gets the message on the retry (the claim is released)', async () => {
    const job = await notificationFor(handle, 'Ditolak dulu');
    smtp.refuse = true;
    try {
      await expect(attempt(handler, job, 0)).rejects.toThrow(/failed/);
    } finally {
      smtp.refuse = false;
    }
    await attempt(handler, job, 1);
    expect(smtp.received.filter((m) => m.to.includes(job.to))).toHaveLength(1);
  });
});

// The database lost between the server accepting the message and Loket recording it: the attempt
// fails, pg-boss retries it, and the retry must not send the message a second time.
const why = process.env.TEST_DATABASE_URL ? '' : 'needs PostgreSQL (npm run test:pg)';
describe.skipIf(Boolean(why))('e-mail delivery when PostgreSQL goes away after sending', () => {
  let server: PostgresServer;
  let handle: DbHandle;
  let smtp: TestSmtp;
  beforeAll(async () => {
    server = await startPostgres();
    handle = await createDb({ databaseUrl: server.url, dataDir: '/nonexistent', onIdleError: () => {} });
    await migrateToLatest(handle.db);
    smtp = await startTestSmtp();
  }, 60_000);
  afterAll(async () => {
    await smtp?.close();
    await handle?.close();
    await server?.stop();
  });

  it('an attempt interrupted after the server accepted is not sent again on retry', async () => {
    const handler = await emailWorker(handle, smtp);
    const job = await notificationFor(handle, 'Terputus');
    // The SMTP server has the message; before it says so, PostgreSQL stops. (A fast stop: the
    // throw-away server runs with synchronous_commit=off, and a crash would lose its last commits.)
    smtp.onMessage = () => server.halt('fast');
    try {
      await expect(attempt(handler, job, 0)).rejects.toThrow();
    } finally {
      smtp.onMessage = undefined;
      await server.start();
    }
    expect(smtp.received.filter((m) => m.to.includes(job.to))).toHaveLength(1);
    // pg-boss's retry: the same job again, once the database is back.
    await attempt(handler, job, 1);
    expect(smtp.received.filter((m) => m.to.includes(job.to))).toHaveLength(1);
    expect(
      log.lines.some((l) => l.level === 'warn' && JSON.stringify(l.obj).includes(job.notificationId)),
    ).toBe(true);
  }, 60_000);
});
