/** Servers in the registry: own, shared and virtual, with their addresses, roles and websites. */
import { Badge, Button, EmptyState, Group, Select, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { IconFileImport, IconPlus, IconSearch, IconServer } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  registryKeys,
  SERVER_KINDS,
  SERVER_LOCATIONS,
  SERVER_STATUSES,
  type Server,
  type ServerListQuery,
  type ServerSort,
  type SortDir,
  serversApi,
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
  ServerStatusBadge,
  SortHeader,
  SortSelect,
  useRegistryAccess,
} from './common.tsx';
import { RegistryImportModal } from './ImportModal.tsx';
import { ServerFormDrawer } from './ServerFormDrawer.tsx';
import type { ServerSearch } from './search.ts';

const PAGE_SIZE = 20;
const route = getRouteApi('/app/registry/registri/server');

export function ServerRoles({ server }: { server: Server }) {
  const { t } = useTranslation();
  if (!server.roles.length) {
    return (
      <Text size="sm" c="dimmed">
        {t('common.none')}
      </Text>
    );
  }
  return (
    <Group gap={4} wrap="wrap">
      {server.roles.map((role) => (
        <Badge key={role} size="sm" variant="light" color="gray" radius="sm" tt="none">
          {t(`registry.serverRole.${role}`)}
        </Badge>
      ))}
    </Group>
  );
}

export function ServersPage() {
  const { t } = useTranslation();
  const access = useRegistryAccess();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const go = useNavigate();
  const isPhone = useIsPhone();
  const setSearch = (next: ServerSearch) => void navigate({ search: next });
  const page = search.page ?? 1;
  const sort: ServerSort = search.sort ?? 'name';
  const dir: SortDir = search.dir ?? 'asc';
  const [q, setQ] = useDebouncedSearchText(search.q, (next) =>
    setSearch({ ...search, q: next, page: undefined }),
  );
  const [formOpen, setFormOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);

  const query: ServerListQuery = {
    q: search.q,
    kind: search.kind,
    location: search.location,
    status: search.status,
    sort,
    dir,
    page,
    pageSize: PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: registryKeys.servers(query),
    queryFn: () => serversApi.list(query),
    placeholderData: keepPreviousData,
  });

  const onSort = (nextSort: ServerSort, nextDir: SortDir) =>
    setSearch({
      ...search,
      sort: nextSort === 'name' ? undefined : nextSort,
      dir: nextDir === 'asc' ? undefined : nextDir,
      page: undefined,
    });
  // On a phone the headers label the card's lines: plain text there, the order is chosen in a select.
  const header = (label: string, column: ServerSort) =>
    isPhone ? label : <SortHeader label={label} column={column} sort={sort} dir={dir} onSort={onSort} />;

  const filtered = Boolean(search.q || search.kind || search.location || search.status);
  const data = list.data;
  const isEmpty = data?.total === 0 && !filtered;

  const nameCell = (row: Server) => (
    <Stack gap={0}>
      <AnchorLink to="/registri/server/$id" params={{ id: row.id }} fw={600} size="sm">
        {row.name}
      </AnchorLink>
      {row.os ? (
        <Text size="xs" c="dimmed">
          {row.os}
        </Text>
      ) : null}
    </Stack>
  );

  const importButton = access.manager ? (
    <Button variant="default" leftSection={<IconFileImport size={18} />} onClick={() => setImportOpen(true)}>
      {t('registry.import.open')}
    </Button>
  ) : null;
  const addButton = access.editor ? (
    <Button leftSection={<IconPlus size={18} />} onClick={() => setFormOpen(true)}>
      {t('registry.servers.add')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title={t('registry.servers.title')}
        subtitle={t('registry.servers.subtitle')}
        actions={
          <>
            {importButton}
            <ExportMenu entity="servers" />
            {addButton}
          </>
        }
      />
      <ListCard>
        <Group gap="sm" mb="md" align="flex-end" wrap="wrap" display={isEmpty ? 'none' : undefined}>
          <TextInput
            label={t('registry.servers.searchLabel')}
            placeholder={t('registry.servers.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={q}
            onChange={(event) => setQ(event.currentTarget.value)}
            style={{ flex: '2 1 220px' }}
            type="search"
          />
          <Select
            label={t('registry.servers.kind')}
            value={search.kind ?? 'all'}
            onChange={(value) =>
              setSearch({ ...search, kind: SERVER_KINDS.find((k) => k === value), page: undefined })
            }
            data={[
              { value: 'all', label: t('common.all') },
              ...SERVER_KINDS.map((k) => ({ value: k, label: t(`registry.serverKind.${k}`) })),
            ]}
            allowDeselect={false}
            style={{ flex: '1 1 140px', maxWidth: 200 }}
          />
          <Select
            label={t('registry.servers.location')}
            value={search.location ?? 'all'}
            onChange={(value) =>
              setSearch({ ...search, location: SERVER_LOCATIONS.find((l) => l === value), page: undefined })
            }
            data={[
              { value: 'all', label: t('common.all') },
              ...SERVER_LOCATIONS.map((l) => ({ value: l, label: t(`registry.serverLocation.${l}`) })),
            ]}
            allowDeselect={false}
            style={{ flex: '1 1 140px', maxWidth: 200 }}
          />
          <Select
            label={t('common.status')}
            value={search.status ?? 'all'}
            onChange={(value) =>
              setSearch({ ...search, status: SERVER_STATUSES.find((s) => s === value), page: undefined })
            }
            data={[
              { value: 'all', label: t('common.all') },
              ...SERVER_STATUSES.map((s) => ({ value: s, label: t(`registry.serverStatus.${s}`) })),
            ]}
            allowDeselect={false}
            style={{ flex: '1 1 140px', maxWidth: 200 }}
          />
          {isPhone ? (
            <SortSelect<ServerSort>
              sort={sort}
              dir={dir}
              onSort={onSort}
              options={[
                { value: 'name', label: t('registry.servers.name') },
                { value: 'kind', label: t('registry.servers.kind') },
                { value: 'location', label: t('registry.servers.location') },
                { value: 'status', label: t('common.status') },
                { value: 'websites', label: t('registry.servers.websites') },
                { value: 'updatedAt', label: t('registry.updatedAt') },
              ]}
            />
          ) : null}
        </Group>

        {list.isError && !data ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : !data ? (
          <Stack gap="xs">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} height={52} radius="sm" />
            ))}
          </Stack>
        ) : isEmpty ? (
          <EmptyState
            icon={<IconServer size={30} stroke={1.5} />}
            variant="light"
            title={t('registry.servers.emptyTitle')}
            description={t('registry.servers.emptyText')}
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
            <ResponsiveList<Server>
              label={t('registry.servers.title')}
              testId="servers-list"
              rows={data.items}
              rowKey={(row) => row.id}
              rowState={(row) => ({ inactive: row.status === 'retired' })}
              minWidth={880}
              cardTitle={(row) => (
                <Group justify="space-between" align="flex-start" wrap="nowrap">
                  {nameCell(row)}
                  <ServerStatusBadge status={row.status} />
                </Group>
              )}
              columns={[
                {
                  key: 'name',
                  header: header(t('registry.servers.name'), 'name'),
                  render: nameCell,
                  hideOnCard: true,
                },
                {
                  key: 'kind',
                  header: header(t('registry.servers.kind'), 'kind'),
                  render: (row) => <Text size="sm">{t(`registry.serverKind.${row.kind}`)}</Text>,
                },
                {
                  key: 'location',
                  header: header(t('registry.servers.location'), 'location'),
                  render: (row) => <Text size="sm">{t(`registry.serverLocation.${row.location}`)}</Text>,
                },
                {
                  key: 'addresses',
                  header: t('registry.servers.addresses'),
                  render: (row) =>
                    row.addresses.length ? (
                      <Stack gap={0}>
                        {row.addresses.map((address) => (
                          <Text key={address} size="sm" ff="monospace">
                            {address}
                          </Text>
                        ))}
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('common.none')}
                      </Text>
                    ),
                },
                {
                  key: 'roles',
                  header: t('registry.servers.roles'),
                  render: (row) => <ServerRoles server={row} />,
                },
                {
                  key: 'websites',
                  header: header(t('registry.servers.websites'), 'websites'),
                  render: (row) =>
                    row.websiteCount ? (
                      <AnchorLink to="/registri/website" search={{ serverId: row.id }} size="sm">
                        {row.websiteCount}
                      </AnchorLink>
                    ) : (
                      <Text size="sm" c="dimmed">
                        0
                      </Text>
                    ),
                },
                {
                  key: 'status',
                  header: header(t('common.status'), 'status'),
                  render: (row) => <ServerStatusBadge status={row.status} />,
                  hideOnCard: true,
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
              onPage={(next) => setSearch({ ...search, page: next > 1 ? next : undefined })}
            />
          </>
        )}
      </ListCard>
      {access.editor ? (
        <ServerFormDrawer
          server={null}
          opened={formOpen}
          onClose={() => setFormOpen(false)}
          onSaved={(saved) => void go({ to: '/registri/server/$id', params: { id: saved.id } })}
        />
      ) : null}
      {access.manager ? (
        <RegistryImportModal entity="servers" opened={importOpen} onClose={() => setImportOpen(false)} />
      ) : null}
    </>
  );
}
