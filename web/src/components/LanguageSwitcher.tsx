import { SegmentedControl, type SegmentedControlProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLanguage, type Language, setLanguage } from '../i18n/index.ts';

type Props = { size?: SegmentedControlProps['size']; inverted?: boolean };

/** ID | EN toggle; the choice is kept in localStorage. */
export function LanguageSwitcher({ size = 'xs', inverted = false }: Props) {
  const { t } = useTranslation();
  return (
    <SegmentedControl
      size={size}
      radius="xl"
      aria-label={t('lang.label')}
      value={currentLanguage()}
      onChange={(value) => void setLanguage(value as Language)}
      data={[
        { value: 'id', label: <span title={t('lang.id')}>ID</span> },
        { value: 'en', label: <span title={t('lang.en')}>EN</span> },
      ]}
      classNames={inverted ? { root: 'lang-inverted', label: 'lang-inverted-label' } : undefined}
      withItemsBorders={false}
    />
  );
}
