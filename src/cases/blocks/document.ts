import { type DocumentConfig, docMark } from '../../sop/blocks/document.ts';
import { stepConfig } from '../../sop/compile.ts';
import type { Handler } from '../action-handlers.ts';
import { insertKak } from '../case.repository.ts';
import { marksOf } from './marks.ts';

export const documentHandlers: Record<string, Handler> = {
  async save({ trx, c, payload, ctx, sop, step }) {
    const cfg = stepConfig<DocumentConfig>(sop, step.key);
    const version = (marksOf(c)[docMark(cfg.doc)] ?? 0) + 1;
    // until 0014: only the KAK has a table (kak_versions); then every document goes to case_drafts.
    if (cfg.doc !== 'kak') throw new Error(`no storage for document ${cfg.doc} before migration 0014`);
    await insertKak(trx, { caseId: c.id, version, content: payload, createdBy: ctx.actor.id });
    return { outputs: { [`${cfg.doc}Version`]: version } };
  },

  async complete({ c, payload, sop, step }) {
    const cfg = stepConfig<DocumentConfig>(sop, step.key);
    return {
      outputs: { [`${cfg.doc}Version`]: marksOf(c)[docMark(cfg.doc)] ?? 0, notes: payload.notes ?? null },
    };
  },
};
