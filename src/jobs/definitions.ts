import type { QueueOptions } from 'pg-boss';

/**
 * Every job Loket runs: its name and its payload, in one place. A payload is stored as JSON in
 * the database, so it holds plain data only (no Dates, no class instances) and stays small.
 */
export type JobPayloads = {
  /** One e-mail to one address; the worker sends it with the configured Mailer. */
  email: EmailJob;
  /**
   * Looks for SOP steps past their standard time. Sent every minute by a schedule once the case
   * engine registers its worker (see `Jobs.schedule`); nothing schedules it before that.
   */
  'overdue-sweep': Record<string, never>;
  /** Executes (or resumes) one provisioning run: its steps in order, each recorded. */
  provision: { runId: string };
};

export type JobName = keyof JobPayloads;
export type JobData<N extends JobName> = JobPayloads[N];

export type EmailJob = {
  to: string;
  subject: string;
  text: string;
  /** A path inside Loket; the worker prefixes LOKET_PUBLIC_URL when it is set. */
  link?: string;
  /**
   * The notification this e-mail carries: its delivery is recorded under this id, so it is sent
   * at most once (email-job.ts). Jobs queued before this field existed are sent at least once.
   */
  notificationId?: string;
};

const DAY = 24 * 60 * 60;

/**
 * Each queue's retry and retention policy; jobs inherit it unless `send` overrides it. pg-boss
 * retries a failed or expired job `retryLimit` times, waiting `retryDelay` seconds (doubling with
 * `retryBackoff`, at most `retryDelayMax`), then marks it failed and keeps it for inspection.
 */
export const QUEUES: { [N in JobName]: QueueOptions } = {
  // An SMTP server down for a while must not lose mail: 8 retries, 1 min doubling up to 1 h
  // (with jitter), so about 3–4 hours in all.
  email: {
    retryLimit: 8,
    retryDelay: 60,
    retryBackoff: true,
    retryDelayMax: 3600,
    expireInSeconds: 120,
    deleteAfterSeconds: 7 * DAY,
    retentionSeconds: 3 * DAY,
  },
  // A sweep is idempotent and the next one comes a minute later: no retries, and gone after a day.
  'overdue-sweep': {
    retryLimit: 0,
    expireInSeconds: 300,
    deleteAfterSeconds: DAY,
    retentionSeconds: 600,
  },
  // A run holds a lease on its row while it works; a run whose worker died is re-sent by the
  // resume sweep, so pg-boss itself retries only a couple of times (e.g. a database blip).
  provision: {
    retryLimit: 2,
    retryDelay: 10,
    expireInSeconds: 1800,
    deleteAfterSeconds: 7 * DAY,
    retentionSeconds: DAY,
  },
};

export const JOB_NAMES = Object.keys(QUEUES) as JobName[];
