import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import {
  clean,
  FONT,
  formatDate,
  formatDateTime,
  formatTime,
  glueDates,
  humanize,
  MONTHS,
  wrap,
  wrapBalanced,
} from './layout.ts';

describe('Indonesian dates (WIB)', () => {
  it('names every month in Indonesian', () => {
    const names = MONTHS.map((_, i) => formatDate(`2026-${String(i + 1).padStart(2, '0')}-09`));
    expect(names).toEqual([
      '9 Januari 2026',
      '9 Februari 2026',
      '9 Maret 2026',
      '9 April 2026',
      '9 Mei 2026',
      '9 Juni 2026',
      '9 Juli 2026',
      '9 Agustus 2026',
      '9 September 2026',
      '9 Oktober 2026',
      '9 November 2026',
      '9 Desember 2026',
    ]);
  });

  it('reads a Date in Asia/Jakarta (UTC+7), across midnight and the year end', () => {
    expect(formatDate(new Date('2026-11-27T17:30:00Z'))).toBe('28 November 2026');
    expect(formatTime(new Date('2026-11-27T17:30:00Z'))).toBe('00.30 WIB');
    expect(formatDate(new Date('2026-12-31T16:59:00Z'))).toBe('31 Desember 2026');
    expect(formatDate(new Date('2026-12-31T17:00:00Z'))).toBe('1 Januari 2027');
    expect(formatDateTime(new Date('2026-11-23T02:15:00Z'))).toBe('23 November 2026 pukul 09.15 WIB');
  });

  it('keeps a calendar date as it is and shows empty or invalid values plainly', () => {
    expect(formatDate('2026-11-28')).toBe('28 November 2026');
    expect(formatDate(null)).toBe('-');
    expect(formatDate('')).toBe('-');
    expect(formatDate(new Date(Number.NaN))).toBe('-');
    expect(formatDate('2026-13-01')).toBe('2026-13-01');
    expect(formatDateTime(null)).toBe('-');
  });
});

describe('text for the standard fonts', () => {
  it('keeps ASCII, Latin-1 and Windows-1252 punctuation', () => {
    expect(clean('Kafé “Sehat” — 50% … Rp 1.000')).toBe('Kafé “Sehat” — 50% … Rp 1.000');
  });

  it('replaces what the fonts cannot show, never throwing', () => {
    expect(clean('Dinas ā Ω 漢字 ✓ 🙂')).toBe('Dinas a ? ?? v ?');
    expect(clean('a\tb\r\nc\u0000d')).toBe('a b\nc d');
    expect(clean(null)).toBe('');
  });

  it('glues dates in running text so they never break across lines', () => {
    expect(glueDates('surat tanggal 2 November 2026 perihal 12 Mei 2027.')).toBe(
      'surat tanggal 2\u00a0November\u00a02026 perihal 12\u00a0Mei\u00a02027.',
    );
    expect(glueDates('2 November saja')).toBe('2 November saja');
  });

  it('humanizes snake_case keys only', () => {
    expect(humanize('tindak_lanjuti')).toBe('Tindak lanjuti');
    expect(humanize('sangat_segera')).toBe('Sangat segera');
    expect(humanize('Segera')).toBe('Segera');
    expect(humanize('Mohon dikaji')).toBe('Mohon dikaji');
  });
});

describe('wrapping', () => {
  const doc = new PDFDocument();

  it('wraps at spaces, keeps paragraphs, breaks over-long words', () => {
    const lines = wrap(doc, 'satu dua tiga empat lima enam\ntujuh', 60, FONT.sans, 10);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join(' ')).toBe('satu dua tiga empat lima enam tujuh');
    for (const l of lines)
      expect(doc.font(FONT.sans).fontSize(10).widthOfString(l)).toBeLessThanOrEqual(60.01);
    const long = wrap(doc, 'x'.repeat(200), 50, FONT.sans, 10);
    expect(long.join('')).toBe('x'.repeat(200));
    expect(long.length).toBeGreaterThan(3);
  });

  it('balances lines without adding any', () => {
    const text = 'DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN';
    const greedy = wrap(doc, text, 330, FONT.serifBold, 15);
    const even = wrapBalanced(doc, text, 330, FONT.serifBold, 15);
    expect(even).toHaveLength(greedy.length);
    expect(even).toEqual(['DINAS KOMUNIKASI, INFORMATIKA,', 'STATISTIK DAN PERSANDIAN']);
  });
});
