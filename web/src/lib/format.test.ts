import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n/index.ts';
import { formatDate } from './format.ts';

// The app's i18n module touches `document` and `localStorage`: under node a plain i18next instance with
// the app's own messages stands in (as in duration.test.ts).
vi.mock('../i18n/index.ts', async () => {
  const { createInstance } = await import('i18next');
  const { default: id } = await import('../i18n/id.ts');
  const { default: en } = await import('../i18n/en.ts');
  const instance = createInstance();
  await instance.init({
    resources: { id: { translation: id }, en: { translation: en } },
    lng: 'id',
    fallbackLng: 'id',
    supportedLngs: ['id', 'en'],
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  const currentLanguage = () => (instance.language === 'en' ? 'en' : 'id');
  return {
    default: instance,
    currentLanguage,
    currentLocale: () => (currentLanguage() === 'en' ? 'en-GB' : 'id-ID'),
  };
});

afterEach(async () => {
  await i18n.changeLanguage('id');
});

describe('formatDate', () => {
  it('writes a day the Indonesian way in the Indonesian interface', async () => {
    await i18n.changeLanguage('id');
    expect(formatDate('2026-12-01')).toBe('1 Desember 2026');
    expect(formatDate('2026-12-01', 'numeric')).toBe('01/12/2026');
    expect(formatDate('2026-12-01', 'medium')).toBe('1 Des 2026');
  });

  it('takes the day in Jakarta, not in UTC', async () => {
    await i18n.changeLanguage('id');
    // 30 November 2026 18:00 UTC is already 1 December in Jakarta.
    expect(formatDate('2026-11-30T18:00:00Z', 'numeric')).toBe('01/12/2026');
    expect(formatDate(new Date('2026-11-30T16:59:00Z'), 'numeric')).toBe('30/11/2026');
  });

  it('puts the day before the month in English too', async () => {
    await i18n.changeLanguage('en');
    expect(formatDate('2026-12-01')).toBe('1 December 2026');
    expect(formatDate('2026-12-01', 'numeric')).toBe('01/12/2026');
  });

  it('shows a missing or unreadable date plainly', async () => {
    await i18n.changeLanguage('id');
    expect(formatDate(null)).toBe(i18n.t('common.none'));
    expect(formatDate('bukan tanggal')).toBe('bukan tanggal');
  });
});
