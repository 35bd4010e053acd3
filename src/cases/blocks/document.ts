import { type DocumentConfig, docMark } from '../../sop/blocks/document.ts';
import { stepConfig } from '../../sop/compile.ts';
import type { Handler } from '../action-handlers.ts';
import { insertDraft } from '../case.repository.ts';

export const documentHandlers: Record<string, Handler> = {
  async save({ trx, c, payload, ctx, sop, step }) {
    const cfg = stepConfig<DocumentConfig>(sop, step.key);
    const version = (c.marks[docMark(cfg.doc)] ?? 0) + 1;
    await insertDraft(trx, {
      caseId: c.id,
      doc: cfg.doc,
      version,
      content: payload,
      createdBy: ctx.actor.id,
    });
    return { outputs: { [`${cfg.doc}Version`]: version } };
  },

  async complete({ c, payload, sop, step }) {
    const cfg = stepConfig<DocumentConfig>(sop, step.key);
    return {
      outputs: { [`${cfg.doc}Version`]: c.marks[docMark(cfg.doc)] ?? 0, notes: payload.notes ?? null },
    };
  },
};
