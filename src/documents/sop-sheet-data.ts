import type { SopDef } from '../sop/types.ts';
import type { Letterhead, SopSheetData, VerifyMark } from './render/types.ts';

// The SOP sheet's data, read from a compiled definition alone: its lanes (any number, with their
// titles), its steps and its diamonds (decisions and branches, numbered, with every way out).
// Nothing here names a particular SOP, lane or step.

function timeText(t: SopDef['steps'][number]['standardTime']): string {
  return 'workingDays' in t ? `${t.workingDays} Hari` : `${t.minutes} Menit`;
}

/** The SOP sheet's data from a definition (the issued sheet, the designer's preview, tests, bench). */
export function sopSheetData(
  sop: SopDef,
  letterhead: Letterhead,
  verify: VerifyMark | null,
  o: { draft?: boolean } = {},
): SopSheetData {
  const noOf = new Map(sop.steps.map((s) => [s.key, s.no]));
  const diamonds = new Map(sop.diamonds.map((d) => [d.step, d]));
  return {
    letterhead,
    title: sop.title.id,
    version: sop.version,
    lanes: sop.lanes.map((l) => ({ key: l.key, label: l.title.id })),
    steps: sop.steps.map((s) => {
      const d = diamonds.get(s.key);
      return {
        no: s.no,
        activity: s.title.id,
        lane: s.lane,
        ...(d
          ? {
              decision: {
                no: d.no,
                question: d.question.id,
                outcomes: d.outcomes.map((w) => ({
                  label: w.label.id,
                  to: w.to === null ? null : (noOf.get(w.to) ?? null),
                  ...(w.end ? { end: w.end } : {}),
                  ...(w.revise ? { revise: true } : {}),
                })),
              },
            }
          : {}),
        inputs: [...s.inputs],
        time: timeText(s.standardTime),
        outputs: [...s.outputs],
        ...(s.notes ? { notes: s.notes } : {}),
      };
    }),
    related: [...sop.related],
    equipment: [...sop.equipment],
    warnings: [...sop.warnings],
    records: [...sop.records],
    verify,
    ...(o.draft ? { draft: true } : {}),
  };
}
