/**
 * A credential an action's answer shows once (`reveal`, e.g. the handover's `reveal.dbPassword`,
 * docs/api.md). It is split off the answer before the answer goes into the query cache, so the cache,
 * and anything that persists or refetches it, never holds it: only the page's result panel does, until
 * it is closed.
 */

/** What the answer revealed: non-empty strings by name. */
export type Reveal = Record<string, string>;

/** The answer without `reveal`, and the revealed values (null when there are none). */
export function splitReveal<T extends object>(
  answer: T,
): { detail: Omit<T, 'reveal'>; reveal: Reveal | null } {
  if (!('reveal' in answer)) return { detail: answer, reveal: null };
  const { reveal: raw, ...detail } = answer as T & { reveal?: unknown };
  const reveal: Reveal = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof value === 'string' && value !== '') reveal[key] = value;
    }
  }
  return { detail, reveal: Object.keys(reveal).length ? reveal : null };
}
