// Test support: text out of a rendered PDF with poppler's pdftotext (poppler-utils), and page
// images with pdftoppm. Not used by the service.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const has = (tool: string) => !spawnSync(tool, ['-v'], { stdio: 'ignore' }).error;

export const hasPdftotext = has('pdftotext');
export const hasPdftoppm = has('pdftoppm');

function withFile<T>(pdf: Buffer, f: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-pdf-'));
  const file = path.join(dir, 'doc.pdf');
  try {
    fs.writeFileSync(file, pdf);
    return f(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The PDF's text. "layout" keeps the page's physical layout (columns side by side); "raw" keeps
 * the drawing order, so a wrapped cell's lines follow each other.
 */
export function pdfText(pdf: Buffer, mode: 'layout' | 'raw' = 'layout'): string {
  return withFile(pdf, (file) =>
    execFileSync('pdftotext', [`-${mode}`, '-enc', 'UTF-8', file, '-'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  );
}

/** Text with all whitespace runs made single spaces: wrapped text reads as it was written. */
export const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The PDF's document information as pdfinfo prints it ("Title", "Author", "Pages", …). */
export function pdfInfo(pdf: Buffer): Record<string, string> {
  const out = withFile(pdf, (file) => execFileSync('pdfinfo', ['-enc', 'UTF-8', file], { encoding: 'utf8' }));
  const info: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) info[(m[1] as string).trim()] = (m[2] as string).trim();
  }
  return info;
}

/** Every image in the PDF with its pixel size, as pdfimages (poppler-utils) lists them. */
export function pdfImages(pdf: Buffer): { width: number; height: number }[] {
  const out = withFile(pdf, (file) => execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2) // the header and its rule
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c.length > 4)
    .map((c) => ({ width: Number(c[3]), height: Number(c[4]) }));
}

/** Renders pages [first, last] to PNG files `${prefix}-N.png` at `dpi`; returns their paths. */
export function pdfToPng(
  pdf: Buffer,
  prefix: string,
  o: { first?: number; last?: number; dpi?: number } = {},
) {
  fs.mkdirSync(path.dirname(prefix), { recursive: true });
  const args = ['-png', '-r', String(o.dpi ?? 60)];
  if (o.first) args.push('-f', String(o.first));
  if (o.last) args.push('-l', String(o.last));
  withFile(pdf, (file) => execFileSync('pdftoppm', [...args, file, prefix]));
  const base = path.basename(prefix);
  return fs
    .readdirSync(path.dirname(prefix))
    .filter((f) => f.startsWith(`${base}-`) && f.endsWith('.png'))
    .map((f) => path.join(path.dirname(prefix), f));
}

/**
 * Dark pixels (gray < 128) a page has outside the box `[left, right]` (in points from the page's
 * left edge), rendered in gray at `dpi`: a drawing that runs past the margins shows here.
 */
export function inkOutside(pdf: Buffer, page: number, left: number, right: number, dpi = 50): number {
  const pgm = withFile(pdf, (file) =>
    execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), file], {
      maxBuffer: 64 << 20,
    }),
  );
  // P5 <width> <height> <maxval> then one byte per pixel.
  const head = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  if (!head) throw new Error('not a PGM image');
  const [w, h] = [Number(head[1]), Number(head[2])];
  const data = pgm.subarray(head[0].length);
  const px = (pt: number) => Math.round((pt * dpi) / 72);
  const [x0, x1] = [px(left), px(right)];
  let dark = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x >= x0 && x <= x1) continue;
      if ((data[y * w + x] as number) < 128) dark += 1;
    }
  }
  return dark;
}
