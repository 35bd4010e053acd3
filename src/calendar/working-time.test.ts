import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKING_HOURS, parseWorkingHours } from './working-hours.ts';
import {
  addWorkingDays,
  addWorkingMinutes,
  createWorkCalendar,
  dueAt,
  isWorkingDay,
  isWorkingInstant,
  localDateOf,
  type MinuteInterval,
  nextWorkingInstant,
  type WeeklyHours,
  type WorkCalendar,
  workingIntervalsOn,
  workingMinutesBetween,
} from './working-time.ts';

const MIN = 60_000;
const DAY = 86_400_000;

function hoursOf(spec: string): WeeklyHours {
  const parsed = parseWorkingHours(spec);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.hours;
}

// Libur nasional and cuti bersama 2025–2026 as in the SKB 3 Menteri (the migration ships the same).
const SKB_2025 = [
  ...['01-01', '01-27', '01-28', '01-29', '03-28', '03-29', '03-31', '04-01', '04-02', '04-03', '04-04'],
  ...['04-07', '04-18', '04-20', '05-01', '05-12', '05-13', '05-29', '05-30', '06-01', '06-06', '06-09'],
  ...['06-27', '08-17', '08-18', '09-05', '12-25', '12-26'],
].map((d) => `2025-${d}`);
const SKB_2026 = [
  ...['01-01', '01-16', '02-16', '02-17', '03-18', '03-19', '03-20', '03-21', '03-22', '03-23', '03-24'],
  ...['04-03', '04-05', '05-01', '05-14', '05-15', '05-27', '05-28', '05-31', '06-01', '06-16', '08-17'],
  ...['08-25', '12-24', '12-25'],
].map((d) => `2026-${d}`);

const jakarta = createWorkCalendar({
  timeZone: 'Asia/Jakarta',
  hours: hoursOf(DEFAULT_WORKING_HOURS),
  holidays: [...SKB_2025, ...SKB_2026],
});

/** A wall time in Jakarta (WIB, UTC+7). */
const wib = (local: string) => new Date(`${local}+07:00`);
const iso = (d: Date) => d.toISOString();

describe('working time in Jakarta with the default hours and the SKB holidays', () => {
  it('a request received Friday 16:20 with 30 minutes is due Monday morning', () => {
    // Friday's hours end at 16:30: 10 minutes on Friday, 20 on Monday from 07:30.
    expect(iso(dueAt(jakarta, wib('2026-06-05T16:20'), { minutes: 30 }))).toBe(iso(wib('2026-06-08T07:50')));
    expect(iso(dueAt(jakarta, wib('2026-06-05T16:10'), { minutes: 30 }))).toBe(iso(wib('2026-06-08T07:40')));
    // Received on Saturday: the clock starts Monday 07:30.
    expect(iso(dueAt(jakarta, wib('2026-06-06T11:00'), { minutes: 30 }))).toBe(iso(wib('2026-06-08T08:00')));
    expect(workingMinutesBetween(jakarta, wib('2026-06-05T16:20'), wib('2026-06-08T07:50'))).toBe(30);
  });

  it('a due time may be exactly the end of the working day, never the next morning instead', () => {
    expect(iso(addWorkingMinutes(jakarta, wib('2026-06-08T15:30'), 30))).toBe(iso(wib('2026-06-08T16:00')));
    expect(iso(addWorkingMinutes(jakarta, wib('2026-06-08T15:30'), 31))).toBe(iso(wib('2026-06-09T07:31')));
    expect(isWorkingInstant(jakarta, wib('2026-06-08T16:00'))).toBe(false);
    expect(isWorkingInstant(jakarta, wib('2026-06-08T15:59:59.999'))).toBe(true);
    expect(isWorkingInstant(jakarta, wib('2026-06-12T16:15'))).toBe(true); // Friday runs to 16:30
    expect(iso(addWorkingMinutes(jakarta, wib('2026-06-08T16:00'), 0))).toBe(iso(wib('2026-06-09T07:30')));
  });

  it('skips Nyepi, Idul Fitri and their cuti bersama in March 2026', () => {
    // 18 Mar cuti bersama Nyepi, 19 Nyepi, 20 cuti bersama, 21–22 Idul Fitri, 23–24 cuti bersama.
    for (const d of ['2026-03-18', '2026-03-19', '2026-03-20', '2026-03-23', '2026-03-24']) {
      expect(isWorkingDay(jakarta, d), d).toBe(false);
      expect(isWorkingInstant(jakarta, wib(`${d}T10:00`)), d).toBe(false);
    }
    // 90 minutes (installation) from Tuesday 17 March 15:00: 60 that day, 30 on Wednesday 25 March.
    expect(iso(dueAt(jakarta, wib('2026-03-17T15:00'), { minutes: 90 }))).toBe(iso(wib('2026-03-25T08:00')));
    expect(iso(nextWorkingInstant(jakarta, wib('2026-03-17T16:00')))).toBe(iso(wib('2026-03-25T07:30')));
    // 3 working days (analysis): 25, 26, 27 March.
    expect(iso(dueAt(jakarta, wib('2026-03-17T10:00'), { workingDays: 3 }))).toBe(
      iso(wib('2026-03-27T10:00')),
    );
    // 7 working days (building) from Monday 16 March: 17, 25, 26, 27, 30, 31 March, 1 April.
    expect(iso(dueAt(jakarta, wib('2026-03-16T09:00'), { workingDays: 7 }))).toBe(
      iso(wib('2026-04-01T09:00')),
    );
    // From the Monday before to the Wednesday after: Mon + Tue + 1 hour, nothing in between.
    expect(workingMinutesBetween(jakarta, wib('2026-03-16T07:30'), wib('2026-03-25T08:30'))).toBe(
      2 * 510 + 60,
    );
  });

  it('skips Nyepi and the Lebaran week of 2025', () => {
    // 28 Mar cuti bersama, 29 Nyepi (Saturday), 31 Mar–1 Apr Idul Fitri, 2–4 and 7 Apr cuti bersama.
    const due = dueAt(jakarta, wib('2025-03-27T15:50'), { minutes: 25 });
    expect(iso(due)).toBe(iso(wib('2025-04-08T07:45')));
    expect(localDateOf(jakarta, due)).toBe('2025-04-08');
    expect(iso(dueAt(jakarta, wib('2025-03-27T10:00'), { workingDays: 1 }))).toBe(
      iso(wib('2025-04-08T10:00')),
    );
  });

  it('counts working days at the same working-clock position, clamped on a shorter day', () => {
    expect(iso(addWorkingDays(jakarta, wib('2026-06-08T10:00'), 1))).toBe(iso(wib('2026-06-09T10:00')));
    // Friday runs half an hour longer than Monday.
    expect(iso(addWorkingDays(jakarta, wib('2026-06-05T16:15'), 1))).toBe(iso(wib('2026-06-08T16:00')));
    expect(iso(addWorkingDays(jakarta, wib('2026-06-04T15:59'), 1))).toBe(iso(wib('2026-06-05T15:59')));
    // Outside working hours: first to the next working instant.
    expect(iso(addWorkingDays(jakarta, wib('2026-06-06T10:00'), 0))).toBe(iso(wib('2026-06-08T07:30')));
    expect(iso(addWorkingDays(jakarta, wib('2026-06-06T10:00'), 1))).toBe(iso(wib('2026-06-09T07:30')));
    expect(iso(addWorkingDays(jakarta, wib('2026-06-08T18:00'), 2))).toBe(iso(wib('2026-06-11T07:30')));
  });

  it('reports the working intervals of a date', () => {
    expect(workingIntervalsOn(jakarta, '2026-06-05').map((i) => [iso(i.start), iso(i.end)])).toEqual([
      [iso(wib('2026-06-05T07:30')), iso(wib('2026-06-05T16:30'))],
    ]);
    expect(workingIntervalsOn(jakarta, '2026-06-06')).toEqual([]);
    expect(workingIntervalsOn(jakarta, '2026-03-19')).toEqual([]);
    expect(localDateOf(jakarta, new Date('2026-06-05T17:30:00Z'))).toBe('2026-06-06'); // 00:30 WIB
  });

  it('refuses nonsense', () => {
    const t = wib('2026-06-08T10:00');
    expect(() => addWorkingMinutes(jakarta, t, -1)).toThrow(RangeError);
    expect(() => addWorkingMinutes(jakarta, t, Number.NaN)).toThrow(RangeError);
    expect(() => addWorkingDays(jakarta, t, 1.5)).toThrow(RangeError);
    expect(() => addWorkingMinutes(jakarta, new Date('nope'), 1)).toThrow(RangeError);
    expect(() => dueAt(jakarta, t, {} as { minutes: number })).toThrow(RangeError);
    expect(() => dueAt(jakarta, t, { minutes: 1, workingDays: 1 } as { minutes: number })).toThrow(
      RangeError,
    );
    expect(() => isWorkingDay(jakarta, '2026-02-30')).toThrow(RangeError);
    expect(() => createWorkCalendar({ timeZone: 'Mars/Olympus', hours: jakarta.hours })).toThrow(/time zone/);
    expect(() => createWorkCalendar({ timeZone: 'UTC', hours: [[], [], [], [], [], [], []] })).toThrow(
      /at least one weekday/,
    );
    expect(() =>
      createWorkCalendar({ timeZone: 'UTC', hours: [[[600, 500]], [], [], [], [], [], []] }),
    ).toThrow(/interval/);
    expect(() => createWorkCalendar({ timeZone: 'UTC', hours: jakarta.hours, holidays: ['26-1-1'] })).toThrow(
      /holiday/,
    );
  });

  it('gives up on a calendar where every day is a holiday instead of looping forever', () => {
    const days: string[] = [];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2030, 0, 1); t += DAY)
      days.push(iso(new Date(t)).slice(0, 10));
    const closed = createWorkCalendar({ timeZone: 'Asia/Jakarta', hours: jakarta.hours, holidays: days });
    expect(() => nextWorkingInstant(closed, wib('2026-01-01T08:00'))).toThrow(/no working time/);
    expect(() => addWorkingDays(closed, wib('2026-01-01T08:00'), 1)).toThrow(/no working time/);
  });

  it('steps by day: a year of working minutes and 7 working days are quick', () => {
    const fresh = createWorkCalendar({ timeZone: 'Asia/Jakarta', hours: jakarta.hours, holidays: SKB_2026 });
    const started = performance.now();
    const start = wib('2026-01-02T08:00');
    const yearLater = addWorkingMinutes(fresh, start, 250 * 510);
    expect(workingMinutesBetween(fresh, start, yearLater)).toBe(250 * 510);
    for (let i = 0; i < 1000; i++)
      dueAt(fresh, new Date(start.getTime() + i * 3_600_000), { workingDays: 7 });
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('time zones with daylight saving time', () => {
  const allDay = hoursOf('mon-sun 00:00-24:00');

  it('counts real elapsed minutes across DST changes', () => {
    const berlin = createWorkCalendar({ timeZone: 'Europe/Berlin', hours: allDay });
    const a = new Date('2026-03-28T12:00:00Z');
    const b = new Date('2026-03-30T12:00:00Z');
    expect(workingMinutesBetween(berlin, a, b)).toBe((b.getTime() - a.getTime()) / MIN);
    expect(iso(addWorkingMinutes(berlin, a, 48 * 60))).toBe(iso(b));
    const c = new Date('2026-10-24T12:00:00Z');
    expect(iso(addWorkingMinutes(berlin, c, 48 * 60))).toBe(iso(new Date('2026-10-26T12:00:00Z')));
  });

  it('a working interval over the spring gap is shorter, over the autumn fold longer', () => {
    const night = createWorkCalendar({ timeZone: 'Europe/Berlin', hours: hoursOf('mon-sun 01:00-04:00') });
    const spring = workingIntervalsOn(night, '2026-03-29')[0];
    expect(spring && [iso(spring.start), iso(spring.end)]).toEqual([
      '2026-03-29T00:00:00.000Z', // 01:00 CET
      '2026-03-29T02:00:00.000Z', // 04:00 CEST: two real hours
    ]);
    const autumn = workingIntervalsOn(night, '2026-10-25')[0];
    expect(autumn && [iso(autumn.start), iso(autumn.end)]).toEqual([
      '2026-10-24T23:00:00.000Z', // 01:00 CEST
      '2026-10-25T03:00:00.000Z', // 04:00 CET: four real hours
    ]);
    // A start inside the gap (02:30 does not exist) moves forward by the gap: 03:30 CEST.
    const gap = createWorkCalendar({ timeZone: 'Europe/Berlin', hours: hoursOf('mon-sun 02:30-05:00') });
    expect(iso(workingIntervalsOn(gap, '2026-03-29')[0]?.start ?? new Date(0))).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // A start inside the fold (02:30 happens twice) takes the first one: 02:30 CEST.
    expect(iso(workingIntervalsOn(gap, '2026-10-25')[0]?.start ?? new Date(0))).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('Santiago skips midnight in September: the day still starts at the first real instant', () => {
    const santiago = createWorkCalendar({ timeZone: 'America/Santiago', hours: allDay });
    const [sunday] = workingIntervalsOn(santiago, '2026-09-06');
    expect(sunday && (sunday.end.getTime() - sunday.start.getTime()) / 3_600_000).toBe(23);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties, over random calendars: zones with and without DST, random weekly hours (breaks,
// empty days, days to midnight), random holidays.

const ZONES = [
  'Asia/Jakarta',
  'Asia/Makassar',
  'Asia/Jayapura',
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
];
const FROM = Date.UTC(2025, 0, 1);
const TO = Date.UTC(2027, 11, 31);

const dayHours: fc.Arbitrary<MinuteInterval[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 1440 }), { minLength: 0, maxLength: 6 })
  .map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const out: MinuteInterval[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) out.push([sorted[i] as number, sorted[i + 1] as number]);
    return out;
  });

const calendars: fc.Arbitrary<WorkCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    hours: fc.array(dayHours, { minLength: 7, maxLength: 7 }),
    holidays: fc.uniqueArray(
      fc.integer({ min: FROM / DAY, max: TO / DAY }).map((d) => iso(new Date(d * DAY)).slice(0, 10)),
      { maxLength: 60 },
    ),
  })
  // At least 5 working hours a week, so that 10 days of working minutes stay within a year or so.
  .filter((c) => c.hours.flat().reduce((sum, [s, e]) => sum + e - s, 0) >= 300)
  .map((c) => createWorkCalendar(c));

const calendarsWithJakarta = fc.oneof(
  { arbitrary: fc.constant(jakarta), weight: 1 },
  { arbitrary: calendars, weight: 3 },
);
const instants = fc.integer({ min: FROM, max: TO }).map((ms) => new Date(ms));
const wholeMinutes = fc.integer({ min: FROM / MIN, max: TO / MIN }).map((m) => new Date(m * MIN));
const minutes = fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 60 * 24 * 10 }));

/** The instant is the end of one of the working intervals of its date or the day before. */
function isIntervalEnd(cal: WorkCalendar, t: Date): boolean {
  const date = localDateOf(cal, t);
  const before = localDateOf(cal, new Date(t.getTime() - DAY));
  return [date, before].some((d) => workingIntervalsOn(cal, d).some((i) => i.end.getTime() === t.getTime()));
}

describe('working-time properties', () => {
  it('adding N working minutes and measuring from the start gives back N', () => {
    fc.assert(
      fc.property(calendarsWithJakarta, instants, minutes, (cal, start, n) => {
        const due = addWorkingMinutes(cal, start, n);
        expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(workingMinutesBetween(cal, start, due)).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it('a due time is a working instant or exactly the end of a working interval; never off-hours', () => {
    fc.assert(
      fc.property(calendarsWithJakarta, instants, minutes, (cal, start, n) => {
        const due = addWorkingMinutes(cal, start, n);
        if (n === 0) expect(isWorkingInstant(cal, due)).toBe(true);
        else expect(isWorkingInstant(cal, due) || isIntervalEnd(cal, due)).toBe(true);
        // The last working millisecond before it is working time on a working day.
        const last = new Date(due.getTime() - 1);
        if (n > 0) {
          expect(isWorkingInstant(cal, last)).toBe(true);
          const date = localDateOf(cal, last);
          expect(cal.holidays.has(date)).toBe(false);
          expect(isWorkingDay(cal, date)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('in Jakarta a due time never falls on a weekend or a holiday, nor outside 07:30–16:00/16:30', () => {
    fc.assert(
      fc.property(instants, minutes, fc.boolean(), (start, n, days) => {
        const due = days ? addWorkingDays(jakarta, start, n % 30) : addWorkingMinutes(jakarta, start, n);
        const date = localDateOf(jakarta, due);
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
        expect(weekday === 0 || weekday === 6).toBe(false);
        expect(jakarta.holidays.has(date)).toBe(false);
        const local = new Date(due.getTime() + 7 * 3_600_000);
        const minute = local.getUTCHours() * 60 + local.getUTCMinutes() + local.getUTCSeconds() / 60;
        expect(minute).toBeGreaterThanOrEqual(7 * 60 + 30);
        expect(minute).toBeLessThanOrEqual(weekday === 5 ? 16 * 60 + 30 : 16 * 60);
      }),
      { numRuns: 500 },
    );
  });

  it('no instant of a holiday or of a day without hours is working time', () => {
    fc.assert(
      fc.property(calendarsWithJakarta, instants, (cal, t) => {
        const date = localDateOf(cal, t);
        if (cal.holidays.has(date) || !isWorkingDay(cal, date)) {
          expect(isWorkingInstant(cal, t)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is monotonic: more minutes or a later start never give an earlier due time', () => {
    fc.assert(
      fc.property(calendarsWithJakarta, instants, instants, minutes, minutes, (cal, s1, s2, n1, n2) => {
        const [a, b] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [m, n] = n1 <= n2 ? [n1, n2] : [n2, n1];
        expect(addWorkingMinutes(cal, a, m).getTime()).toBeLessThanOrEqual(
          addWorkingMinutes(cal, a, n).getTime(),
        );
        expect(addWorkingMinutes(cal, a, m).getTime()).toBeLessThanOrEqual(
          addWorkingMinutes(cal, b, m).getTime(),
        );
        const d1 = m % 20;
        const d2 = n % 20;
        const [p, q] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(addWorkingDays(cal, a, p).getTime()).toBeLessThanOrEqual(addWorkingDays(cal, a, q).getTime());
        expect(addWorkingDays(cal, a, p).getTime()).toBeLessThanOrEqual(addWorkingDays(cal, b, p).getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with counting minute by minute', () => {
    fc.assert(
      fc.property(calendarsWithJakarta, wholeMinutes, fc.integer({ min: 1, max: 1500 }), (cal, start, n) => {
        const due = addWorkingMinutes(cal, start, n);
        fc.pre(due.getTime() - start.getTime() <= 7 * DAY); // keep the minute-by-minute walk short
        let t = start.getTime();
        for (let counted = 0; counted < n; t += MIN) if (isWorkingInstant(cal, new Date(t))) counted++;
        expect(iso(due)).toBe(iso(new Date(t)));
      }),
      { numRuns: 40 },
    );
  });

  it('measures additively, never more than the elapsed time, and 0 backwards', () => {
    fc.assert(
      fc.property(calendarsWithJakarta, instants, instants, instants, (cal, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        const ab = workingMinutesBetween(cal, a, b);
        const bc = workingMinutesBetween(cal, b, c);
        expect(ab + bc).toBeCloseTo(workingMinutesBetween(cal, a, c), 6);
        expect(ab).toBeLessThanOrEqual((b.getTime() - a.getTime()) / MIN);
        expect(workingMinutesBetween(cal, b, a)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('nextWorkingInstant is the instant itself when working, else the next start with no work between', () => {
    fc.assert(
      fc.property(calendarsWithJakarta, instants, (cal, t) => {
        const next = nextWorkingInstant(cal, t);
        expect(isWorkingInstant(cal, next)).toBe(true);
        expect(workingMinutesBetween(cal, t, next)).toBe(0);
        if (isWorkingInstant(cal, t)) expect(next.getTime()).toBe(t.getTime());
        else expect(next.getTime()).toBeGreaterThan(t.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('N working days later is the N-th working date, at the same working-clock position or its end', () => {
    fc.assert(
      fc.property(calendarsWithJakarta, instants, fc.integer({ min: 0, max: 25 }), (cal, start, n) => {
        const s = nextWorkingInstant(cal, start);
        const d0 = localDateOf(cal, s);
        // The n-th date after d0 that has working time, walking the calendar date by date.
        let dn = d0;
        for (let left = n; left > 0; ) {
          dn = iso(new Date(new Date(`${dn}T00:00:00Z`).getTime() + DAY)).slice(0, 10);
          if (isWorkingDay(cal, dn)) left--;
        }
        const due = addWorkingDays(cal, start, n);
        if (n === 0) expect(due.getTime()).toBe(s.getTime());
        const first = workingIntervalsOn(cal, d0);
        const target = workingIntervalsOn(cal, dn);
        const dayStart = (target[0] as { start: Date }).start;
        const dayEnd = (target[target.length - 1] as { end: Date }).end;
        expect(due.getTime()).toBeGreaterThanOrEqual(dayStart.getTime());
        expect(due.getTime()).toBeLessThanOrEqual(dayEnd.getTime());
        const position = workingMinutesBetween(cal, (first[0] as { start: Date }).start, s);
        const length = workingMinutesBetween(cal, dayStart, dayEnd);
        expect(workingMinutesBetween(cal, dayStart, due)).toBeCloseTo(Math.min(position, length), 6);
        if (position < length) expect(isWorkingInstant(cal, due)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('dueAt is addWorkingMinutes or addWorkingDays', () => {
    fc.assert(
      fc.property(calendarsWithJakarta, instants, fc.integer({ min: 0, max: 600 }), (cal, t, n) => {
        expect(dueAt(cal, t, { minutes: n }).getTime()).toBe(addWorkingMinutes(cal, t, n).getTime());
        expect(dueAt(cal, t, { workingDays: n % 10 }).getTime()).toBe(
          addWorkingDays(cal, t, n % 10).getTime(),
        );
      }),
      { numRuns: 100 },
    );
  });
});
