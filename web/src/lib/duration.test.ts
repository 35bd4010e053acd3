import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StepRecord } from '../api/types.ts';
import i18n from '../i18n/index.ts';
import {
  DEFAULT_MINUTES_PER_DAY,
  describeDue,
  formatBytes,
  formatStandardTime,
  formatWorkingMinutes,
  formatWorkingSeconds,
  jakartaDateTimeLocal,
  jakartaDay,
  jakartaLocalToIso,
  minutesPerWorkingDay,
  workingDaysBetween,
} from './duration.ts';

// The app's i18n module touches `document` and `localStorage` and binds react-i18next: under node it is
// replaced by a plain i18next instance with the app's own Indonesian and English messages.
vi.mock('../i18n/index.ts', async () => {
  const { createInstance } = await import('i18next');
  const { default: id } = await import('../i18n/id.ts');
  const { default: en } = await import('../i18n/en.ts');
  const instance = createInstance();
  await instance.init({
    resources: { id: { translation: id }, en: { translation: en } },
    lng: 'id',
    fallbackLng: 'id',
    supportedLngs: ['id', 'en'],
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  const currentLanguage = () => (instance.language === 'en' ? 'en' : 'id');
  return {
    default: instance,
    LANGUAGES: ['id', 'en'],
    currentLanguage,
    currentLocale: () => (currentLanguage() === 'en' ? 'en-GB' : 'id-ID'),
  };
});

const LANGUAGES = ['id', 'en'] as const;

beforeEach(async () => {
  await i18n.changeLanguage('id');
});
afterEach(async () => {
  await i18n.changeLanguage('id');
});

/** An instant given as Jakarta wall-clock time (WIB, UTC+7). */
const wib = (local: string) => new Date(`${local}+07:00`);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// Calendar used below (2026): Mon 23 Nov … Fri 27 Nov, Sat 28, Sun 29, Mon 30 Nov, Tue 1 Dec.

describe('formatWorkingMinutes', () => {
  it.each([
    [0, '0 mnt', '0 min'],
    [1, '1 mnt', '1 min'],
    [25, '25 mnt', '25 min'],
    [59, '59 mnt', '59 min'],
    [60, '1 jam', '1 h'],
    [90, '1 jam 30 mnt', '1 h 30 min'],
    [125, '2 jam 5 mnt', '2 h 5 min'],
    [479, '7 jam 59 mnt', '7 h 59 min'],
    [480, '1 hari kerja', '1 working day'],
    [3 * 480, '3 hari kerja', '3 working days'],
    [480 + 3 * 60, '1 hari kerja 3 jam', '1 working day 3 h'],
    [2 * 480 + 3 * 60, '2 hari kerja 3 jam', '2 working days 3 h'],
    // Under a day, minutes count; from a day on, leftover minutes under an hour are not shown.
    [2 * 480 + 3 * 60 + 59, '2 hari kerja 3 jam', '2 working days 3 h'],
    [480 + 45, '1 hari kerja', '1 working day'],
  ])('%i minutes → "%s" / "%s"', async (minutes, indonesian, english) => {
    expect(formatWorkingMinutes(minutes)).toBe(indonesian);
    await i18n.changeLanguage('en');
    expect(formatWorkingMinutes(minutes)).toBe(english);
  });

  it('rounds to whole minutes and never goes below zero', () => {
    expect(formatWorkingMinutes(24.4)).toBe('24 mnt');
    expect(formatWorkingMinutes(59.5)).toBe('1 jam');
    expect(formatWorkingMinutes(-15)).toBe('0 mnt');
  });

  it("counts days in the case's own working-day length", () => {
    // A 7.5-hour working day: 450 minutes are one day, not 7 h 30 min.
    expect(formatWorkingMinutes(450, 450)).toBe('1 hari kerja');
    expect(formatWorkingMinutes(450)).toBe('7 jam 30 mnt');
    expect(formatWorkingMinutes(3 * 450 + 120, 450)).toBe('3 hari kerja 2 jam');
  });

  it('never words a duration as empty, NaN or a raw key, in either language (property)', async () => {
    for (const language of LANGUAGES) {
      await i18n.changeLanguage(language);
      fc.assert(
        fc.property(
          fc.double({ min: -1e6, max: 1e8, noNaN: true }),
          fc.integer({ min: 60, max: 24 * 60 }),
          (minutes, perDay) => {
            const text = formatWorkingMinutes(minutes, perDay);
            return /^\d+ \S/.test(text) && !/NaN|undefined|Infinity|\{\{|cases\./.test(text);
          },
        ),
      );
    }
  });

  it('the Indonesian wording reads back to the duration, short by less than an hour (property)', () => {
    const unit = { 'hari kerja': 0, jam: 60, mnt: 1 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 60, max: 1440 }),
        (total, perDay) => {
          const text = formatWorkingMinutes(total, perDay);
          let readBack = 0;
          for (const [, count, name] of text.matchAll(/(\d+) (hari kerja|jam|mnt)/g)) {
            const key = name as keyof typeof unit;
            readBack += Number(count) * (key === 'hari kerja' ? perDay : unit[key]);
          }
          // Under a day the wording is exact; from a day on, it drops the minutes under an hour.
          return total < perDay ? readBack === total : readBack <= total && total - readBack < 60;
        },
      ),
    );
  });
});

describe('formatStandardTime', () => {
  it('words a standard in minutes like a duration', () => {
    expect(formatStandardTime({ minutes: 2 })).toBe('2 mnt');
    expect(formatStandardTime({ minutes: 25 })).toBe('25 mnt');
    expect(formatStandardTime({ minutes: 90 })).toBe('1 jam 30 mnt');
  });

  it('keeps a standard in working days as days, whatever the length of a day', async () => {
    expect(formatStandardTime({ workingDays: 3 })).toBe('3 hari kerja');
    expect(formatStandardTime({ workingDays: 7 }, 450)).toBe('7 hari kerja');
    await i18n.changeLanguage('en');
    expect(formatStandardTime({ workingDays: 1 })).toBe('1 working day');
    expect(formatStandardTime({ workingDays: 7 })).toBe('7 working days');
    expect(formatStandardTime({ minutes: 25 })).toBe('25 min');
  });
});

describe('formatWorkingSeconds', () => {
  it.each([
    [0, '0 mnt', '0 min'],
    [1, '< 1 mnt', '< 1 min'],
    [59, '< 1 mnt', '< 1 min'],
    [60, '1 mnt', '1 min'],
    [119, '1 mnt', '1 min'],
    [125 * 60 + 59, '2 jam 5 mnt', '2 h 5 min'],
    [480 * 60, '1 hari kerja', '1 working day'],
  ])('%i seconds → "%s" / "%s" (whole minutes, rounded down)', async (seconds, indonesian, english) => {
    expect(formatWorkingSeconds(seconds)).toBe(indonesian);
    await i18n.changeLanguage('en');
    expect(formatWorkingSeconds(seconds)).toBe(english);
  });
});

describe('minutesPerWorkingDay', () => {
  const record = (standardTime: StepRecord['standardTime'], standardMinutes: number): StepRecord => ({
    id: 'r',
    key: 'analisis',
    no: 7,
    title: { id: 'Analisa kebutuhan informasi', en: 'Analysis of information needs' },
    lane: 'aptika',
    startedAt: '2026-11-23T02:00:00Z',
    dueAt: '2026-11-26T02:00:00Z',
    endedAt: null,
    actor: null,
    decidedBy: null,
    decidedAt: null,
    standardTime,
    standardSeconds: standardMinutes * 60,
    actualSeconds: 0,
    late: false,
    outputs: {},
  });

  it('reads the working day from a step whose standard is in working days', () => {
    expect(minutesPerWorkingDay([record({ minutes: 25 }, 25), record({ workingDays: 3 }, 1350)])).toBe(450);
    expect(minutesPerWorkingDay([record({ workingDays: 7 }, 7 * 480)])).toBe(480);
  });

  it('falls back to 8 hours without such a step, or with one that says nothing', () => {
    expect(DEFAULT_MINUTES_PER_DAY).toBe(480);
    expect(minutesPerWorkingDay([])).toBe(480);
    expect(minutesPerWorkingDay([record({ minutes: 90 }, 90)])).toBe(480);
    expect(minutesPerWorkingDay([record({ workingDays: 0 }, 0), record({ workingDays: 3 }, 0)])).toBe(480);
  });
});

describe('Jakarta days', () => {
  it('takes the calendar day in Jakarta, not in UTC', () => {
    expect(jakartaDay(new Date('2026-11-27T16:59:00Z'))).toBe('2026-11-27');
    expect(jakartaDay(new Date('2026-11-27T17:00:00Z'))).toBe('2026-11-28');
  });

  it('counts working days after the first day up to the last, skipping weekends and holidays', () => {
    expect(workingDaysBetween(wib('2026-11-23T09:00'), wib('2026-11-23T17:00'))).toBe(0);
    expect(workingDaysBetween(wib('2026-11-23T09:00'), wib('2026-11-26T09:00'))).toBe(3);
    // Friday to Monday: Saturday and Sunday do not count.
    expect(workingDaysBetween(wib('2026-11-27T16:00'), wib('2026-11-30T08:00'))).toBe(1);
    expect(workingDaysBetween(wib('2026-11-27T16:00'), wib('2026-11-29T08:00'))).toBe(0);
    expect(
      workingDaysBetween(wib('2026-11-23T09:00'), wib('2026-11-25T09:00'), new Set(['2026-11-24'])),
    ).toBe(1);
    // Backwards or equal: none.
    expect(workingDaysBetween(wib('2026-11-26T09:00'), wib('2026-11-23T09:00'))).toBe(0);
  });

  it('uses the Jakarta day at midnight: 23:30 and 00:30 WIB are a day apart', () => {
    expect(workingDaysBetween(wib('2026-11-23T23:30'), wib('2026-11-24T00:30'))).toBe(1);
  });

  it('writes datetime-local values in Jakarta time and reads them back with the +07:00 offset', () => {
    expect(jakartaDateTimeLocal(new Date('2026-11-28T07:05:00Z'))).toBe('2026-11-28T14:05');
    expect(jakartaDateTimeLocal(new Date('2026-11-27T17:00:00Z'))).toBe('2026-11-28T00:00');
    expect(jakartaLocalToIso('2026-11-28T14:05')).toBe('2026-11-28T14:05:00+07:00');
    expect(new Date(jakartaLocalToIso('2026-11-28T14:05')).toISOString()).toBe('2026-11-28T07:05:00.000Z');
    // Anything else is passed on for the server to refuse.
    expect(jakartaLocalToIso('2026-11-28')).toBe('2026-11-28');
    expect(jakartaLocalToIso('')).toBe('');
  });
});

describe('describeDue', () => {
  const now = wib('2026-11-23T09:00'); // Monday
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();

  it('words a due time ahead: under a minute, minutes, hours', () => {
    expect(describeDue(at(30_000), false, now)).toEqual({ text: 'kurang dari 1 mnt lagi', overdue: false });
    expect(describeDue(at(25 * MINUTE), false, now)).toEqual({ text: '25 mnt lagi', overdue: false });
    expect(describeDue(at(59 * MINUTE + 59_000), false, now)).toEqual({
      text: '59 mnt lagi',
      overdue: false,
    });
    expect(describeDue(at(5 * HOUR + 10 * MINUTE), false, now)).toEqual({
      text: '5 jam lagi',
      overdue: false,
    });
    expect(describeDue(at(23 * HOUR), false, now)).toEqual({ text: '23 jam lagi', overdue: false });
  });

  it('words a passed due time as late, even before the server says so', () => {
    expect(describeDue(at(-30_000), false, now)).toEqual({ text: 'terlambat 1 mnt', overdue: true });
    expect(describeDue(at(-25 * MINUTE), false, now)).toEqual({ text: 'terlambat 25 mnt', overdue: true });
    expect(describeDue(at(-3 * HOUR), true, now)).toEqual({ text: 'terlambat 3 jam', overdue: true });
  });

  it("keeps the server's overdue flag when the client clock is a little behind", () => {
    const due = describeDue(at(2 * MINUTE), true, now);
    expect(due.overdue).toBe(true);
    expect(due.text).toMatch(/^terlambat /);
  });

  it('counts working days from a day on', () => {
    expect(describeDue(wib('2026-11-26T09:00:00').toISOString(), false, now)).toEqual({
      text: '3 hari kerja lagi',
      overdue: false,
    });
    // Due on Monday, now Wednesday 10:00: two working days late.
    expect(describeDue(wib('2026-11-23T09:00').toISOString(), true, wib('2026-11-25T10:00'))).toEqual({
      text: 'terlambat 2 hari kerja',
      overdue: true,
    });
  });

  it('skips the weekend and holidays the client knows', () => {
    // Friday 16:00 → Monday 10:00 is 66 hours but one working day.
    expect(describeDue(wib('2026-11-30T10:00').toISOString(), false, wib('2026-11-27T16:00')).text).toBe(
      '1 hari kerja lagi',
    );
    const due = wib('2026-11-25T09:00').toISOString();
    expect(describeDue(due, false, now).text).toBe('2 hari kerja lagi');
    expect(describeDue(due, false, now, new Set(['2026-11-24'])).text).toBe('1 hari kerja lagi');
  });

  it('keeps hours when more than a day passes but no working day does', () => {
    // Friday 10:00 → Saturday 12:00: 26 hours, no working day between.
    expect(describeDue(wib('2026-11-28T12:00').toISOString(), false, wib('2026-11-27T10:00')).text).toBe(
      '26 jam lagi',
    );
  });

  it('speaks English', async () => {
    await i18n.changeLanguage('en');
    expect(describeDue(at(30_000), false, now).text).toBe('in under a minute');
    expect(describeDue(at(25 * MINUTE), false, now).text).toBe('in 25 min');
    expect(describeDue(at(5 * HOUR), false, now).text).toBe('in 5 h');
    expect(describeDue(at(-25 * MINUTE), true, now).text).toBe('25 min overdue');
    expect(describeDue(at(-3 * HOUR), true, now).text).toBe('3 h overdue');
    expect(describeDue(wib('2026-11-24T10:00').toISOString(), false, now).text).toBe('in 1 working day');
    expect(describeDue(wib('2026-11-26T09:00').toISOString(), false, now).text).toBe('in 3 working days');
    expect(describeDue(wib('2026-11-23T09:00').toISOString(), true, wib('2026-11-24T10:00')).text).toBe(
      '1 working day overdue',
    );
    expect(describeDue(wib('2026-11-23T09:00').toISOString(), true, wib('2026-11-25T10:00')).text).toBe(
      '2 working days overdue',
    );
  });

  it('shows an unreadable due time as it came', () => {
    expect(describeDue('besok pagi', false, now)).toEqual({ text: 'besok pagi', overdue: false });
    expect(describeDue('besok pagi', true, now)).toEqual({ text: 'besok pagi', overdue: true });
  });

  it('is never empty, and says late exactly when overdue (property)', async () => {
    const holidays = new Set(['2026-11-24', '2026-12-25']);
    for (const language of LANGUAGES) {
      await i18n.changeLanguage(language);
      const lateWord = language === 'id' ? /^terlambat \d+ / : / overdue$/;
      fc.assert(
        fc.property(
          fc.integer({ min: -90 * 24 * 60, max: 90 * 24 * 60 }),
          fc.integer({ min: 0, max: 59 }),
          fc.boolean(),
          (minutes, seconds, flag) => {
            const offset = minutes * MINUTE + seconds * 1000;
            const due = describeDue(at(offset), flag, now, holidays);
            const late = flag || offset < 0;
            return (
              due.overdue === late &&
              lateWord.test(due.text) === late &&
              due.text.trim().length > 0 &&
              !/NaN|undefined|\{\{|cases\./.test(due.text)
            );
          },
        ),
      );
    }
  });
});

describe('formatBytes', () => {
  it('words sizes in the current language', async () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1,5 KB');
    expect(formatBytes(150 * 1024)).toBe('150 KB');
    expect(formatBytes(2.5 * 1024 * 1024)).toBe('2,5 MB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3.072 GB');
    await i18n.changeLanguage('en');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(2.5 * 1024 * 1024)).toBe('2.5 MB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3,072 GB');
  });
});
