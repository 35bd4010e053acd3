import { describe, expect, it } from 'vitest';
import type { OfficialDocument } from '../api/types.ts';
import {
  formatLetterNumber,
  hashGroups,
  insertField,
  latestFollowUpLetter,
  newestFirst,
  replacements,
  unknownTemplateFields,
} from './documents.ts';

function doc(over: Partial<OfficialDocument>): OfficialDocument {
  return {
    id: 'x',
    kind: 'case_summary',
    title: 'Ringkasan Permohonan WEB-2026-00001',
    number: null,
    version: 1,
    replacesId: null,
    sha256: 'a'.repeat(64),
    size: 1000,
    issuedAt: '2026-11-02T03:00:00.000Z',
    issuedBy: { id: 'u', fullName: 'Rina' },
    url: '/api/documents/x/pdf',
    verifyUrl: '/verifikasi/x',
    ...over,
  };
}

describe('unknownTemplateFields', () => {
  it('names each unknown field once, with or without spaces inside the braces', () => {
    expect(
      unknownTemplateFields('Kepada {{opd}}, {{tidak_ada}} dan {{ nomor_surat }} {{tidak_ada}} {{ x }}'),
    ).toEqual(['tidak_ada', 'x']);
    expect(unknownTemplateFields('Tanpa kolom.')).toEqual([]);
    expect(unknownTemplateFields('{{}}')).toEqual(['']);
  });
});

describe('insertField', () => {
  it('puts the field at the cursor or over the selection', () => {
    expect(insertField('Kepada ', 'opd')).toEqual({ text: 'Kepada {{opd}}', cursor: 14 });
    expect(insertField('ab', 'opd', 1)).toEqual({ text: 'a{{opd}}b', cursor: 8 });
    expect(insertField('a XX b', 'alasan', 2, 4)).toEqual({ text: 'a {{alasan}} b', cursor: 12 });
    expect(insertField('ab', 'opd', 99)).toEqual({ text: 'ab{{opd}}', cursor: 9 });
  });
});

describe('formatLetterNumber', () => {
  it('fills the tata naskah dinas pattern like the server', () => {
    const extra = { classification: '500.11', unit: 'DKISP' };
    expect(formatLetterNumber('{klasifikasi}/{nomor4}/{unit}/{tahun}', 7, '2026-11-02', extra)).toBe(
      '500.11/0007/DKISP/2026',
    );
    expect(formatLetterNumber('{nomor}/{bulan_romawi}/{bulan}/{tahun}', 12345, '2027-03-01', extra)).toBe(
      '12345/III/03/2027',
    );
  });
});

describe('document versions', () => {
  const v1 = doc({ id: 'l1', kind: 'follow_up_letter', issuedAt: '2026-11-02T03:00:00.000Z' });
  const v2 = doc({
    id: 'l2',
    kind: 'follow_up_letter',
    version: 2,
    replacesId: 'l1',
    issuedAt: '2026-11-03T03:00:00.000Z',
  });
  const other = doc({ id: 's1', issuedAt: '2026-11-02T04:00:00.000Z' });

  it('knows which version replaced which, and the current follow-up letter', () => {
    expect(replacements([v1, v2, other]).get('l1')?.id).toBe('l2');
    expect(replacements([v1, v2, other]).has('l2')).toBe(false);
    expect(latestFollowUpLetter([v1, v2, other])?.id).toBe('l2');
    expect(latestFollowUpLetter([other])).toBeUndefined();
  });

  it('lists the newest first', () => {
    expect(newestFirst([v1, other, v2]).map((d) => d.id)).toEqual(['l2', 's1', 'l1']);
  });
});

describe('hashGroups', () => {
  it('cuts a SHA-256 into eight groups of eight', () => {
    const hash = '0123456789abcdef'.repeat(4);
    expect(hashGroups(hash)).toHaveLength(8);
    expect(hashGroups(hash).join('')).toBe(hash);
  });
});
