import { describe, expect, it } from 'vitest';
import type { StepDef } from '../api/types.ts';
import {
  changedTimes,
  draftOf,
  draftProblem,
  editedKeys,
  stepOfErrorPath,
  timesBody,
  toStandardTime,
} from './sopTimes.ts';

const step = (key: string, no: number, standardTime: StepDef['standardTime']): StepDef => ({
  key,
  no,
  title: { id: key, en: key },
  lane: 'aptika',
  block: 'review',
  roles: ['kabid'],
  standardTime,
  inputs: [],
  outputs: [],
});

const STEPS = [
  step('permohonan', 1, { minutes: 2 }),
  step('registrasi', 2, { minutes: 3 }),
  step('analisis', 7, { workingDays: 3 }),
];

describe('standard-time drafts', () => {
  it('round-trips the SOP’s times', () => {
    expect(draftOf({ minutes: 3 })).toEqual({ value: 3, unit: 'minutes' });
    expect(draftOf({ workingDays: 7 })).toEqual({ value: 7, unit: 'workingDays' });
    expect(toStandardTime({ value: '10', unit: 'minutes' })).toEqual({ minutes: 10 });
    expect(toStandardTime({ value: 2, unit: 'workingDays' })).toEqual({ workingDays: 2 });
  });

  it('holds the API’s limits', () => {
    expect(draftProblem({ value: '', unit: 'minutes' })).toBe('required');
    expect(draftProblem({ value: 0, unit: 'minutes' })).toBe('range');
    expect(draftProblem({ value: 1.5, unit: 'minutes' })).toBe('range');
    expect(draftProblem({ value: 1440, unit: 'minutes' })).toBeNull();
    expect(draftProblem({ value: 1441, unit: 'minutes' })).toBe('range');
    expect(draftProblem({ value: 90, unit: 'workingDays' })).toBeNull();
    expect(draftProblem({ value: 91, unit: 'workingDays' })).toBe('range');
  });

  it('sends only the changed steps, in the SOP’s order', () => {
    const drafts = {
      analisis: { value: 3, unit: 'minutes' as const },
      permohonan: { value: '2', unit: 'minutes' as const }, // typed back to the SOP's time
      registrasi: { value: 10, unit: 'minutes' as const },
    };
    const changes = changedTimes(STEPS, drafts);
    expect(changes.map((c) => c.step.key)).toEqual(['registrasi', 'analisis']);
    expect(changes[0]?.before).toEqual({ minutes: 3 });
    expect(timesBody(changes)).toEqual({ registrasi: { minutes: 10 }, analisis: { minutes: 3 } });
    expect(editedKeys(STEPS, drafts)).toEqual(['registrasi', 'analisis']);
  });

  it('leaves invalid drafts out of the request but counts them as edited', () => {
    const drafts = { registrasi: { value: '', unit: 'minutes' as const } };
    expect(changedTimes(STEPS, drafts)).toEqual([]);
    expect(editedKeys(STEPS, drafts)).toEqual(['registrasi']);
  });

  it('finds the step a server field error names', () => {
    expect(stepOfErrorPath('times.registrasi')).toBe('registrasi');
    expect(stepOfErrorPath('times.registrasi.minutes')).toBe('registrasi');
    expect(stepOfErrorPath('note')).toBeNull();
    expect(stepOfErrorPath('times')).toBeNull();
  });
});
