// Laporan Pelaksanaan: what was done (summary), the installation facts, the documentation, every
// step with its standard and actual time, and the signer.
import {
  bounds,
  drawFields,
  drawHeading,
  drawLetterhead,
  drawParagraphs,
  drawSignature,
  drawTable,
  drawTitle,
  formatDate,
  renderPdf,
} from './layout.ts';
import { drawStepsTable } from './steps-table.ts';
import type { ReportData } from './types.ts';

export async function renderReport(data: ReportData): Promise<Buffer> {
  return renderPdf(
    {
      title: `Laporan Pelaksanaan ${data.caseRef}`,
      subject: `Laporan pelaksanaan: ${data.subject}`.slice(0, 500),
      keywords: 'laporan pelaksanaan',
      verify: data.verify,
    },
    (doc) => {
      drawLetterhead(doc, data.letterhead);
      drawTitle(doc, 'LAPORAN PELAKSANAAN', data.subject);
      drawFields(doc, [
        ['Nomor permohonan', data.caseRef],
        ['Perangkat daerah', data.opd],
        ['Tanggal laporan', formatDate(data.date)],
      ]);
      doc.y += 8;

      drawHeading(doc, 'Ringkasan Pelaksanaan', { number: 'A.' });
      const summary = data.summary.split(/\n\s*\n/).filter((p) => p.trim());
      drawParagraphs(doc, summary.length > 0 ? summary : ['-'], { size: 10 });
      doc.y += 6;

      const { width } = bounds(doc);
      drawHeading(doc, 'Data Instalasi', { number: 'B.' });
      drawTable(doc, {
        columns: [
          { header: 'Uraian', width: 150 },
          { header: 'Keterangan', width: width - 150 },
        ],
        rows:
          data.facts.length > 0
            ? data.facts.map(([k, v]) => [{ text: k, bold: true }, v || '-'])
            : [[{ text: 'Tidak ada data instalasi.', span: 2, italic: true }]],
        size: 9.5,
        padding: 4,
      });
      doc.y += 4;

      drawHeading(doc, 'Dokumentasi', { number: 'C.' });
      drawTable(doc, {
        columns: [
          { header: 'No', width: 26 },
          { header: 'Berkas', width: width - 26 },
        ],
        rows:
          data.documentation.length > 0
            ? data.documentation.map((name, i) => [{ text: String(i + 1), align: 'center' }, name])
            : [[{ text: 'Tidak ada berkas dokumentasi.', span: 2, italic: true }]],
        size: 9.5,
        padding: 3.5,
      });
      doc.y += 4;

      drawHeading(doc, 'Tahapan dan Waktu Pelaksanaan', { number: 'D.', keep: 60 });
      drawStepsTable(doc, data.steps);
      doc.y += 6;
      drawSignature(doc, data.signer, { dateLine: formatDate(data.date), size: 10.5 });
    },
  );
}
