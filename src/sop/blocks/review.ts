import { z } from 'zod';
import { ROLES } from '../../db/schema.ts';
import type { BlockContext, BlockDef } from '../types.ts';
import { INSTRUCTIONS, optionalText, picker, text, toNext, widget } from './common.ts';
import { decisionConfig } from './decision.ts';

export const reviewConfig = z.strictObject({
  /** Who may dispose the case on to someone (the division head). */
  disposeOnBy: z.array(z.enum(ROLES)).min(1).default(['kabid']),
  /** To whom (sub-coordinators, staff). */
  disposeOnTo: z.array(z.enum(ROLES)).min(1).default(['subkoor', 'staf']),
});
export type ReviewConfig = z.infer<typeof reviewConfig>;

/** The outcome keys of the decision step that follows, if one does (what a review may recommend). */
export function nextDecisionOutcomes(at: BlockContext): string[] | null {
  const step = at.sop.steps.find((s) => s.key === at.next);
  if (step?.block !== 'decision') return null;
  const cfg = decisionConfig.safeParse(step.config);
  return cfg.success ? cfg.data.outcomes.map((o) => o.key) : null;
}

/** The division reviews the request (and may hand it on internally) and recommends a decision. */
export const review: BlockDef<ReviewConfig> = {
  key: 'review',
  title: { id: 'Pengkajian', en: 'Review' },
  description: {
    id: 'Bidang mengkaji permohonan (dapat mendisposisikannya lagi ke Sub Koordinator/staf) dan memberi rekomendasi keputusan.',
    en: 'The division reviews the request (it may dispose it on to a sub-coordinator/staff) and recommends a decision.',
  },
  config: reviewConfig,
  records: [
    { id: 'Disposisi lanjutan', en: 'Onward dispositions' },
    { id: 'Hasil kajian dan rekomendasi', en: 'Findings and recommendation' },
  ],
  documents: [],
  actionNames: ['dispose_on', 'review'],
  actions: (cfg, at) => {
    const outcomes = nextDecisionOutcomes(at);
    return [
      {
        key: 'dispose_on',
        name: 'dispose_on',
        title: {
          id: 'Disposisikan ke Sub Koordinator / staf',
          en: 'Dispose on to a sub-coordinator / staff',
        },
        roles: cfg.disposeOnBy,
        input: z.strictObject({
          toUserId: z.uuid().meta(picker('staff', cfg.disposeOnTo)),
          instruction: z.enum(INSTRUCTIONS),
          note: optionalText(2000).meta(widget('textarea')),
          dueDate: z.iso.date().optional().meta(widget('date')),
        }),
        effect: () => ({ kind: 'stay' }),
        targets: [],
        opdSees: false,
      },
      {
        key: 'review',
        name: 'review',
        title: { id: 'Selesaikan pengkajian', en: 'Complete the review' },
        roles: at.roles,
        input: z.strictObject({
          findings: text(10_000).meta(widget('textarea')),
          ...(outcomes
            ? { recommendation: z.enum(outcomes as [string, ...string[]]).meta(widget('radio')) }
            : {}),
        }),
        ...toNext(at),
        opdSees: [],
      },
    ];
  },
  check: (_cfg, at) => (at.next === null ? [{ path: '', message: 'a review leads to a next step' }] : []),
};
