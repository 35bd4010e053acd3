/**
 * The standard-time editor's arithmetic: a step's time as a number and a unit, which steps changed, and the
 * limits the API takes (docs/api.md, PUT /api/services/:key/standard-times). No React, no i18n.
 */
import type { StandardTime, StepDef } from '../api/types.ts';

export const TIME_UNITS = ['minutes', 'workingDays'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** What the API takes: whole minutes up to a day, whole working days up to 90. */
export const TIME_LIMITS: Record<TimeUnit, { min: number; max: number }> = {
  minutes: { min: 1, max: 24 * 60 },
  workingDays: { min: 1, max: 90 },
};

/** A step's time as typed: the number field's value ('' while empty) and the unit. */
export type TimeDraft = { value: number | string; unit: TimeUnit };

export function draftOf(standard: StandardTime): TimeDraft {
  return 'workingDays' in standard
    ? { value: standard.workingDays, unit: 'workingDays' }
    : { value: standard.minutes, unit: 'minutes' };
}

/** The typed number, or null when the field holds no number. */
function amountOf(draft: TimeDraft): number | null {
  if (typeof draft.value === 'number') return Number.isFinite(draft.value) ? draft.value : null;
  const text = draft.value.trim();
  if (!text) return null;
  const number = Number(text.replace(',', '.'));
  return Number.isFinite(number) ? number : null;
}

/** Why the API would refuse this time: 'required', 'range' (not a whole number within the unit's limits). */
export function draftProblem(draft: TimeDraft): 'required' | 'range' | null {
  const amount = amountOf(draft);
  if (amount === null) return 'required';
  const { min, max } = TIME_LIMITS[draft.unit];
  return Number.isInteger(amount) && amount >= min && amount <= max ? null : 'range';
}

/** The draft as the API writes it (call only when `draftProblem` is null). */
export function toStandardTime(draft: TimeDraft): StandardTime {
  const amount = amountOf(draft) ?? 0;
  return draft.unit === 'workingDays' ? { workingDays: amount } : { minutes: amount };
}

export function sameTime(draft: TimeDraft, standard: StandardTime): boolean {
  const original = draftOf(standard);
  return draft.unit === original.unit && amountOf(draft) === original.value;
}

export type TimeChange = { step: StepDef; before: StandardTime; after: StandardTime };

/**
 * The steps whose typed time differs from the SOP's, in the SOP's order; a draft typed back to the SOP's time
 * is no change. Drafts with a problem are left out (the page shows their problem instead).
 */
export function changedTimes(
  steps: readonly StepDef[],
  drafts: Readonly<Record<string, TimeDraft>>,
): TimeChange[] {
  const changes: TimeChange[] = [];
  for (const step of steps) {
    const draft = drafts[step.key];
    if (!draft || sameTime(draft, step.standardTime) || draftProblem(draft)) continue;
    changes.push({ step, before: step.standardTime, after: toStandardTime(draft) });
  }
  return changes;
}

/** The keys of the steps whose draft differs from the SOP (valid or not). */
export function editedKeys(steps: readonly StepDef[], drafts: Readonly<Record<string, TimeDraft>>): string[] {
  return steps
    .filter((step) => {
      const draft = drafts[step.key];
      return draft !== undefined && !sameTime(draft, step.standardTime);
    })
    .map((step) => step.key);
}

/** The `times` body of the request: only the changed steps. */
export function timesBody(changes: readonly TimeChange[]): Record<string, StandardTime> {
  return Object.fromEntries(changes.map((change) => [change.step.key, change.after]));
}

/** The step a server field error names (`times.registrasi`, `times.registrasi.minutes`), if any. */
export function stepOfErrorPath(path: string): string | null {
  const [head, key] = path.split('.');
  return head === 'times' && key ? key : null;
}
