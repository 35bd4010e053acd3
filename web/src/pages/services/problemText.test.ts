import { describe, expect, it } from 'vitest';
import { problemMessage, shownProblems } from './problemText.ts';

describe("the designer's wording of the server's problems", () => {
  it('says the usual problems in Bahasa Indonesia and keeps the rest as the server wrote them', () => {
    expect(problemMessage('required', 'id')).toBe('Wajib diisi.');
    expect(problemMessage('no step "mulai"', 'id')).toBe('Tidak ada tahap "mulai".');
    expect(problemMessage('no step mulai', 'id')).toBe('Tidak ada tahap "mulai".');
    expect(
      problemMessage('the action "start_work" has no field "x" (it has: team, websiteExists)', 'id'),
    ).toBe('Tindakan "start_work" tidak punya isian "x" (yang ada: team, websiteExists).');
    expect(problemMessage('something new', 'id')).toBe('something new');
    expect(problemMessage('required', 'en')).toBe('required');
  });

  it('drops the address-key problem while the key is not yet a key, and never changes a path', () => {
    const problems = [
      { path: 'key', message: 'lowercase letters, digits and _, starting with a letter (≤ 40)' },
      { path: 'key', message: 'must be the service\'s key in the address ("layanan_baru")' },
      { path: 'steps.1.branch.outcomes.0.goto', message: 'no step "x"' },
    ];
    expect(shownProblems(problems, 'id', false).map((p) => p.path)).toEqual([
      'key',
      'steps.1.branch.outcomes.0.goto',
    ]);
    expect(shownProblems(problems, 'en', true)).toEqual(problems);
  });
});
