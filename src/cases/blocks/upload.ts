import { recordBuild } from '../../registry/case-link.ts';
import type { UploadConfig } from '../../sop/blocks/upload.ts';
import { stepConfig } from '../../sop/compile.ts';
import { type Handler, str } from '../action-handlers.ts';

export const uploadHandlers: Record<string, Handler> = {
  async complete({ trx, c, payload, ctx, deps, sop, step }) {
    const cfg = stepConfig<UploadConfig>(sop, step.key);
    if (cfg.registry === 'website.build') {
      await recordBuild(
        trx,
        c,
        { cms: str(payload.cms), template: str(payload.template) },
        ctx,
        deps.registry,
      );
    }
    return {
      outputs: {
        ...Object.fromEntries(cfg.fields.map((f) => [f.key, payload[f.key] ?? null])),
        notes: payload.notes ?? null,
      },
    };
  },
};
