import type { CaseRow } from '../case.repository.ts';

// until 0014: `cases.marks` (CaseState.marks) does not exist yet. The only mark the built-in
// blocks keep is the KAK's version count (`doc:kak`), stored in `cases.kak_versions`. This file is
// the one place that maps between them; helper "casedata" replaces it with the column.

/** The case's marks, from its row. */
export function marksOf(c: Pick<CaseRow, 'kak_versions'>): Record<string, number> {
  return { 'doc:kak': c.kak_versions };
}

/** The row's columns that keep these marks. */
export function marksPatch(marks: Readonly<Record<string, number>>): { kak_versions: number } {
  return { kak_versions: marks['doc:kak'] ?? 0 };
}
