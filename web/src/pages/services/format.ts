/** Small shared bits of the catalogue and the designer. */
import i18n from '../../i18n/index.ts';
import type { StandardTime } from './api.ts';

export function formatStandardTime(time: StandardTime | undefined): string {
  if (!time) return '—';
  return 'workingDays' in time
    ? i18n.t('sopTimes.amount.workingDays', { count: time.workingDays })
    : i18n.t('sopTimes.amount.minutes', { count: time.minutes });
}

/** Downloads a JSON value as a file. */
export function downloadJson(name: string, value: unknown): void {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Opens a URL as a download (the SOP sheet's PDF). */
export function startDownload(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}
