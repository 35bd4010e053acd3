import { ActionIcon, Button, Tooltip } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useIsPhone } from './ResponsiveList.tsx';

/** "Edit" for one row: an icon in a table, a labelled button on a phone card (where there is room). */
export function EditButton({ name, onClick }: { name: string; onClick: () => void }) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const label = `${t('common.edit')} ${name}`;
  if (isPhone) {
    return (
      <Button
        variant="subtle"
        size="compact-sm"
        leftSection={<IconPencil size={14} />}
        onClick={onClick}
        aria-label={label}
      >
        {t('common.edit')}
      </Button>
    );
  }
  return (
    <Tooltip label={t('common.edit')} withArrow>
      <ActionIcon variant="subtle" onClick={onClick} aria-label={label}>
        <IconPencil size={16} />
      </ActionIcon>
    </Tooltip>
  );
}
