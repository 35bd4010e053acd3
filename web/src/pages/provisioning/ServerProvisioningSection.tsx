/**
 * A server's provisioning settings on its page: how Loket reaches it (local or ssh with a pinned host
 * key), what runs there (Apache, a name server taking dynamic updates, a database server), and its
 * write-only secrets. Everyone in the registry reads them; administrators and the head of division
 * change them in a drawer with the API's own rules checked as they type.
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Checkbox,
  Code,
  Divider,
  Drawer,
  Group,
  PasswordInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconLock, IconLockOpen, IconPencil } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import {
  DB_ADMIN_ENGINES,
  provisioningApi,
  provisioningKeys,
  type ServerProvisioning,
} from '../../api/provisioning.ts';
import { registryKeys, type ServerRole } from '../../api/registry.ts';
import { QueryError } from '../../components/QueryError.tsx';
import { useIsPhone } from '../../components/ResponsiveList.tsx';
import { errorMessage, translateMessage } from '../../lib/errors.ts';
import { Fact, Section, useRegistryAccess } from '../registry/common.tsx';
import {
  APACHE_DEFAULTS,
  cleanFingerprint,
  DB_PORTS,
  fieldOfPath,
  type SettingsValues,
  toInput,
  validateSettings,
  valuesFrom,
} from './serverSettingsForm.ts';
import './provisioning.css';

type ServerLike = { id: string; name: string; roles: ServerRole[] };

function SecretState({ set }: { set: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge
      size="xs"
      radius="sm"
      variant="light"
      color={set ? 'teal' : 'gray'}
      leftSection={set ? <IconLock size={10} /> : <IconLockOpen size={10} />}
      tt="none"
      data-testid="secret-state"
      data-set={set || undefined}
    >
      {set ? t('provisioning.server.secretSet') : t('provisioning.server.secretNotSet')}
    </Badge>
  );
}

function Mono({ children }: { children: ReactNode }) {
  return (
    <Text span size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
      {children}
    </Text>
  );
}

function NotSet() {
  const { t } = useTranslation();
  return (
    <Text span size="sm" c="dimmed">
      {t('provisioning.server.notConfigured')}
    </Text>
  );
}

/**
 * A local server's Apache: the installation's own (LOKET_LOCAL_AGENT_CONFIG), shown read-only — or
 * that the installation has not enabled local access.
 */
function LocalApache({ local }: { local: ServerProvisioning['localAccess'] }) {
  const { t } = useTranslation();
  if (!local.enabled || !local.apache) {
    return (
      <Alert color="orange" variant="light" data-testid="local-access-disabled">
        <Text size="sm">{t('provisioning.server.localDisabled')}</Text>
      </Alert>
    );
  }
  const a = local.apache;
  return (
    <Stack gap={2} data-testid="local-apache">
      <Text size="xs" c="dimmed">
        {t('provisioning.server.localApache')}
      </Text>
      <Mono>{a.sitesDir}</Mono>
      <Text size="xs" c="dimmed">
        {t('provisioning.server.docrootBase')}: <Mono>{a.docrootBase}</Mono>
      </Text>
      <Text size="xs" c="dimmed">
        {t('provisioning.server.program')}: <Mono>{`${a.binary} -f ${a.configFile}`}</Mono>
      </Text>
      <Text size="xs" c="dimmed">
        {a.listenAddress} · HTTP {a.httpPort} · HTTPS {a.httpsPort}
      </Text>
    </Stack>
  );
}

function ReadOnly({ p }: { p: ServerProvisioning }) {
  const { t } = useTranslation();
  const a = p.access;
  const { apache, dns, database } = p.settings;
  const local = a.kind !== 'ssh';
  return (
    <div className="registry-facts" data-testid="server-provisioning-facts">
      <Fact label={t('provisioning.server.access')}>
        {a.kind === 'ssh' ? (
          <Stack gap={2}>
            <Mono>{`${String(a.username)}@${String(a.host)}:${String(a.port ?? 22)}`}</Mono>
            <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              SHA256:{String(a.hostKeySha256)}
            </Text>
            <Group gap={6}>
              <Text size="xs" c="dimmed">
                {t('provisioning.server.sshKey')}
              </Text>
              <SecretState set={p.secretsSet.sshPrivateKey} />
            </Group>
          </Stack>
        ) : (
          <Text size="sm">{t('provisioning.server.accessLocal')}</Text>
        )}
      </Fact>
      <Fact label={t('provisioning.server.apache')}>
        {local ? (
          <LocalApache local={p.localAccess} />
        ) : apache ? (
          <Stack gap={2}>
            <Mono>{apache.sitesDir}</Mono>
            <Text size="xs" c="dimmed">
              {t('provisioning.server.docrootBase')}: <Mono>{apache.docrootBase}</Mono>
            </Text>
            <Text size="xs" c="dimmed">
              {apache.listenAddress} · HTTP {apache.httpPort} · HTTPS {apache.httpsPort}
            </Text>
          </Stack>
        ) : (
          <NotSet />
        )}
      </Fact>
      <Fact label={t('provisioning.server.dns')}>
        {dns ? (
          <Stack gap={2}>
            <Mono>{`${dns.host}:${dns.port}`}</Mono>
            <Group gap={6}>
              <Text size="xs" c="dimmed">
                {t('provisioning.server.keyName')}: <Mono>{dns.keyName}</Mono>
              </Text>
              <SecretState set={p.secretsSet.dnsKey} />
            </Group>
          </Stack>
        ) : (
          <NotSet />
        )}
      </Fact>
      <Fact label={t('provisioning.server.database')}>
        {database ? (
          <Stack gap={2}>
            <Text size="sm">
              {t(`registry.dbEngine.${database.engine}`)} · <Mono>{`${database.host}:${database.port}`}</Mono>
            </Text>
            <Group gap={6}>
              <Text size="xs" c="dimmed">
                {t('provisioning.server.adminUser')}: <Mono>{database.adminUser}</Mono>
              </Text>
              <SecretState set={p.secretsSet.dbAdminPassword} />
            </Group>
          </Stack>
        ) : (
          <NotSet />
        )}
      </Fact>
    </div>
  );
}

/** The rule a field's server-side message stands for, in the user's language. */
const FIELD_RULES: Partial<Record<keyof SettingsValues, string>> = {
  sshHost: 'provisioning.rules.ip',
  sshPort: 'provisioning.rules.port',
  sshUser: 'provisioning.rules.username',
  hostKey: 'provisioning.rules.hostKey',
  sshKey: 'provisioning.rules.sshKey',
  sitesDir: 'provisioning.rules.dir',
  docrootBase: 'provisioning.rules.dir',
  challengeDir: 'provisioning.rules.dir',
  certDir: 'provisioning.rules.dir',
  listenAddress: 'provisioning.rules.listen',
  httpPort: 'provisioning.rules.port',
  httpsPort: 'provisioning.rules.port',
  dnsHost: 'provisioning.rules.ip',
  dnsPort: 'provisioning.rules.port',
  keyName: 'provisioning.rules.keyName',
  dnsKey: 'provisioning.rules.dnsKey',
  dbHost: 'provisioning.rules.ip',
  dbPort: 'provisioning.rules.port',
  adminUser: 'provisioning.rules.adminUser',
  maintenanceDb: 'provisioning.rules.maintenanceDb',
};

function serverMessage(field: keyof SettingsValues, message: string): string {
  if (/required for ssh access/.test(message)) return 'provisioning.rules.sshKeyRequired';
  if (/password again/.test(message)) return 'provisioning.rules.dbPasswordAgain';
  return FIELD_RULES[field] ?? message;
}

function SecretLabel({ label, set }: { label: string; set: boolean }) {
  return (
    <Group gap={6} component="span" wrap="nowrap">
      <span>{label}</span>
      <SecretState set={set} />
    </Group>
  );
}

function SettingsDrawer({
  server,
  current,
  opened,
  onClose,
}: {
  server: ServerLike;
  current: ServerProvisioning;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const secretsSet = current.secretsSet;
  const form = useForm<SettingsValues>({
    initialValues: valuesFrom(current, server.roles),
    validate: (values) => validateSettings(values, secretsSet),
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the drawer opens
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    form.setValues(valuesFrom(current, server.roles));
    form.clearErrors();
  }, [opened]);

  const formRef = useRef<HTMLFormElement>(null);
  // A long form: the first field with a problem is brought into view (after the errors render).
  const showFirstError = () =>
    window.setTimeout(() => {
      const field = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      field?.scrollIntoView({ block: 'center', behavior: 'smooth' });
      field?.focus({ preventScroll: true });
    }, 0);

  const save = useMutation({
    mutationFn: (values: SettingsValues) => provisioningApi.saveServerSettings(server.id, toInput(values)),
    onSuccess: async (saved) => {
      notifications.show({ color: 'teal', message: t('provisioning.server.saved', { name: server.name }) });
      queryClient.setQueryData(provisioningKeys.serverSettings(server.id), saved);
      await queryClient.invalidateQueries({ queryKey: registryKeys.history('server', server.id) });
      onClose();
    },
    onError: (error) => {
      const fields = isApiError(error) ? error.details?.fields : undefined;
      if (!fields?.length) {
        setFormError(errorMessage(error));
        return;
      }
      const unplaced: string[] = [];
      for (const f of fields) {
        const target = fieldOfPath(f.path);
        if (target) form.setFieldError(target, serverMessage(target, f.message));
        else unplaced.push(`${f.path}: ${f.message}`);
      }
      setFormError(unplaced.length ? `${errorMessage(error)} ${unplaced.join('; ')}` : null);
      if (!unplaced.length) showFirstError();
    },
  });

  const v = form.values;
  const input = (field: keyof SettingsValues) => ({
    ...form.getInputProps(field),
    error: translateMessage(form.errors[field]),
  });
  // Paths, addresses and names in a fixed-width font (the input only: labels and messages stay as they are).
  const path = (field: keyof SettingsValues, placeholder?: string) => ({
    ...input(field),
    classNames: { input: 'provisioning-mono' },
    spellCheck: false,
    autoCapitalize: 'none',
    autoComplete: 'off',
    placeholder,
  });
  const secretHint = (set: boolean) =>
    set ? t('provisioning.server.secretKeep') : t('provisioning.server.secretNew');

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size={isPhone ? '100%' : 640}
      title={t('provisioning.server.formTitle', { name: server.name })}
    >
      <form
        ref={formRef}
        onSubmit={form.onSubmit(
          (values) => {
            setFormError(null);
            save.mutate(values);
          },
          () => showFirstError(),
        )}
        noValidate
        data-testid="server-provisioning-form"
      >
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('provisioning.server.intro')}
          </Text>
          {formError ? (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          ) : null}

          <Divider label={t('provisioning.server.access')} labelPosition="left" />
          <SegmentedControl
            aria-label={t('provisioning.server.access')}
            fullWidth={isPhone}
            data={[
              { value: 'local', label: t('provisioning.server.accessLocal') },
              { value: 'ssh', label: t('provisioning.server.accessSsh') },
            ]}
            {...form.getInputProps('accessKind')}
          />
          <Text size="xs" c="dimmed" mt={-8}>
            {t('provisioning.server.accessHint')}
          </Text>
          {v.accessKind === 'ssh' ? (
            <>
              <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md">
                <TextInput
                  label={t('provisioning.server.sshHost')}
                  required
                  {...path('sshHost', '203.0.113.10')}
                />
                <TextInput
                  label={t('provisioning.server.sshPort')}
                  inputMode="numeric"
                  required
                  {...input('sshPort')}
                />
                <TextInput label={t('provisioning.server.sshUser')} required {...path('sshUser', 'loket')} />
              </SimpleGrid>
              <TextInput
                label={t('provisioning.server.hostKey')}
                required
                description={
                  <>
                    {t('provisioning.server.hostKeyHint')}{' '}
                    <Code data-testid="host-key-command" style={{ overflowWrap: 'anywhere' }}>
                      {t('provisioning.server.hostKeyCommand')}
                    </Code>
                  </>
                }
                {...path('hostKey', 'SHA256:…')}
                onChange={(event) =>
                  form.setFieldValue('hostKey', cleanFingerprint(event.currentTarget.value))
                }
              />
            </>
          ) : null}
          {v.accessKind === 'ssh' || secretsSet.sshPrivateKey ? (
            <>
              <Textarea
                label={<SecretLabel label={t('provisioning.server.sshKey')} set={secretsSet.sshPrivateKey} />}
                description={`${t('provisioning.server.sshKeyHint')} ${secretHint(secretsSet.sshPrivateKey)}`}
                autosize
                minRows={2}
                maxRows={8}
                classNames={{ input: 'provisioning-mono' }}
                spellCheck={false}
                autoComplete="off"
                disabled={v.sshKeyClear}
                placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
                {...input('sshKey')}
              />
              {secretsSet.sshPrivateKey ? (
                <Checkbox
                  label={t('provisioning.server.secretClear')}
                  {...form.getInputProps('sshKeyClear', { type: 'checkbox' })}
                />
              ) : null}
            </>
          ) : null}

          <Divider label={t('provisioning.server.apache')} labelPosition="left" mt="xs" />
          {v.accessKind === 'local' ? <LocalApache local={current.localAccess} /> : null}
          {v.accessKind === 'ssh' ? (
            <Switch
              label={t('provisioning.server.apache')}
              description={
                v.apacheOn ? t('provisioning.server.apacheSshHint') : t('provisioning.server.apacheOff')
              }
              {...form.getInputProps('apacheOn', { type: 'checkbox' })}
            />
          ) : null}
          {v.apacheOn && v.accessKind === 'ssh' ? (
            <>
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
                <TextInput
                  label={t('provisioning.server.sitesDir')}
                  required
                  {...path('sitesDir', APACHE_DEFAULTS.sitesDir)}
                />
                <TextInput
                  label={t('provisioning.server.docrootBase')}
                  required
                  {...path('docrootBase', APACHE_DEFAULTS.docrootBase)}
                />
                <TextInput
                  label={t('provisioning.server.challengeDir')}
                  required
                  {...path('challengeDir', APACHE_DEFAULTS.challengeDir)}
                />
                <TextInput
                  label={t('provisioning.server.certDir')}
                  required
                  {...path('certDir', APACHE_DEFAULTS.certDir)}
                />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md">
                <TextInput
                  label={t('provisioning.server.listenAddress')}
                  description={t('provisioning.server.listenAddressHint')}
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                  {...path('listenAddress', '*')}
                />
                <TextInput
                  label={t('provisioning.server.httpPort')}
                  inputMode="numeric"
                  required
                  {...input('httpPort')}
                />
                <TextInput
                  label={t('provisioning.server.httpsPort')}
                  inputMode="numeric"
                  required
                  {...input('httpsPort')}
                />
              </SimpleGrid>
            </>
          ) : null}

          <Divider label={t('provisioning.server.dns')} labelPosition="left" mt="xs" />
          <Switch
            label={t('provisioning.server.dns')}
            description={v.dnsOn ? undefined : t('provisioning.server.dnsOff')}
            {...form.getInputProps('dnsOn', { type: 'checkbox' })}
          />
          {v.dnsOn ? (
            <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md">
              <TextInput
                label={t('provisioning.server.dnsHost')}
                required
                {...path('dnsHost', '203.0.113.53')}
              />
              <TextInput
                label={t('provisioning.server.dnsPort')}
                inputMode="numeric"
                required
                {...input('dnsPort')}
              />
              <TextInput
                label={t('provisioning.server.keyName')}
                required
                {...path('keyName', 'loket-key')}
              />
            </SimpleGrid>
          ) : null}
          {v.dnsOn || secretsSet.dnsKey ? (
            <>
              <PasswordInput
                label={<SecretLabel label={t('provisioning.server.dnsKey')} set={secretsSet.dnsKey} />}
                description={`${t('provisioning.server.dnsKeyHint')} ${secretHint(secretsSet.dnsKey)}`}
                autoComplete="new-password"
                disabled={v.dnsKeyClear}
                {...input('dnsKey')}
              />
              {secretsSet.dnsKey ? (
                <Checkbox
                  label={t('provisioning.server.secretClear')}
                  {...form.getInputProps('dnsKeyClear', { type: 'checkbox' })}
                />
              ) : null}
            </>
          ) : null}

          <Divider label={t('provisioning.server.database')} labelPosition="left" mt="xs" />
          <Switch
            label={t('provisioning.server.database')}
            description={v.dbOn ? undefined : t('provisioning.server.databaseOff')}
            {...form.getInputProps('dbOn', { type: 'checkbox' })}
          />
          {v.dbOn ? (
            <>
              <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md">
                <Select
                  label={t('provisioning.server.engine')}
                  data={DB_ADMIN_ENGINES.map((engine) => ({
                    value: engine,
                    label: t(`registry.dbEngine.${engine}`),
                  }))}
                  allowDeselect={false}
                  {...form.getInputProps('engine')}
                  onChange={(value) => {
                    const engine = value === 'postgresql' ? 'postgresql' : 'mariadb';
                    // A port still at the other engine's default follows the engine.
                    if (v.dbPort === DB_PORTS[v.engine]) form.setFieldValue('dbPort', DB_PORTS[engine]);
                    form.setFieldValue('engine', engine);
                  }}
                />
                <TextInput
                  label={t('provisioning.server.dbHost')}
                  required
                  {...path('dbHost', '203.0.113.30')}
                />
                <TextInput
                  label={t('provisioning.server.dbPort')}
                  inputMode="numeric"
                  required
                  {...input('dbPort')}
                />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
                <TextInput
                  label={t('provisioning.server.adminUser')}
                  required
                  {...path('adminUser', 'loket')}
                />
                {v.engine === 'postgresql' ? (
                  <TextInput
                    label={t('provisioning.server.maintenanceDb')}
                    {...path('maintenanceDb', 'postgres')}
                  />
                ) : null}
              </SimpleGrid>
            </>
          ) : null}
          {v.dbOn || secretsSet.dbAdminPassword ? (
            <>
              <PasswordInput
                label={
                  <SecretLabel
                    label={t('provisioning.server.adminPassword')}
                    set={secretsSet.dbAdminPassword}
                  />
                }
                description={secretHint(secretsSet.dbAdminPassword)}
                autoComplete="new-password"
                maxLength={200}
                disabled={v.dbPasswordClear}
                {...input('dbPassword')}
              />
              {secretsSet.dbAdminPassword ? (
                <Checkbox
                  label={t('provisioning.server.secretClear')}
                  {...form.getInputProps('dbPasswordClear', { type: 'checkbox' })}
                />
              ) : null}
            </>
          ) : null}

          <Divider mt="xs" />
          <Textarea
            label={t('provisioning.server.reason')}
            autosize
            minRows={1}
            maxLength={2000}
            {...input('reason')}
          />
          <Group justify="flex-end" gap="sm" mt="md">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Drawer>
  );
}

export function ServerProvisioningSection({ server }: { server: ServerLike }) {
  const { t } = useTranslation();
  const access = useRegistryAccess();
  const [editing, setEditing] = useState(false);
  const query = useQuery({
    queryKey: provisioningKeys.serverSettings(server.id),
    queryFn: () => provisioningApi.serverSettings(server.id),
    enabled: access.reader,
  });
  if (!access.reader) return null;
  return (
    <Box id="provisioning" style={{ scrollMarginTop: 80 }}>
      <Section
        title={t('provisioning.server.title')}
        testId="server-provisioning"
        action={
          access.manager && query.data ? (
            <Button
              variant="light"
              size="xs"
              leftSection={<IconPencil size={14} />}
              onClick={() => setEditing(true)}
            >
              {t('provisioning.server.edit')}
            </Button>
          ) : null
        }
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('provisioning.server.intro')}
          </Text>
          {query.isError ? (
            <QueryError error={query.error} onRetry={() => void query.refetch()} />
          ) : query.data ? (
            <ReadOnly p={query.data} />
          ) : (
            <Skeleton height={120} />
          )}
        </Stack>
        {access.manager && query.data ? (
          <SettingsDrawer
            server={server}
            current={query.data}
            opened={editing}
            onClose={() => setEditing(false)}
          />
        ) : null}
      </Section>
    </Box>
  );
}
