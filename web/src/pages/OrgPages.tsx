import {
  ActionIcon,
  Box,
  Button,
  EmptyState,
  Group,
  Menu,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconBuildingCommunity,
  IconDots,
  IconFileImport,
  IconPlayerPlay,
  IconPlayerStop,
  IconPlus,
  IconSearch,
  IconSitemap,
} from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type OrgKind, orgApi } from '../api/endpoints.ts';
import type { Opd } from '../api/types.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { DateTimeText } from '../components/DateTimeText.tsx';
import { EditButton } from '../components/EditButton.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { ListFooter } from '../components/ListFooter.tsx';
import { NoResults } from '../components/NoResults.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryError } from '../components/QueryError.tsx';
import { ResponsiveList } from '../components/ResponsiveList.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { StatusFilter } from '../components/StatusFilter.tsx';
import { errorMessage } from '../lib/errors.ts';
import { useDebouncedSearchText } from '../lib/useListSearch.ts';
import type { ListSearch } from '../router.tsx';
import { CsvFormatHelp, OpdImportModal } from './OpdImportModal.tsx';
import { OrgFormModal } from './OrgFormModal.tsx';

const PAGE_SIZE = 20;

type Props = { kind: OrgKind; search: ListSearch; onSearch: (search: ListSearch) => void };

function OrgListPage({ kind, search, onSearch }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const page = search.page ?? 1;
  const active = search.status === undefined ? undefined : search.status === 'active';
  const [q, setQ] = useDebouncedSearchText(search.q, (next) =>
    onSearch({ ...search, q: next, page: undefined }),
  );
  const [editing, setEditing] = useState<Opd | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const [toggling, setToggling] = useState<Opd | null>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);

  const list = useQuery({
    queryKey: [kind, 'list', { q: search.q, active, page }],
    queryFn: () => orgApi(kind).list({ q: search.q, active, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  const toggle = useMutation({
    mutationFn: (record: Opd) => orgApi(kind).update(record.id, { active: !record.active }),
    onSuccess: async (saved) => {
      notifications.show({
        color: 'teal',
        message: t(saved.active ? 'org.reactivated' : 'org.deactivated', { name: saved.name }),
      });
      setConfirmOpen(false);
      await queryClient.invalidateQueries({ queryKey: [kind] });
    },
    onError: (error) => {
      notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(error) });
      setConfirmOpen(false);
    },
  });

  const openCreate = () => {
    setEditing(null);
    setFormOpen(true);
  };
  const confirmToggle = (record: Opd) => {
    setToggling(record);
    setConfirmOpen(true);
  };
  const openEdit = (record: Opd) => {
    setEditing(record);
    setFormOpen(true);
  };

  const filtered = Boolean(search.q || search.status);
  const data = list.data;
  // Nothing stored yet: the empty state explains what to do, and filters would only distract.
  const isEmpty = data?.total === 0 && !filtered;
  const Icon = kind === 'opds' ? IconBuildingCommunity : IconSitemap;

  const actions = (record: Opd) => (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      <EditButton name={record.name} onClick={() => openEdit(record)} />
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t('common.moreActions', { name: record.name })}
          >
            <IconDots size={16} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          {record.active ? (
            <Menu.Item
              color="red"
              leftSection={<IconPlayerStop size={16} />}
              onClick={() => confirmToggle(record)}
            >
              {t('org.deactivate')}
            </Menu.Item>
          ) : (
            <Menu.Item leftSection={<IconPlayerPlay size={16} />} onClick={() => confirmToggle(record)}>
              {t('org.reactivate')}
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
    </Group>
  );

  return (
    <>
      <PageHeader
        title={t(`${kind}.title`)}
        subtitle={t(`${kind}.subtitle`)}
        actions={
          <>
            {kind === 'opds' ? (
              <Button
                variant="default"
                leftSection={<IconFileImport size={18} />}
                onClick={() => setImportOpen(true)}
              >
                {t('opds.import')}
              </Button>
            ) : null}
            <Button leftSection={<IconPlus size={18} />} onClick={openCreate}>
              {t(`${kind}.add`)}
            </Button>
          </>
        }
      />

      <ListCard>
        <Group gap="sm" mb="md" align="flex-end" wrap="wrap" display={isEmpty ? 'none' : undefined}>
          <TextInput
            label={t(`${kind}.searchLabel`)}
            placeholder={t(`${kind}.searchPlaceholder`)}
            leftSection={<IconSearch size={16} />}
            value={q}
            onChange={(event) => setQ(event.currentTarget.value)}
            style={{ flex: '1 1 170px' }}
            type="search"
          />
          <StatusFilter
            label={t('common.status')}
            value={search.status}
            onChange={(status) => onSearch({ ...search, status, page: undefined })}
            style={{ flex: '0 0 140px' }}
          />
        </Group>

        {list.isError && !data ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : !data ? (
          <Stack gap="xs">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} height={44} radius="sm" />
            ))}
          </Stack>
        ) : isEmpty ? (
          <EmptyState
            icon={<Icon size={30} stroke={1.5} />}
            variant="light"
            title={t(`${kind}.emptyTitle`)}
            description={t(`${kind}.emptyText`)}
            py="xl"
          >
            {kind === 'opds' ? (
              <Box w="100%" maw={560} mx="auto" ta="left" style={{ minWidth: 0 }}>
                <CsvFormatHelp />
              </Box>
            ) : null}
            <EmptyState.Actions>
              {kind === 'opds' ? (
                <Button
                  variant="default"
                  leftSection={<IconFileImport size={18} />}
                  onClick={() => setImportOpen(true)}
                >
                  {t('opds.import')}
                </Button>
              ) : null}
              <Button leftSection={<IconPlus size={18} />} onClick={openCreate}>
                {t(`${kind}.add`)}
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        ) : data.items.length === 0 ? (
          <NoResults onClear={() => onSearch({})} />
        ) : (
          <>
            <ResponsiveList<Opd>
              label={t(`${kind}.title`)}
              testId={`${kind}-list`}
              rows={data.items}
              rowKey={(row) => row.id}
              rowState={(row) => ({ inactive: !row.active })}
              minWidth={640}
              actionsHeader={<span className="visually-hidden">{t('common.actions')}</span>}
              actions={actions}
              cardTitle={(row) => (
                <>
                  <Text fw={600} size="sm" lineClamp={2}>
                    {row.name}
                  </Text>
                  <Text ff="monospace" size="xs" c="dimmed">
                    {row.code}
                  </Text>
                </>
              )}
              columns={[
                {
                  key: 'code',
                  header: t('org.code'),
                  render: (row) => (
                    <Text ff="monospace" size="sm" fw={600}>
                      {row.code}
                    </Text>
                  ),
                  hideOnCard: true,
                  width: 160,
                },
                {
                  key: 'name',
                  header: t('org.name'),
                  render: (row) => <Text size="sm">{row.name}</Text>,
                  hideOnCard: true,
                },
                {
                  key: 'status',
                  header: t('common.status'),
                  render: (row) => <StatusBadge active={row.active} />,
                },
                {
                  key: 'updated',
                  header: t('org.updatedAt'),
                  render: (row) => <DateTimeText iso={row.updatedAt} dimmed />,
                },
              ]}
            />
            <ListFooter
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              onPage={(next) => onSearch({ ...search, page: next > 1 ? next : undefined })}
            />
          </>
        )}
      </ListCard>

      <OrgFormModal kind={kind} record={editing} opened={formOpen} onClose={() => setFormOpen(false)} />
      {kind === 'opds' ? <OpdImportModal opened={importOpen} onClose={() => setImportOpen(false)} /> : null}
      <ConfirmDialog
        opened={confirmOpen}
        title={t(toggling?.active ? `${kind}.deactivateTitle` : `${kind}.reactivateTitle`)}
        text={t(toggling?.active ? `${kind}.deactivateText` : `${kind}.reactivateText`, {
          name: toggling?.name ?? '',
        })}
        confirmLabel={toggling?.active ? t('org.deactivate') : t('org.reactivate')}
        danger={toggling?.active}
        loading={toggle.isPending}
        onConfirm={() => toggling && toggle.mutate(toggling)}
        onClose={() => setConfirmOpen(false)}
      />
    </>
  );
}

const opdsRoute = getRouteApi('/app/admin/opd');
const unitsRoute = getRouteApi('/app/admin/unit-kerja');

export function OpdsPage() {
  const search = opdsRoute.useSearch();
  const navigate = opdsRoute.useNavigate();
  return <OrgListPage kind="opds" search={search} onSearch={(next) => void navigate({ search: next })} />;
}

export function UnitsPage() {
  const search = unitsRoute.useSearch();
  const navigate = unitsRoute.useNavigate();
  return <OrgListPage kind="units" search={search} onSearch={(next) => void navigate({ search: next })} />;
}
