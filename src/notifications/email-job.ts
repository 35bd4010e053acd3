import type { EmailJob } from '../jobs/definitions.ts';
import type { Jobs, JobsLog, JobWorkOptions } from '../jobs/jobs.ts';
import type { Mailer, MailMessage } from './mailer.ts';

const FOOTER = 'Pesan ini dikirim otomatis oleh Loket DKISP. Mohon tidak membalas e-mail ini.';

/** The message an `email` job sends: its text, the full link when a public URL is known, a footer. */
export function renderEmail(job: EmailJob, publicUrl: string | undefined): MailMessage {
  const parts = [job.text];
  if (job.link)
    parts.push(publicUrl ? `Buka di Loket: ${publicUrl}${job.link}` : `Buka di Loket: ${job.link}`);
  parts.push(`--\n${FOOTER}`);
  return { to: job.to, subject: job.subject, text: parts.join('\n\n') };
}

/**
 * Starts the worker of the `email` queue: each job is one message through the Mailer. A failure
 * (server down, address refused) is logged with the job and thrown back to pg-boss, which retries
 * as `QUEUES.email` says and finally marks the job failed with the error as its output. Nothing of
 * this reaches a request: requests only enqueue.
 */
export function workEmailJobs(
  jobs: Pick<Jobs, 'work'>,
  mailer: Mailer,
  options: { publicUrl?: string | undefined; log: JobsLog; work?: JobWorkOptions },
): Promise<string> {
  return jobs.work(
    'email',
    async (job) => {
      await mailer.send(renderEmail(job.data, options.publicUrl));
      if (mailer.enabled)
        options.log.info({ job: { id: job.id, attempt: job.retryCount + 1 } }, 'e-mail delivered');
    },
    options.work,
  );
}
