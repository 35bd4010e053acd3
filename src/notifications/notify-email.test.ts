import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../../test/helpers/factories.ts';
import { freePort } from '../../test/servers/postgres.ts';
import {
  eventually,
  type JobsTestDb,
  jobsBackends,
  memoryLog,
  openJobsTestDb,
} from '../jobs/jobs.test-support.ts';
import { type Jobs, startJobs } from '../jobs/jobs.ts';
import { renderEmail, workEmailJobs } from './email-job.ts';
import { createMailer, type Mailer } from './mailer.ts';
import { notifyAndEmail } from './notification.service.ts';
import { startTestSmtp, type TestSmtp } from './smtp.test-support.ts';

const PUBLIC_URL = 'https://loket.example.go.id';

describe.each(jobsBackends)('notifications by e-mail, through pg-boss on %s', (backend) => {
  let t: JobsTestDb;
  let jobs: Jobs;
  let smtp: TestSmtp;
  const log = memoryLog();
  // The worker's mailer; a test may point it at a dead server for a while.
  let mailer: Mailer;
  const viaCurrent: Mailer = { enabled: true, send: (m) => mailer.send(m), close() {} };

  beforeAll(async () => {
    t = await openJobsTestDb(backend);
    smtp = await startTestSmtp();
    mailer = createMailer({ smtpUrl: smtp.url, from: 'Loket DKISP <loket@example.go.id>' }, log);
    jobs = await startJobs({ handle: t.handle, config: t.config, log });
    // Tests cannot wait an hour for a retry: retry at once, poll often.
    await jobs.boss.updateQueue('email', { retryDelay: 0, retryBackoff: false, retryLimit: 3 });
    await workEmailJobs(jobs, viaCurrent, {
      db: t.handle.db,
      publicUrl: PUBLIC_URL,
      log,
      work: { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 },
    });
  });
  afterAll(async () => {
    await jobs?.stop();
    await smtp?.close();
    await t?.close();
  });

  const db = () => t.handle.db;
  const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

  it('notifies every recipient in the app and e-mails the active ones that have an address', async () => {
    const withMail = await buildUser(db());
    await db()
      .updateTable('users')
      .set({ email: `${withMail.username}@dinkes.example.go.id` })
      .where('id', '=', withMail.id)
      .execute();
    const withoutMail = await buildUser(db());
    const inactive = await buildUser(db(), { active: false });
    await db()
      .updateTable('users')
      .set({ email: `${inactive.username}@example.go.id` })
      .where('id', '=', inactive.id)
      .execute();

    const out = await db()
      .transaction()
      .execute((trx) =>
        notifyAndEmail(trx, jobs, [withMail.id, withoutMail.id, inactive.id], {
          kind: 'case.disposition',
          title: 'Disposisi baru: Pembuatan website',
          body: 'Kepala DKISP mendisposisikan permohonan PMH-2026-0007 kepada Anda.',
          link: '/cases/0007',
        }),
      );
    expect(out.notifications).toHaveLength(3);
    expect(out.emailsQueued).toBe(1);

    const address = `${withMail.username}@dinkes.example.go.id`;
    const [mail] = await eventually(async () => mailsTo(address).length > 0 && mailsTo(address));
    expect(mail?.subject).toBe('[Loket] Disposisi baru: Pembuatan website');
    expect(mail?.headers.from).toBe('Loket DKISP <loket@example.go.id>');
    expect(mail?.text).toContain('Kepala DKISP mendisposisikan permohonan PMH-2026-0007 kepada Anda.');
    expect(mail?.text).toContain(`Buka di Loket: ${PUBLIC_URL}/cases/0007`);
    expect(smtp.received.some((m) => m.to.includes(`${inactive.username}@example.go.id`))).toBe(false);
  }, 60_000);

  it('sends nothing, and shows nothing, for a change that rolls back', async () => {
    const u = await buildUser(db());
    const address = `${u.username}@example.go.id`;
    await db().updateTable('users').set({ email: address }).where('id', '=', u.id).execute();
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await notifyAndEmail(trx, jobs, [u.id], { kind: 'case.decided', title: 'Tidak jadi', body: '.' });
          throw new Error('the decision failed');
        }),
    ).rejects.toThrow('the decision failed');
    expect(await jobs.boss.findJobs('email', { data: { to: address } })).toEqual([]);
    expect(await db().selectFrom('notifications').select('id').where('user_id', '=', u.id).execute()).toEqual(
      [],
    );
    // A later committed one for the same user arrives alone.
    await db()
      .transaction()
      .execute((trx) =>
        notifyAndEmail(trx, jobs, [u.id], { kind: 'case.decided', title: 'Jadi', body: '.' }),
      );
    await eventually(async () => mailsTo(address).length > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsTo(address).map((m) => m.subject)).toEqual(['[Loket] Jadi']);
  }, 60_000);

  it('keeps trying while the mail server refuses, and delivers when it is back', async () => {
    const u = await buildUser(db());
    const address = `${u.username}@example.go.id`;
    await db().updateTable('users').set({ email: address }).where('id', '=', u.id).execute();
    smtp.refuse = true;
    const refusedBefore = smtp.refused;
    try {
      await db()
        .transaction()
        .execute((trx) =>
          notifyAndEmail(trx, jobs, [u.id], { kind: 'case.done', title: 'Selesai', body: '.' }),
        );
      await eventually(async () => smtp.refused > refusedBefore);
    } finally {
      smtp.refuse = false;
    }
    await eventually(async () => mailsTo(address).length > 0);
    const [job] = await jobs.boss.findJobs('email', { data: { to: address } });
    expect(job?.retryCount).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('an unreachable server never reaches the request: the change commits, the job fails and is logged', async () => {
    const u = await buildUser(db());
    const address = `${u.username}@example.go.id`;
    await db().updateTable('users').set({ email: address }).where('id', '=', u.id).execute();
    const good = mailer;
    mailer = createMailer(
      { smtpUrl: `smtp://127.0.0.1:${await freePort()}`, from: 'loket@example.go.id' },
      log,
    );
    try {
      const out = await db()
        .transaction()
        .execute((trx) =>
          notifyAndEmail(trx, jobs, [u.id], { kind: 'case.done', title: 'Tak terkirim', body: '.' }),
        );
      expect(out.emailsQueued).toBe(1);
      const job = await eventually(async () => {
        const [j] = await jobs.boss.findJobs('email', { data: { to: address } });
        return j?.state === 'failed' && j;
      });
      expect(job.retryCount).toBe(3);
      expect(job.output).toMatchObject({
        message: expect.stringMatching(/^e-mail via smtp:\/\/127\.0\.0\.1:\d+ failed: .*ECONNREFUSED/),
      });
      const warned = log.lines.filter((l) => l.level === 'warn' && JSON.stringify(l.obj).includes(job.id));
      expect(warned).toHaveLength(4);
    } finally {
      mailer = good;
    }
    // The in-app notification is there regardless.
    expect(
      await db().selectFrom('notifications').select('title').where('user_id', '=', u.id).execute(),
    ).toEqual([{ title: 'Tak terkirim' }]);
  }, 60_000);
});

describe('renderEmail', () => {
  it('adds the full link when the public URL is known, and the footer', () => {
    const job = { to: 'a@example.go.id', subject: '[Loket] X', text: 'Isi.', link: '/cases/1' };
    expect(renderEmail(job, 'https://loket.example.go.id').text).toBe(
      'Isi.\n\nBuka di Loket: https://loket.example.go.id/cases/1\n\n--\nPesan ini dikirim otomatis oleh Loket DKISP. Mohon tidak membalas e-mail ini.',
    );
    expect(renderEmail({ ...job, link: undefined }, undefined).text).not.toContain('Buka di Loket');
  });
});
