import type { ChecklistConfig } from '../../sop/blocks/checklist.ts';
import { stepConfig } from '../../sop/compile.ts';
import type { HandlerArgs, HandlerResult } from '../action-handlers.ts';

export const CHECKLIST_HANDLERS = {
  /** Every item is confirmed (the schema asks `true` for each); the record names them. */
  async complete({ sop, step, payload }: HandlerArgs): Promise<HandlerResult> {
    const cfg = stepConfig<ChecklistConfig>(sop, step.key);
    return {
      outputs: { confirmed: cfg.items.map((i) => i.key), notes: payload.notes ?? null },
    };
  },
};
