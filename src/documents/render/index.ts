// The official PDFs: plain data in (types.ts), PDF bytes out.

export { renderBeritaAcara, renderRecommendation } from './case-documents.ts';
export { renderCaseSummary } from './case-summary.ts';
export { renderDispositionSheet } from './disposition-sheet.ts';
export { renderFollowUpLetter } from './follow-up-letter.ts';
export { renderKak } from './kak.ts';
export { clean, formatDate, formatDateTime, formatTime, MONTHS } from './layout.ts';
export { renderReport } from './report.ts';
export { renderSopSheet } from './sop-sheet.ts';
export type * from './types.ts';
