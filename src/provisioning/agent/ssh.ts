// The web agent over ssh (ssh2): each operation is one exec on the server, whose key is limited by a
// forced command to the fixed helper (helper.ts). The request goes to the helper's stdin as one JSON
// line (protocol.ts) — for a deploy followed by the archive's bytes — and the helper answers one JSON
// line on stdout.
//
// - Key authentication only (no password, no keyboard-interactive, no agent).
// - The server's host key must be the pinned one (base64 SHA-256 of the key blob, as `ssh-keygen -l`
//   prints it): any other key ends the connection during the key exchange, before authentication,
//   and nothing is sent.
// - Every value is validated here first (UnsafeValueError before any connection), and again by the
//   helper on the server against its own configuration (it trusts nothing it receives).
// - One connection is opened on first use and reused; close() ends it.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ClientChannel, Client as SshClient } from 'ssh2';
import ssh2 from 'ssh2';
import { ApacheError, checkPemPair } from '../apache/site.ts';
import { ArchiveRejected, type ArchiveRejectionCode } from '../deploy/index.ts';
import {
  assertSafeHostname,
  assertSafeIp,
  assertSafePath,
  type ServerAccess,
  UnsafeValueError,
  type WebAgent,
} from '../types.ts';
import { checkSiteSpec } from './local.ts';
import {
  AGENT_COMMAND,
  type AgentErrorInfo,
  type AgentOp,
  type AgentRequest,
  agentResponseSchema,
  assertArchiveKind,
  assertBoolean,
  assertSafeChallengeContent,
  assertSafeToken,
  MAX_REQUEST_LINE_BYTES,
  MAX_RESPONSE_LINE_BYTES,
  resultSchemas,
  WebAgentError,
  type WebAgentErrorCode,
} from './protocol.ts';

const { Client, utils } = ssh2;

export type SshAccess = Extract<ServerAccess, { kind: 'ssh' }>;

const USERNAME_RE = /^[a-z_][a-z0-9_-]{0,31}$/;
const FINGERPRINT_RE = /^[A-Za-z0-9+/]{43}=?$/;
const MAX_STDERR_BYTES = 16 * 1024;

const ARCHIVE_CODES: readonly ArchiveRejectionCode[] = [
  'PATH_TRAVERSAL',
  'ABSOLUTE_PATH',
  'DRIVE_PATH',
  'BACKSLASH',
  'SYMLINK',
  'HARDLINK',
  'DEVICE',
  'TOO_MANY_ENTRIES',
  'TOO_LARGE',
  'RATIO',
  'DUPLICATE',
  'BAD_NAME',
  'CORRUPT',
  'ENCRYPTED',
];

const AGENT_CODES: readonly WebAgentErrorCode[] = [
  'BAD_REQUEST',
  'HELPER_CONFIG',
  'HOST_KEY_MISMATCH',
  'CONNECT',
  'BAD_RESPONSE',
  'REMOTE',
];

/** The base64 SHA-256 of an ssh public key blob, without padding (as `ssh-keygen -l` prints it). */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

function assertAccess(access: SshAccess): void {
  if (access === null || typeof access !== 'object' || access.kind !== 'ssh') {
    throw new UnsafeValueError('access', 'not ssh access');
  }
  assertSafeIp('access.host', access.host);
  if (!Number.isInteger(access.port) || access.port < 1 || access.port > 65535) {
    throw new UnsafeValueError('access.port', 'not a port number (an integer 1–65535)');
  }
  if (typeof access.username !== 'string' || !USERNAME_RE.test(access.username)) {
    throw new UnsafeValueError('access.username', 'not a Unix user name');
  }
  if (typeof access.hostKeySha256 !== 'string' || !FINGERPRINT_RE.test(access.hostKeySha256)) {
    throw new UnsafeValueError('access.hostKeySha256', 'not a SHA256 fingerprint as ssh-keygen -l prints it');
  }
}

/** Rebuilds the helper's error so callers can tell the kinds apart as they would in-process. */
export function errorFromResponse(info: AgentErrorInfo): Error {
  switch (info.name) {
    case 'UnsafeValueError': {
      const field = info.field ?? 'value';
      const reason = info.message.startsWith(`${field}: `)
        ? info.message.slice(field.length + 2)
        : info.message;
      return new UnsafeValueError(field, reason);
    }
    case 'ApacheError':
      return new ApacheError(info.message);
    case 'ArchiveRejected':
      if (ARCHIVE_CODES.includes(info.code as ArchiveRejectionCode)) {
        return new ArchiveRejected(info.code as ArchiveRejectionCode, null, info.message);
      }
      break;
    case 'WebAgentError':
      if (AGENT_CODES.includes(info.code as WebAgentErrorCode)) {
        return new WebAgentError(info.code as WebAgentErrorCode, info.message);
      }
      break;
  }
  return new WebAgentError('REMOTE', `${info.name}: ${info.message}`);
}

type ExecResult = { stdout: Buffer; stderr: string; code: number | null };

/**
 * The web agent of a server reached over ssh. Throws UnsafeValueError at once when `access` is not
 * valid, WebAgentError('CONNECT') when the private key cannot be read (encrypted keys are not supported).
 */
export function sshWebAgent(
  access: SshAccess,
  privateKeyPem: string,
  opts: { readyTimeoutMs?: number } = {},
): WebAgent {
  assertAccess(access);
  const parsedKey = typeof privateKeyPem === 'string' ? utils.parseKey(privateKeyPem) : new Error('missing');
  if (parsedKey instanceof Error || Array.isArray(parsedKey) || !parsedKey.isPrivateKey()) {
    throw new WebAgentError(
      'CONNECT',
      'the ssh private key cannot be read (an unencrypted private key is needed)',
    );
  }
  const pinned = access.hostKeySha256.replace(/=+$/, '');
  const where = `${access.username}@${access.host}:${access.port}`;
  let current: Promise<SshClient> | null = null;
  let closed = false;
  const ended = new WeakSet<SshClient>();

  function connect(): Promise<SshClient> {
    if (closed) return Promise.reject(new WebAgentError('CONNECT', 'the web agent is closed'));
    if (current) return current;
    const p = new Promise<SshClient>((resolve, reject) => {
      const c = new Client();
      let ready = false;
      let presented: string | null = null;
      c.on('ready', () => {
        ready = true;
        resolve(c);
      });
      c.on('error', (err: Error & { level?: string }) => {
        if (current === p) current = null;
        if (ready) return; // a broken connection: the channels in use see it close
        if (presented !== null && presented !== pinned) {
          reject(
            new WebAgentError(
              'HOST_KEY_MISMATCH',
              `host key does not match the pinned key: ${where} presented SHA256:${presented}, pinned SHA256:${pinned}`,
            ),
          );
        } else {
          reject(new WebAgentError('CONNECT', `ssh to ${where} failed: ${err.message}`));
        }
      });
      c.on('close', () => {
        ended.add(c);
        if (current === p) current = null;
        if (!ready) reject(new WebAgentError('CONNECT', `ssh to ${where} closed before it was ready`));
      });
      c.connect({
        host: access.host,
        port: access.port,
        username: access.username,
        privateKey: privateKeyPem,
        authHandler: ['publickey'],
        tryKeyboard: false,
        hostVerifier: (key: Buffer) => {
          presented = hostKeyFingerprint(key);
          return presented === pinned;
        },
        readyTimeout: opts.readyTimeoutMs ?? 20_000,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 4,
      });
    });
    current = p;
    p.catch(() => {});
    return p;
  }

  /** One exec: sends `line` (and then `archive`, if any) to stdin and collects the answer. */
  async function exec(line: string, archive?: { file: string; size: number }): Promise<ExecResult> {
    const c = await connect();
    const stream = await new Promise<ClientChannel>((resolve, reject) => {
      c.exec(AGENT_COMMAND, (err, s) =>
        err ? reject(new WebAgentError('CONNECT', `ssh exec failed: ${err.message}`)) : resolve(s),
      );
    });
    return new Promise<ExecResult>((resolve, reject) => {
      const out: Buffer[] = [];
      let outBytes = 0;
      let err = '';
      let code: number | null = null;
      let tooLong = false;
      let readError: Error | null = null;
      stream.on('data', (d: Buffer) => {
        outBytes += d.length;
        if (outBytes > MAX_RESPONSE_LINE_BYTES + 1) {
          tooLong = true;
          stream.close();
          return;
        }
        out.push(d);
      });
      stream.stderr.on('data', (d: Buffer) => {
        if (err.length < MAX_STDERR_BYTES) err += d.toString('utf8').slice(0, MAX_STDERR_BYTES - err.length);
      });
      stream.on('exit', (exitCode: number | null) => {
        code = typeof exitCode === 'number' ? exitCode : null;
      });
      // A write to a channel the helper already closed (it refused early) is not the failure to
      // report: its answer is.
      stream.on('error', () => {});
      stream.on('close', () => {
        if (tooLong)
          return reject(new WebAgentError('BAD_RESPONSE', 'the helper answered more than one line'));
        if (readError && out.length === 0) return reject(readError);
        resolve({ stdout: Buffer.concat(out), stderr: err, code });
      });
      stream.write(line);
      if (!archive) {
        stream.end();
        return;
      }
      if (archive.size === 0) {
        stream.end();
        return;
      }
      const rs = createReadStream(archive.file, { start: 0, end: archive.size - 1 });
      rs.on('error', (e) => {
        readError = new WebAgentError('CONNECT', `reading the archive failed: ${e.message}`);
        stream.close();
      });
      // The helper may refuse before it has read everything (e.g. too large): stop sending then.
      stream.once('close', () => rs.destroy());
      rs.pipe(stream);
    });
  }

  async function call<Op extends AgentOp>(
    req: Extract<AgentRequest, { op: Op }>,
    archive?: { file: string; size: number },
  ): Promise<unknown> {
    const line = `${JSON.stringify(req)}\n`;
    if (Buffer.byteLength(line) > MAX_REQUEST_LINE_BYTES) {
      throw new UnsafeValueError('request', `longer than ${MAX_REQUEST_LINE_BYTES} bytes`);
    }
    const r = await exec(line, archive);
    const nl = r.stdout.indexOf(0x0a);
    const first = (nl >= 0 ? r.stdout.subarray(0, nl) : r.stdout).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(first);
    } catch {
      const stderr = r.stderr.trim().slice(0, 2000);
      throw new WebAgentError(
        'BAD_RESPONSE',
        `the helper on ${where} gave no protocol answer (exit ${r.code ?? 'unknown'})${stderr ? `: ${stderr}` : ''}`,
      );
    }
    const parsed = agentResponseSchema.safeParse(json);
    if (!parsed.success)
      throw new WebAgentError('BAD_RESPONSE', `the helper on ${where} gave no protocol answer`);
    if (!parsed.data.ok) throw errorFromResponse(parsed.data.error);
    const result = resultSchemas[req.op].safeParse(parsed.data.result);
    if (!result.success) {
      throw new WebAgentError(
        'BAD_RESPONSE',
        `the helper on ${where} answered ${req.op} with an unexpected result`,
      );
    }
    return result.data;
  }

  return {
    async installSite(spec) {
      // The document root is checked as a plain absolute path here; the helper checks it is below
      // its own docrootBase.
      const clean = checkSiteSpec(spec, '/');
      return (await call({ op: 'installSite', spec: clean })) as 'created' | 'changed' | 'unchanged';
    },

    async removeSite(hostname, o) {
      assertSafeHostname('hostname', hostname);
      if (o === null || typeof o !== 'object') throw new UnsafeValueError('opts', 'missing');
      const removeDocroot = assertBoolean('removeDocroot', o.removeDocroot);
      const req: Extract<AgentRequest, { op: 'removeSite' }> = { op: 'removeSite', hostname, removeDocroot };
      if (o.docroot !== undefined) req.docroot = assertSafePath('docroot', o.docroot, '/');
      return (await call(req)) as 'removed' | 'absent';
    },

    async installCertificate(hostname, pem) {
      assertSafeHostname('hostname', hostname);
      if (pem === null || typeof pem !== 'object') throw new UnsafeValueError('pem', 'missing');
      const pair = checkPemPair(pem.cert, pem.key);
      await call({ op: 'installCertificate', hostname, cert: pair.cert, key: pair.key });
    },

    async putChallenge(token, content) {
      assertSafeToken('token', token);
      assertSafeChallengeContent('content', content);
      await call({ op: 'putChallenge', token, content });
    },

    async removeChallenge(token) {
      assertSafeToken('token', token);
      await call({ op: 'removeChallenge', token });
    },

    async deploy(archiveFile, kind, docroot) {
      const k = assertArchiveKind('kind', kind);
      assertSafePath('docroot', docroot, '/');
      if (typeof archiveFile !== 'string' || !path.isAbsolute(archiveFile) || /[\0\r\n]/.test(archiveFile)) {
        throw new UnsafeValueError('archiveFile', 'not an absolute file path');
      }
      const st = await fs.stat(archiveFile);
      if (!st.isFile()) throw new UnsafeValueError('archiveFile', 'not a regular file');
      const result = await call(
        { op: 'deploy', kind: k, docroot, size: st.size },
        { file: archiveFile, size: st.size },
      );
      return result as { files: number; bytes: number };
    },

    async close() {
      closed = true;
      const p = current;
      current = null;
      if (!p) return;
      let c: SshClient;
      try {
        c = await p;
      } catch {
        return;
      }
      if (ended.has(c)) return;
      await new Promise<void>((resolve) => {
        c.once('close', () => resolve());
        c.end();
      });
    },
  };
}
