import { Select, type SelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type ActiveStatus = 'active' | 'inactive';

/** The list filter "all / active / inactive"; `undefined` stands for all. */
export function StatusFilter({
  label,
  value,
  onChange,
  style,
}: {
  label: string;
  value: ActiveStatus | undefined;
  onChange: (value: ActiveStatus | undefined) => void;
  style?: SelectProps['style'];
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={label}
      value={value ?? 'all'}
      onChange={(v) => onChange(v === 'active' || v === 'inactive' ? v : undefined)}
      data={[
        { value: 'all', label: t('common.all') },
        { value: 'active', label: t('common.active') },
        { value: 'inactive', label: t('common.inactive') },
      ]}
      allowDeselect={false}
      style={style}
    />
  );
}
