import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import { AppError, forbidden, notFound } from '../errors.ts';
import { resolveRequestFacts } from '../registry/case-link.ts';
import type { Ctx } from '../shared/context.ts';
import { allCurrentSops } from '../sop/catalogue.ts';
import { initialState, rolesWaitedFor, stepOf } from '../sop/engine.ts';
import type { FileSpec, SopDef } from '../sop/types.ts';
import { type CaseRow, findCaseForUpdate, insertCase, insertEvent, updateCase } from './case.repository.ts';
import type { CaseDetail } from './case.schemas.ts';
import { assertCanSee } from './case-access.ts';
import { type CaseDeps, type IncomingFile, localDate } from './case-deps.ts';
import { checkFiles, forgetStored, keepFiles } from './case-files.ts';
import { loadDetail, sopOf } from './case-presenter.ts';
import { nextNumber } from './counter.repository.ts';
import { startStep } from './perform-action.ts';
import {
  DEFAULT_SERVICE,
  draftPatchSchemaOf,
  factsSchemaOf,
  type RequestInput,
  requestFieldsOf,
  requestSchemaOf,
} from './request-schema.ts';

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

function invalidBody(issues: readonly { path: PropertyKey[]; message: string }[]): AppError {
  return new AppError('VALIDATION_FAILED', 'The request body is not valid', {
    details: {
      in: 'body',
      fields: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    },
  });
}

function asBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('VALIDATION_FAILED', 'The body must be an object', { details: { fields: [] } });
  }
  return body as Record<string, unknown>;
}

/**
 * The SOP a new request is for: the body's `service` (by default the website SOP), current
 * version. An unknown service is a mistake in the body.
 */
export function serviceOfRequest(body: Record<string, unknown>): SopDef {
  const key = body.service ?? DEFAULT_SERVICE;
  const sop = typeof key === 'string' ? allCurrentSops().find((s) => s.key === key) : undefined;
  if (!sop) throw invalidBody([{ path: ['service'], message: 'no such service' }]);
  return sop;
}

/**
 * Hook: is the service retired (no new requests; running cases go on)? The publishing part of
 * issue 11 keeps that in `sop_services` (src/sop/catalogue.ts); until it is merged no service is.
 */
async function isServiceRetired(_db: Kysely<Database>, _key: string): Promise<boolean> {
  return false;
}

/** The create body checked against its service's request schema. */
export function parseRequest(body: unknown): { sop: SopDef; input: RequestInput } {
  const raw = asBody(body);
  const sop = serviceOfRequest(raw);
  const r = requestSchemaOf(sop).safeParse(raw);
  if (!r.success) throw invalidBody(r.error.issues);
  return { sop, input: r.data };
}

/** Only an OPD user files requests, and for its own OPD. */
function requireOpd(ctx: Ctx): string {
  if (!ctx.actor.roles.includes('opd') || !ctx.actor.opdId) throw forbidden('Only OPD users file requests');
  return ctx.actor.opdId;
}

/**
 * An OPD user files a request: a draft of the service's SOP (the body's `service`, the website
 * SOP by default), its first step's clock running. `body` is what the client sent (JSON, or
 * multipart text fields typed by the service's schema): the common fields and the facts its
 * request step declares, checked here — the registry ones (website, hostname) against the registry.
 */
export async function createCase(
  trx: Kysely<Database>,
  body: unknown,
  files: IncomingFile[],
  ctx: Ctx,
  deps: CaseDeps,
): Promise<CaseDetail> {
  const { sop, input } = parseRequest(body);
  const opdId = requireOpd(ctx);
  if (await isServiceRetired(trx, sop.key)) {
    throw new AppError('SERVICE_RETIRED', `The service ${sop.key} takes no new requests`);
  }
  assertLetterDate(input.letterDate, deps);
  checkFiles(files, REQUEST_FILES);
  const now = deps.clock.now();
  const year = Number(localDate(now, deps.timeZone).slice(0, 4));
  const seq = await nextNumber(trx, `case:${sop.key}`, year);
  const state = initialState(sop);
  const facts = await resolveRequestFacts(
    trx,
    { opdId, fields: requestFieldsOf(sop), facts: input.facts },
    deps.registry,
  );
  const stored: string[] = [];
  try {
    const id = await insertCase(trx, {
      ref: `${sop.refPrefix}-${year}-${String(seq).padStart(5, '0')}`,
      sop_key: sop.key,
      sop_version: sop.version,
      opd_id: opdId,
      created_by: ctx.actor.id,
      subject: input.subject,
      letter_number: input.letterNumber,
      letter_date: input.letterDate,
      description: input.description,
      facts: JSON.stringify(facts),
      marks: JSON.stringify(state.marks),
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
      details: { subject: input.subject, service: sop.key, facts },
    });
    return await loadDetail(trx, id, ctx.actor, deps.clock);
  } catch (e) {
    await forgetStored(deps, stored);
    throw e;
  }
}

/**
 * The facts of a draft after an edit: what it had (declared facts only), with what the edit sends
 * (null clears), checked as a whole again — registry ones too — when any of them changed.
 */
async function editedFacts(
  trx: Kysely<Database>,
  c: CaseRow,
  sop: SopDef,
  sent: Record<string, unknown>,
  deps: CaseDeps,
): Promise<Record<string, unknown> | null> {
  if (Object.keys(sent).length === 0) return null;
  const fields = requestFieldsOf(sop);
  const merged: Record<string, unknown> = {};
  for (const f of fields) {
    const v = f.key in sent ? sent[f.key] : c.facts[f.key];
    if (v !== undefined && v !== null) merged[f.key] = v;
  }
  const r = factsSchemaOf(sop).safeParse(merged);
  if (!r.success) throw invalidBody(r.error.issues);
  const resolved = await resolveRequestFacts(trx, { opdId: c.opd_id, fields, facts: r.data }, deps.registry);
  // Facts the request does not declare (none on a draft today) stay; the website ones are derived anew.
  const declared = new Set([...fields.map((f) => f.key), 'websiteId', 'websiteRef']);
  const kept = Object.entries(c.facts).filter(([k]) => !declared.has(k));
  return { ...Object.fromEntries(kept), ...resolved };
}

/** The owning OPD edits its draft (fields; a new letter replaces the old one; attachments add). */
export async function updateDraft(
  trx: Kysely<Database>,
  caseId: string,
  body: unknown,
  files: IncomingFile[],
  ctx: Ctx,
  deps: CaseDeps,
): Promise<CaseDetail> {
  const raw = asBody(body);
  const c = await findCaseForUpdate(trx, caseId);
  if (!c) throw notFound('Case');
  assertCanSee(ctx.actor, c);
  const sop = sopOf(c);
  const parsed = draftPatchSchemaOf(sop).safeParse(raw);
  if (!parsed.success) throw invalidBody(parsed.error.issues);
  const input = parsed.data;
  if (ctx.actor.opdId !== c.opd_id) throw forbidden('Only the requesting OPD edits its draft');
  if (c.status !== 'draft') throw new AppError('ACTION_NOT_ALLOWED_NOW', 'Only a draft can be edited');
  if (input.version !== c.version) {
    throw new AppError('VERSION_CONFLICT', 'The case was changed by someone else; reload it', {
      details: { currentVersion: c.version },
    });
  }
  assertLetterDate(input.letterDate, deps);
  checkFiles(files, REQUEST_FILES);
  const facts = await editedFacts(trx, c, sop, input.facts, deps);
  const stored: string[] = [];
  try {
    await keepFiles(
      trx,
      deps,
      { caseId, stepKey: c.step_key, userId: ctx.actor.id, files, specs: REQUEST_FILES },
      stored,
    );
    await updateCase(trx, caseId, {
      subject: input.subject,
      letter_number: input.letterNumber,
      letter_date: input.letterDate,
      description: input.description,
      ...(facts ? { facts: JSON.stringify(facts) } : {}),
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
