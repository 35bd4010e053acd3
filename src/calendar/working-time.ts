/**
 * Working-time arithmetic for the SOP's standard times ("mutu baku"): pure functions over `Date`
 * instants and a `WorkCalendar` (time zone, weekly working hours, holidays). No database here.
 *
 * Definitions (the tests hold the code to them):
 *
 * - A **working instant** lies inside one of the day's working intervals, which are half-open:
 *   `[start, end)`. 16:00 on a Monday with hours 07:30–16:00 is *not* a working instant.
 * - A **working day** is a civil date in the calendar's zone that has at least one working interval:
 *   a weekday with hours that is not in `holidays`.
 * - Local wall times become instants through the zone's rules (Intl). A wall time that does not exist
 *   (a DST gap) is moved forward by the gap; one that exists twice (a DST fold) takes the earlier
 *   instant — like Temporal's `disambiguation: 'compatible'`. Working minutes are real elapsed
 *   minutes, so a working interval that spans a DST change is an hour longer or shorter that day.
 *   Asia/Jakarta (UTC+7) has no DST; other zones may be configured.
 * - **addWorkingMinutes(start, n)** is the earliest instant `due` such that the working time in
 *   `[start, due)` is `n` minutes. For `n > 0` that can be exactly the *end* of a working interval
 *   (30 minutes from Monday 15:30 is Monday 16:00, not Tuesday 07:30); for `n = 0` it is
 *   `nextWorkingInstant(start)`. So a due time is always a working instant or the end of a working
 *   interval, never on a weekend or a holiday.
 * - **addWorkingDays(start, n)**: `start` is first moved to the next working instant `s` (on
 *   working day D₀). Its *working-clock position* `p` is the working time on D₀ before `s`. The due
 *   time is the instant at position `p` on the n-th working day after D₀, or the end of that day's
 *   last working interval when that day has less than `p` of working time (Friday 16:15 + 1 working
 *   day = Monday 16:00 with Mon–Thu 07:30–16:00, Fri 07:30–16:30). On days with the same hours this
 *   is the same wall-clock time; `n = 0` gives `s`.
 * - **workingMinutesBetween(a, b)** is the working time in `[a, b)` in minutes (0 when `b ≤ a`);
 *   `workingMinutesBetween(start, addWorkingMinutes(start, n)) === n`. It is exact (a fraction of
 *   a minute stays a fraction); `workingMillisecondsBetween` gives the same time as whole
 *   milliseconds. Nothing here rounds: the SOP clock rounds to whole seconds where a step's working
 *   time is stored or shown (`src/cases/calendar-clock.ts`).
 *
 * Every function steps day by day (never minute by minute), and a calendar memoises each civil day's
 * working intervals, so a due time 7 working days ahead or a span over a year costs a few hundred
 * cheap steps. Treat a `WorkCalendar` as immutable: build a new one (`createWorkCalendar`) when the
 * hours or holidays change.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A stretch of this many days without any working time means the calendar is broken. */
const MAX_IDLE_DAYS = 3 * 366;
/** Ten years of minutes and of days: far beyond any SOP standard, and a bound on the loops. */
export const MAX_WORKING_MINUTES = 10 * 366 * 24 * 60;
export const MAX_WORKING_DAYS = 10 * 366;

/** Minutes since local midnight, `[start, end)`, 0 ≤ start < end ≤ 1440. */
export type MinuteInterval = readonly [start: number, end: number];
/** Working intervals per weekday, index 0 = Sunday … 6 = Saturday (like `Date#getDay`). */
export type WeeklyHours = readonly (readonly MinuteInterval[])[];

export type WorkCalendar = {
  /** IANA time zone name, e.g. `Asia/Jakarta`. */
  readonly timeZone: string;
  readonly hours: WeeklyHours;
  /** Civil dates (`YYYY-MM-DD`, in `timeZone`) with no working time at all. */
  readonly holidays: ReadonlySet<string>;
};

/** An SOP step's standard time: working minutes, or working days. */
export type StandardTime = { minutes: number } | { workingDays: number };

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` that is a real calendar date (no 2026-02-30). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** True when Intl knows the zone by this IANA name (offset strings like `+07:00` are refused). */
export function isValidTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Problems with a weekly schedule, as sentences; empty when it is usable. */
export function weeklyHoursProblems(hours: WeeklyHours): string[] {
  const problems: string[] = [];
  if (!Array.isArray(hours) || hours.length !== 7) return ['hours must list 7 weekdays (Sunday first)'];
  hours.forEach((day, i) => {
    let prevEnd = -1;
    for (const iv of day) {
      const [s, e] = iv;
      if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e > 1440 || s >= e) {
        problems.push(
          `${WEEKDAYS[i]}: interval [${s}, ${e}) must be whole minutes with 0 ≤ start < end ≤ 1440`,
        );
      } else if (s < prevEnd) {
        problems.push(`${WEEKDAYS[i]}: intervals must be in order and must not overlap`);
      }
      prevEnd = Math.max(prevEnd, e);
    }
  });
  if (problems.length === 0 && hours.every((d) => d.length === 0)) {
    problems.push('at least one weekday must have working hours');
  }
  return problems;
}

/** A checked, frozen calendar; throws `RangeError` listing every problem. */
export function createWorkCalendar(input: {
  timeZone: string;
  hours: WeeklyHours;
  holidays?: Iterable<string>;
}): WorkCalendar {
  const problems: string[] = [];
  if (!isValidTimeZone(input.timeZone)) problems.push(`unknown time zone ${JSON.stringify(input.timeZone)}`);
  problems.push(...weeklyHoursProblems(input.hours));
  const holidays = new Set<string>();
  for (const d of input.holidays ?? []) {
    if (isIsoDate(d)) holidays.add(d);
    else problems.push(`holiday ${JSON.stringify(d)} is not a YYYY-MM-DD date`);
  }
  if (problems.length > 0) throw new RangeError(`Invalid work calendar: ${problems.join('; ')}`);
  const hours = Object.freeze(
    input.hours.map((day) => Object.freeze(day.map(([s, e]) => Object.freeze([s, e] as const)))),
  );
  return Object.freeze({ timeZone: input.timeZone, hours, holidays });
}

// ---------------------------------------------------------------------------------------------
// Civil days and the zone's offsets

/** Days since 1970-01-01 of a civil date; and back. */
function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}
function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local wall-clock time of an instant, as milliseconds of a UTC-based timeline. */
function wallMs(timeZone: string, epochMs: number): number {
  const second = Math.floor(epochMs / 1000) * 1000;
  const p: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(second))) p[part.type] = part.value;
  let year = Number(p.year);
  if (p.era === 'BC' || p.era === 'B') year = 1 - year;
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(p.month) - 1, Number(p.day));
  wall.setUTCHours(Number(p.hour), Number(p.minute), Number(p.second), 0);
  return wall.getTime() + (epochMs - second);
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(timeZone: string, epochMs: number): number {
  return wallMs(timeZone, epochMs) - epochMs;
}

/** The instant of a local wall time (`minute` minutes after the civil day's midnight; 1440 = next midnight). */
function zonedToInstant(timeZone: string, day: number, minute: number): number {
  const local = day * DAY_MS + minute * MINUTE_MS;
  const before = offsetAt(timeZone, local - DAY_MS);
  const after = offsetAt(timeZone, local + DAY_MS);
  if (before === after) return local - before;
  const early = local - before;
  const late = local - after;
  const earlyOk = offsetAt(timeZone, early) === before;
  const lateOk = offsetAt(timeZone, late) === after;
  if (earlyOk && lateOk) return Math.min(early, late); // a fold: the first occurrence
  if (earlyOk) return early;
  if (lateOk) return late;
  return local - before; // a gap: forward by the gap's length
}

/** The civil day (days since 1970-01-01 in the calendar's zone) an instant falls on. */
function dayOf(cal: WorkCalendar, epochMs: number): number {
  return Math.floor(wallMs(cal.timeZone, epochMs) / DAY_MS);
}

type Span = { readonly start: number; readonly end: number };
const NO_SPANS: readonly Span[] = Object.freeze([]);
const spanCache = new WeakMap<WorkCalendar, Map<number, readonly Span[]>>();
const SPAN_CACHE_LIMIT = 20_000;

/** The working intervals of one civil day as instants (memoised per calendar). */
function spansOf(cal: WorkCalendar, day: number): readonly Span[] {
  let cache = spanCache.get(cal);
  if (!cache) {
    cache = new Map();
    spanCache.set(cal, cache);
  }
  const hit = cache.get(day);
  if (hit) return hit;
  let spans = NO_SPANS;
  const intervals = cal.hours[weekdayOfDay(day)] ?? [];
  if (intervals.length > 0 && !cal.holidays.has(isoOfDay(day))) {
    const list: Span[] = [];
    let prevEnd = Number.NEGATIVE_INFINITY;
    for (const [s, e] of intervals) {
      const start = Math.max(zonedToInstant(cal.timeZone, day, s), prevEnd);
      const end = zonedToInstant(cal.timeZone, day, e);
      if (end > start) {
        list.push({ start, end });
        prevEnd = end;
      }
    }
    spans = Object.freeze(list);
  }
  if (cache.size >= SPAN_CACHE_LIMIT) cache.clear();
  cache.set(day, spans);
  return spans;
}

function epochOf(t: Date, what: string): number {
  const ms = t instanceof Date ? t.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date`);
  return ms;
}

/** Walks civil days forward from `day`, refusing to walk forever through a calendar without work. */
function idleGuard(cal: WorkCalendar): (spans: readonly Span[], day: number) => void {
  let idle = 0;
  return (spans, day) => {
    idle = spans.length > 0 ? 0 : idle + 1;
    if (idle > MAX_IDLE_DAYS) {
      throw new RangeError(
        `no working time in ${MAX_IDLE_DAYS} days up to ${isoOfDay(day)} (${cal.timeZone})`,
      );
    }
  };
}

/** The next working instant at or after `ms`, and the civil day whose interval holds it. */
function nextWorking(cal: WorkCalendar, ms: number): { at: number; day: number; index: number } {
  const guard = idleGuard(cal);
  // One day back: a day's last interval can end at the next day's midnight.
  for (let day = dayOf(cal, ms) - 1; ; day++) {
    const spans = spansOf(cal, day);
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i] as Span;
      if (ms < s.end) return { at: Math.max(ms, s.start), day, index: i };
    }
    guard(spans, day);
  }
}

// ---------------------------------------------------------------------------------------------
// The API

/** The civil date (`YYYY-MM-DD`) of an instant in the calendar's zone. */
export function localDateOf(cal: WorkCalendar, t: Date): string {
  return isoOfDay(dayOf(cal, epochOf(t, 't')));
}

/** Whether a civil date has any working time (a weekday with hours, not a holiday). */
export function isWorkingDay(cal: WorkCalendar, date: string): boolean {
  if (!isIsoDate(date)) throw new RangeError(`${JSON.stringify(date)} is not a YYYY-MM-DD date`);
  return spansOf(cal, dayNumber(date)).length > 0;
}

/** The working intervals of a civil date, as instants (`end` excluded); empty on days off. */
export function workingIntervalsOn(cal: WorkCalendar, date: string): { start: Date; end: Date }[] {
  if (!isIsoDate(date)) throw new RangeError(`${JSON.stringify(date)} is not a YYYY-MM-DD date`);
  return spansOf(cal, dayNumber(date)).map((s) => ({ start: new Date(s.start), end: new Date(s.end) }));
}

/** Whether `t` lies inside a working interval (`[start, end)`). */
export function isWorkingInstant(cal: WorkCalendar, t: Date): boolean {
  const ms = epochOf(t, 't');
  const day = dayOf(cal, ms);
  for (const d of [day, day - 1]) {
    for (const s of spansOf(cal, d)) if (s.start <= ms && ms < s.end) return true;
  }
  return false;
}

/** `t` itself when it is a working instant, else the start of the next working interval. */
export function nextWorkingInstant(cal: WorkCalendar, t: Date): Date {
  return new Date(nextWorking(cal, epochOf(t, 't')).at);
}

/**
 * The earliest instant by which `minutes` working minutes have passed since `start` (see the module
 * comment: it may be exactly the end of a working interval). Fractions of a minute are kept to the
 * millisecond.
 */
export function addWorkingMinutes(cal: WorkCalendar, start: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > MAX_WORKING_MINUTES) {
    throw new RangeError(`minutes must be between 0 and ${MAX_WORKING_MINUTES}, got ${minutes}`);
  }
  let ms = epochOf(start, 'start');
  let remaining = Math.round(minutes * MINUTE_MS);
  const guard = idleGuard(cal);
  for (let day = dayOf(cal, ms) - 1; ; day++) {
    const spans = spansOf(cal, day);
    for (const s of spans) {
      if (s.end <= ms) continue;
      const from = Math.max(ms, s.start);
      const available = s.end - from;
      if (remaining <= available) return new Date(from + remaining);
      remaining -= available;
      ms = s.end;
    }
    guard(spans, day);
  }
}

/**
 * The same working-clock position `days` working days later (see the module comment); `start`
 * outside working hours first moves to the next working instant.
 */
export function addWorkingDays(cal: WorkCalendar, start: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0 || days > MAX_WORKING_DAYS) {
    throw new RangeError(`days must be a whole number between 0 and ${MAX_WORKING_DAYS}, got ${days}`);
  }
  const from = nextWorking(cal, epochOf(start, 'start'));
  let position = 0;
  const first = spansOf(cal, from.day);
  for (let i = 0; i < from.index; i++) {
    const s = first[i] as Span;
    position += s.end - s.start;
  }
  position += from.at - (first[from.index] as Span).start;

  let day = from.day;
  const guard = idleGuard(cal);
  for (let left = days; left > 0; ) {
    day++;
    const spans = spansOf(cal, day);
    if (spans.length > 0) left--;
    guard(spans, day);
  }
  const spans = spansOf(cal, day);
  let remaining = position;
  for (const s of spans) {
    if (remaining < s.end - s.start) return new Date(s.start + remaining);
    remaining -= s.end - s.start;
  }
  return new Date((spans[spans.length - 1] as Span).end); // a shorter day: its end
}

/** Working minutes in `[a, b)`; 0 when `b ≤ a`. Exact: fractions of a minute are kept. */
export function workingMinutesBetween(cal: WorkCalendar, a: Date, b: Date): number {
  return workingMillisecondsBetween(cal, a, b) / MINUTE_MS;
}

/** Working time in `[a, b)` in whole milliseconds (exact, as instants are); 0 when `b ≤ a`. */
export function workingMillisecondsBetween(cal: WorkCalendar, a: Date, b: Date): number {
  const from = epochOf(a, 'a');
  const to = epochOf(b, 'b');
  if (to <= from) return 0;
  let total = 0;
  const last = dayOf(cal, to);
  for (let day = dayOf(cal, from) - 1; day <= last; day++) {
    for (const s of spansOf(cal, day)) {
      const overlap = Math.min(s.end, to) - Math.max(s.start, from);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/** When a step with this standard time, started (received) at `start`, is due. */
export function dueAt(cal: WorkCalendar, start: Date, standard: StandardTime): Date {
  const hasMinutes = 'minutes' in standard;
  const hasDays = 'workingDays' in standard;
  if (hasMinutes === hasDays)
    throw new RangeError('a standard time is either { minutes } or { workingDays }');
  return hasMinutes
    ? addWorkingMinutes(cal, start, standard.minutes)
    : addWorkingDays(cal, start, (standard as { workingDays: number }).workingDays);
}
