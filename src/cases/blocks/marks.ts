import type { CaseRow } from '../case.repository.ts';

// `cases.marks` (CaseState.marks, migration 0014): counters the blocks keep on the case, e.g. the
// KAK's version count (`doc:kak`). This file is the one place that maps between them and the row.

/** The case's marks, from its row. */
export function marksOf(c: Pick<CaseRow, 'marks'>): Record<string, number> {
  return { ...(c.marks ?? {}) };
}

/** The row's column that keeps these marks. */
export function marksPatch(marks: Readonly<Record<string, number>>): { marks: string } {
  return { marks: JSON.stringify(marks) };
}
