// The steps of a case with their standard and actual time; late steps are marked. Shared by the
// report (Laporan Pelaksanaan) and the case summary.
import { bounds, type Cell, type Doc, drawTable, formatDate, formatTime, LATE } from './layout.ts';
import type { StepLine } from './types.ts';

const when = (d: Date | null) => (d ? `${formatDate(d)}\n${formatTime(d)}` : '-');

function state(s: StepLine): Cell {
  if (s.late) return { text: 'Terlambat', bold: true, color: LATE, align: 'center' };
  if (!s.startedAt) return { text: 'Belum', align: 'center' };
  if (!s.endedAt) return { text: 'Berjalan', align: 'center' };
  return { text: 'Sesuai', align: 'center' };
}

export function drawStepsTable(doc: Doc, steps: StepLine[]): void {
  const { width } = bounds(doc);
  // Dates take 72 pt ("28 September 2026" at 7.5 pt); the rest is shared out.
  const fixed = 18 + 72 + 72 + 46 + 50 + 46;
  const rest = width - fixed;
  const rows: Cell[][] = steps.map((s) => [
    { text: String(s.no), align: 'center' },
    s.title,
    s.actor ? `${s.executor}\n(${s.actor})` : s.executor,
    when(s.startedAt),
    when(s.endedAt),
    { text: s.standard, align: 'center' },
    s.late
      ? { text: s.actual || '-', align: 'center', bold: true, color: LATE }
      : { text: s.actual || '-', align: 'center' },
    state(s),
  ]);
  if (rows.length === 0) rows.push([{ text: 'Belum ada tahapan.', span: 8, italic: true, align: 'center' }]);
  drawTable(doc, {
    columns: [
      { header: 'No', width: 18 },
      { header: 'Tahapan', width: rest * 0.57 },
      { header: 'Pelaksana', width: rest * 0.43 },
      { header: 'Mulai', width: 72 },
      { header: 'Selesai', width: 72 },
      { header: 'Waktu baku', width: 46 },
      { header: 'Waktu aktual', width: 50 },
      { header: 'Ket.', width: 46 },
    ],
    rows,
    size: 7.5,
    padding: 3,
  });
}
