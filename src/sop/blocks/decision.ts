import { z } from 'zod';
import { ROLES } from '../../db/schema.ts';
import type { DefinitionProblem } from '../definition.ts';
import { bilingual, defKey } from '../definition.ts';
import type { BlockAction, BlockDef, CaseState, Effect, OpdNews } from '../types.ts';
import { confirmText, optionalText, prefill, text, widget } from './common.ts';

const then = z.union([
  z.strictObject({ goto: defKey }),
  z.strictObject({ end: z.enum(['rejected', 'done']) }),
  /** Returned to the OPD for revision; its resubmission resumes the case at this step. */
  z.strictObject({ revise: defKey }),
]);

export const decisionConfig = z.strictObject({
  question: bilingual,
  outcomes: z
    .array(
      z.strictObject({
        key: defKey,
        label: bilingual,
        then,
        /** Must the decider give a reason? By default yes, unless the outcome goes on (`goto`). */
        reasonRequired: z.boolean().optional(),
      }),
    )
    .min(1, 'a decision needs at least one outcome')
    .max(10),
  /** Does a follow-up letter (Surat Tindak Lanjut) carry the decision to the OPD? */
  letter: z.boolean().default(true),
  /** Who decides (default: the step's roles). */
  decidedBy: z.array(z.enum(ROLES)).min(1).optional(),
  /** Who sends the follow-up letter (default: the step's roles). */
  letterBy: z.array(z.enum(ROLES)).min(1).optional(),
});
export type DecisionConfig = z.infer<typeof decisionConfig>;
type Outcome = DecisionConfig['outcomes'][number];

export const reasonRequired = (o: Outcome): boolean => o.reasonRequired ?? !('goto' in o.then);

/** What an outcome does to the case. */
export function outcomeEffect(o: Outcome | undefined): Effect {
  if (!o) return { kind: 'stay' };
  if ('goto' in o.then) return { kind: 'advance', to: o.then.goto };
  if ('end' in o.then) return { kind: 'finish', status: o.then.end };
  return { kind: 'pause' };
}

/** What the OPD is told when a decision reaches it (by its letter, or at once without one). */
function newsOf(_before: CaseState, after: CaseState): OpdNews {
  if (after.status === 'rejected') return { kind: 'case.rejected', title: 'Permohonan ditolak' };
  if (after.status === 'revision') {
    return { kind: 'case.returned', title: 'Permohonan dikembalikan untuk direvisi' };
  }
  if (after.status === 'done') return { kind: 'case.done', title: 'Pekerjaan selesai' };
  return { kind: 'case.approved', title: 'Permohonan disetujui' };
}

const gotoOf = (o: Outcome) => ('goto' in o.then ? o.then.goto : null);
const reviseOf = (o: Outcome) => ('revise' in o.then ? o.then.revise : null);

/**
 * A decision with its outcomes as data (approve → on, reject → end, return → revision, …). With a
 * follow-up letter (default) the decider's choice waits, pending, for the letter that carries it;
 * the letter moves the case. Without one, the decision moves it at once.
 */
export const decision: BlockDef<DecisionConfig> = {
  key: 'decision',
  title: { id: 'Keputusan dan Surat Tindak Lanjut', en: 'Decision and follow-up letter' },
  description: {
    id: 'Pejabat memutuskan (hasil keputusan sebagai data); Surat Tindak Lanjut bernomor membawa keputusan ke OPD. Permohonan yang dikembalikan dapat dikirim ulang oleh OPD.',
    en: 'An official decides (the outcomes are data); a numbered follow-up letter carries the decision to the OPD. A request returned for revision can be resubmitted by the OPD.',
  },
  config: decisionConfig,
  records: [
    { id: 'Keputusan, alasan, pemutus', en: 'Decision, reason, decider' },
    { id: 'Nomor dan tanggal Surat Tindak Lanjut', en: 'Follow-up letter number and date' },
  ],
  documents: ['follow_up_letter'],
  actionNames: ['decide', 'send_letter', 'resubmit'],
  actions: (cfg, at) => {
    const keys = cfg.outcomes.map((o) => o.key) as [string, ...string[]];
    const needReason = cfg.outcomes.filter(reasonRequired).map((o) => o.key);
    const byKey = (k: unknown) => cfg.outcomes.find((o) => o.key === k);
    const gotos = [...new Set(cfg.outcomes.map(gotoOf).filter((k) => k !== null))];
    const revise = cfg.outcomes.map(reviseOf).find((k) => k !== null) ?? null;
    let input: z.ZodType = z.strictObject({
      decision: z.enum(keys).meta(widget('radio')),
      reason: optionalText(4000).meta(widget('textarea')),
    });
    if (needReason.length > 0) {
      input = (input as z.ZodObject).refine(
        (v) =>
          !needReason.includes(v.decision as string) || ((v.reason as string | undefined)?.length ?? 0) > 0,
        { path: ['reason'], message: `a reason is required to ${needReason.join(' or ')}` },
      );
    }
    const decide: BlockAction = {
      key: 'decide',
      name: 'decide',
      title: { id: 'Putuskan permohonan', en: 'Decide the request' },
      roles: cfg.decidedBy ?? at.roles,
      input: input.meta(
        confirmText({
          id: 'Keputusan ini tidak dapat diubah. Lanjutkan?',
          en: 'This decision cannot be changed. Go on?',
        }),
      ),
      ...(cfg.letter
        ? {
            guard: (s: CaseState) =>
              s.pendingDecision ? 'the decision is taken; the follow-up letter is awaited' : null,
            apply: (_s: CaseState, p: Record<string, unknown>) => ({ pendingDecision: p.decision as string }),
            effect: () => ({ kind: 'stay' }) as const,
            targets: [],
            opdSees: false as const,
          }
        : {
            effect: (_s: CaseState, p: Record<string, unknown>) => outcomeEffect(byKey(p.decision)),
            targets: gotos,
            opdSees: ['decision', 'reason'],
            opdNews: newsOf,
          }),
    };
    const out: BlockAction[] = [decide];
    if (cfg.letter) {
      out.push({
        key: 'send_letter',
        name: 'send_letter',
        title: { id: 'Kirim Surat Tindak Lanjut ke OPD', en: 'Send the follow-up letter to the OPD' },
        roles: cfg.letterBy ?? at.roles,
        input: z
          .strictObject({
            letterDate: z.iso.date().meta({ ...widget('date'), ...prefill('today') }),
            notes: optionalText(2000).meta(widget('textarea')),
          })
          .meta(
            confirmText({
              id: 'Surat Tindak Lanjut akan diberi nomor dan dikirim ke OPD. Lanjutkan?',
              en: 'The follow-up letter will be numbered and sent to the OPD. Go on?',
            }),
          ),
        guard: (s) => (s.pendingDecision ? null : 'no decision has been taken yet'),
        effect: (s) => outcomeEffect(byKey(s.pendingDecision)),
        targets: gotos,
        opdSees: ['followUpLetter'],
        opdNews: newsOf,
      });
    }
    if (revise !== null) {
      out.push({
        key: 'resubmit',
        name: 'resubmit',
        title: { id: 'Kirim ulang setelah revisi', en: 'Resubmit after revision' },
        roles: ['opd'],
        statuses: ['revision'],
        input: z.strictObject({
          changes: text(4000).meta(widget('textarea')),
          description: optionalText(10_000).meta(widget('textarea')),
        }),
        files: [
          { field: 'letter', kinds: ['pdf', 'jpeg', 'png'], required: false, max: 1, purpose: 'letter' },
        ],
        effect: () => ({ kind: 'advance', to: revise }),
        targets: [revise],
        opdSees: ['changes', 'files'],
      });
    }
    return out;
  },
  check: (cfg, at) => {
    const problems: DefinitionProblem[] = [];
    const steps = new Set(at.sop.steps.map((s) => s.key));
    const seen = new Set<string>();
    cfg.outcomes.forEach((o, i) => {
      if (seen.has(o.key))
        problems.push({ path: `outcomes.${i}.key`, message: `duplicate outcome ${o.key}` });
      seen.add(o.key);
      const to = gotoOf(o) ?? reviseOf(o);
      const field = 'goto' in o.then ? 'goto' : 'revise';
      if (to !== null && !steps.has(to)) {
        problems.push({ path: `outcomes.${i}.then.${field}`, message: `no step ${to}` });
      }
    });
    const revises = new Set(cfg.outcomes.map(reviseOf).filter((k) => k !== null));
    if (revises.size > 1) {
      problems.push({
        path: 'outcomes',
        message: 'every outcome that returns the request for revision must resume at the same step',
      });
    }
    return problems;
  },
  diamond: (cfg) => ({
    question: cfg.question,
    outcomes: cfg.outcomes.map((o) => ({
      key: o.key,
      label: o.label,
      to: gotoOf(o) ?? reviseOf(o),
      ...('end' in o.then ? { end: o.then.end } : {}),
      ...('revise' in o.then ? { revise: true } : {}),
    })),
  }),
};
