import { describe, expect, it } from 'vitest';
import { splitReveal } from './reveal.ts';

describe('splitReveal', () => {
  it('takes the revealed credential off the answer, so the cached request never holds it', () => {
    const answer = { id: 'c1', version: 7, reveal: { dbPassword: 's3cret!' } };
    const { detail, reveal } = splitReveal(answer);
    expect(reveal).toEqual({ dbPassword: 's3cret!' });
    expect(detail).toEqual({ id: 'c1', version: 7 });
    expect('reveal' in detail).toBe(false);
    expect(JSON.stringify(detail)).not.toContain('s3cret!');
  });

  it('reveals nothing for an answer without one (or a replayed answer)', () => {
    const answer = { id: 'c1', version: 7 };
    const { detail, reveal } = splitReveal(answer);
    expect(reveal).toBeNull();
    expect(detail).toBe(answer);
  });

  it('keeps only non-empty strings', () => {
    const { detail, reveal } = splitReveal({ id: 'c1', reveal: { a: '', b: 3, c: 'x' } });
    expect(reveal).toEqual({ c: 'x' });
    expect(detail).toEqual({ id: 'c1' });
    expect(splitReveal({ id: 'c1', reveal: null }).reveal).toBeNull();
    expect(splitReveal({ id: 'c1', reveal: ['x'] }).reveal).toBeNull();
  });
});
