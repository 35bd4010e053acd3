import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { exceedsLimits, imageInfo } from './image-info.ts';
import { jpeg, jpegDeclaring, pdf, png, pngDeclaring } from './test-fixtures.ts';

const limits = { maxSide: 4096, maxDecodedBytes: 16 * 1024 * 1024 };

describe('image sizes from headers', () => {
  it('reads width, height and decoded size of PNG and JPEG without decoding', () => {
    expect(imageInfo(png())).toEqual({
      type: 'png',
      width: 1,
      height: 1,
      channels: 3,
      bits: 8,
      decodedBytes: 3,
    });
    expect(imageInfo(jpeg())).toMatchObject({ type: 'jpeg', width: 1, height: 1, channels: 1 });
    const hostile = pngDeclaring(11_000, 11_000);
    expect(hostile.length).toBeLessThan(2048);
    expect(imageInfo(hostile)).toMatchObject({ width: 11_000, height: 11_000, decodedBytes: 484_000_000 });
    expect(imageInfo(jpegDeclaring(30_000, 20_000))).toMatchObject({ width: 30_000, height: 20_000 });
  });

  it('bounds sides and decoded bytes', () => {
    const info = (b: Buffer) => imageInfo(b) ?? expect.unreachable('not an image');
    expect(exceedsLimits(info(png()), limits)).toEqual([]);
    expect(exceedsLimits(info(pngDeclaring(2048, 2048)), limits)).toEqual([]); // 16 MiB RGBA
    expect(exceedsLimits(info(pngDeclaring(11_000, 11_000)), limits)).toHaveLength(2);
    // Within the sides, over the decoded size: 4096 × 4096 RGBA is 64 MiB.
    expect(exceedsLimits(info(pngDeclaring(4096, 4096)), limits)).toEqual(['at most 16 MiB once decoded']);
    expect(exceedsLimits(info(jpegDeclaring(5000, 10)), limits)).toEqual(['at most 4096 × 4096 pixels']);
  });

  it('refuses what it cannot walk completely: no image, truncated, a second IHDR, a bad CRC', () => {
    expect(imageInfo(pdf())).toBeNull();
    expect(imageInfo(Buffer.alloc(0))).toBeNull();
    const good = png();
    expect(imageInfo(good.subarray(0, good.length - 12))).toBeNull(); // no IEND
    const badCrc = Buffer.from(good);
    badCrc[20] = (badCrc[20] ?? 0) ^ 1; // inside IHDR's width
    expect(imageInfo(badCrc)).toBeNull();
    // A small IHDR first, then one declaring 11,000² (pdfkit's reader keeps the last one).
    const big = pngDeclaring(11_000, 11_000);
    const secondIhdr = Buffer.concat([good.subarray(0, 33), big.subarray(8, 33), good.subarray(33)]);
    expect(imageInfo(secondIhdr)).toBeNull();
    // A palette image with transparency decodes with alpha.
    const chunk = (type: string, data: Buffer) => {
      const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const head = Buffer.alloc(4);
      head.writeUInt32BE(data.length);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(zlib.crc32(typed));
      return Buffer.concat([head, typed, crc]);
    };
    const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 3, 0, 0, 0]);
    const palette = Buffer.concat([
      good.subarray(0, 8),
      chunk('IHDR', ihdr),
      chunk('PLTE', Buffer.from([0, 0, 0])),
      chunk('tRNS', Buffer.from([0])),
      chunk('IDAT', zlib.deflateSync(Buffer.alloc(6))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(imageInfo(palette)).toMatchObject({ channels: 4, decodedBytes: 16 });
    // JPEG: a segment running past the end, or fill bytes before the frame header.
    const j = jpeg();
    expect(imageInfo(j.subarray(0, 30))).toBeNull();
    expect(imageInfo(Buffer.concat([j.subarray(0, 2), Buffer.from([0xff]), j.subarray(2)]))).toBeNull();
  });
});
