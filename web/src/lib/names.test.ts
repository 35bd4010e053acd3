import { describe, expect, it } from 'vitest';
import { greetingName, initials, nameWords } from './names.ts';

describe('names without academic titles', () => {
  it('leaves out titles before the name and degrees after it', () => {
    expect(nameWords('Ir. Sri Wahyuni, M.T.')).toEqual(['Sri', 'Wahyuni']);
    expect(nameWords('Dr. H. Ahmad Fauzi, S.E., M.Si.')).toEqual(['Ahmad', 'Fauzi']);
    expect(nameWords('Prof. Dr. Ir. Budi Santoso, M.Sc., Ph.D.')).toEqual(['Budi', 'Santoso']);
    expect(nameWords('Hj. Dra. Siti Aminah')).toEqual(['Siti', 'Aminah']);
    expect(nameWords('Drs. Joko Widodo S.H.')).toEqual(['Joko', 'Widodo']);
    expect(nameWords('Rina Marlina, A.Md.')).toEqual(['Rina', 'Marlina']);
  });

  it('keeps names that only look like titles', () => {
    expect(nameWords('H Suparman')).toEqual(['H', 'Suparman']);
    expect(nameWords('Andi W.')).toEqual(['Andi', 'W.']);
    expect(nameWords('A. Rahman')).toEqual(['A.', 'Rahman']);
    expect(nameWords('Budi')).toEqual(['Budi']);
  });

  it('shows a name that is only titles as written', () => {
    expect(nameWords('Dr.')).toEqual(['Dr.']);
  });

  it('greets by the first word of the name', () => {
    expect(greetingName('Ir. Sri Wahyuni, M.T.')).toBe('Sri');
    expect(greetingName('Dr. H. Ahmad Fauzi, S.E., M.Si.')).toBe('Ahmad');
    expect(greetingName('Budi Santoso')).toBe('Budi');
  });

  it('makes initials from the first and last word', () => {
    expect(initials('Ir. Sri Wahyuni, M.T.')).toBe('SW');
    expect(initials('Dr. H. Ahmad Fauzi, S.E., M.Si.')).toBe('AF');
    expect(initials('Budi')).toBe('B');
    expect(initials('  ')).toBe('?');
  });
});
