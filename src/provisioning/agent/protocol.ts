// The web agent's wire protocol: what Loket sends to the fixed helper on a web server (helper.ts, the
// ssh forced command) and what the helper answers. One request per ssh exec:
//
//   stdin:  one JSON line (≤ MAX_REQUEST_LINE_BYTES, ended by "\n"); for `deploy` the line is followed by
//           exactly `size` bytes of the archive, then end of input.
//   stdout: one JSON line, the response; exit status 0 when ok, 1 otherwise.
//
// These schemas only check the SHAPE of a request (types, lengths, no unknown keys). Every value is
// validated again against the registry's rules (assertSafe* in ../types.ts and the checks below) by
// local.ts before it reaches a file or a command — on the server, inside the helper, which trusts
// nothing the client sent.

import { z } from 'zod';
import { UnsafeValueError } from '../types.ts';

/** The longest request line the helper reads (the archive of a deploy follows it, not in it). */
export const MAX_REQUEST_LINE_BYTES = 1024 * 1024;

/** The longest response line a client reads. */
export const MAX_RESPONSE_LINE_BYTES = 1024 * 1024;

/** An error message longer than this is cut when it is sent back. */
export const MAX_ERROR_MESSAGE_CHARS = 4000;

/** The word a client sends as its exec command; the forced command decides what runs, not this. */
export const AGENT_COMMAND = 'loket-agent';

// Lengths here are generous outer bounds so that a hostile request cannot make the helper do much
// work; the real rules (labels, paths below docrootBase, PEM, ACME tokens) are applied by local.ts.
const text = (max: number) => z.string().max(max);

export const webSiteSpecSchema = z.strictObject({
  hostname: text(253),
  aliases: z.array(text(253)).max(100),
  ip: text(64).nullable(),
  docroot: text(4095),
  tls: z.boolean(),
  maintenance: z.boolean(),
});

export const archiveKindSchema = z.enum(['zip', 'targz']);

export const agentRequestSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('installSite'), spec: webSiteSpecSchema }),
  z.strictObject({
    op: z.literal('removeSite'),
    hostname: text(253),
    docroot: text(4095).optional(),
    removeDocroot: z.boolean(),
  }),
  z.strictObject({
    op: z.literal('installCertificate'),
    hostname: text(253),
    cert: text(64 * 1024),
    key: text(16 * 1024),
  }),
  z.strictObject({ op: z.literal('putChallenge'), token: text(256), content: text(1024) }),
  z.strictObject({ op: z.literal('removeChallenge'), token: text(256) }),
  z.strictObject({
    op: z.literal('deploy'),
    kind: archiveKindSchema,
    docroot: text(4095),
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  }),
]);

export type AgentRequest = z.infer<typeof agentRequestSchema>;
export type AgentOp = AgentRequest['op'];

export const agentErrorSchema = z.object({
  name: z.string().max(200),
  message: z.string().max(MAX_ERROR_MESSAGE_CHARS + 100),
  code: z.string().max(200).optional(),
  field: z.string().max(200).optional(),
});

export type AgentErrorInfo = z.infer<typeof agentErrorSchema>;

export const agentResponseSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: agentErrorSchema }),
]);

export type AgentResponse = { ok: true; result: unknown } | { ok: false; error: AgentErrorInfo };

/** What each operation's `result` is. */
export const resultSchemas = {
  installSite: z.enum(['created', 'changed', 'unchanged']),
  removeSite: z.enum(['removed', 'absent']),
  installCertificate: z.null(),
  putChallenge: z.null(),
  removeChallenge: z.null(),
  deploy: z.strictObject({
    files: z.number().int().min(0),
    bytes: z.number().int().min(0),
  }),
} as const satisfies Record<AgentOp, z.ZodType>;

/**
 * A failure of the agent itself — transport (ssh, host key), protocol (a malformed request or answer),
 * or the helper's configuration — as opposed to the operation's own errors (UnsafeValueError,
 * ApacheError, ArchiveRejected), which keep their names.
 */
export class WebAgentError extends Error {
  readonly code: WebAgentErrorCode;
  constructor(code: WebAgentErrorCode, message: string) {
    super(message);
    this.name = 'WebAgentError';
    this.code = code;
  }
}

export type WebAgentErrorCode =
  /** The request is not a protocol request (not JSON, too long, unknown op or keys, wrong size). */
  | 'BAD_REQUEST'
  /** The helper's own configuration (argv, config file) is missing or invalid. */
  | 'HELPER_CONFIG'
  /** The server's host key is not the pinned one: nothing was sent. */
  | 'HOST_KEY_MISMATCH'
  /** Could not connect or authenticate. */
  | 'CONNECT'
  /** The helper's answer is not a protocol response. */
  | 'BAD_RESPONSE'
  /** An error the helper did not classify. */
  | 'REMOTE'
  /** Local access asked for, and the installation has not enabled it (LOKET_LOCAL_AGENT_CONFIG). */
  | 'LOCAL_DISABLED';

/** The error as one response line (name, message cut to a bound, and code/field when they are strings). */
export function errorResponse(e: unknown): AgentResponse {
  const err = e instanceof Error ? e : new Error(String(e));
  const message =
    err.message.length > MAX_ERROR_MESSAGE_CHARS
      ? `${err.message.slice(0, MAX_ERROR_MESSAGE_CHARS)}…`
      : err.message;
  const info: AgentErrorInfo = { name: err.name.slice(0, 200), message };
  const { code, field } = err as { code?: unknown; field?: unknown };
  if (typeof code === 'string') info.code = code.slice(0, 200);
  if (typeof field === 'string') info.field = field.slice(0, 200);
  return { ok: false, error: info };
}

// ---------------------------------------------------------------------------------------------------
// Checks the registry's rules do not cover (ACME values, the archive kind, a flag).

const TOKEN_RE = /^[A-Za-z0-9_-]{1,256}$/;
const CHALLENGE_CONTENT_RE = /^[A-Za-z0-9_.-]{1,1024}$/;

/** An ACME http-01 token (base64url): it becomes a file name in the challenge directory. */
export function assertSafeToken(field: string, token: unknown): string {
  if (typeof token !== 'string' || !TOKEN_RE.test(token)) {
    throw new UnsafeValueError(field, 'not an ACME token (A–Z a–z 0–9 _ -, 1–256)');
  }
  return token;
}

/** An ACME key authorization `<token>.<thumbprint>`: it becomes a file's content. */
export function assertSafeChallengeContent(field: string, content: unknown): string {
  if (typeof content !== 'string' || !CHALLENGE_CONTENT_RE.test(content)) {
    throw new UnsafeValueError(field, 'not an ACME key authorization (A–Z a–z 0–9 _ - ., 1–1024)');
  }
  return content;
}

export function assertArchiveKind(field: string, kind: unknown): 'zip' | 'targz' {
  if (kind !== 'zip' && kind !== 'targz') throw new UnsafeValueError(field, 'not zip or targz');
  return kind;
}

export function assertBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new UnsafeValueError(field, 'not true or false');
  return value;
}

/** PEM text of bounded size with nothing but PEM characters (the pair itself is checked on the server). */
export function assertPemText(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new UnsafeValueError(field, 'not PEM text');
  }
  if (!/^[A-Za-z0-9+/=\r\n -]+$/.test(value) || !value.includes('-----BEGIN ')) {
    throw new UnsafeValueError(field, 'not PEM text');
  }
  return value;
}
