/**
 * The server's definition problems (`POST /api/services/:key/validate`) are worded in English, for the API.
 * The designer shows the usual ones in Bahasa Indonesia when the UI is; the rest stay as the server wrote
 * them. Paths are never changed (they place a problem next to its field).
 */
import type { DefinitionProblem } from './api.ts';

type Rule = [RegExp, (m: RegExpMatchArray) => string];

const ID: Rule[] = [
  [/^required$/, () => 'Wajib diisi.'],
  [/^2–6 capital letters$/, () => '2–6 huruf kapital.'],
  [
    /^lowercase letters, digits and _, starting with a letter/,
    () => 'Huruf kecil, angka, dan _, diawali huruf (≤ 40).',
  ],
  [
    /^letters and digits, starting with a lowercase letter/,
    () => 'Huruf dan angka, diawali huruf kecil (≤ 40).',
  ],
  [/^a lane needs at least one role$/, () => 'Lajur perlu sedikitnya satu peran.'],
  [/^an SOP has at least two steps$/, () => 'SOP perlu sedikitnya dua tahap.'],
  [/^a branch has at least two ways$/, () => 'Percabangan perlu sedikitnya dua jalan.'],
  [/^no step "?([^"]*)"?$/, (m) => `Tidak ada tahap "${m[1]}".`],
  [/^no lane "([^"]*)"$/, (m) => `Tidak ada lajur "${m[1]}".`],
  [/^duplicate step key "([^"]*)"$/, (m) => `Kunci tahap "${m[1]}" sudah dipakai.`],
  [/^duplicate lane key "([^"]*)"$/, (m) => `Kunci lajur "${m[1]}" sudah dipakai.`],
  [/^duplicate value (.*)$/, (m) => `Nilai ${m[1]} sudah dipakai jalan lain.`],
  [/^a step cannot lead to itself$/, () => 'Tahap tidak dapat berlanjut ke dirinya sendiri.'],
  [
    /^no step leads to "([^"]*)": it is unreachable$/,
    (m) => `Tidak ada tahap yang menuju "${m[1]}": tahap ini tidak pernah dicapai.`,
  ],
  [
    /^once at "([^"]*)", the case can never end$/,
    (m) => `Setelah sampai di "${m[1]}", permohonan tidak pernah dapat selesai.`,
  ],
  [/^no step ends the case/, () => 'Tidak ada tahap yang menyelesaikan permohonan (mis. tahap penutup).'],
  [
    /^no way leads from the request to an end of the case$/,
    () => 'Tidak ada jalan dari permohonan sampai selesai.',
  ],
  [
    /^the last step must end the case/,
    () => 'Tahap terakhir harus menyelesaikan permohonan (blok penutup) atau menyebut tahap berikutnya.',
  ],
  [/^a decision needs at least one outcome$/, () => 'Keputusan perlu sedikitnya satu hasil.'],
  [
    /^"([^"]*)" ends the case: it has no next step$/,
    (m) => `"${m[1]}" menutup permohonan: tidak ada tahap berikutnya.`,
  ],
  [
    /^"([^"]*)" ends the case: it has no branch$/,
    (m) => `"${m[1]}" menutup permohonan: tidak dapat bercabang.`,
  ],
  [
    /^"([^"]*)" receives the request: only the first step may$/,
    (m) => `"${m[1]}" menerima permohonan: hanya untuk tahap pertama.`,
  ],
  [
    /^the first step receives the request/,
    () => 'Tahap pertama harus blok yang menerima permohonan (mis. surat permohonan OPD).',
  ],
  [/^no block "([^"]*)"/, (m) => `Tidak ada blok "${m[1]}" di katalog blok.`],
  [
    /^the action "([^"]*)" has no field "([^"]*)" \(it has: (.*)\)$/,
    (m) => `Tindakan "${m[1]}" tidak punya isian "${m[2]}" (yang ada: ${m[3]}).`,
  ],
  [
    /^"([^"]*)" has no action that completes the step to branch on$/,
    (m) => `Blok "${m[1]}" tidak punya tindakan penyelesai untuk dicabangkan.`,
  ],
  [
    /^two actions of this step would have the key "([^"]*)"$/,
    (m) => `Dua tindakan tahap ini akan berkunci sama "${m[1]}".`,
  ],
  [
    /^"([^"]*)" has no action "([^"]*)" \(it has: (.*)\)$/,
    (m) => `Blok "${m[1]}" tidak punya tindakan "${m[2]}" (yang ada: ${m[3]}).`,
  ],
];

/** One problem's message in the UI's language (Bahasa Indonesia when `language` starts with `id`). */
export function problemMessage(message: string, language: string): string {
  if (!language.startsWith('id')) return message;
  for (const [pattern, say] of ID) {
    const match = message.match(pattern);
    if (match) return say(match);
  }
  return message;
}

/**
 * The problems as the designer shows them: worded for the UI, and without "must be the service's key in
 * the address" while the key itself is not yet a key (its own problem says what is wrong).
 */
export function shownProblems(
  problems: DefinitionProblem[],
  language: string,
  keyIsValid: boolean,
): DefinitionProblem[] {
  return problems
    .filter((p) => keyIsValid || !(p.path === 'key' && p.message.startsWith("must be the service's key")))
    .map((p) => ({ path: p.path, message: problemMessage(p.message, language) }));
}
