import { linkWebsiteAtStart } from '../../registry/case-link.ts';
import { staffRoles } from '../../sop/blocks/common.ts';
import type { StartWorkConfig } from '../../sop/blocks/start-work.ts';
import { stepConfig } from '../../sop/compile.ts';
import { assertStaff, type Handler, type HandlerResult, opt } from '../action-handlers.ts';
import { replaceTeam } from '../case.repository.ts';

export const startWorkHandlers: Record<string, Handler> = {
  async start_work({ trx, c, payload, ctx, deps, sop, step }) {
    const cfg = stepConfig<StartWorkConfig>(sop, step.key);
    const result: HandlerResult = { outputs: {} };
    if (cfg.website === 'link') result.outputs = { path: payload.websiteExists ? 'update' : 'create' };
    if (cfg.team) {
      const team = [...new Set(payload.teamUserIds as string[])];
      const lane = sop.lanes.find((l) => l.key === step.lane);
      await assertStaff(trx, team, staffRoles(lane?.roles ?? step.roles), 'teamUserIds');
      await replaceTeam(trx, c.id, team);
      result.outputs = { ...result.outputs, team };
    }
    if (cfg.website === 'link') {
      // A new website gets its planned record in the registry now; an update is tied to its website.
      const link = await linkWebsiteAtStart(
        trx,
        c,
        { websiteExists: payload.websiteExists === true, websiteId: opt(payload.websiteId) },
        ctx,
        deps.registry,
      );
      result.facts = { websiteId: link.websiteId, websiteRef: link.websiteRef };
      result.outputs = {
        ...result.outputs,
        websiteId: link.websiteId,
        websiteRef: link.websiteRef,
        ...(link.created ? { plannedWebsite: true } : {}),
        ...(link.note ? { registryNote: link.note } : {}),
      };
    }
    return result;
  },
};
