import { AppError } from '../errors.ts';
import { exceedsLimits, type ImageInfo, type ImageLimits, imageInfo } from '../storage/image-info.ts';

/**
 * The letterhead logo's bounds. It is drawn at most 66 pt square (under an inch), so 4096 pixels a
 * side is far more than any printer needs; 16 MiB decoded is a 2048 × 2048 RGBA image. Without a
 * bound, a 470 KB PNG declaring 11,000 × 11,000 pixels made every document cost ~1.8 GB and 8 s.
 */
export const LOGO_LIMITS = {
  maxBytes: 512 * 1024,
  maxSide: 4096,
  maxDecodedBytes: 16 * 1024 * 1024,
} as const satisfies ImageLimits & { maxBytes: number };

/**
 * Checks an uploaded logo's bytes: a PNG or JPEG whose headers can be walked, within
 * `LOGO_LIMITS`. Reads headers only, never decodes. Throws LOGO_INVALID (415) or IMAGE_TOO_LARGE
 * (422).
 */
export function checkLogo(bytes: Buffer): ImageInfo {
  const info = imageInfo(bytes);
  if (!info) {
    throw new AppError('LOGO_INVALID', 'The logo must be a PNG or JPEG image', {
      details: { fields: [{ path: 'logo', message: 'a complete PNG or JPEG image' }] },
    });
  }
  const over = exceedsLimits(info, LOGO_LIMITS);
  if (over.length > 0) {
    throw new AppError(
      'IMAGE_TOO_LARGE',
      `The logo is ${info.width} × ${info.height} pixels; it may be ${over.join(' and ')}`,
      {
        details: {
          fields: [{ path: 'logo', message: over.join('; ') }],
          width: info.width,
          height: info.height,
          decodedBytes: info.decodedBytes,
          maxSide: LOGO_LIMITS.maxSide,
          maxDecodedBytes: LOGO_LIMITS.maxDecodedBytes,
        },
      },
    );
  }
  return info;
}

/** A stored logo's bytes if they are still a usable logo (stored before these checks, perhaps); else null. */
export function usableLogo(bytes: Buffer | null): Buffer | null {
  if (!bytes || bytes.length > LOGO_LIMITS.maxBytes) return null;
  const info = imageInfo(bytes);
  return info && exceedsLimits(info, LOGO_LIMITS).length === 0 ? bytes : null;
}
