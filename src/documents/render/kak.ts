// Kerangka Acuan Kerja (terms of reference): title, case reference, OPD, version, the sections in
// order, and who wrote this version when.
import {
  bounds,
  drawFields,
  drawHeading,
  drawLetterhead,
  drawParagraphs,
  drawTitle,
  ensureSpace,
  FONT,
  formatDateTime,
  leading,
  MUTED,
  put,
  renderPdf,
  wrap,
} from './layout.ts';
import type { KakData } from './types.ts';

export async function renderKak(data: KakData): Promise<Buffer> {
  return renderPdf(
    {
      title: `Kerangka Acuan Kerja ${data.caseRef} versi ${data.version}`,
      subject: `KAK: ${data.subject}`.slice(0, 500),
      keywords: 'kerangka acuan kerja',
      verify: data.verify,
    },
    (doc) => {
      drawLetterhead(doc, data.letterhead);
      drawTitle(doc, 'KERANGKA ACUAN KERJA', data.subject);
      drawFields(doc, [
        ['Nomor permohonan', data.caseRef],
        ['Perangkat daerah', data.opd],
        ['Versi', String(data.version)],
      ]);
      doc.y += 8;
      data.sections.forEach(([title, text], i) => {
        // Titles that carry their own number ("A. Latar Belakang") keep it; others are numbered.
        const own = /^((\d+|[A-Z])[.)])\s+(.*)$/s.exec(title.trim());
        drawHeading(doc, own ? (own[3] as string) : title, { size: 11, number: own ? own[1] : `${i + 1}.` });
        // Blank lines separate paragraphs; single line breaks (lists) are kept.
        const paragraphs = text.split(/\n\s*\n/);
        drawParagraphs(doc, paragraphs.length > 0 ? paragraphs : ['-'], {
          size: 10,
          align: 'justify',
          x: bounds(doc).left + 18,
        });
        doc.y += 4;
      });
      const { left, width } = bounds(doc);
      const line = `Disusun oleh ${data.createdBy} pada ${formatDateTime(data.createdAt)}.`;
      const lines = wrap(doc, line, width, FONT.sansItalic, 9);
      ensureSpace(doc, lines.length * leading(9) + 10);
      let y = doc.y + 6;
      for (const l of lines) {
        put(doc, l, left, y, { font: FONT.sansItalic, size: 9, color: MUTED });
        y += leading(9);
      }
      doc.y = y;
    },
  );
}
