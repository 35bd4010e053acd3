/** One website: every field in groups, its status actions (with a reason), and its history. */
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  EmptyState,
  Group,
  Menu,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconArchive,
  IconArrowLeft,
  IconChevronDown,
  IconLock,
  IconLockOpen,
  IconMapOff,
  IconPencil,
  IconPlayerPause,
  IconPlayerPlay,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { registryKeys, type Website, type WebsiteStatus, websitesApi } from '../../api/registry.ts';
import { QueryError } from '../../components/QueryError.tsx';
import { useIsPhone } from '../../components/ResponsiveList.tsx';
import i18n from '../../i18n/index.ts';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ProvisioningPanel } from '../provisioning/ProvisioningPanel.tsx';
import {
  AnchorLink,
  Dash,
  Fact,
  formatDay,
  Section,
  TlsExpiry,
  useRegistryAccess,
  Value,
  WebsiteStatusBadge,
} from './common.tsx';
import { isVersionConflict } from './formErrors.ts';
import { HistorySection } from './HistoryTimeline.tsx';
import { WebsiteFormDrawer } from './WebsiteFormDrawer.tsx';

const route = getRouteApi('/app/registri/website/$id');

type Transition = {
  to: WebsiteStatus;
  key: 'activate' | 'suspend' | 'retire' | 'reactivate';
  icon: ReactNode;
};

/** What a status may become: planned → active ⇄ suspended, any → retired (the server has the last word). */
function transitions(status: WebsiteStatus): Transition[] {
  const retire: Transition = { to: 'retired', key: 'retire', icon: <IconArchive size={16} /> };
  switch (status) {
    case 'planned':
      return [{ to: 'active', key: 'activate', icon: <IconPlayerPlay size={16} /> }, retire];
    case 'active':
      return [{ to: 'suspended', key: 'suspend', icon: <IconPlayerPause size={16} /> }, retire];
    case 'suspended':
      return [{ to: 'active', key: 'reactivate', icon: <IconPlayerPlay size={16} /> }, retire];
    case 'retired':
      // Retiring is final: the name and address are held, then freed for others.
      return [];
  }
}

function StatusDialog({
  website,
  transition,
  onClose,
  onReload,
}: {
  website: Website;
  transition: Transition | null;
  onClose: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const name = website.hostname ?? website.purpose;

  const change = useMutation({
    mutationFn: (to: WebsiteStatus) =>
      websitesApi.changeStatus(website.id, { version: website.version, status: to, reason: reason.trim() }),
    onSuccess: async (saved) => {
      notifications.show({
        color: 'teal',
        message: t('registry.status.done', { name, status: t(`registry.websiteStatus.${saved.status}`) }),
      });
      queryClient.setQueryData(registryKeys.website(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: registryKeys.all });
      close();
    },
    onError: (err) => {
      if (isVersionConflict(err)) setConflict(true);
      else if (isApiError(err, 'STATUS_TRANSITION') && err.details?.fields?.length) {
        // Activating needs a name, a server and an address: say which are missing.
        const missing = err.details.fields.map((field) => {
          const key =
            field.path === 'hostname' ? 'registry.fields.hostname' : `registry.fields.${field.path}`;
          return i18n.exists(key) ? i18n.t(key as 'registry.fields.hostname') : field.path;
        });
        setError(t('registry.status.missing', { fields: missing.join(', ') }));
      } else setError(errorMessage(err));
    },
  });

  const close = () => {
    setReason('');
    setError(null);
    setConflict(false);
    onClose();
  };

  if (!transition) return null;
  const retiring = transition.to === 'retired';
  return (
    <Modal opened onClose={close} title={t(`registry.status.${transition.key}Title`, { name })} size="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!reason.trim()) {
            setError(t('registry.status.reasonRequired'));
            return;
          }
          setError(null);
          change.mutate(transition.to);
        }}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm">{t(`registry.status.${transition.key}Text`, { name })}</Text>
          {retiring ? (
            <Alert
              color="orange"
              variant="light"
              icon={<IconLock size={18} />}
              title={t('registry.status.quarantineTitle')}
            >
              {t('registry.status.quarantineText', {
                hostname: website.hostname ?? t('common.none'),
                ip: website.ipAddress ?? t('common.none'),
              })}
            </Alert>
          ) : null}
          {conflict ? (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
              <Text size="sm">{t('registry.versionConflict')}</Text>
              <Button
                size="xs"
                variant="white"
                color="orange"
                mt="sm"
                onClick={() => {
                  onReload();
                  setConflict(false);
                }}
              >
                {t('registry.reload')}
              </Button>
            </Alert>
          ) : null}
          <Textarea
            label={t('registry.status.reason')}
            description={t('registry.status.reasonHint')}
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
            <Button
              type="submit"
              color={retiring ? 'red' : transition.to === 'suspended' ? 'orange' : undefined}
              loading={change.isPending}
            >
              {t(`registry.status.${transition.key}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Header({
  website,
  onEdit,
  onStatus,
}: {
  website: Website;
  onEdit: () => void;
  onStatus: (transition: Transition) => void;
}) {
  const { t } = useTranslation();
  const access = useRegistryAccess();
  const isPhone = useIsPhone();
  const options = transitions(website.status);
  return (
    <Paper
      withBorder
      p={{ base: 'md', sm: 'lg' }}
      shadow="xs"
      data-testid="website-header"
      data-version={website.version}
    >
      <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
        <Stack gap={6} style={{ minWidth: 0, flex: '1 1 300px' }}>
          <Group gap="xs" wrap="wrap">
            <WebsiteStatusBadge status={website.status} />
            {access.reader ? (
              <Badge variant="outline" color="gray" radius="sm" tt="none">
                {website.opd.name}
              </Badge>
            ) : null}
          </Group>
          <Title order={1} fz={{ base: 22, sm: 26 }} style={{ overflowWrap: 'anywhere' }} ff="monospace">
            {website.hostname ?? t('registry.websites.noName')}
          </Title>
          <Text size="sm" c="dimmed">
            {website.purpose}
          </Text>
        </Stack>
        {access.editor && website.status !== 'retired' ? (
          <Group gap="xs" wrap="wrap" w={isPhone ? '100%' : undefined}>
            <Button
              variant="light"
              leftSection={<IconPencil size={16} />}
              onClick={onEdit}
              style={isPhone ? { flex: 1 } : undefined}
            >
              {t('common.edit')}
            </Button>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button
                  variant="default"
                  rightSection={<IconChevronDown size={14} />}
                  style={isPhone ? { flex: 1 } : undefined}
                >
                  {t('registry.status.change')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {options.map((option) => (
                  <Menu.Item
                    key={option.key}
                    leftSection={option.icon}
                    color={option.to === 'retired' ? 'red' : undefined}
                    onClick={() => onStatus(option)}
                  >
                    {t(`registry.status.${option.key}`)}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          </Group>
        ) : null}
      </Group>
      {website.status === 'retired' ? (
        <Alert
          mt="md"
          color="gray"
          variant="light"
          icon={<IconLock size={18} />}
          title={t('registry.website.retiredTitle')}
          data-testid="retired-notice"
        >
          {website.heldUntil
            ? t('registry.website.retiredHeld', {
                retired: formatDay(website.retiredAt),
                until: formatDateTime(website.heldUntil),
              })
            : t('registry.website.retiredFree', { retired: formatDay(website.retiredAt) })}
        </Alert>
      ) : null}
    </Paper>
  );
}

function Details({ website }: { website: Website }) {
  const { t } = useTranslation();
  const access = useRegistryAccess();
  return (
    <Box className="registry-sections">
      <Section title={t('registry.website.sectionAddress')} testId="website-address">
        <div className="registry-facts">
          <Fact label={t('registry.fields.hostname')}>
            <Value mono>{website.hostname}</Value>
          </Fact>
          <Fact label={t('registry.fields.aliases')}>
            {website.aliases.length ? (
              <Stack gap={2}>
                {website.aliases.map((alias) => (
                  <Group key={alias.id} gap={6} wrap="wrap">
                    <Text size="sm" ff="monospace">
                      {alias.hostname}
                    </Text>
                    {alias.heldUntil ? (
                      <Badge size="xs" color="orange" variant="light" tt="none">
                        {t('registry.heldUntil', { date: formatDay(alias.heldUntil) })}
                      </Badge>
                    ) : null}
                  </Group>
                ))}
              </Stack>
            ) : (
              <Dash />
            )}
          </Fact>
          <Fact label={t('registry.fields.zone')}>
            {website.zone && access.reader ? (
              <AnchorLink to="/registri/zona-dns/$id" params={{ id: website.zone.id }} size="sm">
                {website.zone.name}
              </AnchorLink>
            ) : (
              <Value>{website.zone?.name}</Value>
            )}
          </Fact>
        </div>
      </Section>

      <Section title={t('registry.website.sectionServer')} testId="website-server">
        <div className="registry-facts">
          <Fact label={t('registry.fields.server')}>
            {website.server && access.reader ? (
              <AnchorLink to="/registri/server/$id" params={{ id: website.server.id }} size="sm">
                {website.server.name}
              </AnchorLink>
            ) : (
              <Value>{website.server?.name}</Value>
            )}
          </Fact>
          <Fact label={t('registry.fields.ipAddress')}>
            <Value mono>{website.ipAddress}</Value>
          </Fact>
        </div>
      </Section>

      <Section title={t('registry.website.sectionApp')}>
        <div className="registry-facts">
          <Fact label={t('registry.fields.cms')}>
            <Value>{website.cms}</Value>
          </Fact>
          <Fact label={t('registry.fields.cmsVersion')}>
            <Value>{website.cmsVersion}</Value>
          </Fact>
          <Fact label={t('registry.fields.template')}>
            <Value>{website.template}</Value>
          </Fact>
          <Fact label={t('registry.fields.documentRoot')}>
            <Value mono>{website.documentRoot}</Value>
          </Fact>
        </div>
      </Section>

      <Section title={t('registry.website.sectionDatabase')}>
        <div className="registry-facts">
          <Fact label={t('registry.fields.dbEngine')}>
            <Value>
              {website.database.engine ? t(`registry.dbEngine.${website.database.engine}`) : null}
            </Value>
          </Fact>
          <Fact label={t('provisioning.fields.dbServer')}>
            <Value>{website.database.server?.name}</Value>
          </Fact>
          <Fact label={t('registry.fields.dbHost')}>
            <Value mono>{website.database.host}</Value>
          </Fact>
          <Fact label={t('registry.fields.dbName')}>
            <Value mono>{website.database.name}</Value>
          </Fact>
          <Fact label={t('registry.fields.dbUser')}>
            <Value mono>{website.database.user}</Value>
          </Fact>
          <Fact label={t('registry.website.passwordStored')}>
            <Group gap={6} data-testid="password-stored">
              {website.database.passwordSet ? (
                <IconLock size={14} color="var(--mantine-color-teal-7)" />
              ) : (
                <IconLockOpen size={14} color="var(--mantine-color-gray-6)" />
              )}
              <Text size="sm">{website.database.passwordSet ? t('common.yes') : t('common.no')}</Text>
            </Group>
          </Fact>
        </div>
      </Section>

      <Section title={t('registry.website.sectionTls')}>
        <div className="registry-facts">
          <Fact label={t('registry.fields.tlsIssuer')}>
            <Value>{website.tls.issuer}</Value>
          </Fact>
          <Fact label={t('registry.fields.tlsExpiresAt')}>
            <TlsExpiry iso={website.tls.expiresAt} />
          </Fact>
        </div>
      </Section>

      <Section title={t('registry.website.sectionContact')}>
        <div className="registry-facts">
          <Fact label={t('registry.fields.contactName')}>
            <Value>{website.contact.name}</Value>
          </Fact>
          <Fact label={t('registry.fields.contactNip')}>
            <Value mono>{website.contact.nip}</Value>
          </Fact>
          <Fact label={t('registry.fields.contactPhone')}>
            {website.contact.phone ? (
              <Anchor href={`tel:${website.contact.phone.replace(/[\s-]/g, '')}`} size="sm">
                {website.contact.phone}
              </Anchor>
            ) : (
              <Dash />
            )}
          </Fact>
          <Fact label={t('registry.fields.contactEmail')}>
            {website.contact.email ? (
              <Anchor href={`mailto:${website.contact.email}`} size="sm" style={{ overflowWrap: 'anywhere' }}>
                {website.contact.email}
              </Anchor>
            ) : (
              <Dash />
            )}
          </Fact>
        </div>
      </Section>

      <Section title={t('registry.website.sectionRecord')}>
        <div className="registry-facts">
          <Fact label={t('registry.website.createdCase')}>
            {website.createdCase ? (
              <AnchorLink to="/permohonan/$id" params={{ id: website.createdCase.id }} size="sm" fw={600}>
                {website.createdCase.ref}
              </AnchorLink>
            ) : (
              <Dash />
            )}
          </Fact>
          <Fact label={t('registry.createdAt')}>
            <Text size="sm">{formatDateTime(website.createdAt)}</Text>
          </Fact>
          <Fact label={t('registry.updatedAt')}>
            <Text size="sm">{formatDateTime(website.updatedAt)}</Text>
          </Fact>
          <Fact label={t('registry.fields.notes')}>
            {website.notes ? (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {website.notes}
              </Text>
            ) : (
              <Dash />
            )}
          </Fact>
        </div>
      </Section>
    </Box>
  );
}

export function WebsitePage() {
  const { t } = useTranslation();
  const { id } = route.useParams();
  const queryClient = useQueryClient();
  const access = useRegistryAccess();
  const query = useQuery({ queryKey: registryKeys.website(id), queryFn: () => websitesApi.get(id) });
  const [editing, setEditing] = useState(false);
  const [transition, setTransition] = useState<Transition | null>(null);
  const website = query.data;
  const backTo = '/registri/website';
  const backLabel = access.reader ? t('registry.websites.back') : t('registry.websites.backOpd');

  const reload = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: registryKeys.website(id) }),
      queryClient.invalidateQueries({ queryKey: registryKeys.history('website', id) }),
    ]);

  if (query.isError && !website) {
    if (isApiError(query.error) && (query.error.status === 404 || query.error.status === 400)) {
      return (
        <Paper withBorder p="xl" maw={560} mx="auto" mt="xl">
          <EmptyState
            icon={<IconMapOff size={30} stroke={1.5} />}
            variant="light"
            title={t('registry.website.notFoundTitle')}
            description={t('registry.website.notFoundText')}
          >
            <EmptyState.Actions>
              <Button component={Link} to={backTo}>
                {backLabel}
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Paper>
      );
    }
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (!website) {
    return (
      <Stack gap="lg">
        <Skeleton height={140} radius="lg" />
        <Skeleton height={320} radius="lg" />
      </Stack>
    );
  }

  return (
    <Stack gap="lg">
      <AnchorLink to={backTo} size="sm" display="inline-flex" style={{ gap: 4 }}>
        <IconArrowLeft size={16} /> {backLabel}
      </AnchorLink>
      <Header website={website} onEdit={() => setEditing(true)} onStatus={setTransition} />
      <Details website={website} />
      <ProvisioningPanel website={website} onEditWebsite={() => setEditing(true)} />
      <HistorySection queryKey={registryKeys.history('website', id)} load={() => websitesApi.history(id)} />
      {access.editor ? (
        <>
          <WebsiteFormDrawer
            website={website}
            opened={editing}
            onClose={() => setEditing(false)}
            onReload={reload}
          />
          <StatusDialog
            website={website}
            transition={transition}
            onClose={() => setTransition(null)}
            onReload={() => void reload()}
          />
        </>
      ) : null}
    </Stack>
  );
}
