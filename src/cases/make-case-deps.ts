import type { Kysely } from 'kysely';
import { loadWorkCalendar } from '../calendar/calendar.loader.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Jobs } from '../jobs/jobs.ts';
import type { FileStore } from '../storage/file-store.ts';
import { calendarClock } from './calendar-clock.ts';
import type { CaseDeps } from './case-deps.ts';

/** The case services' outside world for this configuration: calendar clock, file store, jobs. */
export async function makeCaseDeps(
  db: Kysely<Database>,
  config: Config,
  store: FileStore,
  jobs?: Pick<Jobs, 'send'>,
): Promise<CaseDeps> {
  return {
    clock: calendarClock(await loadWorkCalendar(db, config)),
    store,
    timeZone: config.calendar.timeZone,
    agendaPattern: config.agendaPattern,
    jobs,
  };
}
