import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { allHolidayDates } from './holiday.repository.ts';
import { createWorkCalendar, type WorkCalendar } from './working-time.ts';

/**
 * Another Loket instance sharing the database may have changed the holidays; a cached calendar is
 * re-read after this long at the latest. Changes made through this process invalidate it at once.
 */
export const WORK_CALENDAR_MAX_AGE_MS = 60_000;

type Entry = { settings: Config['calendar']; loadedAt: number; calendar: Promise<WorkCalendar> };
const cache = new WeakMap<object, Entry>();

/**
 * The work calendar: time zone and hours from the configuration, holidays from the database. Cached
 * per database handle (pass the root `db`, not a transaction, to share the cache); concurrent callers
 * share one read.
 */
export function loadWorkCalendar(
  db: Kysely<Database>,
  config: Pick<Config, 'calendar'>,
): Promise<WorkCalendar> {
  const now = Date.now();
  const hit = cache.get(db);
  if (hit && hit.settings === config.calendar && now - hit.loadedAt < WORK_CALENDAR_MAX_AGE_MS) {
    return hit.calendar;
  }
  const entry: Entry = {
    settings: config.calendar,
    loadedAt: now,
    calendar: allHolidayDates(db).then((holidays) =>
      createWorkCalendar({ timeZone: config.calendar.timeZone, hours: config.calendar.hours, holidays }),
    ),
  };
  cache.set(db, entry);
  // A failed read is not cached: the next caller tries again.
  entry.calendar.catch(() => {
    if (cache.get(db) === entry) cache.delete(db);
  });
  return entry.calendar;
}

/** Forget the cached calendar; call after a holiday change has committed. */
export function invalidateWorkCalendar(db: Kysely<Database>): void {
  cache.delete(db);
}
