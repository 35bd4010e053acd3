/**
 * Time as the tests fix it. Loket's behaviour depends on the time of day (working hours 07:30–16:00
 * WIB Mon–Thu, 07:30–16:30 Fri, holidays), and a test that reads the real clock only ever sees the
 * hour it happens to run at. The API and browser walks therefore run on a clock that starts at a
 * fixed instant inside office hours and then moves with real elapsed time (so ordering and "later"
 * still hold within a walk).
 */

/** Tuesday 1 December 2026, 09:00 WIB: a working day (no holiday), inside office hours. */
export const OFFICE_HOURS = new Date('2026-12-01T02:00:00Z');
/** Tuesday 1 December 2026, 20:00 WIB: a working day, outside office hours. */
export const AFTER_HOURS = new Date('2026-12-01T13:00:00Z');
/** Tuesday 1 December 2026, 07:34 WIB: four minutes into the working day. */
export const EARLY_MORNING = new Date('2026-12-01T00:34:00Z');

/** A clock that reads `start` now and moves on with real elapsed time. */
export function clockFrom(start: Date): () => Date {
  const t0 = performance.now();
  return () => new Date(start.getTime() + Math.round(performance.now() - t0));
}

/** The civil date (YYYY-MM-DD) of an instant in Jakarta. */
export function jakartaDate(t: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Jakarta',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(t);
}
