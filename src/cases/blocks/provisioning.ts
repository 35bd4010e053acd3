import type { ProvisioningConfig } from '../../sop/blocks/provisioning.ts';
import { stepConfig } from '../../sop/compile.ts';
import type { HandlerArgs, HandlerResult } from '../action-handlers.ts';
import { findSucceededCaseRun } from './related.repository.ts';
import { notYet, textOf } from './related-common.ts';

export const PROVISIONING_HANDLERS = {
  /**
   * Completes the step once a provisioning run of the step's operation has succeeded for the
   * case's website, started for this case (the website's provisioning panel names the case).
   */
  async complete({ trx, c, payload, sop, step }: HandlerArgs): Promise<HandlerResult> {
    const cfg = stepConfig<ProvisioningConfig>(sop, step.key);
    const websiteId = textOf(c.facts.websiteId);
    if (!websiteId) throw notYet('the case has no website in the registry yet');
    const runId = textOf(payload.runId);
    const run = await findSucceededCaseRun(trx, { websiteId, caseId: c.id, kind: cfg.operation, runId });
    if (!run) {
      throw notYet(
        runId
          ? `run ${runId} is not a succeeded ${cfg.operation} run of this case's website`
          : `no ${cfg.operation} run of this case's website has succeeded yet: show the plan and start it from the website's provisioning panel`,
      );
    }
    const params = (typeof run.params === 'string' ? JSON.parse(run.params) : run.params) as {
      hostname?: string;
      archive?: unknown;
    };
    if (cfg.build && !params.archive) {
      throw notYet('the succeeded run deployed no source archive: upload it, then run the install again');
    }
    const hostname = params.hostname ?? null;
    return {
      outputs: {
        runId: run.id,
        operation: cfg.operation,
        hostname,
        url: hostname && cfg.operation === 'install' ? `https://${hostname}` : null,
        notes: payload.notes ?? null,
      },
    };
  },
};
