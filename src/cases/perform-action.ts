import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import { applyAction, checkAction, rolesWaitedFor, stepOf } from '../sop/engine.ts';
import { BLOCK_HANDLERS } from './blocks/index.ts';
import {
  endStep,
  findCaseForUpdate,
  insertEvent,
  insertStep,
  mergeCaseFacts,
  mergeStepOutputs,
  updateCase,
} from './case.repository.ts';
import type { CaseDetail } from './case.schemas.ts';
import { assertCanSee, engineActor } from './case-access.ts';
import type { CaseDeps, IncomingFile } from './case-deps.ts';
import { checkFiles, forgetStored, keepFiles } from './case-files.ts';
import { notifyHandOff } from './case-notify.ts';
import { caseState, loadDetail, sopOf } from './case-presenter.ts';

/** Opens the clock of a step: started now, due after its standard working time. */
export async function startStep(
  trx: Kysely<Database>,
  caseId: string,
  stepKey: string,
  sopStep: ReturnType<typeof stepOf>,
  deps: CaseDeps,
  now: Date,
) {
  const std = sopStep.standardTime;
  const dueAt = deps.clock.dueAt(now, std);
  const id = await insertStep(trx, {
    caseId,
    stepKey,
    startedAt: now,
    dueAt,
    standardMinutes: 'minutes' in std ? std.minutes : null,
    standardDays: 'workingDays' in std ? std.workingDays : null,
  });
  return { id, dueAt };
}

function refuse(
  code:
    | 'ACTION_UNKNOWN'
    | 'ACTION_NOT_IN_STEP'
    | 'ACTION_FORBIDDEN'
    | 'ACTION_NOT_ALLOWED_NOW'
    | 'CASE_CLOSED',
  reason: string,
): AppError {
  return new AppError(code, reason);
}

/**
 * Performs one SOP action on a case: the case is locked, the client's `version` must be the
 * current one, the engine must allow the action for this actor now, the payload must fit the
 * action's schema; then the action's own rules run, the step clock moves, history and audit are
 * written — all in the caller's transaction, or nothing.
 */
export async function performAction(
  trx: Kysely<Database>,
  input: { caseId: string; action: string; body: Record<string, unknown>; files: IncomingFile[] },
  ctx: Ctx,
  deps: CaseDeps,
): Promise<CaseDetail> {
  const c = await findCaseForUpdate(trx, input.caseId);
  if (!c) throw notFound('Case');
  assertCanSee(ctx.actor, c);
  const { version, ...rest } = input.body;
  const v = Number(version);
  if (!Number.isInteger(v) || v < 1) {
    throw new AppError('VALIDATION_FAILED', 'version is required', {
      details: { fields: [{ path: 'version', message: 'required: the version you last saw' }] },
    });
  }
  if (v !== c.version) {
    throw new AppError('VERSION_CONFLICT', 'The case was changed by someone else; reload it', {
      details: { currentVersion: c.version },
    });
  }
  const sop = sopOf(c);
  const check = checkAction(sop, caseState(c), engineActor(ctx.actor, c), input.action);
  if (!check.ok) throw refuse(check.code, check.reason);
  const { action } = check;

  const parsed = action.input.safeParse(rest);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'The action input is not valid', {
      details: {
        in: 'body',
        fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    });
  }
  const payload = parsed.data as Record<string, unknown>;
  checkFiles(input.files, action.files ?? []);

  const now = deps.clock.now();
  const stored: string[] = [];
  try {
    const fileIds = await keepFiles(
      trx,
      deps,
      {
        caseId: c.id,
        stepKey: c.step_key,
        userId: ctx.actor.id,
        files: input.files,
        specs: action.files ?? [],
      },
      stored,
    );
    const handler = BLOCK_HANDLERS[action.block]?.[action.name];
    if (!handler) throw new Error(`no handler for ${action.block}.${action.name}`);
    const step = stepOf(sop, c.step_key);
    const result = await handler({ trx, c, payload, ctx, deps, now, sop, step, action });
    const outputs = { ...result.outputs, ...(fileIds.length ? { files: fileIds } : {}) };
    const { state, effect } = applyAction(caseState(c), action, payload);

    let currentStepId = c.current_step_id;
    let dueAt = c.current_due_at;
    if (effect.kind === 'stay') {
      if (currentStepId && Object.keys(outputs).length) {
        await mergeStepOutputs(trx, currentStepId, { [action.key]: outputs });
      }
    } else {
      if (currentStepId) {
        await endStep(trx, currentStepId, {
          endedAt: now,
          actorId: ctx.actor.id,
          workingSeconds: deps.clock.workingSeconds(await stepStart(trx, currentStepId), now),
          outputs: { [action.key]: outputs },
        });
      }
      currentStepId = null;
      dueAt = null;
      if (effect.kind === 'advance') {
        const started = await startStep(trx, c.id, effect.to, stepOf(sop, effect.to), deps, now);
        currentStepId = started.id;
        dueAt = started.dueAt;
      }
    }
    if (result.facts) await mergeCaseFacts(trx, c.id, result.facts);
    await updateCase(trx, c.id, {
      ...result.patch,
      status: state.status,
      step_key: state.step,
      pending_decision: state.pendingDecision,
      marks: JSON.stringify(state.marks),
      version: c.version + 1,
      current_step_id: currentStepId,
      current_due_at: dueAt,
      roles_waiting: rolesWaitedFor(sop, state),
      ...(effect.kind === 'finish' ? { closed_at: now } : {}),
    });
    await insertEvent(trx, {
      caseId: c.id,
      actorId: ctx.actor.id,
      action: action.key,
      stepKey: c.step_key,
      payload: outputs,
    });
    await deps.afterAction?.(trx, { caseId: c.id, action: action.key }, ctx);
    await notifyHandOff(trx, deps, {
      c,
      sop,
      before: caseState(c),
      after: state,
      waiting: rolesWaitedFor(sop, state),
      action,
      actorId: ctx.actor.id,
    });
    await recordAudit(trx, ctx, {
      action: `case.${action.key}`,
      entityType: 'case',
      entityId: c.id,
      details: { ref: c.ref, step: c.step_key, to: state.step, status: state.status, outputs },
    });
    return await loadDetail(trx, c.id, ctx.actor, deps.clock);
  } catch (e) {
    await forgetStored(deps, stored);
    throw e;
  }
}

async function stepStart(trx: Kysely<Database>, stepId: string): Promise<Date> {
  const r = await trx
    .selectFrom('case_steps')
    .select('started_at')
    .where('id', '=', stepId)
    .executeTakeFirstOrThrow();
  return r.started_at;
}
