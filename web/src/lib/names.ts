/**
 * People's names without their academic titles and degrees, for the greeting and the avatar's
 * initials: "Ir. Sri Wahyuni, M.T." is greeted "Sri" and shown as "SW".
 */

/** Titles written before a name (Ir., Dr., Drs., Dra., Prof., H., Hj., …), compared lower-case without the dot. */
const PREFIXES = new Set(['ir', 'dr', 'drg', 'drh', 'drs', 'dra', 'prof', 'hj', 'kh', 'apt', 'ns']);
/** Prefixes that are titles only with their dot ("H." is Haji; a bare "H" may be a name). */
const DOTTED_ONLY = new Set(['h']);

/** A degree after a name: "S.Kom.", "M.T.", "M.Si", "S.E.", "Ph.D.", "A.Md.", "S.H.". */
const DEGREE = /^[A-Z][A-Za-z]{0,3}\.(?:[A-Z][A-Za-z]{0,4}\.?)+$/;

function isPrefix(token: string): boolean {
  const dotted = token.endsWith('.');
  const bare = token.replace(/\.$/, '').toLowerCase();
  return PREFIXES.has(bare) || (dotted && DOTTED_ONLY.has(bare));
}

/** The words of a name without the titles before it and the degrees after it. */
export function nameWords(fullName: string): string[] {
  // Degrees follow the first comma ("Sri Wahyuni, S.Kom., M.T.").
  const beforeComma = fullName.split(',')[0] ?? '';
  const words = beforeComma.trim().split(/\s+/).filter(Boolean);
  let start = 0;
  while (start < words.length && isPrefix(words[start] as string)) start++;
  let end = words.length;
  while (end > start && DEGREE.test(words[end - 1] as string)) end--;
  const kept = words.slice(start, end);
  // A name that is nothing but titles is shown as written.
  return kept.length > 0 ? kept : fullName.trim().split(/\s+/).filter(Boolean);
}

/** The name to greet someone by: "Selamat pagi, Sri" for "Ir. Sri Wahyuni, M.T.". */
export function greetingName(fullName: string): string {
  return nameWords(fullName)[0] ?? fullName;
}

/** Two initials for the avatar: first and last word of the name, titles left out ("SW"). */
export function initials(fullName: string): string {
  const words = nameWords(fullName);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}
