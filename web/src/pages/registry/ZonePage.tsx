/** One DNS zone: the names in it (websites, aliases, reserved, held in quarantine), reserving and freeing labels. */
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  EmptyState,
  Group,
  Modal,
  Paper,
  Select,
  Skeleton,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  IconArrowLeft,
  IconLockOpen,
  IconMapOff,
  IconPencil,
  IconPlus,
  IconSearch,
} from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type DnsName,
  NAME_KINDS,
  type NameKind,
  registryKeys,
  type Zone,
  zonesApi,
  zonesQuery,
} from '../../api/registry.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ListCard } from '../../components/ListCard.tsx';
import { ListFooter } from '../../components/ListFooter.tsx';
import { NoResults } from '../../components/NoResults.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { ResponsiveList, useIsPhone } from '../../components/ResponsiveList.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { errorMessage, translateMessage } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useDebouncedSearchText } from '../../lib/useListSearch.ts';
import { orNull } from '../../lib/validation.ts';
import { ServerRoleSelect } from '../provisioning/ServerRoleSelect.tsx';
import { AnchorLink, formatDay, useRegistryAccess, Value, WebsiteStatusBadge } from './common.tsx';
import { applyRegistryError, isVersionConflict } from './formErrors.ts';
import * as rules from './rules.ts';
import type { ZoneSearch } from './search.ts';

const route = getRouteApi('/app/registry/registri/zona-dns/$id');
const PAGE_SIZE = 25;

const KIND_COLORS: Record<NameKind, string> = { website: 'teal', alias: 'blue', reserved: 'yellow' };

function ReserveModal({ zone, opened, onClose }: { zone: Zone; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { label: '', note: '', reason: '' },
    validate: { label: rules.label },
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the dialog opens
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    form.setValues({ label: '', note: '', reason: '' });
    form.clearErrors();
  }, [opened]);
  const save = useMutation({
    mutationFn: (values: { label: string; note: string; reason: string }) =>
      zonesApi.reserve(zone.id, {
        label: values.label,
        note: orNull(values.note),
        reason: values.reason.trim() || undefined,
      }),
    onSuccess: async (name) => {
      notifications.show({ color: 'teal', message: t('registry.zone.reserved', { name: name.hostname }) });
      await queryClient.invalidateQueries({ queryKey: registryKeys.zones });
      onClose();
    },
    onError: (error) => setFormError(applyRegistryError(form, error)),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('registry.zone.reserveTitle')} fullScreen={isPhone}>
      <form
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          save.mutate(values);
        })}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm">{t('registry.zone.reserveText')}</Text>
          {formError ? (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          ) : null}
          <TextInput
            label={t('registry.websiteForm.label')}
            required
            data-autofocus
            autoCapitalize="none"
            spellCheck={false}
            maxLength={63}
            rightSection={
              <Text size="xs" c="dimmed" pr="xs" style={{ whiteSpace: 'nowrap' }}>
                .{zone.name}
              </Text>
            }
            rightSectionWidth={Math.min(260, zone.name.length * 7 + 24)}
            {...form.getInputProps('label')}
            onChange={(event) => form.setFieldValue('label', event.currentTarget.value.trim())}
            error={translateMessage(form.errors.label)}
          />
          <TextInput label={t('registry.allocate.note')} maxLength={500} {...form.getInputProps('note')} />
          <Textarea
            label={t('registry.reasonOptional')}
            description={t('registry.reasonHint')}
            autosize
            minRows={1}
            {...form.getInputProps('reason')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('registry.zone.reserve')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ZoneEditModal({ zone, opened, onClose }: { zone: Zone; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: {
      notes: zone.notes ?? '',
      active: zone.active,
      nsServerId: zone.nsServer?.id ?? null,
      reason: '',
    },
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the dialog opens
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    form.setValues({
      notes: zone.notes ?? '',
      active: zone.active,
      nsServerId: zone.nsServer?.id ?? null,
      reason: '',
    });
  }, [opened, zone.version]);
  const save = useMutation({
    mutationFn: (values: { notes: string; active: boolean; nsServerId: string | null; reason: string }) =>
      zonesApi.update(zone.id, {
        version: zone.version,
        notes: orNull(values.notes),
        active: values.active,
        ...(values.nsServerId !== (zone.nsServer?.id ?? null) ? { nsServerId: values.nsServerId } : {}),
        reason: values.reason.trim() || undefined,
      }),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('registry.zones.updated', { name: zone.name }) });
      await queryClient.invalidateQueries({ queryKey: registryKeys.zones });
      onClose();
    },
    onError: (error) =>
      setFormError(
        isVersionConflict(error) ? t('registry.versionConflict') : applyRegistryError(form, error),
      ),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('registry.zones.editTitle', { name: zone.name })}>
      <form onSubmit={form.onSubmit((values) => save.mutate(values))} noValidate>
        <Stack gap="md">
          {formError ? (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          ) : null}
          <Switch
            label={t('registry.zones.activeLabel')}
            {...form.getInputProps('active', { type: 'checkbox' })}
          />
          <ServerRoleSelect
            serverRole="dns"
            label={t('provisioning.fields.nsServer')}
            description={t('provisioning.fields.nsServerHint')}
            placeholder={t('provisioning.fields.nsServerPlaceholder')}
            {...form.getInputProps('nsServerId')}
            value={form.values.nsServerId}
          />
          <Textarea
            label={t('registry.fields.notes')}
            autosize
            minRows={2}
            {...form.getInputProps('notes')}
          />
          <Textarea
            label={t('registry.reasonOptional')}
            autosize
            minRows={1}
            {...form.getInputProps('reason')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ZonePage() {
  const { t } = useTranslation();
  const { id } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const setSearch = (next: ZoneSearch) => void navigate({ search: next });
  const access = useRegistryAccess();
  const queryClient = useQueryClient();
  const page = search.page ?? 1;
  const [q, setQ] = useDebouncedSearchText(search.q, (next) =>
    setSearch({ ...search, q: next, page: undefined }),
  );
  const [reserveOpen, setReserveOpen] = useState(false);
  const [editOpen, setEditOpen] = useState(false);
  const [freeing, setFreeing] = useState<DnsName | null>(null);

  const zones = useQuery(zonesQuery);
  const zone = zones.data?.find((z) => z.id === id);
  const query = { q: search.q, kind: search.kind, page, pageSize: PAGE_SIZE };
  const names = useQuery({
    queryKey: registryKeys.names(id, query),
    queryFn: () => zonesApi.names(id, query),
    placeholderData: keepPreviousData,
    enabled: Boolean(zone),
  });

  const unreserve = useMutation({
    mutationFn: (name: DnsName) => zonesApi.unreserve(name.id),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('registry.zone.freed', { name: freeing?.hostname }) });
      setFreeing(null);
      await queryClient.invalidateQueries({ queryKey: registryKeys.zones });
    },
    onError: (error) => {
      notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(error) });
      setFreeing(null);
    },
  });

  if (zones.isError && !zones.data)
    return <QueryError error={zones.error} onRetry={() => void zones.refetch()} />;
  if (!zones.data) return <Skeleton height={200} radius="lg" />;
  if (!zone) {
    return (
      <Paper withBorder p="xl" maw={560} mx="auto" mt="xl">
        <EmptyState
          icon={<IconMapOff size={30} stroke={1.5} />}
          variant="light"
          title={t('registry.zone.notFoundTitle')}
          description={t('registry.zone.notFoundText')}
        >
          <EmptyState.Actions>
            <Button component={Link} to="/registri/zona-dns">
              {t('registry.zones.back')}
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    );
  }

  const data = names.data;
  const filtered = Boolean(search.q || search.kind);

  return (
    <Stack gap="lg">
      <AnchorLink to="/registri/zona-dns" size="sm" display="inline-flex" style={{ gap: 4 }}>
        <IconArrowLeft size={16} /> {t('registry.zones.back')}
      </AnchorLink>
      <Paper withBorder p={{ base: 'md', sm: 'lg' }} shadow="xs">
        <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
          <Stack gap={6} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <StatusBadge active={zone.active} />
              <Badge variant="outline" color="gray" radius="sm" tt="none">
                {t('registry.zone.namesCount', { count: zone.namesInUse })}
              </Badge>
              {zone.nsServer ? (
                <Badge variant="outline" color="gray" radius="sm" tt="none" data-testid="zone-ns-server">
                  {t('provisioning.fields.nsServer')}: {zone.nsServer.name}
                </Badge>
              ) : null}
            </Group>
            <Title order={1} fz={{ base: 22, sm: 26 }} ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {zone.name}
            </Title>
            {zone.notes ? (
              <Text size="sm" c="dimmed">
                {zone.notes}
              </Text>
            ) : null}
          </Stack>
          <Group gap="xs">
            {access.manager ? (
              <Button
                variant="default"
                leftSection={<IconPencil size={16} />}
                onClick={() => setEditOpen(true)}
              >
                {t('common.edit')}
              </Button>
            ) : null}
            {access.editor ? (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setReserveOpen(true)}>
                {t('registry.zone.reserve')}
              </Button>
            ) : null}
          </Group>
        </Group>
      </Paper>
      <ListCard>
        <Group gap="sm" mb="md" align="flex-end" wrap="wrap">
          <TextInput
            label={t('registry.zone.searchLabel')}
            placeholder={t('registry.zone.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={q}
            onChange={(event) => setQ(event.currentTarget.value)}
            style={{ flex: '2 1 220px' }}
            type="search"
          />
          <Select
            label={t('registry.zone.kind')}
            value={search.kind ?? 'all'}
            onChange={(value) =>
              setSearch({ ...search, kind: NAME_KINDS.find((k) => k === value), page: undefined })
            }
            data={[
              { value: 'all', label: t('common.all') },
              ...NAME_KINDS.map((k) => ({ value: k, label: t(`registry.nameKind.${k}`) })),
            ]}
            allowDeselect={false}
            style={{ flex: '1 1 140px', maxWidth: 200 }}
          />
        </Group>
        {names.isError && !data ? (
          <QueryError error={names.error} onRetry={() => void names.refetch()} />
        ) : !data ? (
          <Skeleton height={120} />
        ) : data.items.length === 0 ? (
          filtered ? (
            <NoResults onClear={() => setSearch({})} />
          ) : (
            <Text size="sm" c="dimmed" ta="center" py="xl">
              {t('registry.zone.empty')}
            </Text>
          )
        ) : (
          <>
            <ResponsiveList<DnsName>
              label={t('registry.zone.namesTitle')}
              testId="zone-names"
              rows={data.items}
              rowKey={(name) => name.id}
              rowState={(name) => ({ inactive: Boolean(name.heldUntil) })}
              minWidth={760}
              actionsHeader={<span className="visually-hidden">{t('common.actions')}</span>}
              actions={
                access.editor
                  ? (name) =>
                      name.kind === 'reserved' ? (
                        <Tooltip label={t('registry.zone.free')} withArrow>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`${t('registry.zone.free')} ${name.hostname}`}
                            onClick={() => setFreeing(name)}
                          >
                            <IconLockOpen size={16} />
                          </ActionIcon>
                        </Tooltip>
                      ) : null
                  : undefined
              }
              cardTitle={(name) => (
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={600} size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                    {name.hostname}
                  </Text>
                  <Badge size="sm" color={KIND_COLORS[name.kind]} variant="light" radius="sm" tt="none">
                    {t(`registry.nameKind.${name.kind}`)}
                  </Badge>
                </Group>
              )}
              columns={[
                {
                  key: 'hostname',
                  header: t('registry.fields.hostname'),
                  hideOnCard: true,
                  render: (name) => (
                    <Text fw={600} size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                      {name.hostname}
                    </Text>
                  ),
                },
                {
                  key: 'kind',
                  header: t('registry.zone.kind'),
                  hideOnCard: true,
                  render: (name) => (
                    <Badge color={KIND_COLORS[name.kind]} variant="light" radius="sm" tt="none">
                      {t(`registry.nameKind.${name.kind}`)}
                    </Badge>
                  ),
                },
                {
                  key: 'website',
                  header: t('registry.zone.website'),
                  render: (name) =>
                    name.website ? (
                      <Stack gap={2}>
                        <Group gap={6}>
                          <AnchorLink to="/registri/website/$id" params={{ id: name.website.id }} size="sm">
                            {name.website.opdName ?? t('registry.zone.openWebsite')}
                          </AnchorLink>
                        </Group>
                        <WebsiteStatusBadge status={name.website.status} size="sm" />
                      </Stack>
                    ) : (
                      <Value>{null}</Value>
                    ),
                },
                {
                  key: 'held',
                  header: t('registry.pool.heldUntil'),
                  render: (name) =>
                    name.heldUntil ? (
                      <Tooltip label={formatDateTime(name.heldUntil)} withArrow>
                        <Badge color="orange" variant="light" radius="sm" tt="none">
                          {formatDay(name.heldUntil)}
                        </Badge>
                      </Tooltip>
                    ) : (
                      <Value>{null}</Value>
                    ),
                },
                {
                  key: 'note',
                  header: t('registry.allocate.note'),
                  render: (name) => <Value>{name.note}</Value>,
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
        <ReserveModal zone={zone} opened={reserveOpen} onClose={() => setReserveOpen(false)} />
      ) : null}
      {access.manager ? (
        <ZoneEditModal zone={zone} opened={editOpen} onClose={() => setEditOpen(false)} />
      ) : null}
      <ConfirmDialog
        opened={freeing !== null}
        title={t('registry.zone.freeTitle')}
        text={t('registry.zone.freeText', { name: freeing?.hostname ?? '' })}
        confirmLabel={t('registry.zone.free')}
        danger
        loading={unreserve.isPending}
        onConfirm={() => freeing && unreserve.mutate(freeing)}
        onClose={() => setFreeing(null)}
      />
    </Stack>
  );
}
