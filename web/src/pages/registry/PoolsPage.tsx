/** Public IP pools: each block with its use (used / free and a bar) and the next free address. */
import {
  Button,
  EmptyState,
  Group,
  Progress,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconFileImport, IconNetwork, IconPlus, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Pool, poolsApi, registryKeys } from '../../api/registry.ts';
import { ListCard } from '../../components/ListCard.tsx';
import { ListFooter } from '../../components/ListFooter.tsx';
import { NoResults } from '../../components/NoResults.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { useDebouncedSearchText } from '../../lib/useListSearch.ts';
import { AnchorLink, ExportMenu, useRegistryAccess } from './common.tsx';
import { RegistryImportModal } from './ImportModal.tsx';
import { PoolFormModal } from './PoolFormModal.tsx';
import { bigCount, usagePercent } from './rules.ts';
import type { PoolListSearch } from './search.ts';

const PAGE_SIZE = 20;
const route = getRouteApi('/app/registry/registri/pool-ip');

/** Used / size, as a bar with the numbers under it. */
export function UsageBar({ pool }: { pool: Pool }) {
  const { t } = useTranslation();
  const percent = usagePercent(pool.used, pool.size);
  const locale = currentLocale();
  const color = percent >= 90 ? 'red' : percent >= 75 ? 'orange' : 'loket';
  const label = t('registry.pools.usage', {
    used: bigCount(String(pool.used), locale),
    size: bigCount(pool.size, locale),
    free: bigCount(pool.free, locale),
  });
  return (
    <Stack gap={4} className="usage-bar" data-testid="pool-usage">
      <Tooltip
        label={
          percent > 0 && percent < 0.1
            ? `< ${(0.1).toLocaleString(locale)}%`
            : `${percent.toLocaleString(locale, { maximumFractionDigits: 1 })}%`
        }
        withArrow
      >
        <Progress
          value={Math.max(percent, pool.used > 0 ? 1 : 0)}
          color={color}
          size="md"
          radius="xl"
          aria-label={label}
        />
      </Tooltip>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

export function PoolsPage() {
  const { t } = useTranslation();
  const access = useRegistryAccess();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const go = useNavigate();
  const setSearch = (next: PoolListSearch) => void navigate({ search: next });
  const page = search.page ?? 1;
  const [q, setQ] = useDebouncedSearchText(search.q, (next) =>
    setSearch({ ...search, q: next, page: undefined }),
  );
  const [formOpen, setFormOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);

  const query = { q: search.q, page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: registryKeys.pools(query),
    queryFn: () => poolsApi.list(query),
    placeholderData: keepPreviousData,
  });
  const data = list.data;
  const filtered = Boolean(search.q);
  const isEmpty = data?.total === 0 && !filtered;

  const importButton = access.manager ? (
    <Button variant="default" leftSection={<IconFileImport size={18} />} onClick={() => setImportOpen(true)}>
      {t('registry.import.open')}
    </Button>
  ) : null;
  const addButton = access.manager ? (
    <Button leftSection={<IconPlus size={18} />} onClick={() => setFormOpen(true)}>
      {t('registry.pools.add')}
    </Button>
  ) : null;

  const nameCell = (pool: Pool) => (
    <Stack gap={0}>
      <AnchorLink to="/registri/pool-ip/$id" params={{ id: pool.id }} search={{}} fw={600} size="sm">
        {pool.name}
      </AnchorLink>
      <Text size="xs" c="dimmed" ff="monospace">
        {pool.cidr}
      </Text>
    </Stack>
  );

  return (
    <>
      <PageHeader
        title={t('registry.pools.title')}
        subtitle={t('registry.pools.subtitle')}
        actions={
          <>
            {importButton}
            <ExportMenu entity="pools" />
            {addButton}
          </>
        }
      />
      <ListCard>
        <Group gap="sm" mb="md" align="flex-end" wrap="wrap" display={isEmpty ? 'none' : undefined}>
          <TextInput
            label={t('registry.pools.searchLabel')}
            placeholder={t('registry.pools.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={q}
            onChange={(event) => setQ(event.currentTarget.value)}
            style={{ flex: '1 1 260px', maxWidth: 480 }}
            type="search"
          />
        </Group>
        {list.isError && !data ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : !data ? (
          <Stack gap="xs">
            {[0, 1].map((i) => (
              <Skeleton key={i} height={52} radius="sm" />
            ))}
          </Stack>
        ) : isEmpty ? (
          <EmptyState
            icon={<IconNetwork size={30} stroke={1.5} />}
            variant="light"
            title={t('registry.pools.emptyTitle')}
            description={access.manager ? t('registry.pools.emptyText') : t('registry.pools.emptyTextReader')}
            py="xl"
          >
            <EmptyState.Actions>
              {importButton}
              {addButton}
            </EmptyState.Actions>
          </EmptyState>
        ) : data.items.length === 0 ? (
          <NoResults onClear={() => setSearch({})} />
        ) : (
          <>
            <ResponsiveList<Pool>
              label={t('registry.pools.title')}
              testId="pools-list"
              rows={data.items}
              rowKey={(pool) => pool.id}
              minWidth={760}
              cardTitle={nameCell}
              columns={[
                {
                  key: 'name',
                  header: t('registry.pools.name'),
                  render: nameCell,
                  hideOnCard: true,
                  minWidth: 180,
                },
                {
                  key: 'gateway',
                  header: t('registry.pools.gateway'),
                  render: (pool) => (
                    <Text size="sm" ff="monospace" c={pool.gateway ? undefined : 'dimmed'}>
                      {pool.gateway ?? t('common.none')}
                    </Text>
                  ),
                },
                {
                  key: 'usage',
                  header: t('registry.pools.use'),
                  render: (pool) => <UsageBar pool={pool} />,
                  minWidth: 200,
                },
                {
                  key: 'next',
                  header: t('registry.pools.nextFree'),
                  render: (pool) =>
                    pool.nextFree ? (
                      <Text size="sm" ff="monospace">
                        {pool.nextFree}
                      </Text>
                    ) : (
                      <Text size="sm" c="red.8" fw={600}>
                        {t('registry.pools.full')}
                      </Text>
                    ),
                },
              ]}
            />
            <ListFooter
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              onPage={(next) => setSearch({ ...search, page: next > 1 ? next : undefined })}
            />
          </>
        )}
      </ListCard>
      {access.manager ? (
        <>
          <PoolFormModal
            opened={formOpen}
            onClose={() => setFormOpen(false)}
            onSaved={(saved) =>
              void go({ to: '/registri/pool-ip/$id', params: { id: saved.id }, search: {} })
            }
          />
          <RegistryImportModal entity="pools" opened={importOpen} onClose={() => setImportOpen(false)} />
        </>
      ) : null}
    </>
  );
}
