import type { ReviewConfig } from '../../sop/blocks/review.ts';
import { stepConfig } from '../../sop/compile.ts';
import { assertStaff, type Handler, opt, str } from '../action-handlers.ts';
import { insertDisposition } from '../case.repository.ts';

export const reviewHandlers: Record<string, Handler> = {
  async dispose_on({ trx, c, payload, ctx, sop, step }) {
    const cfg = stepConfig<ReviewConfig>(sop, step.key);
    await assertStaff(trx, [str(payload.toUserId)], cfg.disposeOnTo, 'toUserId');
    await insertDisposition(trx, {
      caseId: c.id,
      fromUserId: ctx.actor.id,
      toUserId: str(payload.toUserId),
      instruction: str(payload.instruction),
      note: opt(payload.note),
      dueDate: opt(payload.dueDate),
    });
    return { outputs: { disposedOnTo: payload.toUserId, instruction: payload.instruction } };
  },

  async review({ payload }) {
    return { outputs: { findings: payload.findings, recommendation: payload.recommendation } };
  },
};
