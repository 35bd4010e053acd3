/**
 * Working time as people say it: "25 mnt", "2 jam 5 mnt", "3 hari kerja", and due times relative to now
 * ("2 jam lagi", "terlambat 1 hari kerja"). The server owns the working-time calendar; these only word it.
 */
import type { StandardTime, StepRecord } from '../api/types.ts';
import i18n from '../i18n/index.ts';
import { TIME_ZONE } from './format.ts';

/** Minutes in a working day when the case does not tell (8 working hours). */
export const DEFAULT_MINUTES_PER_DAY = 8 * 60;

/**
 * The length of a working day as the server counts it, read from a step whose standard is in working days
 * (its `standardSeconds` is those days in working seconds).
 */
export function minutesPerWorkingDay(steps: readonly StepRecord[]): number {
  for (const step of steps) {
    if ('workingDays' in step.standardTime && step.standardTime.workingDays > 0 && step.standardSeconds > 0) {
      return step.standardSeconds / 60 / step.standardTime.workingDays;
    }
  }
  return DEFAULT_MINUTES_PER_DAY;
}

/**
 * A working time the server gave in seconds, in whole minutes rounded down: "< 1 mnt" between 0 and
 * 60 seconds, then as `formatWorkingMinutes` ("25 mnt", "2 jam 5 mnt", "3 hari kerja").
 */
export function formatWorkingSeconds(seconds: number, minutesPerDay = DEFAULT_MINUTES_PER_DAY): string {
  if (seconds > 0 && seconds < 60) return i18n.t('cases.duration.underMinute');
  return formatWorkingMinutes(Math.floor(Math.max(0, seconds) / 60), minutesPerDay);
}

/** "25 mnt", "1 jam 30 mnt", "3 hari kerja", "2 hari kerja 3 jam". */
export function formatWorkingMinutes(total: number, minutesPerDay = DEFAULT_MINUTES_PER_DAY): string {
  const minutes = Math.max(0, Math.round(total));
  if (minutes < 60) return i18n.t('cases.duration.minutes', { count: minutes });
  if (minutes < minutesPerDay) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest
      ? i18n.t('cases.duration.hoursMinutes', { hours, minutes: rest })
      : i18n.t('cases.duration.hours', { count: hours });
  }
  const days = Math.floor(minutes / minutesPerDay);
  const hours = Math.floor((minutes % minutesPerDay) / 60);
  return hours
    ? i18n.t('cases.duration.daysHours', { count: days, hours })
    : i18n.t('cases.duration.days', { count: days });
}

/** A step's standard time as the SOP writes it. */
export function formatStandardTime(standard: StandardTime, minutesPerDay = DEFAULT_MINUTES_PER_DAY): string {
  if ('workingDays' in standard) return i18n.t('cases.duration.days', { count: standard.workingDays });
  return formatWorkingMinutes(standard.minutes, minutesPerDay);
}

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Jakarta calendar day of an instant, `YYYY-MM-DD`. */
export function jakartaDay(date: Date): string {
  return dayFormat.format(date);
}

/** Today in Jakarta, `YYYY-MM-DD` (for `max` on date inputs). */
export function jakartaToday(): string {
  return jakartaDay(new Date());
}

/**
 * Working days after `from`'s day up to and including `to`'s day (Jakarta days): weekends and the given
 * holidays do not count.
 */
export function workingDaysBetween(from: Date, to: Date, holidays: ReadonlySet<string> = new Set()): number {
  const start = jakartaDay(from);
  const end = jakartaDay(to);
  if (end <= start) return 0;
  let count = 0;
  // Walk calendar days at noon UTC: no daylight-saving edge can skip or repeat a day.
  const cursor = new Date(`${start}T12:00:00Z`);
  for (let i = 0; i < 400; i++) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    const day = cursor.toISOString().slice(0, 10);
    if (day > end) break;
    const weekday = cursor.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.has(day)) count++;
  }
  return count;
}

export type DueState = { text: string; overdue: boolean };

/**
 * "2 jam lagi" / "terlambat 1 hari kerja". Under a day the wall clock is used; from a day on, working
 * days are counted (weekends and the holidays known to the client skipped).
 */
export function describeDue(
  dueAt: string,
  overdue: boolean,
  now: Date = new Date(),
  holidays: ReadonlySet<string> = new Set(),
): DueState {
  const due = new Date(dueAt);
  if (Number.isNaN(due.getTime())) return { text: dueAt, overdue };
  const late = overdue || due.getTime() < now.getTime();
  const ms = Math.abs(due.getTime() - now.getTime());
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  if (!late && minutes < 1) return { text: i18n.t('cases.due.soon'), overdue: false };
  if (minutes < 60) {
    const count = Math.max(1, minutes);
    return { text: i18n.t(late ? 'cases.due.lateMinutes' : 'cases.due.minutes', { count }), overdue: late };
  }
  const days = late ? workingDaysBetween(due, now, holidays) : workingDaysBetween(now, due, holidays);
  if (hours < 24 || days === 0) {
    return {
      text: i18n.t(late ? 'cases.due.lateHours' : 'cases.due.hours', { count: hours }),
      overdue: late,
    };
  }
  return { text: i18n.t(late ? 'cases.due.lateDays' : 'cases.due.days', { count: days }), overdue: late };
}

/** "2,5 MB" / "120 KB" in the current language. */
export function formatBytes(bytes: number): string {
  const locale = i18n.language === 'en' ? 'en-GB' : 'id-ID';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[unit]}`;
}

const minuteFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as a `datetime-local` input value in Jakarta time (`YYYY-MM-DDTHH:mm`). */
export function jakartaDateTimeLocal(date: Date = new Date()): string {
  const parts = Object.fromEntries(minuteFormat.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** A `datetime-local` value meant as Jakarta time, as an ISO timestamp with the +07:00 offset. */
export function jakartaLocalToIso(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+07:00` : value;
}
