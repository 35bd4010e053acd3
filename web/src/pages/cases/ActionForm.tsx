/**
 * The form of one action offered on a case, generated from its JSON Schema and file specs, with labels
 * from the dictionary. Sends `{ version, …payload }` (multipart when files are attached).
 */
import {
  Alert,
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
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError, type UploadProgress } from '../../api/client.ts';
import { casesApi } from '../../api/endpoints.ts';
import type { ActionOffer, CaseDetail, FileSpec, Role, StaffMember } from '../../api/types.ts';
import { localized } from '../../components/CaseBits.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { checkFiles, FilePicker, UploadProgressBar } from '../../components/FilePicker.tsx';
import i18n from '../../i18n/index.ts';
import { jakartaDateTimeLocal, jakartaToday } from '../../lib/duration.ts';
import { errorMessage } from '../../lib/errors.ts';
import { activeUnitsQuery, caseChanged, caseKeys, staffQuery } from './queries.ts';
import {
  checkField,
  type FieldSpec,
  type FormValues,
  fieldsOf,
  hintFor,
  initialValues,
  labelFor,
  optionLabel,
  payloadOf,
} from './schemaForm.ts';

const APTIKA_ROLES: Role[] = ['kabid', 'subkoor', 'staf'];

/** Answers that mean the form was for an older state of the request. */
const STALE = new Set(['VERSION_CONFLICT', 'ACTION_NOT_IN_STEP', 'ACTION_NOT_ALLOWED_NOW', 'CASE_CLOSED']);

/** Short fields sit two to a row on wide screens; long text takes the whole width. */
const WIDE_KINDS = new Set(['textarea', 'confirm', 'switch', 'staffMulti', 'tags', 'radio']);

function staffOptions(staff: StaffMember[], roleName: (role: Role) => string) {
  const aptika = staff.filter((person) => person.roles.some((role) => APTIKA_ROLES.includes(role)));
  const list = aptika.length ? aptika : staff;
  return list.map((person) => ({
    value: person.id,
    label: `${person.fullName} — ${person.roles.map(roleName).join(', ')}`,
  }));
}

/**
 * A server's field message in the user's language where it can be: "required" as such, a format
 * problem as such when the field's hint already says the format; else the server's own words.
 */
function fieldMessage(field: string, message: string): string {
  if (/required/i.test(message)) return i18n.t('validation.required');
  if (hintFor(field)) return i18n.t('action.pattern');
  return message;
}

/** Irreversible choices ask first. */
function confirmation(action: string, values: FormValues): string | null {
  if (action === 'decide' && values.decision === 'reject') return 'action.confirmReject';
  if (action === 'close') return 'action.confirmClose';
  return null;
}

type Props = { detail: CaseDetail; action: ActionOffer };

export function ActionForm({ detail, action }: Props) {
  const queryClient = useQueryClient();
  const fields = useMemo(() => fieldsOf(action.input), [action.input]);
  const needsStaff = fields.some((field) => field.kind === 'staff' || field.kind === 'staffMulti');
  const needsUnits = fields.some((field) => field.kind === 'unit');
  const staff = useQuery({ ...staffQuery, enabled: needsStaff });
  const units = useQuery({ ...activeUnitsQuery, enabled: needsUnits });
  // Wait for the lists a picker pre-selects from, so the first values are right.
  if ((needsStaff && !staff.data && !staff.isError) || (needsUnits && !units.data && !units.isError)) {
    return <Skeleton height={160} radius="md" />;
  }
  return (
    <ActionFormBody
      detail={detail}
      action={action}
      fields={fields}
      staff={staff.data ?? []}
      units={units.data ?? []}
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
  onStale,
}: Props & {
  fields: FieldSpec[];
  staff: StaffMember[];
  units: { id: string; code: string; name: string }[];
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
  const [confirming, setConfirming] = useState<string | null>(null);
  const title = localized(action.title);
  const formId = `action-${action.key}`;

  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: initialValues(fields, action.key, detail, units),
    validate: (values) => {
      const errors: Record<string, string> = {};
      for (const field of fields) {
        const problem = checkField(field, values[field.name], values);
        if (problem) errors[field.name] = problem;
      }
      return errors;
    },
  });

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
      const result = await casesApi.act(
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
      caseChanged(queryClient, result);
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
    if (error.code === 'VALIDATION_FAILED' && error.details?.fields?.length) {
      const unplaced: string[] = [];
      const placedFiles: Record<string, string> = {};
      for (const problem of error.details.fields) {
        const head = problem.path.split('.')[0] ?? problem.path;
        if (fields.some((field) => field.name === head)) {
          form.setFieldError(head, fieldMessage(head, problem.message));
        } else if (fileFields.includes(head)) {
          placedFiles[head] = problem.message;
        } else {
          unplaced.push(problem.path ? `${problem.path}: ${problem.message}` : problem.message);
        }
      }
      setFileErrors(placedFiles);
      setFormError(unplaced.length ? `${t('errors.VALIDATION_FAILED')} ${unplaced.join('; ')}` : null);
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
      const question = confirmation(action.key, form.getValues());
      if (question) setConfirming(question);
      else void send();
    },
    () => {
      checkAllFiles();
    },
  );

  const roleName = (role: Role) => t(`roles.${role}`);
  const people = staffOptions(staff, roleName);
  const unitOptions = units.map((unit) => ({ value: unit.id, label: `${unit.name} (${unit.code})` }));

  const renderField = (field: FieldSpec): ReactNode => {
    const label = labelFor(field.name);
    const description = hintFor(field.name) ?? undefined;
    // The hint under the input keeps inputs of a two-column row level.
    const common = {
      label,
      description,
      required: field.required,
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
                <Radio key={option} value={option} label={optionLabel(field.name, option)} disabled={busy} />
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
            data={field.options.map((option) => ({ value: option, label: optionLabel(field.name, option) }))}
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
            max={field.name === 'letterDate' ? jakartaToday() : undefined}
          />
        );
      case 'datetime':
        return (
          <TextInput
            {...common}
            {...form.getInputProps(field.name)}
            type="datetime-local"
            max={jakartaDateTimeLocal()}
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

  // Consecutive short fields share a two-column row.
  const blocks: FieldSpec[][] = [];
  for (const field of fields) {
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

  const kakVersion = action.key === 'save_kak' ? detail.kak.at(-1)?.version : undefined;

  return (
    <form id={formId} onSubmit={submit} noValidate aria-label={title} data-testid={formId}>
      <Stack gap="md">
        {kakVersion ? (
          <Alert color="loket" variant="light" py="xs">
            {t('action.hints.kakPrefilled', { version: kakVersion })}
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
          <Button
            type="submit"
            loading={busy}
            color={action.key === 'close' ? 'teal' : undefined}
            leftSection={<IconCheck size={18} />}
          >
            {title}
          </Button>
        </Group>
      </Stack>
      <ConfirmDialog
        opened={confirming !== null}
        title={t('action.confirmTitle')}
        text={confirming ? (t as (key: string) => string)(confirming) : ''}
        confirmLabel={t('action.confirm')}
        danger={action.key !== 'close'}
        loading={busy}
        onConfirm={() => void send()}
        onClose={() => setConfirming(null)}
      />
    </form>
  );
}
