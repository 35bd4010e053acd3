import { describe, expect, it } from 'vitest';
import { linesOf, moveItem, newDefinition, ProblemIndex, parseImported, setAt } from './designerModel.ts';

describe('the SOP designer model', () => {
  it('sets a value by path without touching the original', () => {
    const def = newDefinition();
    const next = setAt(def, ['steps', 1, 'standardTime'], { workingDays: 2 });
    expect(next.steps[1]?.standardTime).toEqual({ workingDays: 2 });
    expect(def.steps[1]?.standardTime).toEqual({ minutes: 15 });
    expect(next.steps[0]).toBe(def.steps[0]);
    // undefined removes an object's key (an optional field left empty)
    const noted = setAt(next, ['steps', 0, 'notes'], 'x');
    expect(setAt(noted, ['steps', 0, 'notes'], undefined).steps[0]).not.toHaveProperty('notes');
  });

  it('moves an item and ignores a move past either end', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(moveItem(['a', 'b'], 1, 2)).toEqual(['a', 'b']);
  });

  it('finds the problems of a field exactly, and of everything inside it', () => {
    const index = new ProblemIndex([
      { path: 'steps.1.title.id', message: 'required' },
      { path: 'steps.1.config.outcomes', message: 'a decision needs an outcome' },
      { path: 'steps.10.lane', message: 'unknown lane' },
    ]);
    expect(index.at(['steps', 1, 'title', 'id'])).toBe('required');
    expect(index.at('steps.1')).toBeUndefined();
    expect(index.count(['steps', 1])).toBe(2);
    expect(index.count(['steps', 10])).toBe(1);
    expect(index.under('steps.1.config')).toBe('outcomes: a decision needs an outcome');
  });

  it('reads lines and imported files', () => {
    expect(linesOf(' a \n\n b\n')).toEqual(['a', 'b']);
    expect(parseImported('{')).toBe('json');
    expect(parseImported('[]')).toBe('shape');
    expect(parseImported('{"key":"x"}')).toBe('shape');
    const def = parseImported(JSON.stringify(newDefinition()));
    expect(typeof def === 'object' && def.steps.length).toBe(2);
  });
});
