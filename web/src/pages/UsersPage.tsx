import {
  ActionIcon,
  Avatar,
  Badge,
  Button,
  EmptyState,
  Group,
  Menu,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconDots,
  IconKey,
  IconPlayerPlay,
  IconPlayerStop,
  IconPlus,
  IconSearch,
  IconUsers,
} from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../api/endpoints.ts';
import { ROLES, type User } from '../api/types.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { DateTimeText } from '../components/DateTimeText.tsx';
import { EditButton } from '../components/EditButton.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { ListFooter } from '../components/ListFooter.tsx';
import { NoResults } from '../components/NoResults.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryError } from '../components/QueryError.tsx';
import { ResponsiveList } from '../components/ResponsiveList.tsx';
import { RoleBadges } from '../components/RoleBadges.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { StatusFilter } from '../components/StatusFilter.tsx';
import { errorMessage } from '../lib/errors.ts';
import { useDebouncedSearchText } from '../lib/useListSearch.ts';
import { useMe } from '../session.ts';
import { SetPasswordModal } from './SetPasswordModal.tsx';
import { UserFormDrawer } from './UserFormDrawer.tsx';

const PAGE_SIZE = 20;
const route = getRouteApi('/app/admin/pengguna');

export function UsersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const setSearch = (next: typeof search) => void navigate({ search: next });
  const page = search.page ?? 1;
  const active = search.status === undefined ? undefined : search.status === 'active';
  const [q, setQ] = useDebouncedSearchText(search.q, (next) =>
    setSearch({ ...search, q: next, page: undefined }),
  );

  const [editing, setEditing] = useState<User | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [passwordFor, setPasswordFor] = useState<User | null>(null);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const [toggling, setToggling] = useState<User | null>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);

  const list = useQuery({
    queryKey: ['users', 'list', { q: search.q, role: search.role, active, page }],
    queryFn: () => usersApi.list({ q: search.q, role: search.role, active, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  const toggle = useMutation({
    mutationFn: (user: User) => usersApi.update(user.id, { active: !user.active }),
    onSuccess: async (saved) => {
      notifications.show({
        color: 'teal',
        message: t(saved.active ? 'users.reactivated' : 'users.deactivated', { name: saved.fullName }),
      });
      setConfirmOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['users'] });
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

  const filtered = Boolean(search.q || search.status || search.role);
  const data = list.data;

  const actions = (user: User) => (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      <EditButton
        name={user.username}
        onClick={() => {
          setEditing(user);
          setFormOpen(true);
        }}
      />
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t('common.moreActions', { name: user.username })}
          >
            <IconDots size={16} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            leftSection={<IconKey size={16} />}
            onClick={() => {
              setPasswordFor(user);
              setPasswordOpen(true);
            }}
          >
            {t('users.setPassword')}
          </Menu.Item>
          {user.active ? (
            <Menu.Item
              color="red"
              leftSection={<IconPlayerStop size={16} />}
              disabled={user.id === me.id}
              onClick={() => {
                setToggling(user);
                setConfirmOpen(true);
              }}
            >
              {t('users.deactivate')}
            </Menu.Item>
          ) : (
            <Menu.Item
              leftSection={<IconPlayerPlay size={16} />}
              onClick={() => {
                setToggling(user);
                setConfirmOpen(true);
              }}
            >
              {t('users.reactivate')}
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
    </Group>
  );

  const identity = (user: User) => (
    <Group gap="sm" wrap="nowrap">
      <Avatar radius="xl" size={34} color="loket" variant="light">
        {user.fullName
          .split(/\s+/)
          .slice(0, 2)
          .map((part) => part[0] ?? '')
          .join('')
          .toUpperCase()}
      </Avatar>
      <div style={{ minWidth: 0 }}>
        <Group gap={6} wrap="wrap" align="center">
          <Text size="sm" fw={600}>
            {user.fullName}
          </Text>
          {user.id === me.id ? (
            <Badge size="xs" variant="outline" tt="none">
              {t('users.you')}
            </Badge>
          ) : null}
        </Group>
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          @{user.username}
        </Text>
        {user.nip ? (
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            NIP {user.nip}
          </Text>
        ) : null}
      </div>
    </Group>
  );

  return (
    <>
      <PageHeader
        title={t('users.title')}
        subtitle={t('users.subtitle')}
        actions={
          <Button leftSection={<IconPlus size={18} />} onClick={openCreate}>
            {t('users.add')}
          </Button>
        }
      />

      <ListCard>
        <Group gap="sm" mb="md" align="flex-end" wrap="wrap">
          <TextInput
            label={t('users.searchLabel')}
            placeholder={t('users.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={q}
            onChange={(event) => setQ(event.currentTarget.value)}
            style={{ flex: '1 1 260px' }}
            type="search"
          />
          <Select
            label={t('users.roleFilter')}
            value={search.role ?? 'all'}
            onChange={(value) =>
              setSearch({ ...search, role: ROLES.find((role) => role === value), page: undefined })
            }
            data={[
              { value: 'all', label: t('common.all') },
              ...ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) })),
            ]}
            allowDeselect={false}
            style={{ flex: '1 1 150px', maxWidth: 250 }}
          />
          <StatusFilter
            label={t('users.statusFilter')}
            value={search.status}
            onChange={(status) => setSearch({ ...search, status, page: undefined })}
            style={{ flex: '1 1 110px', maxWidth: 170 }}
          />
        </Group>

        {list.isError && !data ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : !data ? (
          <Stack gap="xs">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} height={52} radius="sm" />
            ))}
          </Stack>
        ) : data.items.length === 0 ? (
          filtered ? (
            <NoResults onClear={() => setSearch({})} />
          ) : (
            <EmptyState
              icon={<IconUsers size={30} stroke={1.5} />}
              variant="light"
              title={t('users.emptyTitle')}
              description={t('users.emptyText')}
              py="xl"
            >
              <EmptyState.Actions>
                <Button leftSection={<IconPlus size={18} />} onClick={openCreate}>
                  {t('users.add')}
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          )
        ) : (
          <>
            <ResponsiveList<User>
              label={t('users.title')}
              testId="users-list"
              rows={data.items}
              rowKey={(user) => user.id}
              rowState={(user) => ({ inactive: !user.active })}
              minWidth={900}
              actionsHeader={<span className="visually-hidden">{t('common.actions')}</span>}
              actions={actions}
              cardTitle={identity}
              columns={[
                { key: 'user', header: t('users.colUser'), render: identity, hideOnCard: true },
                {
                  key: 'roles',
                  header: t('users.colRoles'),
                  render: (user) => <RoleBadges roles={user.roles} />,
                },
                {
                  key: 'org',
                  header: t('users.colOrg'),
                  minWidth: 160,
                  render: (user) => {
                    const org = user.opd ?? user.unit;
                    return org ? (
                      <Text size="sm" lineClamp={2}>
                        {org.name}
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('common.none')}
                      </Text>
                    );
                  },
                },
                {
                  key: 'status',
                  header: t('common.status'),
                  render: (user) => <StatusBadge active={user.active} />,
                },
                {
                  key: 'lastLogin',
                  header: t('users.colLastLogin'),
                  render: (user) =>
                    user.lastLoginAt ? (
                      <DateTimeText iso={user.lastLoginAt} dimmed />
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('users.never')}
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

      <UserFormDrawer user={editing} opened={formOpen} onClose={() => setFormOpen(false)} />
      <SetPasswordModal user={passwordFor} opened={passwordOpen} onClose={() => setPasswordOpen(false)} />
      <ConfirmDialog
        opened={confirmOpen}
        title={t(toggling?.active ? 'users.deactivateTitle' : 'users.reactivateTitle')}
        text={t(toggling?.active ? 'users.deactivateText' : 'users.reactivateText', {
          name: toggling?.fullName ?? '',
        })}
        confirmLabel={toggling?.active ? t('users.deactivate') : t('users.reactivate')}
        danger={toggling?.active}
        loading={toggle.isPending}
        onConfirm={() => toggling && toggle.mutate(toggling)}
        onClose={() => setConfirmOpen(false)}
      />
    </>
  );
}
