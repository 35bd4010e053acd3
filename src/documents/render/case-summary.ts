// Ringkasan permohonan: the case's particulars and all its steps with standard vs actual time.
import {
  bounds,
  drawFields,
  drawHeading,
  drawLetterhead,
  drawTitle,
  ensureSpace,
  FONT,
  MUTED,
  put,
  renderPdf,
} from './layout.ts';
import { drawStepsTable } from './steps-table.ts';
import type { CaseSummaryData } from './types.ts';

export async function renderCaseSummary(data: CaseSummaryData): Promise<Buffer> {
  return renderPdf(
    {
      title: `Ringkasan Permohonan ${data.caseRef}`,
      subject: `Ringkasan permohonan: ${data.subject}`.slice(0, 500),
      keywords: 'ringkasan permohonan',
      verify: data.verify,
    },
    (doc) => {
      drawLetterhead(doc, data.letterhead);
      drawTitle(doc, 'RINGKASAN PERMOHONAN', data.subject);
      drawFields(doc, [
        ['Nomor permohonan', data.caseRef],
        ['Perangkat daerah', data.opd],
        ['Status', data.status],
      ]);
      doc.y += 8;
      drawHeading(doc, 'Tahapan dan Waktu Pelaksanaan', { keep: 60 });
      drawStepsTable(doc, data.steps);
      const late = data.steps.filter((s) => s.late).length;
      const done = data.steps.filter((s) => s.endedAt).length;
      ensureSpace(doc, 16);
      put(
        doc,
        `${done} dari ${data.steps.length} tahapan selesai; ${late} tahapan melewati waktu baku.`,
        bounds(doc).left,
        doc.y,
        { font: FONT.sansItalic, size: 9, color: MUTED },
      );
      doc.y += 14;
    },
  );
}
