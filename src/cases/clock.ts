import type { StandardTime } from '../sop/types.ts';

/**
 * Time as the SOP counts it. The real one reads the working-time calendar (working hours,
 * weekends, holidays); tests pass one with a fixed "now".
 */
export type SopClock = {
  now(): Date;
  /** When a step started at `start` with this standard time is due. */
  dueAt(start: Date, standard: StandardTime): Date;
  /** Working minutes between two instants (0 when `to` is not after `from`). */
  workingMinutes(from: Date, to: Date): number;
  /** A standard time in working minutes (a working day counts as that day's working hours). */
  standardMinutes(standard: StandardTime, start: Date): number;
};
