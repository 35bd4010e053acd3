import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { DEFAULT_WORKING_HOURS, formatWorkingHours, parseWorkingHours } from './working-hours.ts';
import { isValidTimeZone } from './working-time.ts';

const problemsOf = (spec: string) => {
  const r = parseWorkingHours(spec);
  return r.ok ? [] : r.problems;
};

describe('LOKET_WORKING_HOURS', () => {
  it('reads the default: Mon–Thu 07:30–16:00, Fri 07:30–16:30, weekend off', () => {
    const r = parseWorkingHours(DEFAULT_WORKING_HOURS);
    expect(r.ok && r.hours).toEqual([
      [],
      [[450, 960]],
      [[450, 960]],
      [[450, 960]],
      [[450, 960]],
      [[450, 990]],
      [],
    ]);
    expect(r.ok && formatWorkingHours(r.hours)).toBe(
      'mon 07:30-16:00; tue 07:30-16:00; wed 07:30-16:00; thu 07:30-16:00; fri 07:30-16:30; sat off; sun off',
    );
  });

  it('takes breaks, lists, "off", 24:00, any case and spacing', () => {
    const r = parseWorkingHours(' MON - wed 07:30-12:00 , 13:00-16:00 ;thu,sat 08:00-24:00; fri off; ');
    expect(r.ok && r.hours).toEqual([
      [],
      [
        [450, 720],
        [780, 960],
      ],
      [
        [450, 720],
        [780, 960],
      ],
      [
        [450, 720],
        [780, 960],
      ],
      [[480, 1440]],
      [],
      [[480, 1440]],
    ]);
  });

  it('lists every problem with the group it is in', () => {
    const problems = problemsOf(
      'mon-thu 7:30-16:00; fri-mon 08:00-09:00; sat 10:00-09:00; tue 08:00-12:00,11:00-13:00; xyz 08:00-09:00; sun',
    );
    expect(problems).toEqual([
      'group 1 "mon-thu 7:30-16:00": "7:30-16:00" is not a time range HH:MM-HH:MM (00:00 … 24:00)',
      'group 2 "fri-mon 08:00-09:00": day range "fri-mon" must run forward from Monday to Sunday',
      'group 3 "sat 10:00-09:00": "10:00-09:00" ends before it starts',
      'group 4 "tue 08:00-12:00,11:00-13:00": time ranges overlap',
      'group 4 "tue 08:00-12:00,11:00-13:00": tue is already given',
      'group 5 "xyz 08:00-09:00": "xyz" is not a day or day range (mon, tue, …, sun; e.g. mon-thu)',
      'group 6 "sun": write "<days> <HH:MM-HH:MM[,HH:MM-HH:MM…]>" or "<days> off"',
    ]);
    expect(problemsOf('')).toEqual(['no working hours given']);
    expect(problemsOf('mon-sun off')).toEqual(['at least one weekday must have working hours']);
    expect(problemsOf('mon 24:00-24:00')).toHaveLength(1);
    expect(problemsOf('mon 08:60-09:00')).toHaveLength(1);
    expect(problemsOf('mon 08:00-09:00-10:00')).toHaveLength(1);
  });
});

describe('calendar configuration', () => {
  it('defaults to Jakarta and the default hours', () => {
    const c = loadConfig({});
    expect(c.calendar.timeZone).toBe('Asia/Jakarta');
    expect(formatWorkingHours(c.calendar.hours)).toContain('fri 07:30-16:30; sat off');
  });

  it('takes another zone and hours, and lists their problems with the others', () => {
    const c = loadConfig({ LOKET_TIMEZONE: 'Asia/Makassar', LOKET_WORKING_HOURS: 'mon-fri 08:00-16:00' });
    expect(c.calendar.timeZone).toBe('Asia/Makassar');
    expect(c.calendar.hours[5]).toEqual([[480, 960]]);
    try {
      loadConfig({ LOKET_TIMEZONE: 'Asia/Atlantis', LOKET_WORKING_HOURS: 'mon 9-5; tue 08:00', PORT: 'x' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems.filter((p) => p.startsWith('LOKET_WORKING_HOURS:'))).toHaveLength(2);
      expect(problems.some((p) => p.startsWith('LOKET_TIMEZONE:'))).toBe(true);
      expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
    }
  });

  it('accepts IANA names only', () => {
    expect(isValidTimeZone('Asia/Jakarta')).toBe(true);
    expect(isValidTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    for (const bad of ['+07:00', 'GMT+7 ', 'Asia/Atlantis', '', 'Asia/../etc'])
      expect(isValidTimeZone(bad), bad).toBe(false);
  });
});
