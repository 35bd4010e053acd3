import { z } from 'zod';
import { bilingual, fieldKey } from '../definition.ts';
import type { BlockDef } from '../types.ts';
import { optionalText, toNext, widget } from './common.ts';

export const checklistConfig = z.strictObject({
  /** What must be confirmed, one by one, before the step is done. */
  items: z
    .array(z.strictObject({ key: fieldKey, label: bilingual, help: bilingual.optional() }))
    .min(1, 'a checklist has at least one item')
    .max(30),
});
export type ChecklistConfig = z.infer<typeof checklistConfig>;

/** A step done when every item of a list is confirmed (a check before a visit, a hand-over, …). */
export const checklist: BlockDef<ChecklistConfig> = {
  key: 'checklist',
  title: { id: 'Daftar periksa', en: 'Checklist' },
  description: {
    id: 'Setiap butir daftar periksa dikonfirmasi satu per satu, dengan catatan; langkah selesai bila semua butir terpenuhi.',
    en: 'Every item of the checklist is confirmed one by one, with notes; the step is done when all hold.',
  },
  config: checklistConfig,
  records: [{ id: 'Butir yang dikonfirmasi dan catatan', en: 'The items confirmed, and notes' }],
  documents: [],
  actionNames: ['complete'],
  actions: (cfg, at) => [
    {
      key: `complete_${at.step.key}`,
      name: 'complete',
      title: { id: 'Konfirmasi daftar periksa', en: 'Confirm the checklist' },
      roles: at.roles,
      input: z.strictObject({
        ...Object.fromEntries(
          cfg.items.map((i) => [
            i.key,
            z.literal(true, 'confirm this item').meta({
              ...widget('confirm'),
              'x-loket-label': i.label,
              ...(i.help ? { 'x-loket-help': i.help } : {}),
            }),
          ]),
        ),
        notes: optionalText(4000).meta(widget('textarea')),
      }),
      ...toNext(at),
      opdSees: [],
    },
  ],
  check: (cfg) => {
    const out: { path: string; message: string }[] = [];
    const seen = new Set<string>();
    cfg.items.forEach((i, n) => {
      if (i.key === 'notes')
        out.push({ path: `items.${n}.key`, message: '"notes" is the checklist’s own field' });
      if (seen.has(i.key)) out.push({ path: `items.${n}.key`, message: `duplicate item ${i.key}` });
      seen.add(i.key);
    });
    return out;
  },
};
