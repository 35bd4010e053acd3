import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/servers/postgres.ts';
import { memoryLog } from '../jobs/jobs.test-support.ts';
import { createMailer, describeSmtpUrl } from './mailer.ts';
import { startTestSmtp, type TestSmtp } from './smtp.test-support.ts';

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp({ user: 'loket', pass: 'rahasia:123' });
});
afterAll(() => smtp.close());

describe('the SMTP mailer', () => {
  it('delivers to a real SMTP server with the configured sender, user and password', async () => {
    const log = memoryLog();
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'Loket DKISP <loket@kab.example.go.id>' }, log);
    expect(mailer.enabled).toBe(true);
    const text =
      'Permohonan PMH-2026-0001 menunggu disposisi Anda.\nBuka di Loket: https://loket.example/cases/1';
    await mailer.send({
      to: ['siti@dinkes.example.go.id', 'budi@dkisp.example.go.id'],
      subject: '[Loket] Disposisi baru',
      text,
    });
    mailer.close();
    const mail = smtp.received.at(-1);
    expect(mail?.from).toBe('loket@kab.example.go.id');
    expect(mail?.to).toEqual(['siti@dinkes.example.go.id', 'budi@dkisp.example.go.id']);
    expect(mail?.headers.from).toBe('Loket DKISP <loket@kab.example.go.id>');
    expect(mail?.subject).toBe('[Loket] Disposisi baru');
    expect(mail?.text).toBe(text);
    // The password never reaches the log.
    expect(JSON.stringify(log.lines)).not.toContain('rahasia');
  });

  it('rejects with the server named (never its password) when the server cannot be reached', async () => {
    const port = await freePort();
    const mailer = createMailer(
      { smtpUrl: `smtp://loket:rahasia@127.0.0.1:${port}`, from: 'loket@kab.example.go.id' },
      memoryLog(),
    );
    const err = await mailer
      .send({ to: 'siti@example.go.id', subject: 'x', text: 'y' })
      .catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      new RegExp(`smtp://127\\.0\\.0\\.1:${port} failed: .*ECONNREFUSED`),
    );
    expect((err as Error).message).not.toContain('rahasia');
  });

  it('rejects on wrong credentials and on a refused recipient', async () => {
    const bad = createMailer(
      { smtpUrl: smtp.url.replace('rahasia', 'salah'), from: 'loket@kab.example.go.id' },
      memoryLog(),
    );
    await expect(bad.send({ to: 'a@example.go.id', subject: 'x', text: 'y' })).rejects.toThrow(
      /failed: Invalid login: 535/,
    );
    const good = createMailer({ smtpUrl: smtp.url, from: 'loket@kab.example.go.id' }, memoryLog());
    smtp.refuse = true;
    try {
      await expect(good.send({ to: 'a@example.go.id', subject: 'x', text: 'y' })).rejects.toThrow(/451/);
    } finally {
      smtp.refuse = false;
    }
  });

  it('is off without LOKET_SMTP_URL: nothing is sent, a debug line says so', async () => {
    const log = memoryLog();
    const before = smtp.received.length;
    const mailer = createMailer({ smtpUrl: undefined, from: undefined }, log);
    expect(mailer.enabled).toBe(false);
    await mailer.send({ to: 'a@example.go.id', subject: 'Tidak terkirim', text: 'y' });
    expect(smtp.received.length).toBe(before);
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: 'debug',
        obj: expect.objectContaining({ subject: 'Tidak terkirim' }),
      }),
    ]);
  });

  it('names servers without credentials in logs', () => {
    expect(describeSmtpUrl('smtps://u:p@mail.example.go.id:465')).toBe('smtps://mail.example.go.id:465');
  });
});
