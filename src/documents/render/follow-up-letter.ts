// Surat Tindak Lanjut in the official letter layout (tata naskah dinas): letterhead, place and
// date on the right, Nomor/Sifat/Lampiran/Hal, "Yth. … di …", justified body, signature block.
// The variant (approve/reject/return) shows only through the paragraphs it was given.
import {
  bounds,
  drawLetterhead,
  drawParagraphs,
  drawSignature,
  drawTable,
  FONT,
  formatDate,
  leading,
  put,
  renderPdf,
  wrap,
} from './layout.ts';
import type { FollowUpLetterData } from './types.ts';

const SIZE = 12;

export async function renderFollowUpLetter(data: FollowUpLetterData): Promise<Buffer> {
  return renderPdf(
    {
      title: `Surat ${data.number}`,
      subject: `Surat Tindak Lanjut: ${data.subject}`.slice(0, 500),
      keywords: 'surat tindak lanjut',
      verify: data.verify,
    },
    (doc) => {
      drawLetterhead(doc, data.letterhead);
      const { left, width } = bounds(doc);
      const lh = leading(SIZE);

      // Place and date, on the right.
      const dateLine = `${data.place}, ${formatDate(data.date)}`;
      put(doc, dateLine, left, doc.y, { font: FONT.serif, size: SIZE, width, align: 'right' });
      doc.y += lh + 4;

      drawTable(doc, {
        columns: [
          { header: '', width: 64 },
          { header: '', width: 10 },
          { header: '', width: width * 0.62 - 74 },
        ],
        rows: [
          ['Nomor', ':', data.number],
          ['Sifat', ':', data.urgency?.trim() || 'Biasa'],
          ['Lampiran', ':', data.attachments?.trim() || '-'],
          ['Hal', ':', data.subject],
        ],
        header: false,
        borders: false,
        size: SIZE,
        padding: 0.5,
        font: FONT.serif,
        boldFont: FONT.serifBold,
        italicFont: FONT.serifItalic,
      });
      doc.y += lh * 0.6;

      // Addressee: "Yth. …" / "di" / the place, indented.
      let y = doc.y;
      const aw = width * 0.6;
      for (const line of wrap(doc, `Yth. ${data.addressee}`, aw, FONT.serif, SIZE)) {
        put(doc, line, left, y, { font: FONT.serif, size: SIZE });
        y += lh;
      }
      put(doc, 'di', left, y, { font: FONT.serif, size: SIZE });
      y += lh;
      for (const line of wrap(doc, data.addresseePlace, aw - 28, FONT.serif, SIZE)) {
        put(doc, line, left + 28, y, { font: FONT.serif, size: SIZE });
        y += lh;
      }
      doc.y = y + lh;

      drawParagraphs(doc, data.paragraphs, {
        font: FONT.serif,
        size: SIZE,
        align: 'justify',
        indent: 36,
        gap: SIZE * 0.5,
      });
      doc.y += lh * 0.5;
      drawSignature(doc, data.signer, { font: FONT.serif, boldFont: FONT.serifBold, size: SIZE });
    },
  );
}
