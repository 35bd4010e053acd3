/**
 * Tiny real files and fakes for the storage tests (and for tests of routes that take uploads).
 * Test-only; nothing in the server imports this.
 */
import zlib from 'node:zlib';
import { onePagePdf, storedZip } from '../shared/tiny-files.ts';

/** A minimal valid one-page PDF, padded with a comment to `size` bytes when asked. */
export function pdf(size?: number): Buffer {
  const file = onePagePdf();
  if (size === undefined || size <= file.length) return file;
  // A comment line before the trailer keeps it a PDF; readers look for %%EOF near the end.
  const pad = Buffer.alloc(size - file.length, 0x20);
  pad[0] = 0x25; // '%'
  pad[pad.length - 1] = 0x0a;
  const cut = file.indexOf('xref\n');
  return Buffer.concat([file.subarray(0, cut), pad, file.subarray(cut)]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A valid 1×1 PNG; `text` goes into a tEXt chunk (how a polyglot hides markup). */
export function png(text?: string): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...(text ? [pngChunk('tEXt', Buffer.from(`Comment\0${text}`, 'latin1'))] : []),
    pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, 0xff, 0xff, 0xff]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A structurally valid PNG (chunks and CRCs right) whose IHDR declares `width` × `height` with
 * only a few rows of image data: how a small file claims to be an enormous image. Colour type 6
 * is RGBA (decoded by pdfkit), 2 is RGB (passed through to the PDF as it is).
 */
export function pngDeclaring(width: number, height: number, colourType: 2 | 6 = 6): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colourType;
  const channels = colourType === 6 ? 4 : 3;
  const rows = Buffer.alloc((1 + width * channels) * Math.min(height, 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The 1×1 JPEG below with its frame header saying `width` × `height`. */
export function jpegDeclaring(width: number, height: number): Buffer {
  const b = Buffer.from(jpeg());
  const sof = b.indexOf(Buffer.from([0xff, 0xc2]));
  b.writeUInt16BE(height, sof + 5);
  b.writeUInt16BE(width, sof + 7);
  return b;
}

/** A valid 1×1 baseline JPEG. */
export function jpeg(): Buffer {
  return Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////' +
      '////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQ' +
      'ABPxA=',
    'base64',
  );
}

/** A ZIP archive of stored (uncompressed) entries, in order. */
export const zip = storedZip;

/** An ODF text document's opening: the `mimetype` entry first, stored, as the standard demands. */
export function odt(): Buffer {
  return zip({
    mimetype: 'application/vnd.oasis.opendocument.text',
    'content.xml': '<?xml version="1.0"?><office:document-content/>',
  });
}

/** A ustar tar archive, gzip-compressed. */
export function targz(entries: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, 'utf8');
    header.write('0000644\0', 100, 'latin1');
    header.write('0000000\0', 108, 'latin1');
    header.write('0000000\0', 116, 'latin1');
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    header.write(
      `${Math.floor(Date.now() / 1000)
        .toString(8)
        .padStart(11, '0')}\0`,
      136,
      'latin1',
    );
    header.write('        ', 148, 'latin1');
    header.write('0', 156, 'latin1');
    header.write('ustar\0', 257, 'latin1');
    header.write('00', 263, 'latin1');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks));
}

export const fakes = {
  html: () => Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>'),
  svg: () =>
    Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'),
  /** The first bytes of a Linux executable. */
  elf: () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]),
  /** The first bytes of a Windows executable. */
  exe: () => Buffer.concat([Buffer.from('MZ\x90\0\x03\0\0\0', 'latin1'), Buffer.alloc(120)]),
  /** A PNG carrying HTML in a text chunk. */
  polyglotPng: () => png('<html><script>alert(1)</script></html>'),
  /** gzip, but not of a tar archive. */
  plainGzip: () => zlib.gzipSync(Buffer.from('just some text, not a tar archive\n'.repeat(40))),
  /** A "PDF" with junk before its header. */
  lateHeaderPdf: () => Buffer.concat([Buffer.from('<html>\n'), pdf()]),
};
