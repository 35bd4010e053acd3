import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordProblems, verifyPassword } from './password.ts';

const policy = { minLength: 12 };

describe('password policy', () => {
  it('accepts a long uncommon password', () => {
    expect(passwordProblems('Kopi-Tubruk-Pagi-2026', policy)).toEqual([]);
  });
  it.each([
    ['pendek', 'TOO_SHORT'],
    ['password1234', 'TOO_COMMON'],
    ['123456789012', 'TOO_COMMON'],
    ['qwertyuiop12', 'TOO_COMMON'],
    ['indonesia2026!', 'TOO_COMMON'],
    ['aaaaaaaaaaaaaaa', 'TOO_COMMON'],
  ])('%s → %s', (pw, problem) => {
    expect(passwordProblems(pw, policy)).toContain(problem);
  });
  it('refuses a password containing the username', () => {
    expect(passwordProblems('siti.aminah-2026-ok', policy, 'siti.aminah')).toContain('CONTAINS_USERNAME');
  });
  it('counts characters, not bytes', () => {
    expect(passwordProblems('ééééé-ñ-漢字', { minLength: 12 })).toContain('TOO_SHORT');
  });
  it('generated passwords always pass the policy', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 40 }),
        (n) => passwordProblems(generatePassword(n), policy).length === 0,
      ),
    );
  });
});

describe('argon2id hashing', () => {
  it('verifies the right password only, and rejects a garbage hash', async () => {
    const h = await hashPassword('Kopi-Tubruk-Pagi-2026');
    expect(h).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(h, 'Kopi-Tubruk-Pagi-2026')).toBe(true);
    expect(await verifyPassword(h, 'Kopi-Tubruk-Pagi-2027')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
