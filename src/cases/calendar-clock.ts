import {
  addWorkingDays,
  dueAt,
  nextWorkingInstant,
  type WorkCalendar,
  workingMinutesBetween,
} from '../calendar/working-time.ts';
import type { SopClock } from './clock.ts';

/** The SOP clock on the working-time calendar; `now` can be fixed for tests. */
export function calendarClock(cal: WorkCalendar, now: () => Date = () => new Date()): SopClock {
  return {
    now,
    dueAt: (start, standard) => dueAt(cal, start, standard),
    workingMinutes: (from, to) => workingMinutesBetween(cal, from, to),
    standardMinutes: (standard, start) =>
      'minutes' in standard
        ? standard.minutes
        : workingMinutesBetween(
            cal,
            nextWorkingInstant(cal, start),
            addWorkingDays(cal, start, standard.workingDays),
          ),
  };
}
