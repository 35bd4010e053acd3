import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EmailJob } from '../jobs/definitions.ts';
import type { Jobs, JobsLog, JobWorkOptions } from '../jobs/jobs.ts';
import { claimDelivery, findDelivery, markDelivered, releaseDelivery } from './email-delivery.repository.ts';
import { type Mailer, type MailMessage, notificationMessageId } from './mailer.ts';

const FOOTER = 'Pesan ini dikirim otomatis oleh Loket DKISP. Mohon tidak membalas e-mail ini.';

/** The message an `email` job sends: its text, the full link when a public URL is known, a footer. */
export function renderEmail(job: EmailJob, publicUrl: string | undefined): MailMessage {
  const parts = [job.text];
  if (job.link)
    parts.push(publicUrl ? `Buka di Loket: ${publicUrl}${job.link}` : `Buka di Loket: ${job.link}`);
  parts.push(`--\n${FOOTER}`);
  return { to: job.to, subject: job.subject, text: parts.join('\n\n') };
}

export type EmailWorkerOptions = {
  /** Loket's database: where each notification's delivery is recorded. */
  db: Kysely<Database>;
  publicUrl?: string | undefined;
  /** The sender (LOKET_MAIL_FROM): its domain ends the Message-ID. */
  from?: string | undefined;
  log: JobsLog;
  work?: JobWorkOptions;
};

/**
 * Sends one `email` job, at most once per notification: the delivery is claimed in the database
 * before the message goes to the SMTP server and marked sent once the server accepted it. When the
 * server refuses or cannot be reached the claim is released and the error thrown (pg-boss retries).
 * An attempt that finds a claim does not send: either it was sent, or an earlier attempt was
 * interrupted between claiming and recording (the process killed, the database gone) — then the
 * message may or may not have reached the server, and sending it again could duplicate it, so it
 * is logged as uncertain instead. Every attempt carries the same Message-ID, derived from the
 * notification id. Jobs without a notification id (queued by an older version) are simply sent.
 */
export async function deliverEmail(
  mailer: Mailer,
  job: { id: string; data: EmailJob; retryCount: number },
  options: Omit<EmailWorkerOptions, 'work'>,
): Promise<'sent' | 'already-sent' | 'uncertain'> {
  const message = renderEmail(job.data, options.publicUrl);
  const notificationId = job.data.notificationId;
  if (!notificationId || !mailer.enabled) {
    await mailer.send(message);
    return 'sent';
  }
  const messageId = notificationMessageId(notificationId, options.from);
  if (!(await claimDelivery(options.db, notificationId, messageId))) {
    const earlier = await findDelivery(options.db, notificationId);
    if (earlier?.sent_at) return 'already-sent';
    options.log.warn(
      { job: { id: job.id, attempt: job.retryCount + 1 }, notificationId, messageId },
      'e-mail delivery was interrupted in an earlier attempt; not sent again (at most once)',
    );
    return 'uncertain';
  }
  try {
    await mailer.send({ ...message, messageId });
  } catch (err) {
    await releaseDelivery(options.db, notificationId);
    throw err;
  }
  await markDelivered(options.db, notificationId, new Date());
  return 'sent';
}

/**
 * Starts the worker of the `email` queue: each job is one message through the Mailer
 * (`deliverEmail`). A failure (server down, address refused) is logged with the job and thrown back
 * to pg-boss, which retries as `QUEUES.email` says and finally marks the job failed with the error
 * as its output. Nothing of this reaches a request: requests only enqueue.
 */
export function workEmailJobs(
  jobs: Pick<Jobs, 'work'>,
  mailer: Mailer,
  options: EmailWorkerOptions,
): Promise<string> {
  return jobs.work(
    'email',
    async (job) => {
      const outcome = await deliverEmail(mailer, job, options);
      if (mailer.enabled && outcome === 'sent')
        options.log.info({ job: { id: job.id, attempt: job.retryCount + 1 } }, 'e-mail delivered');
    },
    options.work,
  );
}
