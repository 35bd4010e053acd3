import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import type { JobsLog } from '../jobs/jobs.ts';

export type MailMessage = {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  /** The message's Message-ID (`<…@…>`); nodemailer makes a random one when absent. */
  messageId?: string;
};

/**
 * The Message-ID of a notification's e-mail, derived from its id: every attempt at the same
 * notification carries the same one, so a copy that did arrive twice is recognisable.
 */
export function notificationMessageId(notificationId: string, from: string | undefined): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from ?? '')?.[1] ?? 'loket.invalid';
  return `<notification.${notificationId}@${domain}>`;
}

/** The e-mail channel. `send` resolves once the server accepted the message and rejects otherwise. */
export interface Mailer {
  /** False for the no-op mailer (no SMTP server configured). */
  readonly enabled: boolean;
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** The server part of an SMTP URL, without user and password, for logs. */
export function describeSmtpUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'smtp (unparsable URL)';
  }
}

/**
 * SMTP through nodemailer when `LOKET_SMTP_URL` is set (`smtp://user:pass@host:587` upgrades with
 * STARTTLS when the server offers it; `smtps://host:465` is TLS from the start), otherwise a mailer
 * that only logs at debug. Timeouts are short so a hung server fails the attempt (the job retries)
 * rather than holding a worker.
 */
export function createMailer(config: Pick<Config['mail'], 'smtpUrl' | 'from'>, log: JobsLog): Mailer {
  if (!config.smtpUrl) {
    return {
      enabled: false,
      async send(message) {
        log.debug(
          { to: message.to, subject: message.subject },
          'e-mail off (LOKET_SMTP_URL unset); not sent',
        );
      },
      close() {},
    };
  }
  if (!config.from) throw new Error('LOKET_MAIL_FROM is required when LOKET_SMTP_URL is set');
  const server = describeSmtpUrl(config.smtpUrl);
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    dnsTimeout: 10_000,
  });
  const from = config.from;
  return {
    enabled: true,
    async send(message) {
      try {
        const info = await transport.sendMail({ from, ...message });
        log.debug({ server, messageId: info.messageId, subject: message.subject }, 'e-mail sent');
      } catch (err) {
        // The URL may carry a password: the error names the server only.
        const reason = err instanceof Error ? err.message : String(err);
        throw new Error(`e-mail via ${server} failed: ${reason}`, { cause: err });
      }
    },
    close() {
      transport.close();
    },
  };
}
