/**
 * Adding or changing a website: the name as a label under a managed zone (checked while typing), the
 * server and address (typed, or the next free one of a pool), the application, database (write-only
 * password), certificate and the OPD's contact. Sends `version`; a conflict offers to reload.
 */
import {
  Alert,
  Button,
  Checkbox,
  Divider,
  Drawer,
  Group,
  Input,
  Loader,
  PasswordInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCircleCheck, IconRefresh } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkHostname } from '../../../../src/registry/names.ts';
import { fetchAll, orgApi } from '../../api/endpoints.ts';
import {
  allPoolsQuery,
  allServersQuery,
  DB_ENGINES,
  type DbEngine,
  poolsApi,
  registryKeys,
  type Website,
  type WebsiteFields,
  websitesApi,
  zonesApi,
  zonesQuery,
} from '../../api/registry.ts';
import { useIsPhone } from '../../components/ResponsiveList.tsx';
import { errorMessage, translateMessage } from '../../lib/errors.ts';
import * as common from '../../lib/validation.ts';
import { applyRegistryError, isVersionConflict } from './formErrors.ts';
import * as rules from './rules.ts';

type Values = {
  opdId: string | null;
  purpose: string;
  status: 'planned' | 'active';
  label: string;
  zoneId: string | null;
  aliases: string[];
  serverId: string | null;
  ipMode: 'manual' | 'pool';
  ipAddress: string;
  poolId: string | null;
  cms: string;
  cmsVersion: string;
  template: string;
  documentRoot: string;
  dbEngine: string | null;
  dbServerId: string | null;
  dbHost: string;
  dbName: string;
  dbUser: string;
  dbPassword: string;
  dbPasswordClear: boolean;
  tlsIssuer: string;
  tlsExpiresAt: string;
  contactName: string;
  contactNip: string;
  contactPhone: string;
  contactEmail: string;
  notes: string;
  reason: string;
};

const EMPTY: Values = {
  opdId: null,
  purpose: '',
  status: 'planned',
  label: '',
  zoneId: null,
  aliases: [],
  serverId: null,
  ipMode: 'manual',
  ipAddress: '',
  poolId: null,
  cms: '',
  cmsVersion: '',
  template: '',
  documentRoot: '',
  dbEngine: null,
  dbServerId: null,
  dbHost: '',
  dbName: '',
  dbUser: '',
  dbPassword: '',
  dbPasswordClear: false,
  tlsIssuer: '',
  tlsExpiresAt: '',
  contactName: '',
  contactNip: '',
  contactPhone: '',
  contactEmail: '',
  notes: '',
  reason: '',
};

/** A certificate expiry as the calendar day in Jakarta (`YYYY-MM-DD`) for a date input. */
function jakartaDay(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(date);
}

function valuesOf(website: Website): Values {
  return {
    ...EMPTY,
    opdId: website.opd.id,
    purpose: website.purpose,
    label: website.label ?? '',
    zoneId: website.zone?.id ?? null,
    aliases: website.aliases.filter((alias) => !alias.heldUntil).map((alias) => alias.hostname),
    serverId: website.server?.id ?? null,
    ipAddress: website.ipAddress ?? '',
    cms: website.cms ?? '',
    cmsVersion: website.cmsVersion ?? '',
    template: website.template ?? '',
    documentRoot: website.documentRoot ?? '',
    dbEngine: website.database.engine,
    dbServerId: website.database.server?.id ?? null,
    dbHost: website.database.host ?? '',
    dbName: website.database.name ?? '',
    dbUser: website.database.user ?? '',
    tlsIssuer: website.tls.issuer ?? '',
    tlsExpiresAt: jakartaDay(website.tls.expiresAt),
    contactName: website.contact.name ?? '',
    contactNip: website.contact.nip ?? '',
    contactPhone: website.contact.phone ?? '',
    contactEmail: website.contact.email ?? '',
    notes: website.notes ?? '',
  };
}

/** The schema's phone rule (registry.schemas.ts, contactPhone). */
const PHONE = /^\+?[0-9][0-9 -]{5,19}$/;

function optionalText(value: string): string | null {
  return common.orNull(value);
}

type Props = {
  /** The website to change, or null to add one. */
  website: Website | null;
  opened: boolean;
  onClose: () => void;
  onSaved?: (website: Website) => void;
  /** Fetch the record again after a version conflict. */
  onReload?: () => Promise<unknown>;
};

export function WebsiteFormDrawer({ website, opened, onClose, onSaved, onReload }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const creating = website === null;
  const labelMessageId = useId();
  const labelHintId = useId();

  const zones = useQuery({ ...zonesQuery, enabled: opened });
  const servers = useQuery({ ...allServersQuery, enabled: opened });
  const pools = useQuery({ ...allPoolsQuery, enabled: opened });
  const opds = useQuery({
    queryKey: ['opds', 'all-active'],
    queryFn: () => fetchAll(orgApi('opds').list, { active: true }),
    enabled: opened,
    staleTime: 60_000,
  });

  const zoneNames = () => (zones.data ?? []).map((zone) => zone.name);

  const form = useForm<Values>({
    initialValues: EMPTY,
    validate: {
      opdId: (value) => (value ? null : 'validation.required'),
      purpose: (value) => (value.trim() ? null : 'validation.required'),
      label: (value, values) => {
        const problem = rules.optionalLabel(value);
        if (problem) return problem;
        if (creating && values.status === 'active' && !value) return t('registry.rules.requiredActive');
        return value && !values.zoneId ? t('registry.websiteForm.zoneRequired') : null;
      },
      zoneId: (value, values) => (values.label && !value ? 'validation.required' : null),
      serverId: (value, values) =>
        creating && values.status === 'active' && !value ? t('registry.rules.requiredActive') : null,
      aliases: (values) => {
        for (const alias of values) {
          const check = checkHostname(alias, { zones: zoneNames(), reserved: [] });
          if (!check.ok) return `${alias}: ${rules.reasonText(check.reason)}`;
        }
        return null;
      },
      ipAddress: (value, values) => {
        if (values.ipMode !== 'manual') return null;
        if (creating && values.status === 'active' && !value.trim())
          return t('registry.rules.requiredActive');
        return rules.optionalIp(value);
      },
      poolId: (value, values) => (values.ipMode === 'pool' && !value ? 'validation.required' : null),
      dbName: rules.optionalDbName,
      dbUser: rules.optionalDbName,
      documentRoot: (value) =>
        !value.trim() || value.trim().startsWith('/') ? null : t('registry.websiteForm.docrootAbsolute'),
      contactNip: common.optionalNip,
      contactPhone: (value) => (!value.trim() || PHONE.test(value.trim()) ? null : 'validation.phone'),
      contactEmail: common.optionalEmail,
    },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the drawer opens, or the record's version changes
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    setConflict(false);
    const values = website ? valuesOf(website) : EMPTY;
    form.setValues(values);
    form.resetDirty(values);
    form.clearErrors();
  }, [opened, website?.id, website?.version]);

  // Pick the only zone for a new website when there is just one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the zones arrive
  useEffect(() => {
    if (opened && creating && !form.values.zoneId && zones.data?.length === 1) {
      form.setFieldValue('zoneId', zones.data[0]?.id ?? null);
    }
  }, [zones.data, opened]);

  const zone = zones.data?.find((z) => z.id === form.values.zoneId) ?? null;
  const hostname = form.values.label && zone ? `${form.values.label}.${zone.name}` : '';
  const labelProblem = rules.optionalLabel(form.values.label);
  const [debounced] = useDebouncedValue(hostname, 400);
  const unchangedName = Boolean(website && debounced && debounced === website.hostname);
  const check = useQuery({
    queryKey: ['registry', 'name-check', debounced, website?.id ?? null],
    queryFn: ({ signal }) => zonesApi.check(debounced, website?.id, signal),
    enabled: opened && Boolean(debounced) && !labelProblem && !unchangedName,
    staleTime: 5_000,
    retry: false,
  });
  const checking = hostname !== debounced || check.isFetching;
  const checkResult = !checking && debounced === hostname ? check.data : undefined;

  const save = useMutation({
    mutationFn: async (values: Values) => {
      const composed = values.label && zone ? `${values.label}.${zone.name}` : null;
      const fields: WebsiteFields = {
        purpose: values.purpose.trim(),
        hostname: composed,
        aliases: values.aliases,
        serverId: values.serverId,
        cms: optionalText(values.cms),
        cmsVersion: optionalText(values.cmsVersion),
        template: optionalText(values.template),
        documentRoot: optionalText(values.documentRoot),
        dbEngine: (values.dbEngine as DbEngine | null) ?? null,
        dbServerId: values.dbServerId,
        dbHost: optionalText(values.dbHost),
        dbName: optionalText(values.dbName),
        dbUser: optionalText(values.dbUser),
        tlsIssuer: optionalText(values.tlsIssuer),
        tlsExpiresAt: values.tlsExpiresAt ? `${values.tlsExpiresAt}T23:59:59+07:00` : null,
        contactName: optionalText(values.contactName),
        contactNip: optionalText(values.contactNip),
        contactPhone: optionalText(values.contactPhone),
        contactEmail: optionalText(values.contactEmail),
        notes: optionalText(values.notes),
      };
      if (values.ipMode === 'manual') fields.ipAddress = optionalText(values.ipAddress);
      if (values.dbPassword) fields.dbPassword = values.dbPassword;
      else if (values.dbPasswordClear) fields.dbPassword = null;
      const reason = values.reason.trim() || undefined;

      let saved: Website;
      if (website) {
        // Only what changed: the history then shows exactly what this edit did.
        const before = valuesOf(website);
        const changed: WebsiteFields = {};
        const out = changed as Record<string, unknown>;
        const source = fields as Record<string, unknown>;
        const keyOf: Record<string, keyof Values> = { hostname: 'label' };
        for (const key of Object.keys(fields)) {
          const formKey = keyOf[key] ?? (key as keyof Values);
          if (key === 'hostname') {
            if (composed !== (website.hostname ?? null)) out[key] = source[key];
          } else if (key === 'dbPassword') {
            out[key] = source[key];
          } else if (JSON.stringify(values[formKey]) !== JSON.stringify(before[formKey])) {
            out[key] = source[key];
          }
        }
        if (values.opdId && values.opdId !== website.opd.id)
          (changed as { opdId?: string }).opdId = values.opdId;
        saved = await websitesApi.update(website.id, { ...changed, version: website.version, reason });
      } else {
        // An active website needs its address; one from a pool comes after the record exists, so the
        // website starts as planned and is activated once it has the address.
        const activateAfter = values.status === 'active' && values.ipMode === 'pool';
        saved = await websitesApi.create({
          ...fields,
          opdId: values.opdId ?? '',
          purpose: values.purpose.trim(),
          status: activateAfter ? 'planned' : values.status,
          reason,
        });
      }
      let allocationError: unknown = null;
      if (values.ipMode === 'pool' && values.poolId) {
        try {
          await poolsApi.allocate(values.poolId, { kind: 'website', websiteId: saved.id, reason });
          saved = await websitesApi.get(saved.id);
          if (!website && values.status === 'active') {
            saved = await websitesApi.changeStatus(saved.id, {
              version: saved.version,
              status: 'active',
              reason: reason ?? t('registry.websiteForm.activatedOnCreate'),
            });
          }
        } catch (error) {
          allocationError = error;
        }
      }
      return { saved, allocationError };
    },
    onSuccess: async ({ saved, allocationError }) => {
      notifications.show({
        color: 'teal',
        message: t(creating ? 'registry.websiteForm.created' : 'registry.websiteForm.updated', {
          name: saved.hostname ?? saved.purpose,
        }),
      });
      if (allocationError) {
        notifications.show({
          color: 'red',
          title: t('registry.websiteForm.allocationFailed'),
          message: errorMessage(allocationError),
          autoClose: false,
        });
      }
      queryClient.setQueryData(registryKeys.website(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: registryKeys.all });
      onSaved?.(saved);
      onClose();
    },
    onError: (error) => {
      if (isVersionConflict(error)) {
        setConflict(true);
        setFormError(null);
        return;
      }
      setFormError(applyRegistryError(form, error, { hostname: 'label', opd: 'opdId' }));
    },
  });

  const reload = async () => {
    await onReload?.();
    setConflict(false);
  };

  const labelError =
    translateMessage(form.errors.label) ??
    (labelProblem
      ? labelProblem
      : checkResult && !checkResult.available
        ? rules.reasonText(checkResult.reason ?? '') || t('registry.rules.nameTaken')
        : null);
  const labelHint =
    !hostname || labelError ? undefined : checking && !unchangedName ? (
      <Group gap={6} component="span">
        <Loader size={10} />
        {t('registry.websiteForm.checking', { hostname })}
      </Group>
    ) : checkResult?.available || unchangedName ? (
      <Group gap={4} component="span" c="teal.9" data-testid="name-available">
        <IconCircleCheck size={14} />
        {t('registry.websiteForm.available', { hostname })}
      </Group>
    ) : undefined;

  const poolOptions = (pools.data ?? []).map((pool) => ({
    value: pool.id,
    label: `${pool.name} (${pool.cidr})`,
    disabled: !pool.nextFree,
  }));

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size={isPhone ? '100%' : 640}
      title={creating ? t('registry.websiteForm.createTitle') : t('registry.websiteForm.editTitle')}
    >
      <form
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          if (checkResult && !checkResult.available) {
            form.setFieldError('label', rules.reasonText(checkResult.reason ?? ''));
            return;
          }
          save.mutate(values);
        })}
        noValidate
        data-testid="website-form"
      >
        <Stack gap="md">
          {conflict ? (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
              <Text size="sm">{t('registry.versionConflict')}</Text>
              {onReload ? (
                <Button
                  size="xs"
                  variant="white"
                  color="orange"
                  mt="sm"
                  leftSection={<IconRefresh size={14} />}
                  onClick={() => void reload()}
                >
                  {t('registry.reload')}
                </Button>
              ) : null}
            </Alert>
          ) : null}
          {formError ? (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          ) : null}

          <Divider label={t('registry.websiteForm.sectionOwner')} labelPosition="left" />
          <Select
            label={t('registry.websites.opd')}
            placeholder={t('users.opdPlaceholder')}
            data={(opds.data ?? []).map((opd) => ({ value: opd.id, label: `${opd.name} (${opd.code})` }))}
            searchable
            required
            nothingFoundMessage={t('common.noResultsTitle')}
            {...form.getInputProps('opdId')}
            error={translateMessage(form.errors.opdId)}
          />
          <Textarea
            label={t('registry.fields.purpose')}
            description={t('registry.websiteForm.purposeHint')}
            required
            autosize
            minRows={2}
            maxLength={500}
            {...form.getInputProps('purpose')}
            error={translateMessage(form.errors.purpose)}
          />
          {creating ? (
            <Stack gap={4}>
              <Input.Label>{t('registry.websiteForm.initialStatus')}</Input.Label>
              <SegmentedControl
                aria-label={t('registry.websiteForm.initialStatus')}
                data={[
                  { value: 'planned', label: t('registry.websiteStatus.planned') },
                  { value: 'active', label: t('registry.websiteStatus.active') },
                ]}
                {...form.getInputProps('status')}
              />
              <Input.Description>{t('registry.websiteForm.initialStatusHint')}</Input.Description>
            </Stack>
          ) : null}

          <Divider label={t('registry.website.sectionAddress')} labelPosition="left" mt="xs" />
          <Group align="flex-start" gap={6} wrap="nowrap">
            <TextInput
              label={t('registry.websiteForm.label')}
              placeholder="dinkes"
              autoCapitalize="none"
              autoComplete="off"
              spellCheck={false}
              maxLength={63}
              style={{ flex: '1 1 0', minWidth: 0 }}
              {...form.getInputProps('label')}
              onChange={(event) => form.setFieldValue('label', event.currentTarget.value.trim())}
              // The message goes under both fields, at full width: the half-width field is narrow on a phone.
              error={labelError ? true : undefined}
              aria-describedby={`${labelMessageId} ${labelHintId}`}
            />
            <Text pt={30} fw={700} aria-hidden>
              .
            </Text>
            <Select
              label={t('registry.fields.zone')}
              placeholder={t('registry.websiteForm.zonePlaceholder')}
              data={(zones.data ?? [])
                .filter((z) => z.active || z.id === form.values.zoneId)
                .map((z) => ({ value: z.id, label: z.name }))}
              style={{ flex: '1 1 0', minWidth: 0 }}
              allowDeselect={false}
              {...form.getInputProps('zoneId')}
              error={translateMessage(form.errors.zoneId)}
            />
          </Group>
          <Stack gap={2} mt={-10}>
            <Text size="xs" c="dimmed" id={labelHintId}>
              {t('registry.websiteForm.labelHint')}
            </Text>
            <Text
              size="xs"
              component="div"
              id={labelMessageId}
              aria-live="polite"
              c={labelError ? 'red.7' : undefined}
              data-testid={labelError ? 'name-problem' : undefined}
            >
              {labelError ?? labelHint}
            </Text>
          </Stack>
          <TagsInput
            label={t('registry.fields.aliases')}
            description={t('registry.websiteForm.aliasesHint')}
            placeholder={zone ? `www2.${zone.name}` : undefined}
            clearable
            splitChars={[',', ' ']}
            {...form.getInputProps('aliases')}
            error={translateMessage(form.errors.aliases)}
          />

          <Divider label={t('registry.website.sectionServer')} labelPosition="left" mt="xs" />
          <Select
            label={t('registry.fields.server')}
            placeholder={t('registry.websiteForm.serverPlaceholder')}
            data={(servers.data ?? [])
              .filter((s) => s.status !== 'retired' || s.id === form.values.serverId)
              .map((s) => ({ value: s.id, label: s.name }))}
            searchable
            clearable
            nothingFoundMessage={t('common.noResultsTitle')}
            {...form.getInputProps('serverId')}
            error={translateMessage(form.errors.serverId)}
          />
          <Stack gap={6}>
            <Input.Label>{t('registry.fields.ipAddress')}</Input.Label>
            <SegmentedControl
              aria-label={t('registry.fields.ipAddress')}
              fullWidth={isPhone}
              data={[
                { value: 'manual', label: t('registry.websiteForm.ipManual') },
                { value: 'pool', label: t('registry.websiteForm.ipPool') },
              ]}
              {...form.getInputProps('ipMode')}
            />
            {form.values.ipMode === 'manual' ? (
              <TextInput
                aria-label={t('registry.fields.ipAddress')}
                placeholder="203.0.113.10"
                autoComplete="off"
                spellCheck={false}
                classNames={{ input: 'registry-mono' }}
                {...form.getInputProps('ipAddress')}
                error={translateMessage(form.errors.ipAddress)}
              />
            ) : (
              <Select
                label={t('registry.websiteForm.pool')}
                description={t('registry.websiteForm.poolHint')}
                placeholder={t('registry.websiteForm.poolPlaceholder')}
                data={poolOptions}
                nothingFoundMessage={t('registry.websiteForm.noPools')}
                {...form.getInputProps('poolId')}
                error={translateMessage(form.errors.poolId)}
              />
            )}
          </Stack>

          <Divider label={t('registry.website.sectionApp')} labelPosition="left" mt="xs" />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <TextInput
              label={t('registry.fields.cms')}
              placeholder="WordPress"
              {...form.getInputProps('cms')}
            />
            <TextInput
              label={t('registry.fields.cmsVersion')}
              placeholder="6.5"
              {...form.getInputProps('cmsVersion')}
            />
          </SimpleGrid>
          <TextInput label={t('registry.fields.template')} {...form.getInputProps('template')} />
          <TextInput
            label={t('registry.fields.documentRoot')}
            placeholder="/var/www/dinkes"
            classNames={{ input: 'registry-mono' }}
            spellCheck={false}
            {...form.getInputProps('documentRoot')}
            error={translateMessage(form.errors.documentRoot)}
          />

          <Divider label={t('registry.website.sectionDatabase')} labelPosition="left" mt="xs" />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <Select
              label={t('registry.fields.dbEngine')}
              data={DB_ENGINES.map((engine) => ({ value: engine, label: t(`registry.dbEngine.${engine}`) }))}
              clearable
              {...form.getInputProps('dbEngine')}
            />
            <Select
              label={t('provisioning.fields.dbServer')}
              placeholder={t('provisioning.fields.dbServerPlaceholder')}
              data={(servers.data ?? [])
                .filter(
                  (s) =>
                    (s.roles.includes('database') && s.status !== 'retired') ||
                    s.id === form.values.dbServerId,
                )
                .map((s) => ({ value: s.id, label: s.name }))}
              searchable
              clearable
              nothingFoundMessage={t('common.noResultsTitle')}
              {...form.getInputProps('dbServerId')}
              error={translateMessage(form.errors.dbServerId)}
            />
            <TextInput
              label={t('registry.fields.dbHost')}
              placeholder="localhost"
              spellCheck={false}
              {...form.getInputProps('dbHost')}
            />
            <TextInput
              label={t('registry.fields.dbName')}
              placeholder="dinkes_web"
              spellCheck={false}
              autoComplete="off"
              {...form.getInputProps('dbName')}
              error={translateMessage(form.errors.dbName)}
            />
            <TextInput
              label={t('registry.fields.dbUser')}
              placeholder="dinkes"
              spellCheck={false}
              autoComplete="off"
              {...form.getInputProps('dbUser')}
              error={translateMessage(form.errors.dbUser)}
            />
          </SimpleGrid>
          <PasswordInput
            label={t('registry.fields.dbPassword')}
            description={
              website?.database.passwordSet
                ? t('registry.websiteForm.passwordKept')
                : t('registry.websiteForm.passwordWriteOnly')
            }
            autoComplete="new-password"
            maxLength={200}
            disabled={form.values.dbPasswordClear}
            {...form.getInputProps('dbPassword')}
          />
          {website?.database.passwordSet ? (
            <Checkbox
              label={t('registry.websiteForm.passwordClear')}
              {...form.getInputProps('dbPasswordClear', { type: 'checkbox' })}
            />
          ) : null}

          <Divider label={t('registry.website.sectionTls')} labelPosition="left" mt="xs" />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <TextInput
              label={t('registry.fields.tlsIssuer')}
              placeholder="Let's Encrypt"
              {...form.getInputProps('tlsIssuer')}
            />
            <TextInput
              type="date"
              label={t('registry.fields.tlsExpiresAt')}
              {...form.getInputProps('tlsExpiresAt')}
            />
          </SimpleGrid>

          <Divider label={t('registry.website.sectionContact')} labelPosition="left" mt="xs" />
          <TextInput
            label={t('registry.fields.contactName')}
            autoComplete="off"
            {...form.getInputProps('contactName')}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <TextInput
              label={t('registry.fields.contactNip')}
              description={t('users.nipHint')}
              inputMode="numeric"
              maxLength={18}
              autoComplete="off"
              {...form.getInputProps('contactNip')}
              error={translateMessage(form.errors.contactNip)}
            />
            <TextInput
              label={t('registry.fields.contactPhone')}
              description="0812-3456-7890"
              type="tel"
              autoComplete="off"
              {...form.getInputProps('contactPhone')}
              error={translateMessage(form.errors.contactPhone)}
            />
          </SimpleGrid>
          <TextInput
            label={t('registry.fields.contactEmail')}
            type="email"
            autoComplete="off"
            {...form.getInputProps('contactEmail')}
            error={translateMessage(form.errors.contactEmail)}
          />

          <Divider label={t('registry.fields.notes')} labelPosition="left" mt="xs" />
          <Textarea
            aria-label={t('registry.fields.notes')}
            autosize
            minRows={2}
            maxLength={4000}
            {...form.getInputProps('notes')}
          />
          <Textarea
            label={t('registry.reasonOptional')}
            description={t('registry.reasonHint')}
            autosize
            minRows={1}
            maxLength={2000}
            {...form.getInputProps('reason')}
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
