/**
 * The form of one action offered on a case, generated from its JSON Schema and file specs, with labels
 * from the dictionary. Sends `{ version, …payload }` (multipart when files are attached).
 */
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  Radio,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, isApiError, type UploadProgress } from '../../api/client.ts';
import { casesApi } from '../../api/endpoints.ts';
import type { ActionOffer, CaseDetail, FileSpec, Role, StaffMember } from '../../api/types.ts';
import { localized } from '../../components/CaseBits.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { checkFiles, FilePicker, UploadProgressBar } from '../../components/FilePicker.tsx';
import i18n, { currentLocale } from '../../i18n/index.ts';
import { jakartaDateTimeLocal, jakartaToday } from '../../lib/duration.ts';
import { errorMessage } from '../../lib/errors.ts';
import { splitReveal } from '../../lib/reveal.ts';
import { activeUnitsQuery, caseChanged, caseKeys, staffQuery } from './queries.ts';
import { useShowReveal } from './RevealPanel.tsx';
import {
  poolChoicesQuery,
  type RegistryPool,
  type RegistryServer,
  type RegistryWebsite,
  webServersQuery,
  websiteChoicesQuery,
  websiteRecordQuery,
} from './registryLookups.ts';
import {
  type Confirmation,
  checkField,
  confirmationOf,
  type FieldSpec,
  type FormValues,
  fieldsOf,
  hintFor,
  initialValues,
  isHidden,
  isRequired,
  labelFor,
  optionLabel,
  payloadOf,
  rootPrefill,
} from './schemaForm.ts';
import { NameCheckNote, translateNameReason, useNameCheck, WebsiteStatusBadge } from './WebsiteBits.tsx';
import { formatCount, installationAddressProblem } from './websiteRules.ts';

/** Answers that mean the form was for an older state of the request. */
const STALE = new Set(['VERSION_CONFLICT', 'ACTION_NOT_IN_STEP', 'ACTION_NOT_ALLOWED_NOW', 'CASE_CLOSED']);

/** Short fields sit two to a row on wide screens; long text (and the registry's pickers) take the whole width. */
const WIDE_KINDS = new Set([
  'textarea',
  'confirm',
  'switch',
  'staffMulti',
  'tags',
  'radio',
  'website',
  'server',
]);

/** Lists from the registry that some forms pick from; each `null` when the form has no such field. */
type RegistryLists = {
  websites: RegistryWebsite[] | null;
  servers: RegistryServer[] | null;
  pools: RegistryPool[] | null;
  /** The request's website as the registry has it now (installation), or null. */
  record: RegistryWebsite | null;
  /** Some list could not be read: the picker says so. */
  failed: Set<'websites' | 'servers' | 'pools'>;
};

/** The people a staff picker offers: those with one of the field's roles (`x-loket-roles`), else everyone. */
function staffOptions(staff: StaffMember[], roles: string[], roleName: (role: Role) => string) {
  const chosen = roles.length
    ? staff.filter((person) => person.roles.some((role) => roles.includes(role)))
    : staff;
  const list = chosen.length ? chosen : staff;
  return list.map((person) => ({
    value: person.id,
    label: `${person.fullName} — ${person.roles.map(roleName).join(', ')}`,
  }));
}

/**
 * A server's field message in the user's language where it can be: "required" as such, a format
 * problem as such when the field's hint already says the format; else the server's own words.
 */
function fieldMessage(field: FieldSpec, message: string): string {
  if (/required/i.test(message)) return i18n.t('validation.required');
  if (hintFor(field.name, field.schema)) return i18n.t('action.pattern');
  return message;
}

/**
 * A field problem the server found beyond the schema (a name taken, an address in use, a website of
 * another OPD): the code's sentence with the server's particulars, a host name's reason translated.
 */
function serverFieldMessage(error: ApiError, field: FieldSpec, message: string): string {
  if (error.code === 'VALIDATION_FAILED') return fieldMessage(field, message);
  if (field.kind === 'hostname') return translateNameReason(message);
  return i18n.exists(`errors.${error.code}`) ? `${errorMessage(error)} (${message})` : message;
}

type Props = { detail: CaseDetail; action: ActionOffer };

export function ActionForm({ detail, action }: Props) {
  const queryClient = useQueryClient();
  const fields = useMemo(() => fieldsOf(action.input), [action.input]);
  const needsStaff = fields.some((field) => field.kind === 'staff' || field.kind === 'staffMulti');
  const needsUnits = fields.some((field) => field.kind === 'unit');
  const needsWebsites = fields.some((field) => field.kind === 'website');
  const needsServers = fields.some((field) => field.kind === 'server');
  const needsPools = fields.some((field) => field.kind === 'pool');
  // The registry's record of the case's website: for a server picker's first value and the address it has.
  const needsRecord = fields.some(
    (field) => field.kind === 'ip' || field.kind === 'hostname' || field.prefill === 'case.website.serverId',
  );
  const recordId = (needsServers || needsRecord) && detail.website ? detail.website.id : null;
  const staff = useQuery({ ...staffQuery, enabled: needsStaff });
  const units = useQuery({ ...activeUnitsQuery, enabled: needsUnits });
  const websites = useQuery({ ...websiteChoicesQuery(detail.opd.id), enabled: needsWebsites });
  const servers = useQuery({ ...webServersQuery, enabled: needsServers });
  const pools = useQuery({ ...poolChoicesQuery, enabled: needsPools });
  const record = useQuery({ ...websiteRecordQuery(recordId ?? ''), enabled: recordId !== null });
  // Wait for the lists a picker pre-selects from, so the first values are right.
  const waiting = (needed: boolean, query: { data: unknown; isError: boolean }) =>
    needed && !query.data && !query.isError;
  if (
    waiting(needsStaff, staff) ||
    waiting(needsUnits, units) ||
    waiting(needsWebsites, websites) ||
    waiting(needsServers, servers) ||
    waiting(needsPools, pools) ||
    waiting(recordId !== null, record)
  ) {
    return <Skeleton height={160} radius="md" />;
  }
  const failed = new Set<'websites' | 'servers' | 'pools'>();
  if (websites.isError) failed.add('websites');
  if (servers.isError) failed.add('servers');
  if (pools.isError) failed.add('pools');
  return (
    <ActionFormBody
      detail={detail}
      action={action}
      fields={fields}
      staff={staff.data ?? []}
      // Only the units that can carry the next step (the server refuses any other).
      units={(units.data ?? []).filter((unit) => !action.units || action.units.includes(unit.code))}
      lists={{
        websites: needsWebsites ? (websites.data ?? []) : null,
        servers: needsServers ? (servers.data ?? []) : null,
        pools: needsPools ? (pools.data ?? []) : null,
        record: record.data ?? null,
        failed,
      }}
      onStale={() => void queryClient.invalidateQueries({ queryKey: caseKeys.detail(detail.id) })}
    />
  );
}

function ActionFormBody({
  detail,
  action,
  fields,
  staff,
  units,
  lists,
  onStale,
}: Props & {
  fields: FieldSpec[];
  staff: StaffMember[];
  units: { id: string; code: string; name: string }[];
  lists: RegistryLists;
  /** The form was for an older state of the request: fetch the request again. */
  onStale: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [files, setFiles] = useState<Record<string, File[]>>({});
  const [fileErrors, setFileErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [confirming, setConfirming] = useState<Confirmation | null>(null);
  const showReveal = useShowReveal();
  const title = localized(action.title);
  const formId = `action-${action.key}`;

  const record = lists.record;
  const sources = {
    units,
    record: {
      // Only a server the list offers is picked in advance.
      serverId:
        record?.server && lists.servers?.some((server) => server.id === record.server?.id)
          ? record.server.id
          : null,
      ipAddress: record?.ipAddress ?? null,
    },
  };
  const hostnameField = fields.find((field) => field.kind === 'hostname');
  const ipField = fields.find((field) => field.kind === 'ip');
  const poolField = fields.find((field) => field.kind === 'pool');
  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: initialValues(fields, action.input, detail, sources),
    validate: (values) => {
      const errors: Record<string, string> = {};
      for (const field of fields) {
        const problem = checkField(field, values[field.name], values);
        if (problem) errors[field.name] = problem;
      }
      // The website goes live under a name: the one it has, or the one typed here.
      const host = hostnameField?.name;
      if (host && !errors[host] && values[host] === '' && record && !record.hostname) {
        errors[host] = t('validation.required');
      }
      // An address typed, or a pool to take one from, unless the website has one already.
      const pool = poolField?.name;
      if (
        pool &&
        ipField &&
        !errors[pool] &&
        installationAddressProblem({
          ipAddress: values[ipField.name],
          poolId: values[pool],
          websiteHasAddress: Boolean(record?.ipAddress),
        })
      ) {
        errors[pool] = t('action.ipOrPool');
      }
      return errors;
    },
  });
  const values = form.getValues();
  const hostnameValue = hostnameField ? values[hostnameField.name] : undefined;
  const hostnameCheck = useNameCheck(
    typeof hostnameValue === 'string' ? hostnameValue : '',
    detail.website?.id,
  );

  const checkAllFiles = (): boolean => {
    const errors: Record<string, string> = {};
    for (const spec of action.files) {
      const chosen = files[spec.field] ?? [];
      const problems = checkFiles(chosen, spec.kinds, spec.max, spec.maxBytes);
      if (problems.length) errors[spec.field] = problems.join(' ');
      else if (spec.required && chosen.length === 0) errors[spec.field] = t('files.required');
    }
    setFileErrors(errors);
    return Object.keys(errors).length === 0;
  };

  const send = async () => {
    setConfirming(null);
    setBusy(true);
    setFormError(null);
    try {
      const payload = payloadOf(fields, form.getValues());
      const answer = await casesApi.act(
        detail.id,
        action.key,
        { version: detail.version, ...payload },
        files,
        {
          onProgress: setProgress,
        },
      );
      notifications.show({
        color: 'teal',
        icon: <IconCheck size={18} />,
        message: t('action.done', { title }),
      });
      // A credential shown once goes to the page's panel only, never into the cached request.
      const { detail: result, reveal } = splitReveal(answer);
      caseChanged(queryClient, result);
      if (reveal) showReveal({ title, values: reveal });
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const showError = (error: unknown) => {
    // The request moved on since this form was drawn (someone else acted first): the server says so as
    // VERSION_CONFLICT, or, when the step changed too, as a refusal of the now stale action. Either way
    // the user is told and sees the request as it is now.
    if (isApiError(error) && STALE.has(error.code)) {
      notifications.show({
        color: 'orange',
        autoClose: 10_000,
        message: error.code === 'CASE_CLOSED' ? errorMessage(error) : t('action.versionConflict'),
      });
      onStale();
      return;
    }
    if (!isApiError(error)) {
      setFormError(errorMessage(error));
      return;
    }
    const fileFields = action.files.map((spec) => spec.field);
    // Field problems go next to their fields, whatever the code (a name taken, an address in use, …).
    if (error.details?.fields?.length) {
      const unplaced: string[] = [];
      const placedFiles: Record<string, string> = {};
      for (const problem of error.details.fields) {
        const head = problem.path.split('.')[0] ?? problem.path;
        const field = fields.find((candidate) => candidate.name === head);
        if (field) {
          form.setFieldError(head, serverFieldMessage(error, field, problem.message));
        } else if (fileFields.includes(head)) {
          placedFiles[head] = problem.message;
        } else {
          unplaced.push(problem.path ? `${problem.path}: ${problem.message}` : problem.message);
        }
      }
      setFileErrors(placedFiles);
      setFormError(unplaced.length ? `${errorMessage(error)} ${unplaced.join('; ')}` : null);
      return;
    }
    // Upload refusals name their field when the server knows it; otherwise the only file field.
    const field = typeof error.details?.field === 'string' ? error.details.field : undefined;
    const target =
      error.code === 'LETTER_REQUIRED'
        ? 'letter'
        : error.code.startsWith('FILE_') || error.code === 'TOO_MANY_FILES'
          ? (field ?? (fileFields.length === 1 ? fileFields[0] : undefined))
          : undefined;
    if (target && fileFields.includes(target)) {
      setFileErrors({ [target]: errorMessage(error) });
      return;
    }
    setFormError(errorMessage(error));
  };

  const submit = form.onSubmit(
    () => {
      if (!checkAllFiles()) return;
      const question = confirmationOf(action.input, form.getValues());
      if (question) setConfirming(question);
      else void send();
    },
    () => {
      checkAllFiles();
    },
  );

  const roleName = (role: Role) => t(`roles.${role}`);
  const unitOptions = units.map((unit) => ({ value: unit.id, label: `${unit.name} (${unit.code})` }));
  const websiteChoices = lists.websites ?? [];
  const serverChoices = lists.servers ?? [];
  const poolChoices = lists.pools ?? [];
  const ipValue = ipField ? values[ipField.name] : undefined;
  const ipTyped = typeof ipValue === 'string' && ipValue.trim() !== '';
  const chosenPool = poolChoices.find((pool) => poolField && pool.id === values[poolField.name]);

  /** The hint under a field; for the registry's fields it says what the registry holds now. */
  const descriptionOf = (field: FieldSpec): ReactNode => {
    const hint = hintFor(field.name, field.schema) ?? undefined;
    switch (field.kind) {
      case 'website': {
        const chosenWebsite = websiteChoices.find((website) => website.id === values[field.name]);
        if (lists.failed.has('websites')) return t('action.listFailed');
        if (websiteChoices.length === 0) return t('action.noOpdWebsites');
        return chosenWebsite ? (
          <Group gap={6} component="span" wrap="wrap">
            <WebsiteStatusBadge status={chosenWebsite.status} size="xs" />
            <Text span size="xs" c="dimmed" lineClamp={1}>
              {chosenWebsite.purpose}
            </Text>
          </Group>
        ) : (
          hint
        );
      }
      case 'server':
        if (lists.failed.has('servers')) return t('action.listFailed');
        return serverChoices.length === 0 ? t('action.noServers') : hint;
      case 'pool':
        if (lists.failed.has('pools')) return t('action.listFailed');
        if (poolChoices.length === 0) return t('action.noPools');
        if (ipTyped) return t('action.poolIgnored');
        return chosenPool?.nextFree ? t('action.poolNext', { address: chosenPool.nextFree }) : hint;
      case 'ip':
        if (record?.ipAddress) {
          return t('action.currentAddress', { address: record.ipAddress });
        }
        return hint;
      default:
        return hint;
    }
  };

  /** A select's value as Mantine wants it: null when nothing is picked (else it offers to clear ''). */
  const selectProps = (name: string) => {
    const props = form.getInputProps(name);
    return {
      ...props,
      value: typeof props.value === 'string' && props.value ? props.value : null,
      onChange: (value: string | null) => form.setFieldValue(name, value ?? ''),
    };
  };

  const renderField = (field: FieldSpec): ReactNode => {
    const label = labelFor(field.name, field.schema);
    const people = staffOptions(staff, field.roles, roleName);
    // Dates and times that start as now are of the past (a letter, a receipt): none later than now.
    const pastOnly = field.prefill === 'today' || field.prefill === 'now';
    const description = descriptionOf(field);
    // The hint under the input keeps inputs of a two-column row level.
    const common = {
      label,
      description,
      required: isRequired(field, values),
      disabled: busy,
      inputWrapperOrder: ['label', 'input', 'description', 'error'] as (
        | 'label'
        | 'input'
        | 'description'
        | 'error'
      )[],
    };
    switch (field.kind) {
      case 'textarea':
        return (
          <Textarea
            {...common}
            {...form.getInputProps(field.name)}
            autosize
            minRows={field.schema.maxLength && field.schema.maxLength >= 4000 ? 3 : 2}
            maxRows={12}
            maxLength={field.schema.maxLength}
          />
        );
      case 'radio':
        return (
          <Radio.Group {...common} {...form.getInputProps(field.name)}>
            <Group gap="md" mt={6} wrap="wrap">
              {field.options.map((option) => (
                <Radio
                  key={option}
                  value={option}
                  label={optionLabel(field.name, option, field.choices)}
                  disabled={busy}
                />
              ))}
            </Group>
          </Radio.Group>
        );
      case 'select':
        return (
          <Select
            {...common}
            {...form.getInputProps(field.name)}
            placeholder={t('action.select')}
            data={field.options.map((option) => ({
              value: option,
              label: optionLabel(field.name, option, field.choices),
            }))}
            allowDeselect={!field.required}
            comboboxProps={{ withinPortal: true }}
          />
        );
      case 'confirm':
        return (
          <Checkbox
            label={label}
            description={description}
            disabled={busy}
            {...form.getInputProps(field.name, { type: 'checkbox' })}
          />
        );
      case 'switch':
        return (
          <Switch
            label={label}
            description={description}
            disabled={busy}
            {...form.getInputProps(field.name, { type: 'checkbox' })}
          />
        );
      case 'date':
        return (
          <TextInput
            {...common}
            {...form.getInputProps(field.name)}
            type="date"
            max={pastOnly ? jakartaToday() : undefined}
          />
        );
      case 'datetime':
        return (
          <TextInput
            {...common}
            {...form.getInputProps(field.name)}
            type="datetime-local"
            max={pastOnly ? jakartaDateTimeLocal() : undefined}
          />
        );
      case 'number':
        return <NumberInput {...common} {...form.getInputProps(field.name)} />;
      case 'tags':
        return <TagsInput {...common} {...form.getInputProps(field.name)} />;
      case 'staff':
        return (
          <Select
            {...common}
            {...form.getInputProps(field.name)}
            placeholder={t('action.select')}
            data={people}
            searchable
            nothingFoundMessage={t('action.noOptions')}
          />
        );
      case 'staffMulti':
        return (
          <MultiSelect
            {...common}
            {...form.getInputProps(field.name)}
            placeholder={t('action.select')}
            data={people}
            searchable
            hidePickedOptions
            nothingFoundMessage={t('action.noOptions')}
            maxValues={field.schema.maxItems}
          />
        );
      case 'unit':
        return (
          <Select
            {...common}
            {...form.getInputProps(field.name)}
            placeholder={t('action.select')}
            data={unitOptions}
            searchable
            nothingFoundMessage={t('action.noOptions')}
          />
        );
      case 'website':
        return (
          <Select
            {...common}
            {...selectProps(field.name)}
            placeholder={t('action.select')}
            data={websiteChoices.map((website) => ({
              value: website.id,
              label: website.hostname ?? `${website.purpose} (${t('newCase.websiteNoName')})`,
            }))}
            nothingFoundMessage={t('action.noOpdWebsites')}
            comboboxProps={{ withinPortal: true }}
            renderOption={({ option }) => {
              const website = websiteChoices.find((w) => w.id === option.value);
              return (
                <Group gap="xs" wrap="nowrap" justify="space-between" w="100%">
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {option.label}
                  </Text>
                  {website ? <WebsiteStatusBadge status={website.status} size="xs" /> : null}
                </Group>
              );
            }}
          />
        );
      case 'server':
        return (
          <Select
            {...common}
            {...selectProps(field.name)}
            placeholder={t('action.select')}
            data={serverChoices.map((server) => ({
              value: server.id,
              label: `${server.name} — ${t(`action.serverKind.${server.kind}`)} · ${t(`action.serverLocation.${server.location}`)}`,
            }))}
            searchable
            nothingFoundMessage={t('action.noServers')}
            comboboxProps={{ withinPortal: true }}
            renderOption={({ option }) => {
              const server = serverChoices.find((s) => s.id === option.value);
              if (!server) return option.label;
              return (
                <Box>
                  <Text size="sm" fw={600}>
                    {server.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t(`action.serverKind.${server.kind}`)} · {t(`action.serverLocation.${server.location}`)}{' '}
                    · {t('action.serverWebsites', { count: server.websiteCount })}
                  </Text>
                </Box>
              );
            }}
          />
        );
      case 'pool':
        return (
          <Select
            {...common}
            {...selectProps(field.name)}
            placeholder={t('action.select')}
            data={poolChoices.map((pool) => ({
              value: pool.id,
              label: `${pool.name} — ${pool.cidr}`,
              disabled: pool.free === '0',
            }))}
            allowDeselect
            clearable
            nothingFoundMessage={t('action.noPools')}
            comboboxProps={{ withinPortal: true }}
            renderOption={({ option }) => {
              const pool = poolChoices.find((p) => p.id === option.value);
              if (!pool) return option.label;
              return (
                <Box>
                  <Text size="sm" fw={600}>
                    {pool.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {pool.cidr} ·{' '}
                    {pool.free === '0'
                      ? t('action.poolFull')
                      : t('action.poolFree', { count: formatCount(pool.free, currentLocale()) })}
                  </Text>
                </Box>
              );
            }}
          />
        );
      case 'ip':
        return (
          <TextInput
            {...common}
            {...form.getInputProps(field.name)}
            maxLength={field.schema.maxLength}
            autoCapitalize="none"
            autoComplete="off"
            spellCheck={false}
          />
        );
      case 'hostname':
        return (
          <Stack gap={4}>
            <TextInput
              {...common}
              {...form.getInputProps(field.name)}
              maxLength={field.schema.maxLength}
              autoCapitalize="none"
              autoComplete="off"
              spellCheck={false}
            />
            {form.errors[field.name] ? null : <NameCheckNote check={hostnameCheck} testId="hostname-check" />}
          </Stack>
        );
      default:
        return (
          <TextInput
            {...common}
            {...form.getInputProps(field.name)}
            maxLength={field.schema.maxLength}
            autoCapitalize={field.schema.pattern || field.schema.format ? 'none' : undefined}
            spellCheck={field.schema.pattern || field.schema.format ? false : undefined}
          />
        );
    }
  };

  // Consecutive short fields share a two-column row; fields that do not apply are left out.
  const blocks: FieldSpec[][] = [];
  for (const field of fields.filter((f) => !isHidden(f, values))) {
    const last = blocks.at(-1);
    const wide = WIDE_KINDS.has(field.kind);
    if (!wide && last && !WIDE_KINDS.has(last[0]?.kind ?? 'textarea') && last.length < 2) last.push(field);
    else blocks.push([field]);
  }

  const renderFile = (spec: FileSpec) => (
    <FilePicker
      key={spec.field}
      label={labelFor(spec.field)}
      description={hintFor(spec.field) ?? undefined}
      kinds={spec.kinds}
      max={spec.max}
      required={spec.required}
      value={files[spec.field] ?? []}
      onChange={(chosen) => {
        setFiles((current) => ({ ...current, [spec.field]: chosen }));
        setFileErrors((current) => ({ ...current, [spec.field]: '' }));
      }}
      error={fileErrors[spec.field] || undefined}
      disabled={busy}
      testId={`file-${spec.field}`}
    />
  );

  // A versioned document's form starts from its latest version (the root schema's prefill).
  const prefilledVersion = rootPrefill(action.input, detail, sources)?.version;

  return (
    <form id={formId} onSubmit={submit} noValidate aria-label={title} data-testid={formId}>
      <Stack gap="md">
        {prefilledVersion ? (
          <Alert color="loket" variant="light" py="xs">
            {t('action.hints.prefilledVersion', { version: prefilledVersion })}
          </Alert>
        ) : null}
        {blocks.map((block) =>
          block.length === 1 && WIDE_KINDS.has(block[0]?.kind ?? '') ? (
            <Fragment key={block[0]?.name}>{renderField(block[0] as FieldSpec)}</Fragment>
          ) : (
            <SimpleGrid key={block.map((f) => f.name).join('-')} cols={{ base: 1, sm: 2 }} spacing="md">
              {block.map((field) => (
                <Fragment key={field.name}>{renderField(field)}</Fragment>
              ))}
            </SimpleGrid>
          ),
        )}
        {action.files.map(renderFile)}
        {formError ? (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert">
            {formError}
          </Alert>
        ) : null}
        <UploadProgressBar progress={progress} />
        <Group justify="flex-end">
          <Button type="submit" loading={busy} leftSection={<IconCheck size={18} />}>
            {title}
          </Button>
        </Group>
      </Stack>
      <ConfirmDialog
        opened={confirming !== null}
        title={t('action.confirmTitle')}
        text={confirming?.text ?? ''}
        confirmLabel={t('action.confirm')}
        danger={confirming?.danger ?? true}
        loading={busy}
        onConfirm={() => void send()}
        onClose={() => setConfirming(null)}
      />
    </form>
  );
}
