/**
 * Calendar days (`YYYY-MM-DD`) for the holiday admin page: checks that mirror the API's field rules and
 * wording in the current language. A day is a civil date, not an instant, so it is read and formatted in
 * UTC and never shifts with the browser's time zone.
 */
import type { Holiday } from '../api/types.ts';
import { currentLocale } from '../i18n/index.ts';
import type { MessageKey } from './validation.ts';

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;

/** The suffix the shipped 2027 estimates carry until the official SKB confirms them. */
const ESTIMATE_SUFFIX = /\s*\(perkiraan\)\s*$/i;

/** The day as a Date at 00:00 UTC, or null when it is not a real `YYYY-MM-DD` day (2026-02-30). */
export function parseDay(day: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const value = new Date(Date.UTC(year, month - 1, date));
  value.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999.
  const real =
    value.getUTCFullYear() === year && value.getUTCMonth() === month - 1 && value.getUTCDate() === date;
  return real ? value : null;
}

export function isWeekend(day: string): boolean {
  const weekday = parseDay(day)?.getUTCDay();
  return weekday === 0 || weekday === 6;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function format(date: Date, options: Intl.DateTimeFormatOptions): string {
  const locale = currentLocale();
  const key = `${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options });
    formatters.set(key, formatter);
  }
  return formatter.format(date);
}

/** "17 Agustus 2026", or the text itself when it is not a real day. */
export function formatDay(day: string): string {
  const date = parseDay(day);
  return date ? format(date, { day: 'numeric', month: 'long', year: 'numeric' }) : day;
}

/** "Senin". */
export function formatWeekday(day: string): string {
  const date = parseDay(day);
  return date ? format(date, { weekday: 'long' }) : '';
}

/** "Senin, 17 Agustus" (where the year is already shown). */
export function formatDayShort(day: string): string {
  const date = parseDay(day);
  return date ? format(date, { weekday: 'long', day: 'numeric', month: 'long' }) : day;
}

/** "Senin, 17 Agustus 2026". */
export function formatDayLong(day: string): string {
  const date = parseDay(day);
  return date ? format(date, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }) : day;
}

export function isEstimate(holiday: Pick<Holiday, 'name'>): boolean {
  return ESTIMATE_SUFFIX.test(holiday.name);
}

/** The name without the "(perkiraan)" suffix (shown as a badge instead). */
export function displayName(holiday: Pick<Holiday, 'name'>): string {
  return holiday.name.replace(ESTIMATE_SUFFIX, '');
}

export function dayRule(value: string): MessageKey | null {
  if (!value.trim()) return 'validation.required';
  const date = parseDay(value.trim());
  if (!date) return 'validation.holidayDate';
  const year = date.getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR ? null : 'validation.holidayYear';
}

export function kindRule(value: string): MessageKey | null {
  return value ? null : 'validation.holidayKind';
}

/** A year from the address (`?tahun=2027`) when it is one the API accepts. */
export function validYear(value: unknown): number | undefined {
  const year = Number(value);
  return Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR ? year : undefined;
}
