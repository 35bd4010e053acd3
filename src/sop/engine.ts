import { z } from 'zod';
import type { Role } from '../db/schema.ts';
import type { ActionDef, CaseState, Effect, SopDef, StepDef } from './types.ts';

// The pure SOP engine: given a definition, a case's state and an actor, it answers who may act,
// which actions exist, and what an action does. No database, no clock.

/** Who is asking, as the engine needs it. */
export type EngineActor = {
  roles: readonly Role[];
  /** True when the actor is an OPD user of the case's own OPD. */
  ownsCase: boolean;
};

export type Refusal = {
  code:
    | 'ACTION_UNKNOWN'
    | 'ACTION_NOT_IN_STEP'
    | 'ACTION_FORBIDDEN'
    | 'ACTION_NOT_ALLOWED_NOW'
    | 'CASE_CLOSED';
  reason: string;
};

export function stepOf(sop: SopDef, key: string): StepDef {
  const step = sop.steps.find((s) => s.key === key);
  if (!step) throw new Error(`SOP ${sop.key} v${sop.version} has no step ${key}`);
  return step;
}

export function isClosed(state: CaseState): boolean {
  return state.status === 'rejected' || state.status === 'done';
}

function mayPlayRole(actor: EngineActor, roles: readonly Role[]): boolean {
  return roles.some((r) =>
    r === 'opd' ? actor.roles.includes('opd') && actor.ownsCase : actor.roles.includes(r),
  );
}

/** Checks one action against the state and the actor; the action when allowed, else why not. */
export function checkAction(
  sop: SopDef,
  state: CaseState,
  actor: EngineActor,
  key: string,
): { ok: true; action: ActionDef } | ({ ok: false } & Refusal) {
  const candidates = sop.actions.filter((a) => a.key === key);
  if (candidates.length === 0) return { ok: false, code: 'ACTION_UNKNOWN', reason: `No action ${key}` };
  if (isClosed(state)) return { ok: false, code: 'CASE_CLOSED', reason: 'The case is closed' };
  const here = candidates.find(
    (a) => a.step === state.step && (a.statuses ?? ['active']).includes(state.status),
  );
  if (!here) {
    return { ok: false, code: 'ACTION_NOT_IN_STEP', reason: `${key} is not an action of the current step` };
  }
  if (!mayPlayRole(actor, here.roles)) {
    return { ok: false, code: 'ACTION_FORBIDDEN', reason: `Only ${here.roles.join('/')} may ${key}` };
  }
  const blocked = here.guard?.(state);
  if (blocked) return { ok: false, code: 'ACTION_NOT_ALLOWED_NOW', reason: blocked };
  return { ok: true, action: here };
}

/** The actions this actor may perform now, in the SOP's order. */
export function availableActions(sop: SopDef, state: CaseState, actor: EngineActor): ActionDef[] {
  return sop.actions.filter((a) => checkAction(sop, state, actor, a.key).ok && a.step === state.step);
}

/** The roles that could act now (whoever they are), for inboxes and "waiting for" labels. */
export function rolesWaitedFor(sop: SopDef, state: CaseState): Role[] {
  if (isClosed(state)) return [];
  const roles = new Set<Role>();
  for (const a of sop.actions) {
    if (a.step !== state.step || !(a.statuses ?? ['active']).includes(state.status)) continue;
    if (a.guard?.(state)) continue;
    for (const r of a.roles) roles.add(r);
  }
  return [...roles];
}

/** The state after an action, and what it did. The caller has checked the action first. */
export function applyAction(
  state: CaseState,
  action: ActionDef,
  payload: Record<string, unknown>,
): { state: CaseState; effect: Effect } {
  const effect = action.effect(state, payload);
  let next: CaseState = { ...state, ...action.apply?.(state, payload) };
  switch (effect.kind) {
    case 'advance':
      next = { ...next, status: 'active', step: effect.to, pendingDecision: null };
      break;
    case 'finish':
      next = { ...next, status: effect.status, pendingDecision: null };
      break;
    case 'pause':
      next = { ...next, status: 'revision', pendingDecision: null };
      break;
    case 'stay':
      break;
  }
  return { state: next, effect };
}

/** The step keys that can follow the current one (for the flowchart and "what comes next"). */
export function nextStepKeys(sop: SopDef, state: CaseState): string[] {
  const keys = new Set<string>();
  for (const a of sop.actions) {
    if (a.step !== state.step) continue;
    for (const t of a.targets) keys.add(t);
  }
  keys.delete(state.step);
  return [...keys];
}

/**
 * The units (codes) an action that hands the case to a unit may name: those of the lanes of the
 * steps it leads to. Empty when the action hands the case to no unit's step.
 */
export function unitsFor(sop: SopDef, _state: CaseState, action: ActionDef): readonly string[] {
  const units = new Set<string>();
  for (const to of action.targets) for (const u of sop.laneUnits[stepOf(sop, to).lane] ?? []) units.add(u);
  return [...units];
}

const jsonSchemas = new WeakMap<ActionDef, Record<string, unknown>>();

/** An action's payload as JSON Schema, so clients can build its form (computed once per action). */
export function actionInputJsonSchema(action: ActionDef): Record<string, unknown> {
  let schema = jsonSchemas.get(action);
  if (!schema) {
    schema = z.toJSONSchema(action.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    jsonSchemas.set(action, schema);
  }
  return schema;
}

/** A new case's state. */
export function initialState(sop: SopDef): CaseState {
  const first = sop.steps[0];
  if (!first) throw new Error(`SOP ${sop.key} has no steps`);
  return { status: 'draft', step: first.key, pendingDecision: null, marks: {} };
}
