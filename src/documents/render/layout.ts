// Shared layout for the official PDFs: document set-up and metadata, safe text for the standard
// fonts, Indonesian dates, word wrapping, the letterhead (kop surat), tables that break across
// pages with their header repeated, the signature block and the verification footer on every page.
import { exceedsLimits, type ImageLimits, imageInfo } from '../../storage/image-info.ts';
import { LOGO_LIMITS } from '../logo.ts';
import type { Letterhead, Signer, VerifyMark } from './types.ts';

export type Doc = PDFKit.PDFDocument;

export const FONT = {
  sans: 'Helvetica',
  sansBold: 'Helvetica-Bold',
  sansItalic: 'Helvetica-Oblique',
  serif: 'Times-Roman',
  serifBold: 'Times-Bold',
  serifItalic: 'Times-Italic',
} as const;

export const INK = '#111111';
export const MUTED = '#555555';
export const RULE = '#444444';
export const FILL = '#e8e8e8';
export const LATE = '#b00020';

export const AUTHOR = 'Loket DKISP';

// ---------------------------------------------------------------------------------------------
// Text the standard fonts can show

// The standard 14 fonts are WinAnsi (Windows-1252) encoded: Latin-1 plus these. Anything else would
// be drawn as a wrong glyph, so it is replaced.
const CP1252_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const SHOWABLE = new Set<number>();
for (let c = 0x20; c <= 0x7e; c++) SHOWABLE.add(c);
for (let c = 0xa0; c <= 0xff; c++) SHOWABLE.add(c);
for (const ch of CP1252_EXTRA) SHOWABLE.add(ch.codePointAt(0) as number);
const REPLACEMENTS: Record<string, string> = {
  '\u2212': '-', // minus
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2015': '—',
  '\u2032': "'",
  '\u2033': '"',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2713': 'v',
  '\u2714': 'v',
  '\u00ad': '', // soft hyphen: invisible
  '\u200b': '',
  '\ufeff': '',
};
const PLAIN = /^[\x20-\x7e]*$/;

/**
 * Makes text safe for pdfkit's standard fonts: line breaks normalised to "\n", tabs and other
 * control characters to spaces, characters outside Windows-1252 to their unaccented form where
 * one exists ("ā" → "a"), else to "?". Never throws.
 */
export function clean(text: string | null | undefined): string {
  if (text == null) return '';
  const s = String(text);
  if (PLAIN.test(s)) return s;
  let out = '';
  for (const ch of s.replace(/\r\n?/g, '\n').normalize('NFC')) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '\n') out += ch;
    else if (SHOWABLE.has(cp)) out += ch;
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) out += ' ';
    else if (REPLACEMENTS[ch] !== undefined) out += REPLACEMENTS[ch];
    else if (/\s/.test(ch)) out += ' ';
    else {
      const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      out += base.length > 0 && [...base].every((b) => SHOWABLE.has(b.codePointAt(0) as number)) ? base : '?';
    }
  }
  return out;
}

/**
 * A single-line field as an official document shows it: every run of whitespace — line breaks,
 * blank lines, tabs, Unicode line and paragraph separators — one space, trimmed. A requester's
 * subject or a decision reason then stays inside its field or sentence instead of starting a
 * paragraph or line of its own in a signed letter. The stored text is not changed.
 */
export function oneLine(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/gu, ' ').trim();
}

/** "tindak_lanjuti" → "Tindak lanjuti"; anything that is not a bare snake_case key is left alone. */
export function humanize(value: string): string {
  if (!/^[a-z]+(_[a-z]+)*$/.test(value)) return value;
  const s = value.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Indonesian dates (WIB)

export const MONTHS = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
] as const;

// Asia/Jakarta is UTC+7 all year (no daylight saving since 1964), so a fixed offset is exact.
const WIB_OFFSET_MS = 7 * 3600_000;

function wibParts(d: Date) {
  const t = new Date(d.getTime() + WIB_OFFSET_MS);
  return {
    year: t.getUTCFullYear(),
    month: t.getUTCMonth(),
    day: t.getUTCDate(),
    hour: t.getUTCHours(),
    minute: t.getUTCMinutes(),
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** "28 November 2026" from a Date (its day in WIB) or a "YYYY-MM-DD" calendar date; "-" when empty. */
export function formatDate(value: Date | string | null | undefined): string {
  if (value == null || value === '') return '-';
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
    const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
    if (!m || !month || Number(m[3]) < 1 || Number(m[3]) > 31) return clean(value);
    return `${Number(m[3])} ${month} ${m[1]}`;
  }
  if (Number.isNaN(value.getTime())) return '-';
  const p = wibParts(value);
  return `${p.day} ${MONTHS[p.month]} ${p.year}`;
}

/** "09.15 WIB" (Indonesian style, a dot between hours and minutes). */
export function formatTime(value: Date): string {
  if (Number.isNaN(value.getTime())) return '-';
  const p = wibParts(value);
  return `${pad2(p.hour)}.${pad2(p.minute)} WIB`;
}

/** "28 November 2026 pukul 09.15 WIB" */
export function formatDateTime(value: Date | null | undefined): string {
  if (value == null || Number.isNaN(value.getTime())) return '-';
  return `${formatDate(value)} pukul ${formatTime(value)}`;
}

// ---------------------------------------------------------------------------------------------
// Document set-up, output and the verification footer

export type Margins = { top: number; bottom: number; left: number; right: number };

export type DocSetup = {
  title: string;
  subject: string;
  keywords?: string;
  landscape?: boolean;
  /** The verification mark printed on every page; null prints only the page numbers. */
  verify: VerifyMark | null;
  /** Printed large and light across every page (a draft: "PRATINJAU"). */
  watermark?: string;
};

// 2 cm sides; the bottom margin holds the footer (QR code, verification text, page number).
const PORTRAIT_MARGINS: Margins = { top: 36, bottom: 84, left: 57, right: 57 };
const LANDSCAPE_MARGINS: Margins = { top: 28, bottom: 74, left: 28, right: 28 };

/**
 * Creates an A4 document, lets `draw` lay out the content, stamps the footer on every page and
 * resolves with the PDF bytes.
 */
export async function renderPdf(setup: DocSetup, draw: (doc: Doc) => void): Promise<Buffer> {
  // Loaded on first use, not at start (docs/adr/0012-memory-and-start-up.md).
  const [{ default: PDFDocument }, { default: QRCode }] = await Promise.all([
    import('pdfkit'),
    import('qrcode'),
  ]);
  const qr = setup.verify
    ? await QRCode.toBuffer(setup.verify.url || ' ', {
        type: 'png',
        errorCorrectionLevel: 'M',
        margin: 1,
        scale: 4,
      })
    : null;
  const doc = new PDFDocument({
    size: 'A4',
    layout: setup.landscape ? 'landscape' : 'portrait',
    margins: setup.landscape ? LANDSCAPE_MARGINS : PORTRAIT_MARGINS,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'id-ID',
    displayTitle: true,
    info: {
      Title: clean(setup.title),
      Author: AUTHOR,
      Subject: clean(setup.subject),
      Creator: 'Loket',
      CreationDate: new Date(),
      ...(setup.keywords ? { Keywords: clean(setup.keywords) } : {}),
    },
  });
  const chunks: Uint8Array[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Uint8Array) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font(FONT.sans).fontSize(10).fillColor(INK);
  draw(doc);
  // Opened once, placed on every page as the same XObject.
  const qrImage = qr ? (doc as unknown as { openImage(src: Buffer): Buffer }).openImage(qr) : null;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    if (setup.watermark) drawWatermark(doc, setup.watermark);
    drawFooter(doc, i - range.start + 1, range.count, setup.verify, qrImage);
  }
  doc.end();
  return done;
}

/** A light diagonal word across the page, e.g. "PRATINJAU" on a draft. */
function drawWatermark(doc: Doc, text: string) {
  const w = doc.page.width;
  const h = doc.page.height;
  const size = Math.min(w, h) / 6;
  doc.save().font(FONT.sansBold).fontSize(size);
  const tw = doc.widthOfString(clean(text));
  doc
    .rotate(-Math.atan2(h, w) * (180 / Math.PI), { origin: [w / 2, h / 2] })
    .fillColor('#b00020')
    .fillOpacity(0.12)
    .text(clean(text), w / 2 - tw / 2, h / 2 - size / 2, { lineBreak: false });
  doc.restore();
}

function drawFooter(doc: Doc, page: number, pages: number, verify: VerifyMark | null, qr: Buffer | null) {
  const { left, right } = bounds(doc);
  const top = doc.page.height - doc.page.margins.bottom + 14;
  doc.save().lineWidth(0.5).strokeColor(RULE).moveTo(left, top).lineTo(right, top).stroke().restore();
  const pageLabel = `Halaman ${page} dari ${pages}`;
  put(doc, pageLabel, right - 120, top + 6, {
    font: FONT.sans,
    size: 8,
    color: MUTED,
    width: 120,
    align: 'right',
  });
  if (!verify || !qr) return;
  const size = 46;
  doc.image(qr, left, top + 5, { width: size, height: size });
  const x = left + size + 8;
  const width = right - 124 - x;
  const text = `Dokumen ini diterbitkan oleh ${AUTHOR}. Periksa keasliannya: ${verify.url}`;
  let y = top + 7;
  for (const line of wrap(doc, text, width, FONT.sans, 7.5)) {
    put(doc, line, x, y, { font: FONT.sans, size: 7.5, color: MUTED });
    y += 9.5;
  }
  put(doc, `ID dokumen: ${verify.documentId}`, x, y + 1, { font: FONT.sans, size: 7.5, color: MUTED });
}

export function bounds(doc: Doc) {
  const m = doc.page.margins;
  return {
    left: m.left,
    right: doc.page.width - m.right,
    top: m.top,
    bottom: doc.page.height - m.bottom,
    width: doc.page.width - m.left - m.right,
  };
}

/** Starts a new page when fewer than `height` points remain; returns whether it did. */
export function ensureSpace(doc: Doc, height: number): boolean {
  const { top, bottom, left } = bounds(doc);
  if (doc.y + height <= bottom || doc.y <= top + 0.5) return false;
  doc.addPage();
  doc.x = left;
  doc.y = top;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Single lines and wrapping

export type Align = 'left' | 'center' | 'right';

type PutOptions = {
  font: string;
  size: number;
  color?: string;
  /** With align center/right: the box the line is placed in. */
  width?: number;
  align?: Align;
  underline?: boolean;
};

/** Draws one line of text with its top at y, never wrapping and never adding a page. */
export function put(doc: Doc, text: string, x: number, y: number, o: PutOptions): number {
  const s = clean(text);
  doc
    .font(o.font)
    .fontSize(o.size)
    .fillColor(o.color ?? INK);
  const w = doc.widthOfString(s);
  let left = x;
  if (o.width !== undefined && o.align === 'center') left = x + (o.width - w) / 2;
  else if (o.width !== undefined && o.align === 'right') left = x + o.width - w;
  doc.text(s, left, y, { lineBreak: false });
  if (o.underline) {
    const uy = y + o.size * 0.95;
    doc
      .save()
      .lineWidth(Math.max(0.5, o.size / 18))
      .strokeColor(o.color ?? INK)
      .moveTo(left, uy)
      .lineTo(left + w, uy)
      .stroke()
      .restore();
  }
  return w;
}

/**
 * Greedy word wrap to `width` in the given font: paragraphs kept ("\n"), words longer than a line
 * broken by character. Returns at least one (possibly empty) line.
 */
export function wrap(doc: Doc, text: string, width: number, font: string, size: number): string[] {
  doc.font(font).fontSize(size);
  const space = doc.widthOfString(' ');
  const lines: string[] = [];
  for (const para of clean(text).split('\n')) {
    const words = para.split(/ +/).filter((w) => w.length > 0);
    let line = '';
    let lineW = 0;
    for (const word of words) {
      const w = doc.widthOfString(word);
      if (line && lineW + space + w <= width + 0.01) {
        line += ` ${word}`;
        lineW += space + w;
        continue;
      }
      if (line) lines.push(line);
      if (w <= width + 0.01) {
        line = word;
        lineW = w;
        continue;
      }
      // A word wider than the line: break it by character.
      let part = '';
      for (const ch of word) {
        if (part && doc.widthOfString(part + ch) > width) {
          lines.push(part);
          part = '';
        }
        part += ch;
      }
      line = part;
      lineW = doc.widthOfString(part);
    }
    lines.push(line);
  }
  return lines;
}

/** Like wrap, but with lines of even length (no lone last word): for titles and names. */
export function wrapBalanced(doc: Doc, text: string, width: number, font: string, size: number): string[] {
  const lines = wrap(doc, text, width, font, size);
  if (lines.length < 2 || text.includes('\n')) return lines;
  let lo = width / (lines.length + 1);
  let hi = width;
  for (let i = 0; i < 14; i++) {
    const mid = (lo + hi) / 2;
    if (wrap(doc, text, mid, font, size).length <= lines.length) hi = mid;
    else lo = mid;
  }
  return wrap(doc, text, hi, font, size);
}

export const leading = (size: number) => size * 1.28;

// ---------------------------------------------------------------------------------------------
// Images

/**
 * pdfkit's image for `bytes` when it is a PNG or JPEG within `limits` — judged from its headers
 * before pdfkit decodes anything, and again by the size pdfkit itself read — else null. Every
 * image from outside Loket goes through here on its way into a PDF.
 */
export function openBoundedImage(doc: Doc, bytes: Buffer, limits: ImageLimits): object | null {
  const info = imageInfo(bytes);
  if (!info || exceedsLimits(info, limits).length > 0) return null;
  try {
    // Opening reads headers only; pixels are decoded when the image is placed.
    const img = (doc as unknown as { openImage(src: Buffer): { width: number; height: number } }).openImage(
      bytes,
    );
    return img.width === info.width && img.height === info.height ? img : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Letterhead (kop surat)

/** Draws the letterhead at the top of the current page; leaves doc.y under its double rule. */
export function drawLetterhead(doc: Doc, lh: Letterhead, o: { compact?: boolean } = {}): void {
  const { left, right, width, top } = bounds(doc);
  const logoSize = o.compact ? 52 : 66;
  let hasLogo = false;
  const logo = lh.logo && lh.logo.length > 0 ? openBoundedImage(doc, lh.logo, LOGO_LIMITS) : null;
  if (logo) {
    try {
      doc.image(logo as unknown as Buffer, left, top, {
        fit: [logoSize, logoSize],
        align: 'center',
        valign: 'center',
      });
      hasLogo = true;
    } catch {
      // A logo pdfkit cannot read is left out rather than failing the document.
    }
  }
  // Text centred on the page, clear of the logo on both sides.
  const inset = hasLogo ? logoSize + 10 : 0;
  const tx = left + inset;
  const tw = width - 2 * inset;
  let y = top + (o.compact ? 0 : 2);
  const block = (text: string, font: string, size: number, min: number) => {
    // Shrink to fit one line down to `min`, else wrap into even lines at the full size.
    let s = size;
    doc.font(font).fontSize(s);
    while (s > min && doc.widthOfString(clean(text)) > tw) {
      s -= 0.5;
      doc.fontSize(s);
    }
    if (doc.widthOfString(clean(text)) > tw) s = size;
    for (const line of wrapBalanced(doc, text, tw, font, s)) {
      put(doc, line, tx, y, { font, size: s, width: tw, align: 'center' });
      y += leading(s) * 0.95;
    }
  };
  const k = o.compact ? 0.85 : 1;
  block(lh.government.toUpperCase(), FONT.serifBold, 14 * k, 12 * k);
  block(lh.agency.toUpperCase(), FONT.serifBold, 15 * k, 13 * k);
  y += 1;
  if (lh.address.trim()) block(lh.address, FONT.serif, 9.5 * k, 8);
  if (lh.contact.trim()) block(lh.contact, FONT.serif, 9.5 * k, 8);
  y = Math.max(y + 3, hasLogo ? top + logoSize + 4 : 0);
  doc.save().strokeColor(INK).lineWidth(2).moveTo(left, y).lineTo(right, y).stroke();
  doc
    .lineWidth(0.6)
    .moveTo(left, y + 3)
    .lineTo(right, y + 3)
    .stroke()
    .restore();
  doc.x = left;
  doc.y = y + (o.compact ? 10 : 16);
}

/** A centred, bold document title (and optional second line) under the letterhead. */
export function drawTitle(doc: Doc, title: string, subtitle?: string, font: string = FONT.sansBold): void {
  const { left, width } = bounds(doc);
  let y = doc.y;
  for (const line of wrapBalanced(doc, title, width, font, 13)) {
    put(doc, line, left, y, { font, size: 13, width, align: 'center' });
    y += leading(13);
  }
  if (subtitle) {
    for (const line of wrapBalanced(doc, subtitle, width - 60, FONT.sans, 10)) {
      put(doc, line, left, y, { font: FONT.sans, size: 10, width, align: 'center' });
      y += leading(10);
    }
  }
  doc.x = left;
  doc.y = y + 10;
}

/** A section heading; kept with at least `keep` points of what follows. */
export function drawHeading(
  doc: Doc,
  text: string,
  o: { size?: number; font?: string; keep?: number; number?: string; indent?: number } = {},
) {
  const size = o.size ?? 11;
  const font = o.font ?? FONT.sansBold;
  const { left, width } = bounds(doc);
  // A number hangs in its own column, the title wraps beside it.
  const indent = o.number ? (o.indent ?? 18) : 0;
  const lines = wrap(doc, text, width - indent, font, size);
  ensureSpace(doc, lines.length * leading(size) + (o.keep ?? 40));
  let y = doc.y;
  if (o.number) put(doc, o.number, left, y, { font, size });
  for (const line of lines) {
    put(doc, line, left + indent, y, { font, size });
    y += leading(size);
  }
  doc.x = left;
  doc.y = y + 3;
}

const DATE_IN_TEXT = new RegExp(`\\b(\\d{1,2}) (${MONTHS.join('|')}) (\\d{4})\\b`, 'g');

/** Dates in running text are never split across lines ("2 / November 2026"): no-break spaces. */
export const glueDates = (text: string) => text.replace(DATE_IN_TEXT, '$1\u00a0$2\u00a0$3');

/** Flowing paragraphs (pdfkit's own wrapping, so justified text and page breaks come for free). */
export function drawParagraphs(
  doc: Doc,
  paragraphs: string[],
  o: {
    font?: string;
    size?: number;
    align?: 'left' | 'justify';
    indent?: number;
    gap?: number;
    x?: number;
  } = {},
) {
  const { left, right } = bounds(doc);
  const x = o.x ?? left;
  const size = o.size ?? 10;
  doc
    .font(o.font ?? FONT.sans)
    .fontSize(size)
    .fillColor(INK);
  for (const p of paragraphs) {
    const text = glueDates(clean(p).trim());
    if (!text) continue;
    ensureSpace(doc, leading(size) * 2);
    // Lines of one paragraph (a list, say) stay together; the gap comes between paragraphs.
    doc.text(text, x, doc.y, {
      width: right - x,
      align: o.align ?? 'justify',
      indent: o.indent ?? 0,
      lineGap: size * 0.2,
    });
    doc.y += o.gap ?? size * 0.6;
  }
  doc.x = left;
}

// ---------------------------------------------------------------------------------------------
// Tables

export type CellSpec = {
  text?: string;
  /** A list: one item per line, bulleted (with a hanging indent) when there are several. */
  items?: string[];
  bold?: boolean;
  italic?: boolean;
  color?: string;
  align?: Align;
  fill?: string;
  /** Columns this cell covers (default 1). */
  span?: number;
};
export type Cell = string | CellSpec;

export type Column = { header: string; width: number; align?: Align };

export type TableOptions = {
  columns: Column[];
  rows: Cell[][];
  size?: number;
  /** Print the header row (repeated on each page). Default true. */
  header?: boolean;
  /** Draw the cell borders. Default true. */
  borders?: boolean;
  padding?: number;
  x?: number;
  font?: string;
  boldFont?: string;
  italicFont?: string;
  headerFill?: string;
};

export type Line = { text: string; dx: number };

/** A cell's wrapped lines: its text, or its items (bulleted, hanging indent, when more than one). */
export function cellLines(doc: Doc, spec: CellSpec, inner: number, font: string, size: number): Line[] {
  if (spec.items && spec.items.length > 1) {
    doc.font(font).fontSize(size);
    const indent = doc.widthOfString('• ');
    return spec.items.flatMap((item) =>
      wrap(doc, item, inner - indent, font, size).map((text, i) => ({
        text: i === 0 ? `• ${text}` : text,
        dx: i === 0 ? 0 : indent,
      })),
    );
  }
  const text = spec.items ? (spec.items[0] ?? '') : (spec.text ?? '');
  return wrap(doc, text, inner, font, size).map((text) => ({ text, dx: 0 }));
}
type LaidCell = { x: number; w: number; lines: Line[]; spec: CellSpec };

/**
 * Draws a table from doc.y: rows that do not fit move to the next page under a repeated header;
 * a row taller than a whole page is split between lines. Leaves doc.y under the table.
 */
export function drawTable(doc: Doc, t: TableOptions): void {
  const size = t.size ?? 8.5;
  const pad = t.padding ?? 3.5;
  const lh = leading(size);
  const font = t.font ?? FONT.sans;
  const bold = t.boldFont ?? FONT.sansBold;
  const italic = t.italicFont ?? FONT.sansItalic;
  const borders = t.borders ?? true;
  const x0 = t.x ?? bounds(doc).left;
  const xs: number[] = [];
  let acc = x0;
  for (const c of t.columns) {
    xs.push(acc);
    acc += c.width;
  }

  const fontOf = (s: CellSpec) => (s.bold ? bold : s.italic ? italic : font);
  const layRow = (cells: Cell[]): LaidCell[] => {
    const out: LaidCell[] = [];
    let col = 0;
    for (const c of cells) {
      const spec: CellSpec = typeof c === 'string' ? { text: c } : c;
      const span = Math.max(1, spec.span ?? 1);
      const x = xs[col] ?? x0;
      const w = t.columns.slice(col, col + span).reduce((a, b) => a + b.width, 0);
      col += span;
      const lines = cellLines(doc, spec, Math.max(4, w - 2 * pad), fontOf(spec), size);
      out.push({ x, w, lines, spec });
    }
    return out;
  };

  const headerCells: Cell[] = t.columns.map((c) => ({
    text: c.header,
    bold: true,
    align: 'center',
    fill: t.headerFill ?? FILL,
  }));
  const showHeader = t.header ?? true;
  const header = showHeader ? layRow(headerCells) : [];
  const heightOf = (row: LaidCell[]) => Math.max(1, ...row.map((c) => c.lines.length)) * lh + 2 * pad;
  const headerH = showHeader ? heightOf(header) : 0;

  const drawCells = (row: LaidCell[], y: number, h: number, from: number, count: number) => {
    for (const c of row) {
      if (c.spec.fill) doc.save().rect(c.x, y, c.w, h).fill(c.spec.fill).restore();
      if (borders) doc.save().lineWidth(0.5).strokeColor(RULE).rect(c.x, y, c.w, h).stroke().restore();
      const f = fontOf(c.spec);
      const colAlign = c.spec.align ?? 'left';
      let ly = y + pad + size * 0.1;
      for (const line of c.lines.slice(from, from + count)) {
        put(doc, line.text, c.x + pad + line.dx, ly, {
          font: f,
          size,
          color: c.spec.color ?? INK,
          width: c.w - 2 * pad - line.dx,
          align: colAlign,
        });
        ly += lh;
      }
    }
  };

  let y = doc.y;
  const startPage = () => {
    doc.addPage();
    y = bounds(doc).top;
    if (showHeader) {
      drawCells(header, y, headerH, 0, Number.MAX_SAFE_INTEGER);
      y += headerH;
    }
  };
  const bottom = () => bounds(doc).bottom;
  // Never leave a header alone at the foot of a page: start the table where its first row fits
  // (or, for a row taller than a page, where a few of its lines do).
  const firstRowH = t.rows[0] ? heightOf(layRow(t.rows[0])) : 0;
  const room = bottom() - bounds(doc).top - headerH;
  const firstNeed = firstRowH <= room ? firstRowH : 3 * lh + 2 * pad;
  if (y + headerH + firstNeed > bottom() && y > bounds(doc).top + 0.5) startPage();
  else if (showHeader) {
    drawCells(header, y, headerH, 0, Number.MAX_SAFE_INTEGER);
    y += headerH;
  }
  for (const cells of t.rows) {
    const row = layRow(cells);
    const total = Math.max(1, ...row.map((c) => c.lines.length));
    const pageRoom = bottom() - bounds(doc).top - headerH;
    if (y + heightOf(row) > bottom() && heightOf(row) <= pageRoom) startPage();
    let from = 0;
    while (from < total) {
      let fit = Math.floor((bottom() - y - 2 * pad) / lh);
      if (fit < Math.min(2, total - from)) {
        startPage();
        fit = Math.floor((bottom() - y - 2 * pad) / lh);
      }
      const count = Math.max(1, Math.min(fit, total - from));
      const h = count * lh + 2 * pad;
      drawCells(row, y, h, from, count);
      y += h;
      from += count;
    }
  }
  doc.x = bounds(doc).left;
  doc.y = y + 8;
}

/** A borderless "Label : value" block (case references and the like). */
export function drawFields(
  doc: Doc,
  fields: [string, string][],
  o: { labelWidth?: number; size?: number } = {},
) {
  const { width } = bounds(doc);
  const lw = o.labelWidth ?? 110;
  drawTable(doc, {
    columns: [
      { header: '', width: lw },
      { header: '', width: 10 },
      { header: '', width: width - lw - 10 },
    ],
    rows: fields.map(([k, v]) => [k, ':', v || '-']),
    header: false,
    borders: false,
    size: o.size ?? 10,
    padding: 1.5,
  });
  doc.y -= 2;
}

// ---------------------------------------------------------------------------------------------
// Signature block

/**
 * The signature block on the right half: optional place/date line, the title (centred, wrapped),
 * room for the signature, the name bold and underlined, "NIP. …". Never split across pages.
 */
export function drawSignature(
  doc: Doc,
  signer: Signer,
  o: { dateLine?: string; font?: string; boldFont?: string; size?: number } = {},
) {
  const { left, width } = bounds(doc);
  const size = o.size ?? 11;
  const font = o.font ?? FONT.sans;
  const bold = o.boldFont ?? FONT.sansBold;
  const bw = Math.min(250, width * 0.5);
  const bx = left + width - bw;
  const lh = leading(size);
  const titleLines = wrapBalanced(doc, signer.title, bw, font, size);
  const nameLines = wrapBalanced(doc, signer.name, bw, bold, size);
  const gap = 58;
  const height =
    (o.dateLine ? lh : 0) + titleLines.length * lh + gap + nameLines.length * lh + (signer.nip ? lh : 0);
  ensureSpace(doc, height + 6);
  let y = doc.y + 6;
  const line = (text: string, f: string, underline = false) => {
    put(doc, text, bx, y, { font: f, size, width: bw, align: 'center', underline });
    y += lh;
  };
  if (o.dateLine) line(o.dateLine, font);
  for (const l of titleLines) line(l, font);
  y += gap;
  for (const l of nameLines) line(l, bold, true);
  if (signer.nip) line(`NIP. ${signer.nip}`, font);
  doc.x = left;
  doc.y = y + 6;
}
