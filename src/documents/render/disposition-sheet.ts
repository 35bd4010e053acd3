// Lembar Disposisi: the letter's particulars in a boxed form, then the chain of dispositions.
import {
  bounds,
  type Cell,
  drawHeading,
  drawLetterhead,
  drawTable,
  drawTitle,
  FILL,
  formatDate,
  formatDateTime,
  formatTime,
  humanize,
  renderPdf,
} from './layout.ts';
import type { DispositionSheetData } from './types.ts';

export async function renderDispositionSheet(data: DispositionSheetData): Promise<Buffer> {
  return renderPdf(
    {
      title: `Lembar Disposisi ${data.agendaNumber}`,
      subject: `Lembar disposisi surat ${data.letterNumber}: ${data.subject}`.slice(0, 500),
      keywords: 'lembar disposisi',
      verify: data.verify,
    },
    (doc) => {
      drawLetterhead(doc, data.letterhead);
      drawTitle(doc, 'LEMBAR DISPOSISI');

      const { width } = bounds(doc);
      const lw = 84;
      const vw = (width - 2 * lw) / 2;
      const label = (text: string): Cell => ({ text, bold: true, fill: FILL });
      drawTable(doc, {
        columns: [
          { header: '', width: lw },
          { header: '', width: vw },
          { header: '', width: lw },
          { header: '', width: vw },
        ],
        header: false,
        size: 9,
        padding: 4,
        rows: [
          [label('Surat dari'), { text: data.sender, span: 3 }],
          [
            label('Nomor surat'),
            data.letterNumber,
            label('Diterima tanggal'),
            formatDateTime(data.receivedAt),
          ],
          [label('Tanggal surat'), formatDate(data.letterDate), label('Nomor agenda'), data.agendaNumber],
          [label('Sifat'), humanize(data.urgency), label('Ditujukan kepada'), data.addressee],
          [label('Perihal'), { text: data.subject, span: 3 }],
        ],
      });

      doc.y += 4;
      drawHeading(doc, 'Alur Disposisi', { size: 10, keep: 50 });
      const rows: Cell[][] = data.dispositions.map((d, i) => [
        { text: String(i + 1), align: 'center' },
        d.from,
        d.to,
        humanize(d.instruction),
        d.note?.trim() || '-',
        `${formatDate(d.at)}\n${formatTime(d.at)}`,
        d.dueDate ? formatDate(d.dueDate) : '-',
      ]);
      if (rows.length === 0) {
        rows.push([{ text: 'Belum ada disposisi.', span: 7, italic: true, align: 'center' }]);
      }
      // Dates take 78 pt ("28 September 2026" at 8 pt), instructions 64 ("Koordinasikan" whole).
      const rest = width - 20 - 2 * 78 - 64;
      drawTable(doc, {
        columns: [
          { header: 'No', width: 20 },
          { header: 'Dari', width: rest * 0.28 },
          { header: 'Kepada', width: rest * 0.28 },
          { header: 'Instruksi', width: 64 },
          { header: 'Catatan', width: rest * 0.44 },
          { header: 'Tanggal', width: 78 },
          { header: 'Batas waktu', width: 78 },
        ],
        rows,
        size: 8,
      });
    },
  );
}
