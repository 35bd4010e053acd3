// Reading and validating a website's source archive (zip or tar.gz) before anything is written.
//
// Every entry is checked here, in the order the archive gives them, and the checks are enforced while
// reading — a hostile archive is rejected with an `ArchiveRejected` code as soon as the offending entry
// (or byte) is seen:
// - names: no `..` segment, no absolute or drive path, no backslash, no NUL/control/bidi character, no
//   empty segment, no duplicate (case-sensitive; a file and a directory with one path also clash);
//   `.` segments are harmless and dropped (`./index.html` is `index.html`);
// - types: only regular files and directories (symlinks, hardlinks, devices, FIFOs, sockets, sparse
//   and other exotic entries are refused); encrypted zip entries are refused;
// - sizes: the number of entries, each file's size and the total are limited, and every byte is counted
//   on the real inflated stream — header sizes are only used to refuse early, never trusted;
// - ratio: inflated / compressed above `maxRatio` is a bomb, per zip entry and for the whole archive
//   (a tar.gz is one deflate stream, so there it is the whole stream's ratio), once more than
//   `RATIO_GRACE_BYTES` have come out (tiny, very compressible files are normal);
// - integrity: zip CRC-32 and sizes are verified per entry, the zip local header must name the same
//   file as the central directory and entries may not overlap; tar header checksums are verified, the
//   end-of-archive marker is required and nothing but zeros may follow it, and the gzip stream is
//   read to its end so its CRC is checked.
//
// The tar parser is our own (strict) rather than node-tar's: node-tar silently truncates pax values at
// NUL, skips malformed pax records and ignores unknown entry types, and we want every such case to be a
// rejection, not a guess. Zip reading uses yauzl with `decodeStrings: false` so that name checks are
// ours and carry our codes.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';

export type ArchiveKind = 'zip' | 'targz';

export type ArchiveLimits = {
  maxEntries: number;
  maxTotalBytes: number;
  maxFileBytes: number;
  maxRatio: number;
};

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = Object.freeze({
  maxEntries: 20_000,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxFileBytes: 200 * 1024 * 1024,
  maxRatio: 200,
});

/** The compression ratio is only judged once more than this many bytes have been inflated. */
export const RATIO_GRACE_BYTES = 1024 * 1024;

/** A tar pax or GNU long-name header larger than this is refused. */
const MAX_META_BYTES = 1024 * 1024;
/** At most this many pax/GNU meta headers may precede one entry. */
const MAX_META_PER_ENTRY = 4;
/** Longest accepted entry path (bytes) and path segment (bytes), as on Linux. */
const MAX_PATH_BYTES = 4095;
const MAX_SEGMENT_BYTES = 255;

export type ArchiveRejectionCode =
  | 'PATH_TRAVERSAL'
  | 'ABSOLUTE_PATH'
  | 'DRIVE_PATH'
  | 'BACKSLASH'
  | 'SYMLINK'
  | 'HARDLINK'
  | 'DEVICE'
  | 'TOO_MANY_ENTRIES'
  | 'TOO_LARGE'
  | 'RATIO'
  | 'DUPLICATE'
  | 'BAD_NAME'
  | 'CORRUPT'
  | 'ENCRYPTED';

/**
 * The archive (or one entry of it) is refused. `entry` is the entry's name as found in the archive,
 * with control characters escaped as `\u{…}` and cut at 512 characters, or null for the whole archive.
 */
export class ArchiveRejected extends Error {
  readonly code: ArchiveRejectionCode;
  readonly entry: string | null;
  constructor(code: ArchiveRejectionCode, entry: string | null, message: string) {
    super(entry === null ? message : `${message} (entry "${printable(entry)}")`);
    this.name = 'ArchiveRejected';
    this.code = code;
    this.entry = entry === null ? null : printable(entry);
  }
}

/** Characters never accepted in a name: C0/C1 controls, DEL, bidi and line separators, BOM, U+FFFD. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffd]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_CHARS_G = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffd]/g;

function printable(name: string): string {
  const cut = name.length > 512 ? `${name.slice(0, 512)}…` : name;
  return cut.replace(FORBIDDEN_CHARS_G, (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`);
}

export type NormalisedName = { path: string; trailingSlash: boolean };

/**
 * Checks one entry name and returns its normal form (segments joined by `/`, no `.` segments, no
 * trailing slash), or null when the name is the archive's root itself (`./`). Throws ArchiveRejected.
 */
export function normaliseEntryName(name: string): NormalisedName | null {
  if (typeof name !== 'string' || name.length === 0) throw new ArchiveRejected('BAD_NAME', '', 'empty name');
  if (/^[A-Za-z]:/.test(name)) throw new ArchiveRejected('DRIVE_PATH', name, 'a drive path');
  if (name.includes('\\')) throw new ArchiveRejected('BACKSLASH', name, 'a backslash in the name');
  if (name.startsWith('/')) throw new ArchiveRejected('ABSOLUTE_PATH', name, 'an absolute path');
  if (FORBIDDEN_CHARS.test(name)) {
    throw new ArchiveRejected(
      'BAD_NAME',
      name,
      'a NUL, control or invisible formatting character in the name',
    );
  }
  if (Buffer.byteLength(name) > MAX_PATH_BYTES) throw new ArchiveRejected('BAD_NAME', name, 'name too long');
  const trailingSlash = name.endsWith('/');
  const segments = (trailingSlash ? name.slice(0, -1) : name).split('/');
  if (segments.includes('..')) throw new ArchiveRejected('PATH_TRAVERSAL', name, 'a .. segment');
  const kept: string[] = [];
  for (const segment of segments) {
    if (segment === '') throw new ArchiveRejected('BAD_NAME', name, 'an empty path segment');
    if (segment === '.') continue;
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) {
      throw new ArchiveRejected('BAD_NAME', name, 'a path segment longer than 255 bytes');
    }
    kept.push(segment);
  }
  if (kept.length === 0) return null;
  return { path: kept.join('/'), trailingSlash };
}

/** One validated entry as read from the archive. */
export type ArchiveEntry = { path: string; type: 'file' | 'dir'; data?: Buffer; mode: number };

export type ArchiveListing = { files: { path: string; size: number }[]; dirs: string[]; totalBytes: number };

/** Files are always written 0644 and directories 0755, whatever the archive says. */
export const FILE_MODE = 0o644;
export const DIR_MODE = 0o755;

export function assertArchiveKind(kind: unknown): asserts kind is ArchiveKind {
  if (kind !== 'zip' && kind !== 'targz') throw new TypeError(`unknown archive kind ${String(kind)}`);
}

export function assertLimits(limits: ArchiveLimits): void {
  for (const key of ['maxEntries', 'maxTotalBytes', 'maxFileBytes', 'maxRatio'] as const) {
    const v = limits?.[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new TypeError(`archive limit ${key} must be a positive number`);
    }
  }
}

/** Tracks names, counts and sizes across the archive; every rule that needs the whole picture. */
class Tracker {
  readonly limits: ArchiveLimits;
  readonly archiveBytes: number;
  entries = 0;
  totalBytes = 0;
  readonly files: { path: string; size: number }[] = [];
  readonly dirs: string[] = [];
  readonly #seen = new Map<string, 'file' | 'dir' | 'implied'>();

  constructor(limits: ArchiveLimits, archiveBytes: number) {
    this.limits = limits;
    this.archiveBytes = archiveBytes;
  }

  countEntry(name: string): void {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) {
      throw new ArchiveRejected('TOO_MANY_ENTRIES', name, `more than ${this.limits.maxEntries} entries`);
    }
  }

  #ancestors(path: string, name: string): void {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const seen = this.#seen.get(dir);
      if (seen === 'file')
        throw new ArchiveRejected('DUPLICATE', name, `${dir} is a file and also a directory`);
      if (seen === undefined) {
        this.#seen.set(dir, 'implied');
        this.dirs.push(dir);
      }
    }
  }

  addDir(path: string, name: string): void {
    const seen = this.#seen.get(path);
    if (seen === 'file' || seen === 'dir') throw new ArchiveRejected('DUPLICATE', name, 'a duplicate path');
    this.#ancestors(path, name);
    if (seen === undefined) this.dirs.push(path);
    this.#seen.set(path, 'dir');
  }

  addFile(path: string, name: string): void {
    if (this.#seen.has(path)) throw new ArchiveRejected('DUPLICATE', name, 'a duplicate path');
    this.#ancestors(path, name);
    this.#seen.set(path, 'file');
  }

  /** Refuses early on what a header claims (never trusted to be small, only to be honest when large). */
  checkDeclaredSize(size: number, name: string): void {
    if (size > this.limits.maxFileBytes) {
      throw new ArchiveRejected('TOO_LARGE', name, `a file larger than ${this.limits.maxFileBytes} bytes`);
    }
    if (this.totalBytes + size > this.limits.maxTotalBytes) {
      throw new ArchiveRejected('TOO_LARGE', name, `more than ${this.limits.maxTotalBytes} bytes in total`);
    }
  }

  /** Called for every chunk of real file data. */
  countFileBytes(fileSoFar: number, chunk: number, name: string): void {
    this.totalBytes += chunk;
    if (fileSoFar > this.limits.maxFileBytes) {
      throw new ArchiveRejected('TOO_LARGE', name, `a file larger than ${this.limits.maxFileBytes} bytes`);
    }
    if (this.totalBytes > this.limits.maxTotalBytes) {
      throw new ArchiveRejected('TOO_LARGE', name, `more than ${this.limits.maxTotalBytes} bytes in total`);
    }
  }

  checkRatio(inflated: number, compressed: number, name: string | null, what: string): void {
    if (inflated > RATIO_GRACE_BYTES && inflated > this.limits.maxRatio * Math.max(compressed, 1)) {
      throw new ArchiveRejected(
        'RATIO',
        name,
        `${what} compression ratio above ${this.limits.maxRatio} (${inflated} bytes from ${compressed})`,
      );
    }
  }

  fileDone(path: string, size: number): void {
    this.files.push({ path, size });
  }

  listing(): ArchiveListing {
    return { files: this.files, dirs: this.dirs, totalBytes: this.totalBytes };
  }
}

function asRejection(err: unknown, entry: string | null): ArchiveRejected {
  if (err instanceof ArchiveRejected) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/strong encryption/i.test(message)) return new ArchiveRejected('ENCRYPTED', entry, message);
  return new ArchiveRejected('CORRUPT', entry, `corrupt archive: ${message}`);
}

async function archiveSize(file: string): Promise<number> {
  const st = await stat(file);
  if (!st.isFile()) throw new ArchiveRejected('CORRUPT', null, 'the archive is not a regular file');
  return st.size;
}

// ---------------------------------------------------------------------------------------------------
// zip (yauzl)

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DEVICE_TYPES = new Set([0o020000, 0o060000, 0o010000, 0o140000]); // chr, blk, fifo, socket

async function* zipEntries(
  file: string,
  limits: ArchiveLimits,
  withData: boolean,
  tracker: Tracker,
): AsyncGenerator<ArchiveEntry> {
  let current: string | null = null;
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await yauzl.openPromise(file, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: false, // we count and compare ourselves
      strictFileNames: true,
    });
    if (zip.entryCount > limits.maxEntries) {
      throw new ArchiveRejected('TOO_MANY_ENTRIES', null, `more than ${limits.maxEntries} entries`);
    }
    const ranges: [number, number, string][] = [];
    for await (const entry of zip.eachEntry()) {
      current = null;
      const raw = entry.fileNameRaw;
      // yauzl decodes non-UTF-8 names as CP437, where control bytes become glyphs ("\n" → "◙"); other
      // tools would create the raw bytes, so control bytes are refused in the raw name as well.
      if (raw.some((b) => b < 0x20 || b === 0x7f)) {
        throw new ArchiveRejected(
          'BAD_NAME',
          raw.toString('latin1'),
          'a NUL or control character in the name',
        );
      }
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
      current = name;
      tracker.countEntry(name);
      const norm = normaliseEntryName(name);
      const unixType = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (unixType === S_IFLNK) throw new ArchiveRejected('SYMLINK', name, 'a symbolic link');
      if (DEVICE_TYPES.has(unixType)) throw new ArchiveRejected('DEVICE', name, 'a device, FIFO or socket');
      if (unixType !== 0 && unixType !== S_IFREG && unixType !== S_IFDIR) {
        throw new ArchiveRejected('CORRUPT', name, 'an unknown file type');
      }
      if (entry.isEncrypted() || (entry.generalPurposeBitFlag & 0x40) !== 0) {
        throw new ArchiveRejected('ENCRYPTED', name, 'an encrypted entry');
      }
      const isDir = norm?.trailingSlash === true || unixType === S_IFDIR;
      if (norm === null && !isDir) throw new ArchiveRejected('BAD_NAME', name, 'a file without a name');
      if (isDir) {
        if (entry.uncompressedSize !== 0) throw new ArchiveRejected('CORRUPT', name, 'a directory with data');
        if (norm === null) continue;
        tracker.addDir(norm.path, name);
        yield { path: norm.path, type: 'dir', mode: DIR_MODE };
        continue;
      }
      if (norm === null) continue; // unreachable (checked above); keeps the type checker content
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw new ArchiveRejected(
          'CORRUPT',
          name,
          `unsupported compression method ${entry.compressionMethod}`,
        );
      }
      tracker.addFile(norm.path, name);
      tracker.checkDeclaredSize(entry.uncompressedSize, name);
      tracker.checkRatio(entry.uncompressedSize, entry.compressedSize, name, 'declared');

      const local = await zip.readLocalFileHeaderPromise(entry);
      if (!local.fileName.equals(raw)) {
        throw new ArchiveRejected('CORRUPT', name, 'the local header names a different file');
      }
      ranges.push([entry.relativeOffsetOfLocalHeader, local.fileDataStart + entry.compressedSize, name]);

      const stream = await zip.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      let size = 0;
      let crc = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        tracker.countFileBytes(size, chunk.length, name);
        tracker.checkRatio(size, entry.compressedSize, name, 'entry');
        tracker.checkRatio(tracker.totalBytes, tracker.archiveBytes, name, 'archive');
        crc = zlib.crc32(chunk, crc);
        if (withData) chunks.push(chunk);
      }
      if (size !== entry.uncompressedSize) {
        throw new ArchiveRejected(
          'CORRUPT',
          name,
          `size is ${size}, the header says ${entry.uncompressedSize}`,
        );
      }
      if (crc !== entry.crc32) throw new ArchiveRejected('CORRUPT', name, 'CRC-32 mismatch');
      tracker.fileDone(norm.path, size);
      yield withData
        ? { path: norm.path, type: 'file', data: Buffer.concat(chunks, size), mode: FILE_MODE }
        : { path: norm.path, type: 'file', mode: FILE_MODE };
    }
    current = null;
    ranges.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ranges.length; i++) {
      const prev = ranges[i - 1];
      const next = ranges[i];
      if (prev && next && next[0] < prev[1])
        throw new ArchiveRejected('CORRUPT', next[2], 'overlapping entries');
    }
  } catch (err) {
    throw asRejection(err, current);
  } finally {
    zip?.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// tar.gz (own strict parser over a gunzip stream)

/** Pulls exact byte counts out of a stream; `onChunk` sees every chunk as it arrives. */
class ChunkReader {
  readonly #it: AsyncIterator<Buffer>;
  readonly #onChunk: (n: number) => void;
  #chunks: Buffer[] = [];
  #length = 0;
  #done = false;

  constructor(stream: Readable, onChunk: (n: number) => void) {
    this.#it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    this.#onChunk = onChunk;
  }

  async #pull(): Promise<boolean> {
    if (this.#done) return false;
    const r = await this.#it.next();
    if (r.done) {
      this.#done = true;
      return false;
    }
    this.#onChunk(r.value.length);
    if (r.value.length > 0) {
      this.#chunks.push(r.value);
      this.#length += r.value.length;
    }
    return true;
  }

  #take(n: number): Buffer {
    const out: Buffer[] = [];
    let need = n;
    while (need > 0) {
      const head = this.#chunks[0] as Buffer;
      if (head.length <= need) {
        out.push(head);
        this.#chunks.shift();
        need -= head.length;
      } else {
        out.push(head.subarray(0, need));
        this.#chunks[0] = head.subarray(need);
        need = 0;
      }
    }
    this.#length -= n;
    return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out, n);
  }

  /** Exactly n bytes, null at a clean end of stream, CORRUPT when the stream ends part-way. */
  async read(n: number): Promise<Buffer | null> {
    while (this.#length < n) if (!(await this.#pull())) break;
    if (this.#length === 0) return null;
    if (this.#length < n) throw new ArchiveRejected('CORRUPT', null, 'the archive is truncated');
    return this.#take(n);
  }

  /** Passes exactly n bytes, in pieces, to fn. */
  async consume(n: number, fn: (piece: Buffer) => void): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.#length === 0 && !(await this.#pull())) {
        throw new ArchiveRejected('CORRUPT', null, 'the archive is truncated');
      }
      const piece = this.#take(Math.min(left, this.#length));
      fn(piece);
      left -= piece.length;
    }
  }

  /** Everything up to the end of the stream, in pieces. */
  async drain(fn: (piece: Buffer) => void): Promise<void> {
    for (;;) {
      if (this.#length > 0) fn(this.#take(this.#length));
      if (!(await this.#pull())) return;
    }
  }

  async close(): Promise<void> {
    await this.#it.return?.();
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeName(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ArchiveRejected('BAD_NAME', bytes.toString('latin1'), 'a name that is not valid UTF-8');
  }
}

/** A NUL-terminated header field (bytes up to the first NUL). */
function field(block: Buffer, offset: number, length: number): Buffer {
  const f = block.subarray(offset, offset + length);
  const nul = f.indexOf(0);
  return nul < 0 ? f : f.subarray(0, nul);
}

/** A tar number: octal text (spaces/NUL around it), or GNU base-256 when the top bit is set. */
function tarNumber(block: Buffer, offset: number, length: number, what: string): number {
  const first = block[offset] as number;
  if (first & 0x80) {
    if (first !== 0x80) throw new ArchiveRejected('CORRUPT', null, `a negative or malformed ${what}`);
    let v = 0n;
    for (let i = offset + 1; i < offset + length; i++) v = (v << 8n) | BigInt(block[i] as number);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(v);
  }
  const text = field(block, offset, length).toString('latin1').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text))
    throw new ArchiveRejected('CORRUPT', null, `a malformed ${what} in a tar header`);
  return Number.parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] as number);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  const stored = tarNumber(block, 148, 8, 'checksum');
  return stored === unsigned || stored === signed;
}

function isZeroBlock(buf: Buffer): boolean {
  for (const b of buf) if (b !== 0) return false;
  return true;
}

/** Strict pax records: "<len> <key>=<value>\n", len counting the whole record. */
function parsePax(data: Buffer): Map<string, Buffer> {
  const records = new Map<string, Buffer>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const lenText = space < 0 ? '' : data.toString('latin1', offset, space);
    if (!/^[1-9][0-9]{0,7}$/.test(lenText))
      throw new ArchiveRejected('CORRUPT', null, 'a malformed pax header');
    const end = offset + Number(lenText);
    if (end > data.length || end <= space + 1 || data[end - 1] !== 0x0a) {
      throw new ArchiveRejected('CORRUPT', null, 'a malformed pax header');
    }
    const record = data.subarray(space + 1, end - 1);
    const eq = record.indexOf(0x3d);
    if (eq <= 0) throw new ArchiveRejected('CORRUPT', null, 'a malformed pax header');
    records.set(record.toString('latin1', 0, eq), record.subarray(eq + 1));
    offset = end;
  }
  return records;
}

type TarEntryType = 'file' | 'dir' | 'pax' | 'global' | 'longname' | 'longlink';

function tarType(flag: string, nameOf: () => string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '7':
      return 'file';
    case '5':
      return 'dir';
    case 'x':
      return 'pax';
    case 'g':
      return 'global';
    case 'L':
      return 'longname';
    case 'K':
      return 'longlink';
    case '1':
      throw new ArchiveRejected('HARDLINK', nameOf(), 'a hard link');
    case '2':
      throw new ArchiveRejected('SYMLINK', nameOf(), 'a symbolic link');
    case '3':
    case '4':
    case '6':
      throw new ArchiveRejected('DEVICE', nameOf(), 'a device or FIFO');
    default:
      throw new ArchiveRejected('CORRUPT', nameOf(), `an unsupported tar entry type ${JSON.stringify(flag)}`);
  }
}

async function* tarGzEntries(
  file: string,
  limits: ArchiveLimits,
  withData: boolean,
  tracker: Tracker,
): AsyncGenerator<ArchiveEntry> {
  const source = createReadStream(file);
  const gunzip = zlib.createGunzip();
  let compressed = 0;
  let inflated = 0;
  // Headers and padding come on top of file data; anything much beyond that is not a site.
  const rawCap = limits.maxTotalBytes + limits.maxEntries * 16 * 1024 + 16 * 1024 * 1024;
  source.on('data', (chunk) => {
    compressed += chunk.length;
  });
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  const reader = new ChunkReader(gunzip, (n) => {
    inflated += n;
    if (inflated > rawCap) throw new ArchiveRejected('TOO_LARGE', null, 'the tar stream is too large');
    tracker.checkRatio(inflated, compressed, null, 'archive');
  });
  let current: string | null = null;
  try {
    let pax = new Map<string, Buffer>();
    let longName: string | null = null;
    let metaCount = 0;
    for (;;) {
      current = null;
      const block = await reader.read(512);
      if (block === null) throw new ArchiveRejected('CORRUPT', null, 'no end-of-archive marker');
      if (isZeroBlock(block)) {
        if (metaCount > 0) throw new ArchiveRejected('CORRUPT', null, 'an extended header without an entry');
        // The end: only zeros may follow (the second zero block and record padding). Reading to the
        // end also makes gunzip verify the CRC of everything we used.
        await reader.drain((piece) => {
          if (!isZeroBlock(piece))
            throw new ArchiveRejected('CORRUPT', null, 'data after the end-of-archive marker');
        });
        break;
      }
      if (!checksumOk(block)) throw new ArchiveRejected('CORRUPT', null, 'a tar header checksum mismatch');
      const flag = String.fromCharCode(block[156] as number);
      const headerSize = tarNumber(block, 124, 12, 'size');
      // The name a real entry gets: pax path > GNU long name > the header's own (ustar: prefix/name).
      // The header's own name is only decoded when it is used (GNU and pax writers may cut it anywhere).
      const nameOf = (): string => {
        const paxPath = pax.get('path');
        if (paxPath !== undefined) return decodeName(paxPath);
        if (longName !== null) return longName;
        const own = decodeName(field(block, 0, 100));
        const ustar = block.toString('latin1', 257, 265) === 'ustar\u000000';
        const prefix = ustar ? field(block, 345, 155) : Buffer.alloc(0);
        return prefix.length > 0 ? `${decodeName(prefix)}/${own}` : own;
      };
      const kind = tarType(flag, nameOf);
      const padded = (n: number) => n + ((512 - (n % 512)) % 512);

      if (kind === 'pax' || kind === 'global' || kind === 'longname' || kind === 'longlink') {
        metaCount += 1;
        if (metaCount > MAX_META_PER_ENTRY)
          throw new ArchiveRejected('CORRUPT', null, 'too many extended headers');
        if (headerSize > MAX_META_BYTES)
          throw new ArchiveRejected('CORRUPT', null, 'an extended header too large');
        const data = await reader.read(padded(headerSize));
        if (data === null) throw new ArchiveRejected('CORRUPT', null, 'the archive is truncated');
        const body = data.subarray(0, headerSize);
        if (kind === 'longname') {
          const nul = body.indexOf(0);
          if (nul >= 0 && !isZeroBlock(body.subarray(nul))) {
            throw new ArchiveRejected('BAD_NAME', body.toString('latin1'), 'a NUL character in the name');
          }
          longName = decodeName(nul >= 0 ? body.subarray(0, nul) : body);
          if (longName === '') throw new ArchiveRejected('BAD_NAME', '', 'empty name');
        } else if (kind === 'pax' || kind === 'global') {
          const records = parsePax(body);
          for (const key of records.keys()) {
            if (key.startsWith('GNU.sparse.')) throw new ArchiveRejected('CORRUPT', null, 'a sparse file');
          }
          if (kind === 'global') {
            // git archive writes a global header with a comment; a global path or size is not supported.
            if (records.has('path') || records.has('size')) {
              throw new ArchiveRejected('CORRUPT', null, 'a global pax header with a path or size');
            }
          } else {
            for (const [k, v] of records) pax.set(k, v);
          }
        }
        continue;
      }

      const name = nameOf();
      current = name;
      let size = headerSize;
      const paxSize = pax.get('size');
      if (paxSize !== undefined) {
        const text = paxSize.toString('latin1');
        if (!/^[0-9]{1,16}$/.test(text)) throw new ArchiveRejected('CORRUPT', name, 'a malformed pax size');
        size = Number(text);
      }
      pax = new Map();
      longName = null;
      metaCount = 0;

      tracker.countEntry(name);
      const norm = normaliseEntryName(name);
      if (norm === null && kind !== 'dir' && !name.endsWith('/'))
        throw new ArchiveRejected('BAD_NAME', name, 'a file without a name');
      const isDir = kind === 'dir' || norm === null || norm.trailingSlash;
      if (isDir) {
        if (size !== 0) throw new ArchiveRejected('CORRUPT', name, 'a directory with data');
        if (norm === null) continue; // the archive's root, "./"
        tracker.addDir(norm.path, name);
        yield { path: norm.path, type: 'dir', mode: DIR_MODE };
        continue;
      }
      tracker.addFile(norm.path, name);
      tracker.checkDeclaredSize(size, name);
      const chunks: Buffer[] = [];
      let got = 0;
      await reader.consume(size, (piece) => {
        got += piece.length;
        tracker.countFileBytes(got, piece.length, name);
        if (withData) chunks.push(piece);
      });
      const padding = padded(size) - size;
      if (padding > 0 && (await reader.read(padding)) === null) {
        throw new ArchiveRejected('CORRUPT', name, 'the archive is truncated');
      }
      tracker.fileDone(norm.path, size);
      yield withData
        ? { path: norm.path, type: 'file', data: Buffer.concat(chunks, size), mode: FILE_MODE }
        : { path: norm.path, type: 'file', mode: FILE_MODE };
    }
    tracker.checkRatio(inflated, tracker.archiveBytes, null, 'archive');
  } catch (err) {
    throw asRejection(err, current);
  } finally {
    await reader.close().catch(() => {});
    gunzip.destroy();
    source.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------

async function* validatedEntries(
  file: string,
  kind: ArchiveKind,
  limits: ArchiveLimits,
  withData: boolean,
  onDone?: (listing: ArchiveListing) => void,
): AsyncGenerator<ArchiveEntry> {
  assertArchiveKind(kind);
  assertLimits(limits);
  const tracker = new Tracker(limits, await archiveSize(file));
  if (kind === 'zip') yield* zipEntries(file, limits, withData, tracker);
  else yield* tarGzEntries(file, limits, withData, tracker);
  onDone?.(tracker.listing());
}

/** Reads and checks the whole archive without writing anything; the list of files and directories it would create. */
export async function inspectArchive(
  file: string,
  kind: ArchiveKind,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<ArchiveListing> {
  let listing: ArchiveListing | null = null;
  for await (const _ of validatedEntries(file, kind, limits, false, (l) => {
    listing = l;
  })) {
    // Entries are only counted and checked here.
  }
  if (listing === null) throw new ArchiveRejected('CORRUPT', null, 'the archive could not be read');
  return listing;
}

/**
 * Yields every validated entry with its data; the same checks as inspect, enforced while reading, so a
 * rejection can come after some entries were already yielded (a consumer writes into a staging place).
 * Modes are always 0644 for files and 0755 for directories.
 */
export function readArchive(
  file: string,
  kind: ArchiveKind,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): AsyncIterable<ArchiveEntry> {
  return validatedEntries(file, kind, limits, true);
}
