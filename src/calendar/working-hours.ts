import { type MinuteInterval, WEEKDAYS, type WeeklyHours, weeklyHoursProblems } from './working-time.ts';

/**
 * `LOKET_WORKING_HOURS`: groups separated by `;`, each `<days> <intervals>` or `<days> off`.
 *
 * - days: `mon`, `mon-thu` (forward, Monday first: `fri-mon` is refused), or a comma list `mon,wed,fri`;
 * - intervals: `HH:MM-HH:MM`, several comma-separated for a break (`07:30-12:00,13:00-16:00`);
 *   `24:00` may end an interval; intervals may not overlap;
 * - a day not named has no working hours; a day may be named only once.
 *
 * Case and extra spaces do not matter.
 */
export const DEFAULT_WORKING_HOURS = 'mon-thu 07:30-16:00; fri 07:30-16:30';

const ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const; // how people write ranges
type Day = (typeof ORDER)[number];

function isDay(s: string): s is Day {
  return (ORDER as readonly string[]).includes(s);
}

function parseDays(spec: string, problems: string[], where: string): Day[] {
  const out: Day[] = [];
  for (const item of spec.split(',')) {
    const m = /^([a-z]+)(?:-([a-z]+))?$/.exec(item);
    const from = m?.[1] ?? '';
    const to = m?.[2] ?? from;
    if (!m || !isDay(from) || !isDay(to)) {
      problems.push(`${where}: "${item}" is not a day or day range (mon, tue, …, sun; e.g. mon-thu)`);
      continue;
    }
    const a = ORDER.indexOf(from);
    const b = ORDER.indexOf(to);
    if (b < a) {
      problems.push(`${where}: day range "${item}" must run forward from Monday to Sunday`);
      continue;
    }
    out.push(...ORDER.slice(a, b + 1));
  }
  return out;
}

function parseTime(s: string, allow24: boolean): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && (min !== 0 || !allow24))) return undefined;
  return h * 60 + min;
}

function parseIntervals(spec: string, problems: string[], where: string): MinuteInterval[] {
  const out: MinuteInterval[] = [];
  for (const item of spec.split(',')) {
    const [a = '', b = '', ...rest] = item.split('-');
    const start = parseTime(a, false);
    const end = parseTime(b, true);
    if (rest.length > 0 || start === undefined || end === undefined) {
      problems.push(`${where}: "${item}" is not a time range HH:MM-HH:MM (00:00 … 24:00)`);
      continue;
    }
    if (end <= start) {
      problems.push(`${where}: "${item}" ends before it starts`);
      continue;
    }
    out.push([start, end]);
  }
  out.sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < out.length; i++) {
    if ((out[i] as MinuteInterval)[0] < (out[i - 1] as MinuteInterval)[1]) {
      problems.push(`${where}: time ranges overlap`);
      break;
    }
  }
  return out;
}

/** Parses the weekly working hours; every problem is listed, with the group it is in. */
export function parseWorkingHours(
  spec: string,
): { ok: true; hours: WeeklyHours } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const hours: MinuteInterval[][] = WEEKDAYS.map(() => []);
  const named = new Set<Day>();
  const groups = spec
    .toLowerCase()
    .split(';')
    .map((g) => g.trim().replace(/\s*([,-])\s*/g, '$1'))
    .filter((g) => g !== '');
  if (groups.length === 0) return { ok: false, problems: ['no working hours given'] };
  groups.forEach((group, i) => {
    const where = `group ${i + 1} "${group}"`;
    const parts = group.split(/\s+/);
    if (parts.length !== 2) {
      problems.push(`${where}: write "<days> <HH:MM-HH:MM[,HH:MM-HH:MM…]>" or "<days> off"`);
      return;
    }
    const [daySpec = '', timeSpec = ''] = parts;
    const days = parseDays(daySpec, problems, where);
    const intervals = timeSpec === 'off' ? [] : parseIntervals(timeSpec, problems, where);
    for (const d of days) {
      if (named.has(d)) problems.push(`${where}: ${d} is already given`);
      named.add(d);
      hours[WEEKDAYS.indexOf(d)] = intervals;
    }
  });
  if (problems.length === 0) problems.push(...weeklyHoursProblems(hours));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, hours };
}

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The weekly hours written back in the same syntax, Monday first (for logs and documentation). */
export function formatWorkingHours(hours: WeeklyHours): string {
  return ORDER.map((d) => {
    const day = hours[WEEKDAYS.indexOf(d)] ?? [];
    return `${d} ${day.length === 0 ? 'off' : day.map(([s, e]) => `${hhmm(s)}-${hhmm(e)}`).join(',')}`;
  }).join('; ');
}
