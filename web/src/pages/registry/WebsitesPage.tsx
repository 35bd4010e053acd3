/** Websites in the registry: every OPD's for DKISP staff, "Website Kami" for an OPD user (its own only). */
import { Button, EmptyState, Group, Select, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { IconFileImport, IconFilePlus, IconPlus, IconSearch, IconWorldWww } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchAll, orgApi } from '../../api/endpoints.ts';
import {
  allServersQuery,
  registryKeys,
  type SortDir,
  WEBSITE_STATUSES,
  type WebsiteListItem,
  type WebsiteListQuery,
  type WebsiteSort,
  websitesApi,
} from '../../api/registry.ts';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { ListCard } from '../../components/ListCard.tsx';
import { ListFooter } from '../../components/ListFooter.tsx';
import { NoResults } from '../../components/NoResults.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { ResponsiveList, useIsPhone } from '../../components/ResponsiveList.tsx';
import { useDebouncedSearchText } from '../../lib/useListSearch.ts';
import {
  AnchorLink,
  ExportMenu,
  SortHeader,
  SortSelect,
  TlsExpiry,
  useRegistryAccess,
  WebsiteStatusBadge,
} from './common.tsx';
import { RegistryImportModal } from './ImportModal.tsx';
import type { WebsiteSearch } from './search.ts';
import { WebsiteFormDrawer } from './WebsiteFormDrawer.tsx';

const PAGE_SIZE = 20;
const route = getRouteApi('/app/registri/website');

export function WebsitesPage() {
  const { t } = useTranslation();
  const access = useRegistryAccess();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const go = useNavigate();
  const isPhone = useIsPhone();
  const setSearch = (next: WebsiteSearch) => void navigate({ search: next });
  const page = search.page ?? 1;
  const sort: WebsiteSort = search.sort ?? 'hostname';
  const dir: SortDir = search.dir ?? 'asc';
  const [q, setQ] = useDebouncedSearchText(search.q, (next) =>
    setSearch({ ...search, q: next, page: undefined }),
  );
  const [formOpen, setFormOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);

  const query: WebsiteListQuery = {
    q: search.q,
    status: search.status,
    opdId: access.reader ? search.opdId : undefined,
    serverId: access.reader ? search.serverId : undefined,
    sort,
    dir,
    page,
    pageSize: PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: registryKeys.websites(query),
    queryFn: () => websitesApi.list(query),
    placeholderData: keepPreviousData,
  });
  const opds = useQuery({
    queryKey: ['opds', 'all-active'],
    queryFn: () => fetchAll(orgApi('opds').list, { active: true }),
    enabled: access.reader,
    staleTime: 60_000,
  });
  const servers = useQuery({ ...allServersQuery, enabled: access.reader });

  const onSort = (nextSort: WebsiteSort, nextDir: SortDir) =>
    setSearch({
      ...search,
      sort: nextSort === 'hostname' ? undefined : nextSort,
      dir: nextDir === 'asc' ? undefined : nextDir,
      page: undefined,
    });
  // On a phone the headers label the card's lines: plain text there, the order is chosen in a select.
  const header = (label: string, column: WebsiteSort) =>
    isPhone ? label : <SortHeader label={label} column={column} sort={sort} dir={dir} onSort={onSort} />;

  const filtered = Boolean(search.q || search.status || search.opdId || search.serverId);
  const data = list.data;
  const isEmpty = data?.total === 0 && !filtered;
  const title = access.reader ? t('registry.websites.title') : t('registry.ourWebsites');

  const hostnameCell = (row: WebsiteListItem) => (
    <Stack gap={2} style={{ minWidth: 0 }}>
      <AnchorLink
        to="/registri/website/$id"
        params={{ id: row.id }}
        fw={600}
        size="sm"
        style={{ overflowWrap: 'anywhere' }}
      >
        {row.hostname ?? t('registry.websites.noName')}
      </AnchorLink>
      <Text size="xs" c="dimmed" lineClamp={2}>
        {row.purpose}
      </Text>
    </Stack>
  );

  return (
    <>
      <PageHeader
        title={title}
        subtitle={access.reader ? t('registry.websites.subtitle') : t('registry.websites.subtitleOpd')}
        actions={
          access.editor ? (
            <>
              {access.manager ? (
                <Button
                  variant="default"
                  leftSection={<IconFileImport size={18} />}
                  onClick={() => setImportOpen(true)}
                >
                  {t('registry.import.open')}
                </Button>
              ) : null}
              <ExportMenu entity="websites" />
              <Button leftSection={<IconPlus size={18} />} onClick={() => setFormOpen(true)}>
                {t('registry.websites.add')}
              </Button>
            </>
          ) : access.reader ? (
            <ExportMenu entity="websites" />
          ) : null
        }
      />

      <ListCard>
        <Group gap="sm" mb="md" align="flex-end" wrap="wrap" display={isEmpty ? 'none' : undefined}>
          <TextInput
            label={t('registry.websites.searchLabel')}
            placeholder={
              access.reader
                ? t('registry.websites.searchPlaceholder')
                : t('registry.websites.searchPlaceholderOpd')
            }
            leftSection={<IconSearch size={16} />}
            value={q}
            onChange={(event) => setQ(event.currentTarget.value)}
            style={{ flex: '2 1 220px' }}
            type="search"
          />
          <Select
            label={t('common.status')}
            value={search.status ?? 'all'}
            onChange={(value) =>
              setSearch({ ...search, status: WEBSITE_STATUSES.find((s) => s === value), page: undefined })
            }
            data={[
              { value: 'all', label: t('common.all') },
              ...WEBSITE_STATUSES.map((s) => ({ value: s, label: t(`registry.websiteStatus.${s}`) })),
            ]}
            allowDeselect={false}
            style={{ flex: '1 1 140px', maxWidth: 200 }}
          />
          {access.reader ? (
            <>
              <Select
                label={t('registry.websites.opd')}
                value={search.opdId ?? null}
                placeholder={t('common.all')}
                onChange={(value) => setSearch({ ...search, opdId: value ?? undefined, page: undefined })}
                data={(opds.data ?? []).map((opd) => ({ value: opd.id, label: opd.name }))}
                searchable
                clearable
                nothingFoundMessage={t('common.noResultsTitle')}
                style={{ flex: '1 1 200px', maxWidth: 300 }}
              />
              <Select
                label={t('registry.websites.server')}
                value={search.serverId ?? null}
                placeholder={t('common.all')}
                onChange={(value) => setSearch({ ...search, serverId: value ?? undefined, page: undefined })}
                data={(servers.data ?? []).map((server) => ({ value: server.id, label: server.name }))}
                searchable
                clearable
                nothingFoundMessage={t('common.noResultsTitle')}
                style={{ flex: '1 1 160px', maxWidth: 240 }}
              />
            </>
          ) : null}
          {isPhone ? (
            <SortSelect<WebsiteSort>
              sort={sort}
              dir={dir}
              onSort={onSort}
              options={[
                { value: 'hostname', label: t('registry.websites.hostname') },
                { value: 'status', label: t('common.status') },
                ...(access.reader ? [{ value: 'opd' as const, label: t('registry.websites.opd') }] : []),
                { value: 'updatedAt', label: t('registry.updatedAt') },
                { value: 'tlsExpiresAt', label: t('registry.websites.tlsExpiry') },
              ]}
            />
          ) : null}
        </Group>

        {list.isError && !data ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : !data ? (
          <Stack gap="xs">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} height={52} radius="sm" />
            ))}
          </Stack>
        ) : isEmpty ? (
          access.editor ? (
            <EmptyState
              icon={<IconWorldWww size={30} stroke={1.5} />}
              variant="light"
              title={t('registry.websites.emptyTitle')}
              description={t('registry.websites.emptyText')}
              py="xl"
            >
              <EmptyState.Actions>
                {access.manager ? (
                  <Button
                    variant="default"
                    leftSection={<IconFileImport size={18} />}
                    onClick={() => setImportOpen(true)}
                  >
                    {t('registry.import.open')}
                  </Button>
                ) : null}
                <Button leftSection={<IconPlus size={18} />} onClick={() => setFormOpen(true)}>
                  {t('registry.websites.add')}
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          ) : (
            <EmptyState
              icon={<IconWorldWww size={30} stroke={1.5} />}
              variant="light"
              title={access.reader ? t('registry.websites.emptyTitle') : t('registry.websites.emptyTitleOpd')}
              description={
                access.reader ? t('registry.websites.emptyTextReader') : t('registry.websites.emptyTextOpd')
              }
              py="xl"
            >
              {access.reader ? null : (
                <EmptyState.Actions>
                  <Button component={Link} to="/permohonan/baru" leftSection={<IconFilePlus size={18} />}>
                    {t('cases.new')}
                  </Button>
                </EmptyState.Actions>
              )}
            </EmptyState>
          )
        ) : data.items.length === 0 ? (
          <NoResults onClear={() => setSearch({})} />
        ) : (
          <>
            <ResponsiveList<WebsiteListItem>
              label={title}
              testId="websites-list"
              rows={data.items}
              rowKey={(row) => row.id}
              rowState={(row) => ({ inactive: row.status === 'retired' })}
              minWidth={access.reader ? 880 : 720}
              cardTitle={(row) => (
                <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
                  {hostnameCell(row)}
                  <WebsiteStatusBadge status={row.status} size="sm" />
                </Group>
              )}
              columns={[
                {
                  key: 'hostname',
                  header: header(t('registry.websites.hostname'), 'hostname'),
                  render: hostnameCell,
                  hideOnCard: true,
                  minWidth: 220,
                },
                ...(access.reader
                  ? [
                      {
                        key: 'opd',
                        header: header(t('registry.websites.opd'), 'opd'),
                        minWidth: 160,
                        render: (row: WebsiteListItem) => (
                          <Text size="sm" lineClamp={2}>
                            {row.opd.name}
                          </Text>
                        ),
                      },
                    ]
                  : []),
                {
                  key: 'status',
                  header: header(t('common.status'), 'status'),
                  render: (row) => <WebsiteStatusBadge status={row.status} />,
                  hideOnCard: true,
                },
                {
                  key: 'server',
                  header: t('registry.websites.serverIp'),
                  render: (row) =>
                    row.server || row.ipAddress ? (
                      <Stack gap={0}>
                        {row.server && access.reader ? (
                          <AnchorLink to="/registri/server/$id" params={{ id: row.server.id }} size="sm">
                            {row.server.name}
                          </AnchorLink>
                        ) : row.server ? (
                          <Text size="sm">{row.server.name}</Text>
                        ) : null}
                        {row.ipAddress ? (
                          <Text size="xs" c="dimmed" ff="monospace">
                            {row.ipAddress}
                          </Text>
                        ) : null}
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('common.none')}
                      </Text>
                    ),
                },
                {
                  key: 'tls',
                  header: header(t('registry.websites.tlsExpiry'), 'tlsExpiresAt'),
                  render: (row) => <TlsExpiry iso={row.tlsExpiresAt} />,
                  minWidth: 120,
                },
                {
                  key: 'updated',
                  header: header(t('registry.updatedAt'), 'updatedAt'),
                  render: (row) => <DateTimeText iso={row.updatedAt} dimmed />,
                },
              ]}
            />
            <ListFooter
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              capped={data.totalCapped}
              onPage={(next) => setSearch({ ...search, page: next > 1 ? next : undefined })}
            />
          </>
        )}
      </ListCard>

      {access.editor ? (
        <WebsiteFormDrawer
          website={null}
          opened={formOpen}
          onClose={() => setFormOpen(false)}
          onSaved={(saved) => void go({ to: '/registri/website/$id', params: { id: saved.id } })}
        />
      ) : null}
      {access.manager ? (
        <RegistryImportModal entity="websites" opened={importOpen} onClose={() => setImportOpen(false)} />
      ) : null}
    </>
  );
}
