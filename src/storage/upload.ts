import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Multipart, MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../errors.ts';
import { findUnstorableText } from '../shared/storable-text.ts';
import type { FileStore } from './file-store.ts';
import { FILE_KINDS, type FileKind, type StorageSettings } from './settings.ts';
import { declaredMatches, extensionOf, FILE_TYPES, type FileType, SNIFF_BYTES, sniff } from './sniff.ts';

/** One file field of a form. */
export type FileFieldSpec = {
  kind: FileKind;
  /** The request fails with FILE_REQUIRED when no file came in this field. */
  required?: boolean;
  /** Most files in this field (default 1). */
  maxCount?: number;
};

export type UploadSpec = {
  /** Temp directory and size limits: `storageSettings(config)`. */
  settings: Pick<StorageSettings, 'tmpDir' | 'maxBytes'>;
  /** The file fields this form accepts; a file in any other field is refused. */
  files: Record<string, FileFieldSpec>;
  /** Most text fields (default 50) and bytes per text field (default 64 KiB). */
  maxFields?: number;
  maxFieldBytes?: number;
};

/** A received file, still in the temp directory: store it (`storeUploads`) or `discardUploads` it. */
export type UploadedFile = {
  field: string;
  /** The client's file name, checked; for display and Content-Disposition only, never a path. */
  displayName: string;
  type: FileType;
  /** The sniffed type's MIME type, whatever the client declared. */
  mime: string;
  size: number;
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string;
  tempPath: string;
};

export type ReceivedUploads = {
  /** Text fields as sent (a repeated name gives an array), for the route's zod schema. */
  fields: Record<string, string | string[]>;
  files: UploadedFile[];
};

/** A received file after `FileStore.put`. */
export type StoredUpload = Omit<UploadedFile, 'tempPath'> & { key: string };

const TEMP_NAME = /^upload-[0-9a-f]{32}\.part$/;
const MAX_NAME_BYTES = 255;

function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): AppError {
  return new AppError(code, message, details ? { details } : {});
}

function isForbiddenNameChar(c: number): boolean {
  return (
    c < 0x20 || // C0 controls, NUL included
    (c >= 0x7f && c <= 0x9f) || // DEL, C1 controls
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x202a && c <= 0x202e) || // bidi embeddings and overrides ("invoice‮fdp.exe")
    (c >= 0x2066 && c <= 0x2069)
  );
}

/**
 * The client's file name, if acceptable as a display name: no path separators, no `..`, no
 * control or bidi-override characters, at most 255 UTF-8 bytes. Null when it is not.
 */
export function checkFileName(raw: string): string | null {
  const name = raw.normalize('NFC').trim();
  if (name === '' || !name.isWellFormed() || Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) return null;
  if (name.includes('/') || name.includes('\\') || name.includes('..')) return null;
  for (let i = 0; i < name.length; i++) if (isForbiddenNameChar(name.charCodeAt(i))) return null;
  return name;
}

function unlinkQuietly(file: string): Promise<void> {
  return fsp.rm(file, { force: true }).catch(() => {});
}

/**
 * Deletes the temp files of received uploads (those already moved into a store are simply gone).
 * Never throws: call it in `finally`. Only touches files named like our temp files.
 */
export async function discardUploads(files: readonly Pick<UploadedFile, 'tempPath'>[]): Promise<void> {
  await Promise.all(
    files.filter((f) => TEMP_NAME.test(path.basename(f.tempPath))).map((f) => unlinkQuietly(f.tempPath)),
  );
}

/**
 * Removes temp uploads not written to for `olderThanMs` (default an hour) — left by a crash or a
 * killed process. Run at start; other instances sharing the directory keep their fresh files.
 * Returns how many were removed.
 */
export async function sweepStaleUploads(
  tmpDir: string,
  { olderThanMs = 60 * 60 * 1000, now = Date.now() }: { olderThanMs?: number; now?: number } = {},
): Promise<number> {
  let names: string[];
  try {
    names = await fsp.readdir(tmpDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    if (!TEMP_NAME.test(name)) continue;
    const file = path.join(tmpDir, name);
    try {
      const s = await fsp.lstat(file);
      if (s.isFile() && s.mtimeMs < now - olderThanMs) {
        await fsp.rm(file, { force: true });
        removed++;
      }
    } catch {
      // Gone meanwhile (another instance swept it): fine.
    }
  }
  return removed;
}

/** The multipart plugin's and busboy's errors, as our codes; anything else (disk errors) stays. */
function asAppError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; message?: string } | null;
  switch (e?.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return fail('FILE_TOO_LARGE', 'A file is too large');
    case 'FST_FILES_LIMIT':
      return fail('TOO_MANY_FILES', 'Too many files');
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return fail('PAYLOAD_TOO_LARGE', 'Too many form fields');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return fail('UNSUPPORTED_MEDIA_TYPE', 'Expected a multipart/form-data request');
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return fail('INVALID_JSON', 'A form field declared as JSON is not valid JSON');
    case 'FST_PROTO_VIOLATION':
    case 'FST_MP_PREMATURE_CLOSE':
      return fail('BAD_REQUEST', 'The form data is malformed');
  }
  if (e?.code === undefined && /multipart|boundary|needle/i.test(e?.message ?? '')) {
    return fail('BAD_REQUEST', 'The form data is malformed');
  }
  return err;
}

type Receiving = {
  spec: UploadSpec;
  counts: Map<string, number>;
  /** Every temp file created, finished or not: all of them go if anything fails. */
  temps: string[];
  files: UploadedFile[];
};

/** An empty file input (no name, no bytes) is how browsers send "no file chosen": skipped. */
async function skipUnnamed(part: MultipartFile): Promise<void> {
  for await (const chunk of part.file) {
    if ((chunk as Buffer).length > 0) {
      throw fail('FILE_NAME_INVALID', 'A file has no name', { field: part.fieldname });
    }
  }
}

async function receiveFile(part: MultipartFile, r: Receiving): Promise<void> {
  const field = part.fieldname;
  const fieldSpec = Object.hasOwn(r.spec.files, field) ? r.spec.files[field] : undefined;
  if (!fieldSpec) throw fail('BAD_REQUEST', `No file is expected in the field "${field}"`, { field });
  if (!part.filename) return skipUnnamed(part);

  const displayName = checkFileName(part.filename);
  if (displayName === null) throw fail('FILE_NAME_INVALID', 'The file name is not acceptable', { field });
  const allowed = FILE_KINDS[fieldSpec.kind];
  const details = { field, name: displayName, allowed: allowed.flatMap((t) => FILE_TYPES[t].extensions) };
  if (!allowed.some((t) => FILE_TYPES[t].extensions.includes(extensionOf(displayName)))) {
    throw fail('FILE_TYPE_NOT_ALLOWED', 'This type of file is not accepted here', details);
  }
  const count = (r.counts.get(field) ?? 0) + 1;
  const maxCount = fieldSpec.maxCount ?? 1;
  if (count > maxCount) throw fail('TOO_MANY_FILES', 'Too many files', { field, maxCount });
  r.counts.set(field, count);

  const maxBytes = r.spec.settings.maxBytes[fieldSpec.kind];
  const tooLarge = () =>
    fail('FILE_TOO_LARGE', 'The file is too large', { field, name: displayName, maxBytes });
  const tempPath = path.join(r.spec.settings.tmpDir, `upload-${randomBytes(16).toString('hex')}.part`);
  r.temps.push(tempPath);

  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  let type: FileType | null = null;
  // The type is decided as soon as enough bytes are in, so a wrong file is refused early.
  const decideType = (): void => {
    const sniffed = sniff(Buffer.concat(head, headLength));
    if (
      sniffed === null ||
      !allowed.includes(sniffed) ||
      !declaredMatches(sniffed, displayName, part.mimetype)
    ) {
      throw fail(
        'FILE_TYPE_NOT_ALLOWED',
        'The file is not what its name says, or not accepted here',
        details,
      );
    }
    type = sniffed;
    head.length = 0;
  };
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(tooLarge());
      hash.update(chunk);
      try {
        if (type === null) {
          head.push(chunk);
          headLength += chunk.length;
          if (headLength >= SNIFF_BYTES) decideType();
        }
      } catch (err) {
        return done(err as Error);
      }
      done(null, chunk);
    },
    flush(done) {
      try {
        if (size === 0) throw fail('FILE_EMPTY', 'The file is empty', { field, name: displayName });
        if (type === null) decideType();
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
  await pipeline(part.file, meter, fs.createWriteStream(tempPath, { flags: 'wx', mode: 0o600, flush: true }));
  if (part.file.truncated) throw tooLarge();
  const sniffed = type as FileType | null;
  if (sniffed === null) throw new Error('unreachable: type not decided');
  r.files.push({
    field,
    displayName,
    type: sniffed,
    mime: FILE_TYPES[sniffed].mime,
    size,
    sha256: hash.digest('hex'),
    tempPath,
  });
}

function fieldValue(part: MultipartValue): string {
  const key = part.fieldname;
  if (part.fieldnameTruncated) throw fail('BAD_REQUEST', 'A form field name is too long');
  if (part.valueTruncated)
    throw fail('PAYLOAD_TOO_LARGE', `The form field "${key}" is too long`, { field: key });
  // Text PostgreSQL cannot store (a NUL, a lone surrogate from a JSON part) is refused by name.
  const bad = findUnstorableText(part.value, [key]);
  if (bad)
    throw fail('VALIDATION_FAILED', `The form field "${key}" ${bad.message}`, { in: 'body', fields: [bad] });
  // Fields sent as application/json arrive parsed; hand them on as text like every other field.
  return typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
}

const privateDirs = new Set<string>();

/** Creates the temp directory once per process, owner-only (also when it already existed). */
async function ensurePrivateDir(dir: string): Promise<void> {
  if (privateDirs.has(dir)) return;
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  await fsp.chmod(dir, 0o700);
  privateDirs.add(dir);
}

/** Stops reading the rest of a refused request body into the parser; discards it instead. */
function abandonBody(request: FastifyRequest): void {
  request.raw.unpipe();
  request.raw.resume();
}

/**
 * Reads a multipart/form-data request: each file is streamed to a temp file under
 * `settings.tmpDir` while it is hashed (SHA-256), counted against its kind's size limit and
 * sniffed (type from content, agreeing with the declared name and MIME type); text fields are
 * collected as strings. On any problem every temp file is deleted and an `AppError` thrown
 * (FILE_TOO_LARGE 413, FILE_TYPE_NOT_ALLOWED 415, FILE_NAME_INVALID / FILE_EMPTY / TOO_MANY_FILES /
 * FILE_REQUIRED / BAD_REQUEST 400, PAYLOAD_TOO_LARGE 413).
 *
 * On success the caller owns the temp files: `storeUploads` them, or `discardUploads` them in a
 * `finally` — `withUploads` does both ends. Needs `@fastify/multipart` registered without
 * `attachFieldsToBody`; its own size limits are overridden per request.
 */
export async function receiveUploads(request: FastifyRequest, spec: UploadSpec): Promise<ReceivedUploads> {
  if (typeof request.isMultipart !== 'function' || !request.isMultipart()) {
    throw fail('UNSUPPORTED_MEDIA_TYPE', 'Expected a multipart/form-data request');
  }
  const fileSpecs = Object.values(spec.files);
  const maxFields = spec.maxFields ?? 50;
  const maxFieldBytes = spec.maxFieldBytes ?? 64 * 1024;
  const maxFiles = fileSpecs.reduce((n, f) => n + (f.maxCount ?? 1), 0);
  const largestFile = Math.max(0, ...fileSpecs.map((f) => spec.settings.maxBytes[f.kind]));
  const largestBody =
    fileSpecs.reduce((n, f) => n + (f.maxCount ?? 1) * spec.settings.maxBytes[f.kind], 0) +
    maxFields * maxFieldBytes +
    1024 * 1024; // part headers and boundaries
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > largestBody) {
    abandonBody(request);
    throw fail('PAYLOAD_TOO_LARGE', 'The upload is too large', { maxBytes: largestBody });
  }

  await ensurePrivateDir(spec.settings.tmpDir);
  const r: Receiving = { spec, counts: new Map(), temps: [], files: [] };
  const fields = new Map<string, string[]>();
  try {
    const parts: AsyncIterable<Multipart> = request.parts({
      preservePath: true, // we judge the client's file name ourselves, it is never shortened
      limits: {
        fileSize: largestFile + 1, // our own count refuses first, with the field's limit
        files: maxFiles + fileSpecs.length + 1, // + one empty part per unused file input
        fields: maxFields,
        fieldSize: maxFieldBytes,
        parts: maxFiles + fileSpecs.length + maxFields + 1,
      },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        await receiveFile(part, r);
      } else {
        const values = fields.get(part.fieldname) ?? [];
        values.push(fieldValue(part));
        fields.set(part.fieldname, values);
      }
    }
    for (const [field, f] of Object.entries(spec.files)) {
      if (f.required && !r.counts.get(field)) throw fail('FILE_REQUIRED', 'A file is required', { field });
    }
  } catch (err) {
    abandonBody(request);
    await Promise.all(r.temps.map(unlinkQuietly));
    throw asAppError(err);
  }
  return {
    fields: Object.fromEntries([...fields].map(([k, v]) => [k, v.length === 1 ? (v[0] as string) : v])),
    files: r.files,
  };
}

/**
 * Moves received files into `store`, then runs `save` — typically the transaction recording their
 * keys. If a move or `save` fails, the files already stored are removed again; the temp files are
 * gone either way.
 */
export async function storeUploads<T>(
  store: FileStore,
  files: readonly UploadedFile[],
  save: (stored: StoredUpload[]) => Promise<T>,
): Promise<T> {
  const stored: StoredUpload[] = [];
  try {
    for (const { tempPath, ...file } of files) {
      const { key } = await store.put(tempPath);
      stored.push({ ...file, key });
    }
    return await save(stored);
  } catch (err) {
    await Promise.all(stored.map((s) => store.remove(s.key).catch(() => {})));
    throw err;
  } finally {
    await discardUploads(files);
  }
}

/**
 * `receiveUploads`, then `handle`, then the temp files are discarded whatever happened — the
 * shape for a route: `withUploads(request, spec, ({ fields, files }) => { parse fields;
 * return storeUploads(store, files, (stored) => db.transaction()…) })`.
 */
export async function withUploads<T>(
  request: FastifyRequest,
  spec: UploadSpec,
  handle: (received: ReceivedUploads) => Promise<T>,
): Promise<T> {
  const received = await receiveUploads(request, spec);
  try {
    return await handle(received);
  } finally {
    await discardUploads(received.files);
  }
}
