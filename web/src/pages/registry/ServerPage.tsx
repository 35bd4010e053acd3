/** One server: its facts, the websites on it, the pool addresses it holds, and its history. */
import { Badge, Box, Button, EmptyState, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconMapOff, IconPencil } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { fetchAll, orgApi } from '../../api/endpoints.ts';
import { allPoolsQuery, registryKeys, type ServerDetail, serversApi } from '../../api/registry.ts';
import { QueryError } from '../../components/QueryError.tsx';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { ServerProvisioningSection } from '../provisioning/ServerProvisioningSection.tsx';
import {
  AnchorLink,
  Dash,
  Fact,
  formatDay,
  Section,
  ServerStatusBadge,
  useRegistryAccess,
  Value,
  WebsiteStatusBadge,
} from './common.tsx';
import { HistorySection } from './HistoryTimeline.tsx';
import { ServerFormDrawer } from './ServerFormDrawer.tsx';
import { ServerRoles } from './ServersPage.tsx';

const route = getRouteApi('/app/registry/registri/server/$id');

type ServerWebsite = ServerDetail['websites'][number];

function Websites({ server }: { server: ServerDetail }) {
  const { t } = useTranslation();
  const link = (row: ServerWebsite) => (
    <AnchorLink to="/registri/website/$id" params={{ id: row.id }} fw={600} size="sm" ff="monospace">
      {row.hostname ?? t('registry.websites.noName')}
    </AnchorLink>
  );
  return (
    <Section
      title={t('registry.server.websitesTitle')}
      testId="server-websites"
      action={
        server.websiteCount > 0 ? (
          <AnchorLink to="/registri/website" search={{ serverId: server.id }} size="sm">
            {t('registry.server.allWebsites', { count: server.websiteCount })}
          </AnchorLink>
        ) : null
      }
    >
      {server.websites.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('registry.server.noWebsites')}
        </Text>
      ) : (
        <ResponsiveList<ServerWebsite>
          label={t('registry.server.websitesTitle')}
          rows={server.websites}
          rowKey={(row) => row.id}
          rowState={(row) => ({ inactive: row.status === 'retired' })}
          minWidth={520}
          cardTitle={link}
          columns={[
            { key: 'hostname', header: t('registry.websites.hostname'), hideOnCard: true, render: link },
            {
              key: 'opd',
              header: t('registry.websites.opd'),
              render: (row) => <Text size="sm">{row.opdName}</Text>,
            },
            {
              key: 'status',
              header: t('common.status'),
              render: (row) => <WebsiteStatusBadge status={row.status} />,
            },
          ]}
        />
      )}
    </Section>
  );
}

function Allocations({ server }: { server: ServerDetail }) {
  const { t } = useTranslation();
  const pools = useQuery(allPoolsQuery);
  const poolOf = (id: string) => pools.data?.find((pool) => pool.id === id);
  return (
    <Section title={t('registry.server.allocationsTitle')} testId="server-allocations">
      {server.allocations.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('registry.server.noAllocations')}
        </Text>
      ) : (
        <Stack gap={6}>
          {server.allocations.map((allocation) => {
            const pool = poolOf(allocation.poolId);
            return (
              <Group key={allocation.id} gap="sm" wrap="wrap" justify="space-between">
                <Group gap="xs">
                  <Text size="sm" ff="monospace" fw={600}>
                    {allocation.address}
                  </Text>
                  {allocation.heldUntil ? (
                    <Badge size="xs" color="orange" variant="light" tt="none">
                      {t('registry.heldUntil', { date: formatDay(allocation.heldUntil) })}
                    </Badge>
                  ) : null}
                </Group>
                <AnchorLink
                  to="/registri/pool-ip/$id"
                  params={{ id: allocation.poolId }}
                  search={{ used: true }}
                  size="sm"
                >
                  {pool ? `${pool.name} (${pool.cidr})` : t('registry.server.openPool')}
                </AnchorLink>
              </Group>
            );
          })}
        </Stack>
      )}
    </Section>
  );
}

type Placement = NonNullable<ServerDetail['placement']>;

/** A size or power figure with its unit, or a dash. */
function Amount({ value, unit }: { value: number | null; unit: string }) {
  if (value === null) return <Dash />;
  return (
    <Text span size="sm">
      {value} {unit}
    </Text>
  );
}

/**
 * An OPD's server (colocation, cloud server): whose it is, where it stands in DKISP's room, how big
 * it is, and the request that recorded it. DKISP's own servers have no placement: the section says so.
 */
function PlacementSection({ server }: { server: ServerDetail }) {
  const { t } = useTranslation();
  const placement: Placement | null = server.placement;
  const ownerId = placement?.ownerOpdId ?? null;
  const opds = useQuery({
    queryKey: ['opds', 'all'],
    queryFn: () => fetchAll(orgApi('opds').list, {}),
    enabled: ownerId !== null,
    staleTime: 60_000,
  });
  const owner = ownerId ? opds.data?.find((opd) => opd.id === ownerId) : undefined;
  return (
    <Section title={t('registry.server.placementTitle')} testId="server-placement">
      {placement === null ? (
        <Text size="sm" c="dimmed" data-testid="server-placement-empty">
          {t('registry.server.noPlacement')}
        </Text>
      ) : (
        <div className="registry-facts">
          <Fact label={t('registry.server.ownerOpd')}>
            {ownerId === null ? (
              <Dash />
            ) : (
              <Text size="sm" data-testid="server-placement-owner">
                {owner
                  ? `${owner.name} (${owner.code})`
                  : opds.isPending
                    ? '…'
                    : t('registry.server.ownerUnknown')}
              </Text>
            )}
          </Fact>
          <Fact label={t('registry.server.rack')}>
            <Value>{placement.rack}</Value>
          </Fact>
          <Fact label={t('registry.server.rackPosition')}>
            <Value>{placement.rackPosition}</Value>
          </Fact>
          <Fact label={t('registry.server.power')}>
            <Amount value={placement.powerWatts} unit="W" />
          </Fact>
          <Fact label={t('registry.server.vcpu')}>
            <Amount value={placement.vcpu} unit="vCPU" />
          </Fact>
          <Fact label={t('registry.server.memory')}>
            <Amount value={placement.memoryGb} unit="GB" />
          </Fact>
          <Fact label={t('registry.server.disk')}>
            <Amount value={placement.diskGb} unit="GB" />
          </Fact>
          <Fact label={t('registry.server.recordedBy')}>
            {placement.caseId ? (
              <AnchorLink to="/permohonan/$id" params={{ id: placement.caseId }} size="sm">
                {t('registry.server.openCase')}
              </AnchorLink>
            ) : (
              <Dash />
            )}
          </Fact>
        </div>
      )}
    </Section>
  );
}

export function ServerPage() {
  const { t } = useTranslation();
  const { id } = route.useParams();
  const access = useRegistryAccess();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: registryKeys.server(id), queryFn: () => serversApi.get(id) });
  const [editing, setEditing] = useState(false);
  const server = query.data;

  if (query.isError && !server) {
    if (isApiError(query.error) && (query.error.status === 404 || query.error.status === 400)) {
      return (
        <Paper withBorder p="xl" maw={560} mx="auto" mt="xl">
          <EmptyState
            icon={<IconMapOff size={30} stroke={1.5} />}
            variant="light"
            title={t('registry.server.notFoundTitle')}
            description={t('registry.server.notFoundText')}
          >
            <EmptyState.Actions>
              <Button component={Link} to="/registri/server">
                {t('registry.servers.back')}
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Paper>
      );
    }
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (!server) {
    return (
      <Stack gap="lg">
        <Skeleton height={140} radius="lg" />
        <Skeleton height={240} radius="lg" />
      </Stack>
    );
  }

  return (
    <Stack gap="lg">
      <AnchorLink to="/registri/server" size="sm" display="inline-flex" style={{ gap: 4 }}>
        <IconArrowLeft size={16} /> {t('registry.servers.back')}
      </AnchorLink>
      <Paper withBorder p={{ base: 'md', sm: 'lg' }} shadow="xs" data-testid="server-header">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={6} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <ServerStatusBadge status={server.status} />
              <Badge variant="outline" color="gray" radius="sm" tt="none">
                {t(`registry.serverKind.${server.kind}`)}
              </Badge>
            </Group>
            <Title order={1} fz={{ base: 22, sm: 26 }} ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {server.name}
            </Title>
            {server.os ? (
              <Text size="sm" c="dimmed">
                {server.os}
              </Text>
            ) : null}
          </Stack>
          {access.editor ? (
            <Button variant="light" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              {t('common.edit')}
            </Button>
          ) : null}
        </Group>
      </Paper>
      <Box className="registry-sections">
        <Section title={t('registry.server.detailsTitle')}>
          <div className="registry-facts">
            <Fact label={t('registry.servers.kind')}>
              <Text size="sm">{t(`registry.serverKind.${server.kind}`)}</Text>
            </Fact>
            <Fact label={t('registry.servers.location')}>
              <Text size="sm">{t(`registry.serverLocation.${server.location}`)}</Text>
            </Fact>
            <Fact label={t('registry.servers.os')}>
              <Value>{server.os}</Value>
            </Fact>
            <Fact label={t('registry.servers.addresses')}>
              {server.addresses.length ? (
                <Stack gap={0}>
                  {server.addresses.map((address) => (
                    <Text key={address} size="sm" ff="monospace">
                      {address}
                    </Text>
                  ))}
                </Stack>
              ) : (
                <Dash />
              )}
            </Fact>
            <Fact label={t('registry.servers.roles')}>
              <ServerRoles server={server} />
            </Fact>
            <Fact label={t('registry.updatedAt')}>
              <Text size="sm">{formatDateTime(server.updatedAt)}</Text>
            </Fact>
          </div>
        </Section>
        <Section title={t('registry.server.notesTitle')}>
          <div className="registry-facts">
            <Fact label={t('registry.servers.capacityNotes')}>
              {server.capacityNotes ? (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {server.capacityNotes}
                </Text>
              ) : (
                <Dash />
              )}
            </Fact>
            <Fact label={t('registry.fields.notes')}>
              {server.notes ? (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {server.notes}
                </Text>
              ) : (
                <Dash />
              )}
            </Fact>
          </div>
        </Section>
      </Box>
      <PlacementSection server={server} />
      <Websites server={server} />
      <Allocations server={server} />
      <ServerProvisioningSection server={server} />
      <HistorySection queryKey={registryKeys.history('server', id)} load={() => serversApi.history(id)} />
      {access.editor ? (
        <ServerFormDrawer
          server={server}
          opened={editing}
          onClose={() => setEditing(false)}
          onReload={() => queryClient.invalidateQueries({ queryKey: registryKeys.server(id) })}
        />
      ) : null}
    </Stack>
  );
}
