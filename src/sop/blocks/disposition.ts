import { z } from 'zod';
import type { BlockContext, BlockDef } from '../types.ts';
import { INSTRUCTIONS, optionalText, picker, toNext, widget } from './common.ts';

export const dispositionConfig = z.strictObject({});

/** The lane of the step the case is handed to (whose units may carry it). */
function targetLane(at: BlockContext) {
  const step = at.sop.steps.find((s) => s.key === at.next);
  return at.sop.lanes.find((l) => l.key === step?.lane);
}

/** The head disposes the letter to the unit that carries the next step. */
export const disposition: BlockDef<z.infer<typeof dispositionConfig>> = {
  key: 'disposition',
  title: { id: 'Disposisi', en: 'Disposition' },
  description: {
    id: 'Pimpinan mendisposisikan surat ke unit yang mengerjakan langkah berikutnya, dengan instruksi.',
    en: 'The head disposes the letter, with an instruction, to the unit that carries the next step.',
  },
  config: dispositionConfig,
  records: [
    {
      id: 'Disposisi (unit, instruksi, catatan, batas waktu)',
      en: 'Disposition (unit, instruction, note, due date)',
    },
  ],
  documents: [],
  actionNames: ['dispose'],
  actions: (_cfg, at) => {
    const lane = targetLane(at);
    return [
      {
        key: 'dispose',
        name: 'dispose',
        title: lane
          ? { id: `Disposisikan ke ${lane.title.id}`, en: `Dispose to ${lane.title.en}` }
          : { id: 'Disposisikan', en: 'Dispose' },
        roles: at.roles,
        unitField: 'toUnitId',
        input: z.strictObject({
          toUnitId: z.uuid().meta(picker('unit')),
          instruction: z.enum(INSTRUCTIONS),
          note: optionalText(2000).meta(widget('textarea')),
          dueDate: z.iso.date().optional().meta(widget('date')),
        }),
        ...toNext(at),
        opdSees: [],
      },
    ];
  },
  check: (_cfg, at) => {
    if (at.next === null) return [{ path: '', message: 'a disposition hands the case to a next step' }];
    const lane = targetLane(at);
    return lane && lane.units.length === 0
      ? [{ path: '', message: `the next step's lane (${lane.key}) has no units to dispose to` }]
      : [];
  },
};
