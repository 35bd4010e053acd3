import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n/index.ts';
import { laneColor, laneTitle } from './lanes.ts';

// The app's i18n module touches `document` and `localStorage`: under node it is replaced by a plain
// i18next instance with the app's own messages (as in duration.test.ts).
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
  return { default: instance, LANGUAGES: ['id', 'en'], currentLanguage };
});

afterEach(async () => {
  await i18n.changeLanguage('id');
});

const lanes = [{ key: 'pemohon', title: { id: 'Pemohon', en: 'Requester' } }];

describe('laneTitle', () => {
  it("is the served lane's title in the interface language", async () => {
    expect(laneTitle('pemohon', lanes)).toBe('Pemohon');
    await i18n.changeLanguage('en');
    expect(laneTitle('pemohon', lanes)).toBe('Requester');
  });

  it("falls back to the dictionary's name of a known key, then to the key", () => {
    expect(laneTitle('umum', [])).toBe('Bagian Umum');
    expect(laneTitle('arsip')).toBe('arsip');
  });
});

describe('laneColor', () => {
  it('gives each lane a colour by its place, for any number of lanes', () => {
    const order = Array.from({ length: 10 }, (_, index) => `l${index}`);
    expect(laneColor('l0', order)).toBe('gray');
    expect(laneColor('l3', order)).toBe('loket');
    expect(laneColor('l8', order)).toBe(laneColor('l0', order));
    expect(laneColor('unknown', order)).toBe('gray');
  });
});
