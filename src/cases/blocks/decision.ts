import { readDocumentSettings } from '../../documents/document-settings.ts';
import { fieldError, type Handler, opt, str } from '../action-handlers.ts';
import { markStepDecided } from '../case.repository.ts';
import { formatNumber, localDate } from '../case-deps.ts';
import { nextNumber } from '../counter.repository.ts';

export const decisionHandlers: Record<string, Handler> = {
  async decide({ trx, c, payload, ctx, now }) {
    // The step is ended later by whoever sends the letter; it keeps its decider too.
    if (c.current_step_id) await markStepDecided(trx, c.current_step_id, { by: ctx.actor.id, at: now });
    return {
      patch: {
        decision: str(payload.decision),
        decision_reason: opt(payload.reason) ?? null,
        decided_at: now,
        decided_by: ctx.actor.id,
      },
      outputs: { decision: payload.decision, reason: payload.reason ?? null },
    };
  },

  async send_letter({ trx, payload, deps, now }) {
    const day = str(payload.letterDate);
    if (day > localDate(now, deps.timeZone))
      throw fieldError('INVALID_DATE', 'letterDate', 'cannot be in the future');
    // The outgoing number follows the tata naskah dinas pattern, running per year, never reused.
    const { numbering } = await readDocumentSettings(trx);
    const seq = await nextNumber(trx, 'surat_keluar', Number(day.slice(0, 4)));
    const number = formatNumber(numbering.pattern, seq, day, {
      klasifikasi: numbering.classification,
      unit: numbering.unit,
    });
    return {
      patch: { tl_number: number, tl_date: day, tl_sent_at: now },
      outputs: { followUpLetter: number },
    };
  },

  async resubmit({ payload, now }) {
    return {
      patch: { submitted_at: now, ...(payload.description ? { description: str(payload.description) } : {}) },
      outputs: { changes: payload.changes },
    };
  },
};
