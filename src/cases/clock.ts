import type { StandardTime } from '../sop/types.ts';

/**
 * Time as the SOP counts it. The real one reads the working-time calendar (working hours,
 * weekends, holidays); tests pass one with a fixed "now".
 *
 * Working time leaves the clock in **whole seconds**, rounded to the nearest second (half up):
 * that is what is stored when a step ends (`case_steps.working_seconds`), what the API answers
 * (`actualSeconds`, `standardSeconds`) and what documents and the web word. The calendar below it
 * stays exact; `workingSeconds` is the one place that rounds.
 */
export type SopClock = {
  now(): Date;
  /** When a step started at `start` with this standard time is due. */
  dueAt(start: Date, standard: StandardTime): Date;
  /** Working seconds between two instants, rounded to the nearest second (0 when `to` is not after `from`). */
  workingSeconds(from: Date, to: Date): number;
  /** A standard time in working seconds (a working day counts as that day's working hours). */
  standardSeconds(standard: StandardTime, start: Date): number;
};

/** Whole seconds of a working time given in milliseconds: the one rounding rule (nearest, half up). */
export function roundToSeconds(ms: number): number {
  return Math.max(0, Math.round(ms / 1000));
}
