import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import { AppError, forbidden, notFound } from '../errors.ts';
import { resolveRequestWebsite } from '../registry/case-link.ts';
import type { Ctx } from '../shared/context.ts';
import { currentSop } from '../sop/catalogue.ts';
import { initialState, rolesWaitedFor, stepOf } from '../sop/engine.ts';
import type { FileSpec } from '../sop/types.ts';
import { findCaseForUpdate, insertCase, insertEvent, updateCase } from './case.repository.ts';
import type { CaseDetail, CreateCaseInput, UpdateCaseInput } from './case.schemas.ts';
import { assertCanSee } from './case-access.ts';
import { type CaseDeps, type IncomingFile, localDate } from './case-deps.ts';
import { checkFiles, forgetStored, keepFiles } from './case-files.ts';
import { loadDetail } from './case-presenter.ts';
import { nextNumber } from './counter.repository.ts';
import { startStep } from './perform-action.ts';

/** Files a request takes: the signed letter, and other attachments. */
export const REQUEST_FILES: readonly FileSpec[] = [
  { field: 'letter', kinds: ['pdf', 'jpeg', 'png'], required: false, max: 1, purpose: 'letter' },
  { field: 'attachments', kinds: ['pdf', 'jpeg', 'png'], required: false, max: 10, purpose: 'attachment' },
];

function assertLetterDate(letterDate: string | undefined, deps: CaseDeps): void {
  if (letterDate && letterDate > localDate(deps.clock.now(), deps.timeZone)) {
    throw new AppError('LETTER_DATE_IN_FUTURE', 'The letter date is in the future', {
      details: { fields: [{ path: 'letterDate', message: 'cannot be in the future' }] },
    });
  }
}

/** An OPD user files a request: a draft of the website SOP, its first step's clock running. */
export async function createCase(
  trx: Kysely<Database>,
  input: CreateCaseInput,
  files: IncomingFile[],
  ctx: Ctx,
  deps: CaseDeps,
): Promise<CaseDetail> {
  if (!ctx.actor.roles.includes('opd') || !ctx.actor.opdId) throw forbidden('Only OPD users file requests');
  assertLetterDate(input.letterDate, deps);
  checkFiles(files, REQUEST_FILES);
  const sop = currentSop('website');
  const now = deps.clock.now();
  const year = Number(localDate(now, deps.timeZone).slice(0, 4));
  const seq = await nextNumber(trx, `case:${sop.key}`, year);
  const state = initialState(sop);
  const website = await resolveRequestWebsite(trx, { ...input, opdId: ctx.actor.opdId }, deps.registry);
  const stored: string[] = [];
  try {
    const id = await insertCase(trx, {
      ref: `WEB-${year}-${String(seq).padStart(5, '0')}`,
      sop_key: sop.key,
      sop_version: sop.version,
      kind: input.kind,
      opd_id: ctx.actor.opdId,
      created_by: ctx.actor.id,
      subject: input.subject,
      letter_number: input.letterNumber,
      letter_date: input.letterDate,
      description: input.description,
      website_ref: website.websiteRef,
      website_id: website.websiteId,
      status: state.status,
      step_key: state.step,
      pending_decision: null,
      roles_waiting: rolesWaitedFor(sop, state),
    });
    const step = await startStep(trx, id, state.step, stepOf(sop, state.step), deps, now);
    await updateCase(trx, id, { current_step_id: step.id, current_due_at: step.dueAt });
    await keepFiles(
      trx,
      deps,
      { caseId: id, stepKey: state.step, userId: ctx.actor.id, files, specs: REQUEST_FILES },
      stored,
    );
    await insertEvent(trx, {
      caseId: id,
      actorId: ctx.actor.id,
      action: 'create',
      stepKey: state.step,
      payload: { subject: input.subject },
    });
    await recordAudit(trx, ctx, {
      action: 'case.create',
      entityType: 'case',
      entityId: id,
      details: { subject: input.subject, kind: input.kind },
    });
    return await loadDetail(trx, id, ctx.actor, deps.clock);
  } catch (e) {
    await forgetStored(deps, stored);
    throw e;
  }
}

/** The owning OPD edits its draft (fields; a new letter replaces the old one; attachments add). */
export async function updateDraft(
  trx: Kysely<Database>,
  caseId: string,
  input: UpdateCaseInput,
  files: IncomingFile[],
  ctx: Ctx,
  deps: CaseDeps,
): Promise<CaseDetail> {
  const c = await findCaseForUpdate(trx, caseId);
  if (!c) throw notFound('Case');
  assertCanSee(ctx.actor, c);
  if (ctx.actor.opdId !== c.opd_id) throw forbidden('Only the requesting OPD edits its draft');
  if (c.status !== 'draft') throw new AppError('ACTION_NOT_ALLOWED_NOW', 'Only a draft can be edited');
  if (input.version !== c.version) {
    throw new AppError('VERSION_CONFLICT', 'The case was changed by someone else; reload it', {
      details: { currentVersion: c.version },
    });
  }
  assertLetterDate(input.letterDate, deps);
  checkFiles(files, REQUEST_FILES);
  const kind = input.kind ?? c.kind;
  // What the request says about its website is checked again whenever kind or website change.
  const touched =
    input.kind !== undefined || input.websiteId !== undefined || input.requestedHostname !== undefined;
  const website = touched
    ? await resolveRequestWebsite(
        trx,
        {
          kind,
          opdId: c.opd_id,
          websiteId: input.websiteId ?? (kind === 'update' ? (c.website_id ?? undefined) : undefined),
          requestedHostname:
            input.requestedHostname === null
              ? undefined
              : (input.requestedHostname ??
                (kind === 'new' && !c.website_id ? (c.website_ref ?? undefined) : undefined)),
        },
        deps.registry,
      )
    : { websiteId: c.website_id, websiteRef: c.website_ref };
  const stored: string[] = [];
  try {
    await keepFiles(
      trx,
      deps,
      { caseId, stepKey: c.step_key, userId: ctx.actor.id, files, specs: REQUEST_FILES },
      stored,
    );
    await updateCase(trx, caseId, {
      kind,
      subject: input.subject,
      letter_number: input.letterNumber,
      letter_date: input.letterDate,
      description: input.description,
      website_ref: website.websiteRef,
      website_id: website.websiteId,
      version: c.version + 1,
    });
    await insertEvent(trx, {
      caseId,
      actorId: ctx.actor.id,
      action: 'edit',
      stepKey: c.step_key,
      payload: {},
    });
    await recordAudit(trx, ctx, { action: 'case.edit', entityType: 'case', entityId: caseId });
    return await loadDetail(trx, caseId, ctx.actor, deps.clock);
  } catch (e) {
    await forgetStored(deps, stored);
    throw e;
  }
}
