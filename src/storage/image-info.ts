import zlib from 'node:zlib';

/**
 * The size of a PNG or JPEG told from its headers alone — nothing is decoded, so a file that
 * declares 11,000 × 11,000 pixels costs no more to judge than one of 16 × 16. Pure functions.
 *
 * The parsers are strict on purpose: a file they cannot walk completely (a PNG's chunks up to IEND
 * with their CRCs; a JPEG's marker segments up to its frame header) is no image here. That keeps
 * what they read the same as what pdfkit reads (pdfkit's PNG reader would take the *last* IHDR and
 * loop past the end of a truncated file; its JPEG reader takes the first SOF-like marker it meets).
 */
export type ImageInfo = {
  type: 'png' | 'jpeg';
  width: number;
  height: number;
  /** Colour channels once decoded (a palette PNG counts as RGB, as a viewer expands it; + alpha). */
  channels: number;
  /** Bits per channel (1–16). */
  bits: number;
  /** Bytes the decoded pixels take: width × height × channels × bytes per channel. */
  decodedBytes: number;
};

export type ImageLimits = {
  /** Largest width and largest height, in pixels. */
  maxSide: number;
  /** Largest decoded size (width × height × channels × bytes per channel). */
  maxDecodedBytes: number;
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Allowed bit depths per PNG colour type, and the channels each decodes to. */
const PNG_COLOUR_TYPES: Record<number, { bits: readonly number[]; channels: number }> = {
  0: { bits: [1, 2, 4, 8, 16], channels: 1 }, // greyscale
  2: { bits: [8, 16], channels: 3 }, // RGB
  3: { bits: [1, 2, 4, 8], channels: 3 }, // palette → RGB
  4: { bits: [8, 16], channels: 2 }, // greyscale + alpha
  6: { bits: [8, 16], channels: 4 }, // RGBA
};

function decoded(width: number, height: number, channels: number, bits: number): number {
  return width * height * channels * Math.ceil(bits / 8);
}

function pngInfo(b: Buffer): ImageInfo | null {
  let pos = PNG_SIGNATURE.length;
  let header: ImageInfo | null = null;
  let palette = false;
  while (pos + 12 <= b.length) {
    const length = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > b.length) return null;
    if (b.readUInt32BE(end - 4) !== zlib.crc32(b.subarray(pos + 4, end - 4))) return null;
    const data = b.subarray(pos + 8, end - 4);
    if (type === 'IHDR') {
      // Exactly one, and first (a second one would change what pdfkit reads).
      if (header !== null || pos !== PNG_SIGNATURE.length || length !== 13) return null;
      const width = data.readUInt32BE(0);
      const height = data.readUInt32BE(4);
      const bits = data[8] ?? 0;
      const colour = PNG_COLOUR_TYPES[data[9] ?? -1];
      const [compression, filter, interlace] = [data[10], data[11], data[12]];
      if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return null;
      if (!colour?.bits.includes(bits) || compression !== 0 || filter !== 0) return null;
      if (interlace !== 0 && interlace !== 1) return null;
      palette = data[9] === 3;
      header = {
        type: 'png',
        width,
        height,
        channels: colour.channels,
        bits,
        decodedBytes: decoded(width, height, colour.channels, bits),
      };
    } else if (header === null) {
      return null;
    } else if (type === 'tRNS' && palette) {
      // A palette with transparency decodes with an alpha channel.
      const { width, height } = header as ImageInfo;
      header = { ...(header as ImageInfo), channels: 4, decodedBytes: decoded(width, height, 4, 8) };
    } else if (type === 'IEND') {
      return header;
    }
    pos = end;
  }
  return null;
}

/** JPEG frame headers (SOF0–SOF15 without DHT C4, JPG C8 and DAC CC). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpegInfo(b: Buffer): ImageInfo | null {
  let pos = 2;
  // Every segment before the frame header: 0xFF, a marker, a length that fits. No fill bytes,
  // no stand-alone markers, no data between segments — the plain form pdfkit's reader walks alike.
  while (pos + 4 <= b.length) {
    if (b[pos] !== 0xff) return null;
    const marker = b[pos + 1] ?? 0;
    if (marker === 0xff || marker === 0x00 || marker === 0xd8 || marker === 0xd9 || marker === 0xda)
      return null;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xc8 || marker === 0xcc)
      return null;
    const length = b.readUInt16BE(pos + 2);
    if (length < 2 || pos + 2 + length > b.length) return null;
    if (SOF.has(marker)) {
      if (length < 8) return null;
      const bits = b[pos + 4] ?? 0;
      const height = b.readUInt16BE(pos + 5);
      const width = b.readUInt16BE(pos + 7);
      const channels = b[pos + 9] ?? 0;
      if (![8, 12, 16].includes(bits) || width === 0 || height === 0) return null;
      if (channels !== 1 && channels !== 3 && channels !== 4) return null;
      if (length < 8 + 3 * channels) return null;
      return {
        type: 'jpeg',
        width,
        height,
        channels,
        bits,
        decodedBytes: decoded(width, height, channels, bits),
      };
    }
    pos += 2 + length;
  }
  return null;
}

/** Width, height and decoded size of a whole PNG or JPEG file; null when it is neither, or malformed. */
export function imageInfo(bytes: Uint8Array): ImageInfo | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return pngInfo(b);
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpegInfo(b);
  return null;
}

/** What exceeds `limits`, as short phrases; empty when the image is within them. */
export function exceedsLimits(info: ImageInfo, limits: ImageLimits): string[] {
  const over: string[] = [];
  if (info.width > limits.maxSide || info.height > limits.maxSide)
    over.push(`at most ${limits.maxSide} × ${limits.maxSide} pixels`);
  if (info.decodedBytes > limits.maxDecodedBytes)
    over.push(`at most ${Math.floor(limits.maxDecodedBytes / (1024 * 1024))} MiB once decoded`);
  return over;
}
