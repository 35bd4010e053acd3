import zlib from 'node:zlib';

/**
 * What a file really is, told from its first bytes — never from its name or the MIME type the
 * client declared. Pure functions, no I/O.
 *
 * Recognised: PDF, PNG, JPEG, ZIP, gzip-compressed tar (`.tar.gz`) and ODF text (`.odt`, a ZIP
 * whose first entry is the uncompressed `mimetype` the ODF standard requires). DOCX and XLSX are
 * deliberately not told apart from ZIP: their kind shows only in the central directory at the end
 * of the file and in `[Content_Types].xml`, and a macro-enabled `.docm` renamed `.docx` looks the
 * same from the front. They sniff as `zip` and are therefore refused under a `.docx`/`.xlsx` name.
 */
export type FileType = 'pdf' | 'png' | 'jpeg' | 'zip' | 'targz' | 'odt';

export type FileTypeInfo = {
  /** The MIME type stored and served for this type. */
  mime: string;
  /** File name endings (lower case, with the dot) a file of this type may carry. */
  extensions: readonly string[];
  /** Other MIME types clients declare for it (browsers and OSes differ). */
  aliases: readonly string[];
};

export const FILE_TYPES: Record<FileType, FileTypeInfo> = {
  pdf: { mime: 'application/pdf', extensions: ['.pdf'], aliases: ['application/x-pdf'] },
  png: { mime: 'image/png', extensions: ['.png'], aliases: [] },
  jpeg: { mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'], aliases: ['image/jpg', 'image/pjpeg'] },
  zip: {
    mime: 'application/zip',
    extensions: ['.zip'],
    aliases: ['application/x-zip-compressed', 'application/x-zip', 'multipart/x-zip'],
  },
  targz: {
    mime: 'application/gzip',
    extensions: ['.tar.gz', '.tgz'],
    aliases: [
      'application/x-gzip',
      'application/x-gtar',
      'application/x-tgz',
      'application/x-compressed-tar',
      'application/x-compressed',
      'application/x-tar',
      'application/tar+gzip',
    ],
  },
  odt: { mime: 'application/vnd.oasis.opendocument.text', extensions: ['.odt'], aliases: [] },
};

/** Every MIME type Loket ever stores (a stored value outside this set is served as octet-stream). */
export const STORED_MIME_TYPES: ReadonlySet<string> = new Set(Object.values(FILE_TYPES).map((t) => t.mime));

/** Declared types that say nothing: they never contradict the sniffed type. */
const UNDECLARED = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);

/** How many leading bytes `sniff` wants to see (it works with fewer for smaller files). */
export const SNIFF_BYTES = 64 * 1024;

const PNG_SIGNATURE = [
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
];
const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';

function startsWith(head: Uint8Array, bytes: readonly number[], at = 0): boolean {
  if (head.length < at + bytes.length) return false;
  return bytes.every((b, i) => head[at + i] === b);
}

function ascii(head: Uint8Array, from: number, to: number): string {
  return Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1', from, to);
}

/**
 * HTML, SVG, XML-with-script or PHP markup in what claims to be a document or image: the stuff of
 * polyglot files that a browser or a careless viewer might run. Binary data practically never
 * contains these byte sequences by chance.
 */
const MARKUP =
  /<(?:!doctype\s+html|html|head|body|script|iframe|frame|svg|object|embed|img|style|link|meta|base|form|\?php)[\s/>]/i;

export function containsMarkup(head: Uint8Array): boolean {
  return MARKUP.test(ascii(head, 0, Math.min(head.length, SNIFF_BYTES)));
}

function isPdf(head: Uint8Array): boolean {
  // "%PDF-" then a version such as 1.7 or 2.0, at the very first byte (no leading junk accepted).
  return /^%PDF-[12]\.\d/.test(ascii(head, 0, Math.min(head.length, 8)));
}

function isJpeg(head: Uint8Array): boolean {
  // SOI marker, then the start of the next marker segment.
  return startsWith(head, [0xff, 0xd8, 0xff]);
}

function isZipLocalHeader(head: Uint8Array): boolean {
  return startsWith(head, [0x50, 0x4b, 0x03, 0x04]) && head.length >= 30;
}

function isOdt(head: Uint8Array): boolean {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.length < 38 + ODT_MIMETYPE.length) return false;
  const method = view.getUint16(8, true);
  const size = view.getUint32(18, true);
  const nameLength = view.getUint16(26, true);
  const extraLength = view.getUint16(28, true);
  return (
    method === 0 &&
    nameLength === 8 &&
    extraLength === 0 &&
    size === ODT_MIMETYPE.length &&
    ascii(head, 30, 38) === 'mimetype' &&
    ascii(head, 38, 38 + ODT_MIMETYPE.length) === ODT_MIMETYPE
  );
}

/** The first decompressed bytes of a gzip stream, from a prefix of it; null when it is not gzip. */
function gunzipStart(head: Uint8Array, want: number): Buffer | null {
  // Growing prefixes keep the work small however well the data compresses (a gzip bomb included).
  for (const length of [512, 4096, SNIFF_BYTES]) {
    const prefix = head.subarray(0, Math.min(length, head.length));
    try {
      const out = zlib.gunzipSync(prefix, {
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
        maxOutputLength: 8 * 1024 * 1024,
      });
      if (out.length >= want) return out;
    } catch {
      return null;
    }
    if (prefix.length === head.length) return null;
  }
  return null;
}

/** A POSIX (ustar/GNU) tar header block: magic and a correct header checksum. */
function isTarHeader(block: Uint8Array): boolean {
  if (block.length < 512 || ascii(block, 257, 262) !== 'ustar') return false;
  const stored = Number.parseInt(
    ascii(block, 148, 156)
      .replace(/[\0 ]+$/, '')
      .trim(),
    8,
  );
  if (!Number.isFinite(stored)) return false;
  // The checksum field counts as spaces; some old tars summed signed bytes.
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

function isTarGz(head: Uint8Array): boolean {
  if (!startsWith(head, [0x1f, 0x8b, 0x08])) return false;
  const start = gunzipStart(head, 512);
  return start !== null && isTarHeader(start.subarray(0, 512));
}

/**
 * The type of a file from its first bytes (`SNIFF_BYTES` of them, or the whole file if smaller),
 * or null when it is none Loket accepts. PDFs and images that carry HTML/SVG/script markup near
 * the start (polyglots) are refused too.
 */
export function sniff(head: Uint8Array): FileType | null {
  if (isPdf(head)) return containsMarkup(head) ? null : 'pdf';
  if (startsWith(head, PNG_SIGNATURE)) return containsMarkup(head) ? null : 'png';
  if (isJpeg(head)) return containsMarkup(head) ? null : 'jpeg';
  // Archives legitimately contain HTML (website sources): no markup check for them.
  if (isZipLocalHeader(head)) return isOdt(head) ? 'odt' : 'zip';
  if (isTarGz(head)) return 'targz';
  return null;
}

/** The lower-case ending of a file name that names a type (`.tar.gz` counts as one), or ''. */
export function extensionOf(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tar.gz')) return '.tar.gz';
  const dot = lower.lastIndexOf('.');
  return dot > 0 ? lower.slice(dot) : '';
}

/**
 * Whether what the client declared — the file name's ending and the part's MIME type — agrees
 * with the sniffed type. A generic MIME type (application/octet-stream, none) is no claim.
 */
export function declaredMatches(type: FileType, fileName: string, declaredMime: string | undefined): boolean {
  const info = FILE_TYPES[type];
  if (!info.extensions.includes(extensionOf(fileName))) return false;
  const mime = (declaredMime ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return UNDECLARED.has(mime) || mime === info.mime || info.aliases.includes(mime);
}
