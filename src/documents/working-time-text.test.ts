import { describe, expect, it } from 'vitest';
import { workingTimeText } from './issue-document.ts';

// Documents (case summary) word a step's working time, given in whole seconds, in whole minutes
// rounded down — never a fraction of a minute.

describe('workingTimeText', () => {
  it.each([
    [0, '0 menit'],
    [1, '< 1 menit'],
    [59, '< 1 menit'],
    [60, '1 menit'],
    [119, '1 menit'],
    [25 * 60, '25 menit'],
    [60 * 60, '1 jam'],
    [125 * 60 + 30, '2 jam 5 menit'],
  ])('%i s → %s', (seconds, text) => {
    expect(workingTimeText(seconds)).toBe(text);
  });
});
