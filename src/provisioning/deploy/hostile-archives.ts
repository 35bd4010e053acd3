// Test helper: builds zip and tar(.gz) archives byte by byte, including the ones no well-behaved tool
// would make (traversal names, links, devices, lying headers, bombs, overlapping entries…). Good
// archives in the tests come from the system `tar`/`zip`; these raw builders make the hostile ones.

import zlib from 'node:zlib';

// ---------------------------------------------------------------------------------------------------
// tar

export type TarSpec = {
  /** The header's name field (at most 100 bytes; use paxEntry / gnuLongNameEntry for longer). */
  name: string | Buffer;
  /** The typeflag character; '0' (regular file) when omitted. */
  type?: string;
  data?: string | Buffer;
  /** The size written in the header, when it should differ from the data's length. */
  size?: number;
  linkname?: string;
  mode?: number;
  /** 'ustar' (POSIX, with prefix) by default; 'gnu' writes GNU's magic. */
  format?: 'ustar' | 'gnu';
  prefix?: string;
  badChecksum?: boolean;
};

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

export function tarHeader(spec: TarSpec, dataLength: number): Buffer {
  const h = Buffer.alloc(512);
  const name = Buffer.isBuffer(spec.name) ? spec.name : Buffer.from(spec.name);
  if (name.length > 100) throw new Error('tar header name longer than 100 bytes');
  name.copy(h, 0);
  h.write(octal(spec.mode ?? (spec.type === '5' ? 0o755 : 0o644), 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(spec.size ?? dataLength, 12), 124, 'latin1');
  h.write(octal(1_700_000_000, 12), 136, 'latin1');
  h.write(spec.type ?? '0', 156, 'latin1');
  if (spec.linkname) h.write(spec.linkname, 157, 'utf8');
  if (spec.format === 'gnu') h.write('ustar  \0', 257, 'latin1');
  else h.write('ustar\u000000', 257, 'latin1');
  if (spec.prefix) h.write(spec.prefix, 345, 'utf8');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${(spec.badChecksum ? sum + 1 : sum).toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

function padTo512(data: Buffer): Buffer {
  const pad = (512 - (data.length % 512)) % 512;
  return pad === 0 ? data : Buffer.concat([data, Buffer.alloc(pad)]);
}

/** One entry: header plus data padded to 512 bytes. */
export function tarEntry(spec: TarSpec): Buffer {
  const data = spec.data === undefined ? Buffer.alloc(0) : Buffer.from(spec.data);
  return Buffer.concat([tarHeader(spec, data.length), padTo512(data)]);
}

/** A pax extended header ('x', or 'g' for global) with the given records, verbatim. */
export function paxEntry(records: Record<string, string | Buffer>, type: 'x' | 'g' = 'x'): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(records)) {
    const body = Buffer.concat([Buffer.from(` ${key}=`), Buffer.from(value), Buffer.from('\n')]);
    let len = body.length + 1;
    while (String(len).length + body.length !== len) len = String(len).length + body.length;
    parts.push(Buffer.from(String(len)), body);
  }
  return tarEntry({
    name: type === 'g' ? 'pax_global_header' : 'PaxHeaders/x',
    type,
    data: Buffer.concat(parts),
  });
}

/** A GNU long-name ('L') header carrying `name` (a NUL is appended, as GNU tar does). */
export function gnuLongNameEntry(name: string | Buffer): Buffer {
  const data = Buffer.concat([Buffer.from(name), Buffer.from([0])]);
  return tarEntry({ name: '././@LongLink', type: 'L', data, format: 'gnu' });
}

/** Concatenates entries and (unless `eof: false`) the two zero blocks that end an archive. */
export function tarArchive(entries: Buffer[], options: { eof?: boolean; trailing?: Buffer } = {}): Buffer {
  const parts = [...entries];
  if (options.eof !== false) parts.push(Buffer.alloc(1024));
  if (options.trailing) parts.push(options.trailing);
  return Buffer.concat(parts);
}

export function gzip(data: Buffer): Buffer {
  return zlib.gzipSync(data);
}

/** A tar.gz of simple entries. */
export function targz(specs: TarSpec[]): Buffer {
  return gzip(tarArchive(specs.map(tarEntry)));
}

// ---------------------------------------------------------------------------------------------------
// zip

export type ZipSpec = {
  name: string | Buffer;
  data?: string | Buffer;
  /** 8 (deflate, the default), 0 (stored) or any other number (written as is, data stored). */
  method?: number;
  flags?: number;
  /** Unix mode for the external attributes; 0o100644 for files, 0o40755 for names ending in '/'. */
  unixMode?: number;
  /** Host system byte of "version made by"; 3 (Unix) by default. */
  host?: number;
  /** Uncompressed size written in the headers, when it should lie. */
  declaredSize?: number;
  /** CRC written in the headers, when it should lie. */
  crc?: number;
  /** The local header's name, when it should differ from the central directory's. */
  localName?: string | Buffer;
  /** An Info-ZIP Unicode Path extra field (0x7075) naming the entry differently. */
  unicodePath?: string;
  /** No local record is written for this entry; the central entry points at `offset`. */
  centralOnly?: { offset: number };
};

type BuiltLocal = { record: Buffer; compressed: Buffer; crc: number; size: number; method: number };

function buildLocal(spec: ZipSpec): BuiltLocal {
  const data = spec.data === undefined ? Buffer.alloc(0) : Buffer.from(spec.data);
  const method = spec.method ?? 8;
  const compressed = method === 8 ? zlib.deflateRawSync(data) : data;
  const crc = spec.crc ?? zlib.crc32(data);
  const size = spec.declaredSize ?? data.length;
  const name = Buffer.from(spec.localName ?? spec.name);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(spec.flags ?? 0, 6);
  h.writeUInt16LE(method, 8);
  h.writeUInt16LE(0, 10);
  h.writeUInt16LE(0x21, 12); // 1980-01-01
  h.writeUInt32LE(crc >>> 0, 14);
  h.writeUInt32LE(compressed.length, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(name.length, 26);
  h.writeUInt16LE(0, 28);
  return { record: Buffer.concat([h, name, compressed]), compressed, crc, size, method };
}

/** The local record (header + data) a spec would produce, e.g. to hide it inside another entry. */
export function zipLocalRecord(spec: ZipSpec): Buffer {
  return buildLocal(spec).record;
}

export function zipArchive(specs: ZipSpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const spec of specs) {
    const built = buildLocal(spec);
    const name = Buffer.from(spec.name);
    const isDir = name.at(-1) === 0x2f;
    const mode = spec.unixMode ?? (isDir ? 0o40755 : 0o100644);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(((spec.host ?? 3) << 8) | 20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(spec.flags ?? 0, 8);
    c.writeUInt16LE(built.method, 10);
    c.writeUInt16LE(0, 12);
    c.writeUInt16LE(0x21, 14);
    c.writeUInt32LE(built.crc >>> 0, 16);
    c.writeUInt32LE(built.compressed.length, 20);
    c.writeUInt32LE(built.size, 24);
    c.writeUInt16LE(name.length, 28);
    let extra = Buffer.alloc(0);
    if (spec.unicodePath !== undefined) {
      const upath = Buffer.from(spec.unicodePath);
      extra = Buffer.alloc(4 + 5 + upath.length);
      extra.writeUInt16LE(0x7075, 0);
      extra.writeUInt16LE(5 + upath.length, 2);
      extra.writeUInt8(1, 4);
      extra.writeUInt32LE(zlib.crc32(name) >>> 0, 5);
      upath.copy(extra, 9);
    }
    c.writeUInt16LE(extra.length, 30);
    c.writeUInt32LE(((mode << 16) | (isDir ? 0x10 : 0)) >>> 0, 38);
    c.writeUInt32LE(spec.centralOnly ? spec.centralOnly.offset : offset, 42);
    centrals.push(c, name, extra);
    if (!spec.centralOnly) {
      locals.push(built.record);
      offset += built.record.length;
    }
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(specs.length, 8);
  end.writeUInt16LE(specs.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
