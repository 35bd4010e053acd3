import type { FastifyReply } from 'fastify';
import { AppError, notFound } from '../errors.ts';
import type { FileStore } from './file-store.ts';
import { STORED_MIME_TYPES } from './sniff.ts';

/** What a route knows about a stored file from its database row. */
export type StoredFileRef = { key: string; displayName: string; mime: string; size: number };

/** Bytes safe in a quoted `filename="…"` fallback; everything else becomes `_`. */
const FALLBACK_SAFE = /[A-Za-z0-9 .,_()+\-[\]]/;

function isUnsafeNameChar(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0x2f || // '/'
    c === 0x5c // '\'
  );
}

/** RFC 5987 `value-chars`: percent-encoded UTF-8 with only `attr-char`s left as they are. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<encoded>` — the browser saves the
 * file under its display name (Indonesian letters and all), and never shows it inline.
 */
export function contentDisposition(displayName: string): string {
  let name = '';
  for (const ch of displayName.normalize('NFC')) {
    if (!isUnsafeNameChar(ch.codePointAt(0) ?? 0)) name += ch;
  }
  name = name.trim().replaceAll('..', '_') || 'berkas';
  const fallback = [...name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')]
    .map((ch) => (FALLBACK_SAFE.test(ch) ? ch : '_'))
    .join('');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

/**
 * Sends a stored file as a download: the stored (sniffed) MIME type, its length, as an attachment
 * with a safe file name, `nosniff`, never cached, sandboxed should a browser render it anyway.
 * Whether the requester may have it is the caller's decision, made before calling this.
 */
export async function sendStoredFile(
  reply: FastifyReply,
  store: FileStore,
  file: StoredFileRef,
): Promise<FastifyReply> {
  const stat = await store.stat(file.key);
  if (!stat) {
    reply.log.error({ fileKey: file.key }, 'stored file missing');
    throw notFound('File');
  }
  if (stat.size !== file.size) {
    reply.log.error(
      { fileKey: file.key, expected: file.size, actual: stat.size },
      'stored file size differs',
    );
    throw new AppError('INTERNAL', 'The stored file is damaged');
  }
  reply.headers({
    'content-type': STORED_MIME_TYPES.has(file.mime) ? file.mime : 'application/octet-stream',
    'content-length': String(stat.size),
    'content-disposition': contentDisposition(file.displayName),
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
    'content-security-policy': "default-src 'none'; sandbox",
    'cross-origin-resource-policy': 'same-origin',
  });
  return reply.send(store.open(file.key));
}
