import { Group, Pagination, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

type Props = {
  page: number;
  pageSize: number;
  total: number;
  /** The total is a lower bound (a text search counts its matches only up to a cap). */
  capped?: boolean | undefined;
  onPage: (page: number) => void;
};

export function ListFooter({ page, pageSize, total, capped, onPage }: Props) {
  const { t } = useTranslation();
  if (total === 0) return null;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <Group justify="space-between" mt="md" gap="sm" wrap="wrap">
      <Text size="sm" c="dimmed">
        {capped ? t('common.showingCapped', { from, to, total }) : t('common.showing', { from, to, total })}
      </Text>
      {pages > 1 ? (
        <Pagination
          total={pages}
          value={page}
          onChange={onPage}
          size="sm"
          siblings={1}
          boundaries={1}
          aria-label={t('common.pagination')}
          getControlProps={(control) => ({ 'aria-label': t(`common.${control}Page`) })}
        />
      ) : null}
    </Group>
  );
}
