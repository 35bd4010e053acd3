/**
 * Text PostgreSQL cannot store. A NUL character is refused by `text` and `jsonb` alike; a lone
 * UTF-16 surrogate (`"\udfff"` in JSON, which JSON.parse accepts) is refused by `jsonb` ("invalid
 * input syntax for type json") and silently turned into U+FFFD in `text`. Both are refused at the
 * door — every JSON body, query string, path parameter and multipart text field — naming the field.
 */
export type UnstorableText = { path: string; message: string };

function problemOf(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character';
  if (!s.isWellFormed()) return 'contains a lone UTF-16 surrogate';
  return null;
}

/** The first string (or object key) in `value` that cannot be stored, with its dotted path; else null. */
export function findUnstorableText(value: unknown, path: string[] = [], depth = 0): UnstorableText | null {
  if (typeof value === 'string') {
    const message = problemOf(value);
    return message ? { path: path.join('.'), message } : null;
  }
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const keyProblem = problemOf(key);
    if (keyProblem) {
      const shown = key.replaceAll('\u0000', '\ufffd').toWellFormed();
      return { path: [...path, shown].join('.'), message: `its name ${keyProblem}` };
    }
    const found = findUnstorableText(child, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}
