import { describe, expect, it } from 'vitest';
import type { SopDef } from '../sop/types.ts';
import { fillTemplate, unknownTemplateFields } from './document-settings.ts';
import { labelOfKey, letterVariant } from './issue-document.ts';

// The follow-up letter of any SOP: its template from the decision outcome, its values from facts.

const sop = {
  steps: [
    { key: 'kajian', block: 'review' },
    { key: 'putusan', block: 'decision' },
    { key: 'cek', block: 'start_work' },
  ],
  diamonds: [
    {
      step: 'putusan',
      no: 1,
      question: { id: 'Layak?', en: 'Feasible?' },
      outcomes: [
        { key: 'layak', label: { id: 'Layak', en: 'Yes' }, to: 'cek' },
        { key: 'tolak', label: { id: 'Tidak', en: 'No' }, to: null, end: 'rejected' },
        { key: 'lengkapi', label: { id: 'Lengkapi', en: 'Complete' }, to: 'kajian', revise: true },
        { key: 'selesai', label: { id: 'Cukup', en: 'Enough' }, to: null, end: 'done' },
      ],
    },
    // A branch is not a decision: its outcome keys do not choose a letter.
    {
      step: 'cek',
      no: 2,
      question: { id: 'Ada?', en: 'Exists?' },
      outcomes: [{ key: 'gagal', label: { id: 'Ya', en: 'Yes' }, to: null, end: 'rejected' }],
    },
  ],
} as unknown as SopDef;

describe('the letter for a decision outcome', () => {
  it('approve / reject / return are their own templates, whatever the SOP', () => {
    for (const k of ['approve', 'reject', 'return'] as const) expect(letterVariant(sop, k, 'active')).toBe(k);
    expect(letterVariant(null, 'return', 'revision')).toBe('return');
  });

  it('another outcome takes the template of what it does', () => {
    expect(letterVariant(sop, 'layak', 'active')).toBe('approve');
    expect(letterVariant(sop, 'tolak', 'rejected')).toBe('reject');
    expect(letterVariant(sop, 'lengkapi', 'revision')).toBe('return');
    expect(letterVariant(sop, 'selesai', 'done')).toBe('approve');
  });

  it("an outcome the definition does not know (or a branch's): reject if the case ended rejected, else approve", () => {
    expect(letterVariant(sop, 'gagal', 'active')).toBe('approve');
    expect(letterVariant(sop, 'entah', 'rejected')).toBe('reject');
    expect(letterVariant(null, 'entah', 'active')).toBe('approve');
  });
});

describe('letter templates', () => {
  it('{{fakta.<key>}} prints a fact of the request; a missing or non-scalar fact prints nothing', () => {
    const t =
      'Nama {{fakta.requestedHostname}} ({{fakta.kind}}), [{{fakta.missing}}][{{fakta.obj}}] {{fakta.ok}} {{layanan}}';
    expect(unknownTemplateFields(t)).toEqual([]);
    expect(
      fillTemplate(
        t,
        { layanan: 'Layanan Hosting' },
        { requestedHostname: 'a.go.id\n\nb', kind: 'new', obj: { x: 1 }, ok: true },
      ),
    ).toEqual(['Nama a.go.id b (new), [][] ya Layanan Hosting']);
  });

  it('fakta keys are keys: nothing else after "fakta." is a field', () => {
    expect(unknownTemplateFields('{{fakta.}} {{fakta.__proto__}} {{fakta.a.b}} {{fakta}}')).toEqual([
      'fakta.',
      'fakta.__proto__',
      'fakta.a.b',
      'fakta',
    ]);
    expect(fillTemplate('[{{fakta.constructor}}]', {}, {})).toEqual(['[]']);
  });

  it('labels from field keys', () => {
    expect(labelOfKey('rackPosition')).toBe('Rack position');
    expect(labelOfKey('ipv4Address')).toBe('Ipv4 address');
  });
});
