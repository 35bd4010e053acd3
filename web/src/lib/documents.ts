/**
 * Official documents as the web app shows them: which versions were replaced, the letter templates' fields,
 * and the follow-up letter's number pattern (the server numbers letters; these only preview it).
 */
import type { OfficialDocument } from '../api/types.ts';

/** The fields a follow-up letter template may use, as `{{field}}` (docs/api.md). */
export const TEMPLATE_FIELDS = [
  'opd',
  'perihal',
  'nomor_surat',
  'tanggal_surat',
  'nomor_agenda',
  'nomor_registrasi',
  'alasan',
  'website',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/** The `{{fields}}` a template uses that do not exist, each once, in order of appearance. */
export function unknownTemplateFields(template: string): string[] {
  const known = new Set<string>(TEMPLATE_FIELDS);
  const unknown = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!known.has(name)) unknown.add(name);
  }
  return [...unknown];
}

/** Inserts `{{field}}` at the cursor (or over the selection); returns the text and where the cursor goes. */
export function insertField(
  text: string,
  field: string,
  start = text.length,
  end = start,
): { text: string; cursor: number } {
  const token = `{{${field}}}`;
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  return { text: text.slice(0, from) + token + text.slice(to), cursor: from + token.length };
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/**
 * A number as the server makes it from the pattern: `{klasifikasi}`, `{unit}`, `{nomor4}` (four digits),
 * `{nomor}`, `{tahun}`, `{bulan}` (two digits) and `{bulan_romawi}`; `day` is `YYYY-MM-DD`.
 */
export function formatLetterNumber(
  pattern: string,
  sequence: number,
  day: string,
  extra: { classification: string; unit: string },
): string {
  const [year, month] = day.split('-');
  const m = Number(month);
  return pattern
    .replaceAll('{klasifikasi}', extra.classification)
    .replaceAll('{unit}', extra.unit)
    .replaceAll('{nomor4}', String(sequence).padStart(4, '0'))
    .replaceAll('{nomor}', String(sequence))
    .replaceAll('{tahun}', year ?? '')
    .replaceAll('{bulan_romawi}', ROMAN[m - 1] ?? '')
    .replaceAll('{bulan}', String(m).padStart(2, '0'));
}

/** For each document that a newer version replaced: that newer version. */
export function replacements(documents: readonly OfficialDocument[]): Map<string, OfficialDocument> {
  const replacedBy = new Map<string, OfficialDocument>();
  for (const document of documents) {
    if (document.replacesId) replacedBy.set(document.replacesId, document);
  }
  return replacedBy;
}

/** The newest version of the follow-up letter, if one was issued. */
export function latestFollowUpLetter(documents: readonly OfficialDocument[]): OfficialDocument | undefined {
  const replacedBy = replacements(documents);
  return documents.find((d) => d.kind === 'follow_up_letter' && !replacedBy.has(d.id));
}

/** Newest first, as a reader looks for them: the current versions before the ones they replaced. */
export function newestFirst(documents: readonly OfficialDocument[]): OfficialDocument[] {
  return [...documents].sort(
    (a, b) => b.issuedAt.localeCompare(a.issuedAt) || b.version - a.version || a.title.localeCompare(b.title),
  );
}

/** A SHA-256 in groups of eight characters, so people can compare it by eye and long lines can wrap. */
export function hashGroups(hash: string): string[] {
  return hash.match(/.{1,8}/g) ?? [];
}
