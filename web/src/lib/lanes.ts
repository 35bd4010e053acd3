/**
 * A served SOP's lanes as the pages show them: the lane's own title (in the interface language), or —
 * for a server that does not serve lanes — the dictionary's name of the key, else the key itself; and
 * a colour per lane, by its place in the SOP (any number of lanes).
 */
import type { LocalizedText } from '../api/types.ts';
import i18n, { currentLanguage } from '../i18n/index.ts';

type LaneLike = { key: string; title: LocalizedText };

export function laneTitle(key: string, lanes?: readonly LaneLike[] | null): string {
  const lane = lanes?.find((candidate) => candidate.key === key);
  if (lane)
    return currentLanguage() === 'en' ? lane.title.en || lane.title.id : lane.title.id || lane.title.en;
  const dictionary = `case.lanes.${key}`;
  return i18n.exists(dictionary) ? (i18n.t as (k: string) => string)(dictionary) : key;
}

const COLORS = ['gray', 'teal', 'grape', 'loket', 'orange', 'cyan', 'indigo', 'pink'] as const;

/** A Mantine colour for a lane: by its place among the SOP's lanes (or among the steps' lanes). */
export function laneColor(key: string, order: readonly string[]): string {
  const index = order.indexOf(key);
  return COLORS[Math.max(index, 0) % COLORS.length] ?? 'gray';
}
