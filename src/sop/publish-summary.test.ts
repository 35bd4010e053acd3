import { describe, expect, it } from 'vitest';
import { builtInSop } from './catalogue.ts';
import { summarize } from './sop-versions.ts';

// What the audit log says a publish changed.

describe('summarize', () => {
  const before = builtInSop('website').definition;

  it('nothing changed: empty lists', () => {
    expect(summarize(before, before)).toEqual({
      stepsAdded: [],
      stepsRemoved: [],
      stepsChanged: [],
      changes: {},
      changed: [],
    });
  });

  it('names steps added, removed and changed, times changed, and other parts changed', () => {
    const after = {
      ...before,
      title: { id: 'Layanan Website', en: 'Website service' },
      steps: [
        ...before.steps
          .filter((s) => s.key !== 'laporan')
          .map((s) =>
            s.key === 'registrasi'
              ? { ...s, standardTime: { minutes: 10 } }
              : s.key === 'disposisi'
                ? { ...s, notes: 'Disposisi lewat aplikasi.' }
                : s,
          ),
        { ...before.steps[0], key: 'arsip' } as (typeof before.steps)[number],
      ],
    };
    const s = summarize(before, after);
    expect(s.stepsAdded).toEqual(['arsip']);
    expect(s.stepsRemoved).toEqual(['laporan']);
    expect(s.stepsChanged).toEqual(['disposisi']);
    expect(s.changes).toEqual({ registrasi: { before: { minutes: 3 }, after: { minutes: 10 } } });
    expect(s.changed).toEqual(['title']);
  });

  it('a new service: every step added', () => {
    expect(summarize(null, before).stepsAdded).toEqual(before.steps.map((s) => s.key));
  });
});
