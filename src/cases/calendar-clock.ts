import {
  addWorkingDays,
  dueAt,
  nextWorkingInstant,
  type WorkCalendar,
  workingMillisecondsBetween,
} from '../calendar/working-time.ts';
import { roundToSeconds, type SopClock } from './clock.ts';

/** The SOP clock on the working-time calendar; `now` can be fixed for tests. */
export function calendarClock(cal: WorkCalendar, now: () => Date = () => new Date()): SopClock {
  return {
    now,
    dueAt: (start, standard) => dueAt(cal, start, standard),
    workingSeconds: (from, to) => roundToSeconds(workingMillisecondsBetween(cal, from, to)),
    standardSeconds: (standard, start) =>
      'minutes' in standard
        ? standard.minutes * 60
        : roundToSeconds(
            workingMillisecondsBetween(
              cal,
              nextWorkingInstant(cal, start),
              addWorkingDays(cal, start, standard.workingDays),
            ),
          ),
  };
}
