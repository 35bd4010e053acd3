import { Button, EmptyState } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** The empty state of a filtered list: nothing matches, with a button that clears the filters. */
export function NoResults({ onClear }: { onClear: () => void }) {
  const { t } = useTranslation();
  return (
    <EmptyState
      icon={<IconSearch size={28} stroke={1.5} />}
      title={t('common.noResultsTitle')}
      description={t('common.noResultsText')}
      py="xl"
    >
      <EmptyState.Actions>
        <Button variant="light" onClick={onClear}>
          {t('common.clearFilters')}
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
