/** Dates are shown in Asia/Jakarta time (WIB), formatted for the current language. */
import i18n, { currentLocale } from '../i18n/index.ts';

export const TIME_ZONE = 'Asia/Jakarta';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const locale = currentLocale();
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, ...options });
    formatters.set(key, format);
  }
  return format;
}

/** "28 Nov 2026 14.05 WIB" / "28 Nov 2026, 14:05 WIB". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return i18n.t('common.none');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${formatter({ dateStyle: 'medium', timeStyle: 'short' }).format(date)} ${i18n.t('common.timeZone')}`;
}

/** The date and the time (with "WIB") separately, for two-line table cells. */
export function formatDateAndTime(iso: string): { date: string; time: string } | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return {
    date: formatter({ dateStyle: 'medium' }).format(date),
    time: `${formatter({ timeStyle: 'short' }).format(date)} ${i18n.t('common.timeZone')}`,
  };
}

/** "Jumat, 28 November 2026". */
export function formatLongDate(date: Date): string {
  return formatter({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

/** The hour of the day in Jakarta (0–23), for greetings. */
export function jakartaHour(date: Date = new Date()): number {
  const part = formatter({ hour: 'numeric', hourCycle: 'h23' })
    .formatToParts(date)
    .find((p) => p.type === 'hour');
  return Number(part?.value ?? date.getUTCHours() + 7) % 24;
}

/**
 * Turns a calendar day picked in a date input (`YYYY-MM-DD`, meant as a Jakarta day) into the ISO instant
 * where that day starts, or ends when `end` is set.
 */
export function jakartaDayToIso(day: string, end = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const time = end ? 'T23:59:59.999+07:00' : 'T00:00:00.000+07:00';
  const date = new Date(`${day}${time}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * A calendar day in Jakarta, in the current language's own order, never the US month-first one:
 * `long` "1 Desember 2026" (headings, letters), `medium` "1 Des 2026" (tables), `numeric` "01/12/2026"
 * (narrow cells). A bare day (`YYYY-MM-DD`) is that day in Jakarta.
 */
export function formatDate(
  value: string | Date | null | undefined,
  style: 'long' | 'medium' | 'numeric' = 'long',
): string {
  if (value === null || value === undefined || value === '') return i18n.t('common.none');
  const date =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? new Date(`${value}T12:00:00+07:00`)
      : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  if (style === 'numeric')
    return formatter({ day: '2-digit', month: '2-digit', year: 'numeric' }).format(date);
  return formatter({ dateStyle: style }).format(date);
}
