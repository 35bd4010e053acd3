import type { CaseRow } from '../case.repository.ts';

// `cases.marks` (migration 0014) keeps CaseState.marks, e.g. `doc:kak` = versions of the KAK saved.

/** The case's marks, from its row. */
export function marksOf(c: Pick<CaseRow, 'marks'>): Record<string, number> {
  return c.marks ?? {};
}

/** The row's column that keeps these marks. */
export function marksPatch(marks: Readonly<Record<string, number>>): { marks: string } {
  return { marks: JSON.stringify(marks) };
}
