// Test support (not a test file itself): a real SMTP server (smtp-server) on 127.0.0.1 and a
// random port, keeping what it receives.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  from: string;
  to: string[];
  /** Headers, lower-cased names, unfolded. */
  headers: Record<string, string>;
  subject: string;
  /** The body, quoted-printable decoded, CRLF as LF. */
  text: string;
};

export type TestSmtp = {
  url: string;
  received: ReceivedMail[];
  /** How many messages the server refused (see `refuse`). */
  refused: number;
  /** While true, every recipient is refused with a temporary error (451). */
  refuse: boolean;
  /** Runs when a message has arrived, before the server answers that it accepted it. */
  onMessage: (() => Promise<void> | void) | undefined;
  close(): Promise<void>;
};

function decodeQuotedPrintable(s: string): string {
  const bytes = Buffer.from(s.replace(/=\r?\n/g, ''), 'latin1');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const hex = bytes.subarray(i + 1, i + 3).toString('latin1');
    if (bytes[i] === 0x3d && /^[0-9A-F]{2}$/i.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else out.push(bytes[i] as number);
  }
  return Buffer.from(out).toString('utf8');
}

function parse(raw: string, from: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? ''))
    body = decodeQuotedPrintable(body);
  const subject = (headers.subject ?? '').replace(/=\?utf-8\?Q\?(.*?)\?=/gi, (_m, q: string) =>
    decodeQuotedPrintable(q.replace(/_/g, ' ')),
  );
  return { from, to, headers, subject, text: body.replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

/** Starts the server; with `auth`, it demands that user and password (over plain SMTP, for tests). */
export async function startTestSmtp(auth?: { user: string; pass: string }): Promise<TestSmtp> {
  const state = {
    received: [] as ReceivedMail[],
    refused: 0,
    refuse: false,
    onMessage: undefined as TestSmtp['onMessage'],
  };
  const server = new SMTPServer({
    // No STARTTLS: the self-signed default certificate would (rightly) be refused by the client.
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !auth,
    logger: false,
    closeTimeout: 1000,
    onAuth(a, _session, callback) {
      if (auth && a.username === auth.user && a.password === auth.pass)
        return callback(null, { user: a.username });
      return callback(new Error('Invalid username or password'));
    },
    onRcptTo(_address, _session, callback) {
      if (state.refuse) {
        state.refused += 1;
        return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        state.received.push(parse(Buffer.concat(chunks).toString('utf8'), from, to));
        Promise.resolve(state.onMessage?.()).then(
          () => callback(),
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const cred = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : '';
  return {
    url: `smtp://${cred}127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    get refused() {
      return state.refused;
    },
    get refuse() {
      return state.refuse;
    },
    set refuse(v: boolean) {
      state.refuse = v;
    },
    get onMessage() {
      return state.onMessage;
    },
    set onMessage(f) {
      state.onMessage = f;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
