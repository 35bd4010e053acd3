/**
 * One IP pool: its use, the address map (256 addresses a window, each cell coloured by who holds it), the
 * list of held addresses, allocating and releasing, and the pool's history.
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  EmptyState,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Text,
  Textarea,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowLeft,
  IconChevronLeft,
  IconChevronRight,
  IconChevronsLeft,
  IconMapOff,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import {
  ADDRESS_STATES,
  type AddressCell,
  type AddressState,
  type Allocation,
  type Pool,
  poolsApi,
  registryKeys,
} from '../../api/registry.ts';
import { QueryError } from '../../components/QueryError.tsx';
import { PHONE_QUERY, ResponsiveList } from '../../components/ResponsiveList.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { AllocateModal } from './AllocateModal.tsx';
import { AnchorLink, Fact, formatDay, Section, useRegistryAccess, Value } from './common.tsx';
import { HistorySection } from './HistoryTimeline.tsx';
import { UsageBar } from './PoolsPage.tsx';
import { bigCount, blockStart, stepAddress } from './rules.ts';
import type { PoolSearch } from './search.ts';

const route = getRouteApi('/app/registry/registri/pool-ip/$id');
const WINDOW = 256;

/** The short text in a cell: the last IPv4 octet, or the last IPv6 group. */
function cellText(address: string): string {
  return address.includes(':') ? address.split(':').pop() || '0' : (address.split('.').pop() ?? address);
}

function holderOf(cell: AddressCell): ReactNode {
  const allocation = cell.allocation;
  if (!allocation) return null;
  if (allocation.server) return allocation.server.name;
  if (allocation.website) return allocation.website.hostname ?? allocation.website.id.slice(0, 8);
  return allocation.note;
}

function StateLabel({ state }: { state: AddressState }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap">
      <span className="ip-swatch" data-ip-state={state} aria-hidden />
      <Text size="sm">{t(`registry.addressState.${state}`)}</Text>
    </Group>
  );
}

function Legend({ cells }: { cells: AddressCell[] }) {
  const { t } = useTranslation();
  const counts = new Map<AddressState, number>();
  for (const cell of cells) counts.set(cell.state, (counts.get(cell.state) ?? 0) + 1);
  return (
    <div className="ip-legend" data-testid="ip-legend">
      {ADDRESS_STATES.map((state) => (
        <Group key={state} gap={6} wrap="nowrap">
          <span className="ip-swatch" data-ip-state={state} aria-hidden />
          <Text size="xs">
            {t(`registry.addressState.${state}`)}
            {counts.get(state) ? (
              <Text span size="xs" c="dimmed">
                {' '}
                ({counts.get(state)})
              </Text>
            ) : null}
          </Text>
        </Group>
      ))}
    </div>
  );
}

/** Who holds an address, with links. */
function Holder({ allocation }: { allocation: Allocation }) {
  const { t } = useTranslation();
  if (allocation.server) {
    return (
      <AnchorLink to="/registri/server/$id" params={{ id: allocation.server.id }} size="sm">
        {allocation.server.name}
      </AnchorLink>
    );
  }
  if (allocation.website) {
    return (
      <AnchorLink to="/registri/website/$id" params={{ id: allocation.website.id }} size="sm">
        {allocation.website.hostname ?? t('registry.websites.noName')}
      </AnchorLink>
    );
  }
  return <Value>{allocation.note}</Value>;
}

function CellDetails({
  cell,
  editor,
  onAllocate,
  onRelease,
}: {
  cell: AddressCell;
  editor: boolean;
  onAllocate: (address: string) => void;
  onRelease: (allocation: Allocation) => void;
}) {
  const { t } = useTranslation();
  const allocation = cell.allocation;
  return (
    <Paper
      ref={(node) => {
        // On a phone the map is long: bring the chosen address's details into view.
        if (node && window.matchMedia(PHONE_QUERY).matches)
          node.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      }}
      withBorder
      p="md"
      radius="md"
      bg="gray.0"
      data-testid="ip-cell-details"
      aria-live="polite"
    >
      <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Text fw={700} ff="monospace" size="lg">
            {cell.address}
          </Text>
          <StateLabel state={cell.state} />
          {allocation ? (
            <div className="registry-facts">
              <Fact label={t('registry.pool.holder')}>
                <Holder allocation={allocation} />
              </Fact>
              {allocation.note && (allocation.server || allocation.website) ? (
                <Fact label={t('registry.allocate.note')}>
                  <Value>{allocation.note}</Value>
                </Fact>
              ) : null}
              {allocation.heldUntil ? (
                <Fact label={t('registry.pool.heldUntil')}>
                  <Text size="sm">{formatDateTime(allocation.heldUntil)}</Text>
                </Fact>
              ) : null}
              <Fact label={t('registry.pool.since')}>
                <Text size="sm">{formatDateTime(allocation.createdAt)}</Text>
              </Fact>
            </div>
          ) : null}
        </Stack>
        {editor ? (
          cell.state === 'free' ? (
            <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => onAllocate(cell.address)}>
              {t('registry.pool.allocateThis')}
            </Button>
          ) : allocation ? (
            <Button
              size="xs"
              color="red"
              variant="light"
              leftSection={<IconTrash size={14} />}
              onClick={() => onRelease(allocation)}
            >
              {t('registry.pool.release')}
            </Button>
          ) : null
        ) : null}
      </Group>
    </Paper>
  );
}

function AddressGrid({
  cells,
  selected,
  onSelect,
}: {
  cells: AddressCell[];
  selected: string | null;
  onSelect: (cell: AddressCell) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="ip-map" data-testid="ip-map">
      {cells.map((cell) => {
        const holder = holderOf(cell);
        const state = t(`registry.addressState.${cell.state}`);
        const label = holder ? `${cell.address} · ${state} · ${holder}` : `${cell.address} · ${state}`;
        return (
          <Tooltip
            key={cell.address}
            label={label}
            withArrow
            openDelay={150}
            events={{ hover: true, focus: true, touch: false }}
          >
            <UnstyledButton
              className="ip-cell"
              data-ip-state={cell.state}
              data-address={cell.address}
              data-selected={selected === cell.address ? 'true' : undefined}
              aria-label={label}
              aria-pressed={selected === cell.address}
              onClick={() => onSelect(cell)}
            >
              {cellText(cell.address)}
            </UnstyledButton>
          </Tooltip>
        );
      })}
    </div>
  );
}

function ReleaseDialog({ allocation, onClose }: { allocation: Allocation | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const release = useMutation({
    mutationFn: (target: Allocation) => poolsApi.release(target.id, reason.trim()),
    onSuccess: async () => {
      notifications.show({
        color: 'teal',
        message: t('registry.pool.released', { address: allocation?.address }),
      });
      await queryClient.invalidateQueries({ queryKey: registryKeys.all });
      close();
    },
    onError: (err) => setError(errorMessage(err)),
  });
  const close = () => {
    setReason('');
    setError(null);
    onClose();
  };
  if (!allocation) return null;
  return (
    <Modal opened onClose={close} title={t('registry.pool.releaseTitle', { address: allocation.address })}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!reason.trim()) {
            setError(t('registry.status.reasonRequired'));
            return;
          }
          release.mutate(allocation);
        }}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm">{t('registry.pool.releaseText', { address: allocation.address })}</Text>
          {allocation.website ? (
            <Alert color="orange" variant="light">
              {t('registry.pool.releaseWebsite')}
            </Alert>
          ) : null}
          <Textarea
            label={t('registry.status.reason')}
            required
            autosize
            minRows={2}
            maxLength={2000}
            data-autofocus
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setError(null);
            }}
            error={error}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={release.isPending}>
              {t('registry.pool.release')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Summary({ pool }: { pool: Pool }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="sm">
      <Stack gap={2}>
        <Text size="xs" c="dimmed" fw={600} tt="uppercase">
          {t('registry.pools.gateway')}
        </Text>
        <Text size="sm" ff="monospace">
          {pool.gateway ?? t('common.none')}
        </Text>
      </Stack>
      <Stack gap={2}>
        <Text size="xs" c="dimmed" fw={600} tt="uppercase">
          {t('registry.pool.range')}
        </Text>
        <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
          {pool.firstUsable} – {pool.lastUsable}
        </Text>
      </Stack>
      <Stack gap={2}>
        <Text size="xs" c="dimmed" fw={600} tt="uppercase">
          {t('registry.pools.nextFree')}
        </Text>
        <Text size="sm" ff="monospace" c={pool.nextFree ? undefined : 'red.8'} data-testid="pool-next-free">
          {pool.nextFree ?? t('registry.pools.full')}
        </Text>
      </Stack>
      <Stack gap={2}>
        <Text size="xs" c="dimmed" fw={600} tt="uppercase">
          {t('registry.pool.free')}
        </Text>
        <Text size="sm">{bigCount(pool.free, locale)}</Text>
      </Stack>
    </SimpleGrid>
  );
}

export function PoolPage() {
  const { t } = useTranslation();
  const { id } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const setSearch = (next: PoolSearch) => void navigate({ search: next, replace: true });
  const access = useRegistryAccess();
  const [selected, setSelected] = useState<AddressCell | null>(null);
  const [allocating, setAllocating] = useState<{ address: string | null } | null>(null);
  const [releasing, setReleasing] = useState<Allocation | null>(null);

  const poolQuery = useQuery({ queryKey: registryKeys.pool(id), queryFn: () => poolsApi.get(id) });
  const pool = poolQuery.data;
  // An IPv4 map starts at the network address, so the 256 cells of a /24 line up with its octets.
  const start = pool ? (pool.family === 4 ? blockStart(pool.cidr) : pool.firstUsable) : null;
  const from = search.from ?? start ?? undefined;
  const windowQuery = { from, limit: WINDOW, usedOnly: search.used ?? false };
  const map = useQuery({
    queryKey: registryKeys.addresses(id, windowQuery),
    queryFn: () => poolsApi.addresses(id, windowQuery),
    enabled: Boolean(pool),
    placeholderData: keepPreviousData,
  });

  if (poolQuery.isError && !pool) {
    if (isApiError(poolQuery.error) && (poolQuery.error.status === 404 || poolQuery.error.status === 400)) {
      return (
        <Paper withBorder p="xl" maw={560} mx="auto" mt="xl">
          <EmptyState
            icon={<IconMapOff size={30} stroke={1.5} />}
            variant="light"
            title={t('registry.pool.notFoundTitle')}
            description={t('registry.pool.notFoundText')}
          >
            <EmptyState.Actions>
              <Button component={Link} to="/registri/pool-ip">
                {t('registry.pools.back')}
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Paper>
      );
    }
    return <QueryError error={poolQuery.error} onRetry={() => void poolQuery.refetch()} />;
  }
  if (!pool) {
    return (
      <Stack gap="lg">
        <Skeleton height={140} radius="lg" />
        <Skeleton height={360} radius="lg" />
      </Stack>
    );
  }

  const cells = map.data?.addresses ?? [];
  const first = cells[0]?.address;
  const last = cells[cells.length - 1]?.address;
  const blockFirst = start ?? pool.firstUsable;
  const atStart = !search.from || search.from === blockFirst;
  const previous = first ? stepAddress(first, -WINDOW, blockFirst, pool.lastUsable) : null;
  const selectedCell = selected ? (cells.find((cell) => cell.address === selected.address) ?? null) : null;

  const pager = (
    <Group gap="xs" justify="space-between" wrap="wrap">
      <Text size="sm" c="dimmed" ff="monospace" data-testid="ip-window">
        {first && last ? `${first} – ${last}` : ''}
      </Text>
      <Group gap={6}>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconChevronsLeft size={14} />}
          disabled={atStart}
          onClick={() => setSearch({ ...search, from: undefined })}
        >
          {t('registry.pool.first')}
        </Button>
        {search.used ? null : (
          <Button
            size="xs"
            variant="default"
            leftSection={<IconChevronLeft size={14} />}
            disabled={atStart || !previous}
            onClick={() =>
              setSearch({ ...search, from: previous === blockFirst ? undefined : (previous ?? undefined) })
            }
          >
            {t('registry.pool.previous')}
          </Button>
        )}
        <Button
          size="xs"
          variant="default"
          rightSection={<IconChevronRight size={14} />}
          disabled={!map.data?.next}
          onClick={() => setSearch({ ...search, from: map.data?.next ?? undefined })}
        >
          {t('registry.pool.next')}
        </Button>
      </Group>
    </Group>
  );

  return (
    <Stack gap="lg">
      <AnchorLink to="/registri/pool-ip" size="sm" display="inline-flex" style={{ gap: 4 }}>
        <IconArrowLeft size={16} /> {t('registry.pools.back')}
      </AnchorLink>
      <Paper withBorder p={{ base: 'md', sm: 'lg' }} shadow="xs" data-testid="pool-header">
        <Group justify="space-between" align="flex-start" gap="sm" mb="md" wrap="wrap">
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Badge variant="light" radius="sm" tt="none">
                IPv{pool.family}
              </Badge>
            </Group>
            <Title order={1} fz={{ base: 22, sm: 26 }}>
              {pool.name}
            </Title>
            <Text ff="monospace" c="dimmed" size="sm">
              {pool.cidr}
            </Text>
          </Stack>
          {access.editor ? (
            <Button
              leftSection={<IconPlus size={18} />}
              onClick={() => setAllocating({ address: null })}
              disabled={!pool.nextFree}
            >
              {t('registry.pool.allocate')}
            </Button>
          ) : null}
        </Group>
        <Stack gap="md">
          <UsageBar pool={pool} />
          <Summary pool={pool} />
          {pool.notes ? (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {pool.notes}
            </Text>
          ) : null}
        </Stack>
      </Paper>

      <Section
        title={search.used ? t('registry.pool.usedTitle') : t('registry.pool.mapTitle')}
        testId="pool-map"
        action={
          <Switch
            label={t('registry.pool.usedOnly')}
            checked={Boolean(search.used)}
            onChange={(event) =>
              setSearch({ from: undefined, used: event.currentTarget.checked ? true : undefined })
            }
          />
        }
      >
        <Stack gap="md">
          {map.isError && !map.data ? (
            <QueryError error={map.error} onRetry={() => void map.refetch()} />
          ) : !map.data ? (
            <Skeleton height={search.used ? 120 : 300} />
          ) : search.used ? (
            cells.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('registry.pool.noneUsed')}
              </Text>
            ) : (
              <ResponsiveList<AddressCell>
                label={t('registry.pool.usedTitle')}
                testId="pool-allocations"
                rows={cells}
                rowKey={(cell) => cell.address}
                minWidth={720}
                cardTitle={(cell) => (
                  <Group justify="space-between" wrap="nowrap">
                    <Text fw={700} ff="monospace" size="sm">
                      {cell.address}
                    </Text>
                    <StateLabel state={cell.state} />
                  </Group>
                )}
                actions={
                  access.editor
                    ? (cell) =>
                        cell.allocation ? (
                          <Button
                            size="compact-sm"
                            color="red"
                            variant="subtle"
                            leftSection={<IconTrash size={14} />}
                            onClick={() => cell.allocation && setReleasing(cell.allocation)}
                          >
                            {t('registry.pool.release')}
                          </Button>
                        ) : null
                    : undefined
                }
                actionsHeader={<span className="visually-hidden">{t('common.actions')}</span>}
                columns={[
                  {
                    key: 'address',
                    header: t('registry.fields.ipAddress'),
                    hideOnCard: true,
                    render: (cell) => (
                      <Text fw={600} ff="monospace" size="sm">
                        {cell.address}
                      </Text>
                    ),
                  },
                  {
                    key: 'state',
                    header: t('registry.pool.state'),
                    hideOnCard: true,
                    render: (cell) => <StateLabel state={cell.state} />,
                  },
                  {
                    key: 'holder',
                    header: t('registry.pool.holder'),
                    render: (cell) => (cell.allocation ? <Holder allocation={cell.allocation} /> : null),
                  },
                  {
                    key: 'note',
                    header: t('registry.allocate.note'),
                    render: (cell) => <Value>{cell.allocation?.note}</Value>,
                  },
                  {
                    key: 'held',
                    header: t('registry.pool.heldUntil'),
                    render: (cell) => (
                      <Value>
                        {cell.allocation?.heldUntil ? formatDay(cell.allocation.heldUntil) : null}
                      </Value>
                    ),
                  },
                ]}
              />
            )
          ) : (
            <>
              <Legend cells={cells} />
              <Box style={{ opacity: map.isPlaceholderData ? 0.6 : 1 }}>
                <AddressGrid
                  cells={cells}
                  selected={selectedCell?.address ?? null}
                  onSelect={(cell) => setSelected(selectedCell?.address === cell.address ? null : cell)}
                />
              </Box>
              {selectedCell ? (
                <CellDetails
                  cell={selectedCell}
                  editor={access.editor}
                  onAllocate={(address) => setAllocating({ address })}
                  onRelease={setReleasing}
                />
              ) : (
                <Text size="xs" c="dimmed">
                  {t('registry.pool.tapHint')}
                </Text>
              )}
            </>
          )}
          {map.data ? pager : null}
        </Stack>
      </Section>

      <HistorySection queryKey={registryKeys.history('pool', id)} load={() => poolsApi.history(id)} />

      {access.editor ? (
        <>
          <AllocateModal
            pool={pool}
            opened={allocating !== null}
            address={allocating?.address ?? null}
            onClose={() => setAllocating(null)}
          />
          <ReleaseDialog allocation={releasing} onClose={() => setReleasing(null)} />
        </>
      ) : null}
    </Stack>
  );
}
