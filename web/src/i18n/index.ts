/** i18next set-up: Bahasa Indonesia by default, English selectable, choice kept in localStorage. */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.ts';
import id, { type Messages } from './id.ts';

export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'loket.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'id';
}

/** The BCP 47 locale used for dates and numbers in the current language. */
export function currentLocale(): string {
  return currentLanguage() === 'en' ? 'en-GB' : 'id-ID';
}

export async function setLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
  await i18n.changeLanguage(language);
}

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

// Resources are bundled, so initialisation is synchronous: `t` works as soon as this module ran.
void i18n.use(initReactI18next).init({
  resources: { id: { translation: id }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'id',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
document.documentElement.lang = i18n.language;

export default i18n;
