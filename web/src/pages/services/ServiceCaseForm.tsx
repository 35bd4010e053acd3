/**
 * A request for any service of the catalogue: the letter's fields every DKISP SOP has (subject, number,
 * date, description, the letter and attachments), and the service's own fields read from its
 * `requestInput` JSON Schema with its UI hints. Saved as a draft, then sent with the request step's action.
 */
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowLeft, IconDeviceFloppy, IconSend } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError, request, type UploadProgress, upload } from '../../api/client.ts';
import { casesApi, type FileFields, toFormData } from '../../api/endpoints.ts';
import type { CaseDetail, FileKind } from '../../api/types.ts';
import { localized } from '../../components/CaseBits.tsx';
import { checkFiles, FilePicker, UploadProgressBar } from '../../components/FilePicker.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { jakartaToday } from '../../lib/duration.ts';
import { errorMessage } from '../../lib/errors.ts';
import { caseChanged } from '../cases/queries.ts';
import { WebsitePicker } from '../cases/RequestWebsiteFields.tsx';
import { websiteChoicesQuery } from '../cases/registryLookups.ts';
import { NameCheckNote, useNameCheck } from '../cases/WebsiteBits.tsx';
import type { CatalogueService } from './api.ts';
import {
  checkRequestField,
  initialRequestValues,
  isHidden,
  isRequired,
  type RequestField,
  type RequestValues,
  requestFieldsOf,
  requestPayload,
} from './requestFields.ts';

const LETTER_KINDS: FileKind[] = ['pdf', 'jpeg', 'png'];
const MAX_ATTACHMENTS = 10;

type Letter = { subject: string; letterNumber: string; letterDate: string; description: string };
type DraftExtras = { service?: { key: string }; facts?: Record<string, unknown> };

function HostnameInput({
  field,
  value,
  onChange,
  error,
  disabled,
}: {
  field: RequestField;
  value: string;
  onChange: (value: string) => void;
  error: string | null;
  disabled: boolean;
}) {
  const check = useNameCheck(value);
  return (
    <Stack gap={4}>
      <TextInput
        label={field.label}
        description={field.help}
        required={field.required}
        value={value}
        error={error ?? (check.state === 'unavailable' ? true : undefined)}
        disabled={disabled}
        autoCapitalize="none"
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => onChange(event.currentTarget.value.trim().toLowerCase())}
        data-testid={`request-field-${field.name}`}
      />
      {error ? null : <NameCheckNote check={check} />}
    </Stack>
  );
}

function FieldInput({
  field,
  values,
  setValue,
  error,
  disabled,
}: {
  field: RequestField;
  values: RequestValues;
  setValue: (name: string, value: string | boolean) => void;
  error: string | null;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const websites = useQuery({ ...websiteChoicesQuery(null), enabled: field.kind === 'website' });
  const value = values[field.name];
  const text = typeof value === 'string' ? value : '';
  const required = isRequired(field, values);
  const common = {
    label: field.label,
    description: field.help,
    required,
    error,
    disabled,
    'data-testid': `request-field-${field.name}`,
  };
  switch (field.kind) {
    case 'website':
      return (
        <WebsitePicker
          websites={websites.data}
          loading={websites.isPending}
          error={websites.error}
          onRetry={() => void websites.refetch()}
          value={text || null}
          onChange={(id) => setValue(field.name, id ?? '')}
          fieldError={error}
          disabled={disabled}
          onChooseNew={() => undefined}
        />
      );
    case 'hostname':
      return (
        <HostnameInput
          field={field}
          value={text}
          onChange={(next) => setValue(field.name, next)}
          error={error}
          disabled={disabled}
        />
      );
    case 'switch':
      return (
        <Switch
          {...common}
          checked={value === true}
          onChange={(event) => setValue(field.name, event.currentTarget.checked)}
        />
      );
    case 'confirm':
      return (
        <Checkbox
          {...common}
          checked={value === true}
          onChange={(event) => setValue(field.name, event.currentTarget.checked)}
        />
      );
    case 'radio':
      return (
        <Radio.Group
          {...common}
          value={typeof value === 'boolean' ? String(value) : text}
          onChange={(next) => setValue(field.name, next)}
        >
          <Group gap="md" mt={6}>
            {field.options.map((option) => (
              <Radio key={option.value} value={option.value} label={option.label} disabled={disabled} />
            ))}
          </Group>
        </Radio.Group>
      );
    case 'select':
      return (
        <Select
          {...common}
          data={field.options}
          value={text || null}
          onChange={(next) => setValue(field.name, next ?? '')}
          comboboxProps={{ withinPortal: true }}
          placeholder={t('services.form.choose')}
        />
      );
    case 'number':
      return (
        <NumberInput
          {...common}
          value={text}
          min={field.schema.minimum}
          max={field.schema.maximum}
          onChange={(next) => setValue(field.name, String(next))}
        />
      );
    case 'textarea':
      return (
        <Textarea
          {...common}
          value={text}
          autosize
          minRows={3}
          maxRows={10}
          maxLength={field.schema.maxLength}
          onChange={(event) => setValue(field.name, event.currentTarget.value)}
        />
      );
    case 'date':
    case 'datetime':
      return (
        <TextInput
          {...common}
          type={field.kind === 'date' ? 'date' : 'datetime-local'}
          value={text}
          onChange={(event) => setValue(field.name, event.currentTarget.value)}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          value={text}
          maxLength={field.schema.maxLength}
          onChange={(event) => setValue(field.name, event.currentTarget.value)}
        />
      );
  }
}

export function ServiceCaseForm({ service, draft }: { service: CatalogueService; draft: CaseDetail | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const today = jakartaToday();
  const fields = requestFieldsOf(service.requestInput);
  const facts = (draft as (CaseDetail & DraftExtras) | null)?.facts ?? {};
  const [letterFields, setLetterFields] = useState<Letter>({
    subject: draft?.subject ?? '',
    letterNumber: draft?.letterNumber ?? '',
    letterDate: draft?.letterDate?.slice(0, 10) ?? '',
    description: draft?.description ?? '',
  });
  const [values, setValues] = useState<RequestValues>(() => initialRequestValues(fields, facts));
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [letter, setLetter] = useState<File[]>([]);
  const [attachments, setAttachments] = useState<File[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const storedLetter = draft?.files.find((file) => file.purpose === 'letter') ?? null;
  const disabled = busy !== null;

  const setLetterField = (name: keyof Letter, value: string) => {
    setLetterFields((old) => ({ ...old, [name]: value }));
    setErrors((old) => ({ ...old, [name]: null }));
  };
  const setValue = (name: string, value: string | boolean) => {
    setValues((old) => ({ ...old, [name]: value }));
    setErrors((old) => ({ ...old, [name]: null }));
  };

  const check = (submitting: boolean): boolean => {
    const next: Record<string, string | null> = {};
    for (const name of ['subject', 'letterNumber', 'letterDate', 'description'] as const) {
      if (!letterFields[name].trim()) next[name] = t('validation.required');
    }
    if (letterFields.letterDate && letterFields.letterDate > today)
      next.letterDate = t('newCase.letterDateFuture');
    for (const field of fields) {
      const problem = checkRequestField(field, values);
      if (problem) next[field.name] = problem;
    }
    const letterProblems = checkFiles(letter, LETTER_KINDS, 1);
    if (letterProblems.length) next.letter = letterProblems.join(' ');
    else if (submitting && letter.length === 0 && !storedLetter) next.letter = t('newCase.letterRequired');
    const attachmentProblems = checkFiles(attachments, LETTER_KINDS, MAX_ATTACHMENTS);
    if (attachmentProblems.length) next.attachments = attachmentProblems.join(' ');
    setErrors(next);
    return Object.values(next).every((v) => !v);
  };

  /** The server's word, next to the field it names; the rest above the buttons. */
  const place = (error: unknown) => {
    if (isApiError(error, 'LETTER_REQUIRED')) {
      setErrors((old) => ({ ...old, letter: t('newCase.letterRequired') }));
      return;
    }
    if (isApiError(error, 'LETTER_DATE_IN_FUTURE')) {
      setErrors((old) => ({ ...old, letterDate: t('newCase.letterDateFuture') }));
      return;
    }
    const unplaced: string[] = [];
    if (isApiError(error) && error.details?.fields?.length) {
      const next: Record<string, string> = {};
      for (const field of error.details.fields) {
        const head = field.path.split('.')[0] ?? '';
        if (head in letterFields || fields.some((f) => f.name === head)) next[head] = field.message;
        else unplaced.push(`${field.path}: ${field.message}`);
      }
      setErrors((old) => ({ ...old, ...next }));
      setFormError(unplaced.length ? unplaced.join(' · ') : t('errors.VALIDATION_FAILED'));
      return;
    }
    setFormError(errorMessage(error));
  };

  const save = async (submitting: boolean) => {
    setFormError(null);
    if (!check(submitting)) return;
    setBusy(submitting ? 'submit' : 'draft');
    const body = {
      service: service.key,
      subject: letterFields.subject.trim(),
      letterNumber: letterFields.letterNumber.trim(),
      letterDate: letterFields.letterDate,
      description: letterFields.description.trim(),
      ...requestPayload(fields, values),
    };
    const files: FileFields = { letter, attachments };
    const withFiles = letter.length + attachments.length > 0;
    const onProgress = (next: UploadProgress) => setProgress(next);
    let saved: CaseDetail | null = null;
    try {
      if (draft) {
        const { service: _service, ...changes } = body;
        const patch = { ...changes, version: draft.version };
        const path = `/api/cases/${encodeURIComponent(draft.id)}`;
        saved = withFiles
          ? await upload<CaseDetail>('PATCH', path, toFormData(patch, files), { onProgress })
          : await request<CaseDetail>('PATCH', path, { body: patch });
      } else {
        saved = withFiles
          ? await upload<CaseDetail>('POST', '/api/cases', toFormData(body, files), { onProgress })
          : await request<CaseDetail>('POST', '/api/cases', { body });
      }
      caseChanged(queryClient, saved);
      setProgress(null);
      if (!submitting) {
        notifications.show({ color: 'teal', message: t('newCase.draftSaved', { ref: saved.ref }) });
        await navigate({ to: '/permohonan/$id', params: { id: saved.id } });
        return;
      }
      // The request step's sending action (`submit` unless the SOP renamed it).
      const submit =
        saved.actions.find((a) => a.key === 'submit') ??
        (saved.actions.length === 1 ? saved.actions[0] : undefined);
      const sent = await casesApi.act(saved.id, submit?.key ?? 'submit', { version: saved.version });
      caseChanged(queryClient, sent);
      notifications.show({ color: 'teal', message: t('newCase.submitted', { ref: sent.ref }) });
      await navigate({ to: '/permohonan/$id', params: { id: sent.id } });
    } catch (error) {
      setProgress(null);
      if (saved) {
        notifications.show({
          color: 'orange',
          title: t('newCase.savedButNotSent', { ref: saved.ref }),
          message: errorMessage(error),
        });
        await navigate({ to: '/permohonan/$id/ubah', params: { id: saved.id } });
        return;
      }
      place(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <Anchor component={Link} to="/layanan" size="sm" mb="xs" display="inline-flex" style={{ gap: 4 }}>
        <IconArrowLeft size={16} /> {t('services.backToCatalogue')}
      </Anchor>
      <PageHeader
        title={
          draft
            ? t('newCase.editTitle', { ref: draft.ref })
            : t('services.form.title', { title: localized(service.title) })
        }
        subtitle={service.purpose ? localized(service.purpose) : t('newCase.subtitle')}
      />
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save(true);
        }}
        data-testid={`service-form-${service.key}`}
      >
        <Stack gap="lg" maw={880}>
          <Paper withBorder p={{ base: 'md', sm: 'lg' }} shadow="xs">
            <Title order={2} fz="lg" mb="md">
              {t('newCase.sectionRequest')}
            </Title>
            <Stack gap="md">
              {fields
                .filter((field) => !isHidden(field, values))
                .map((field) => (
                  <FieldInput
                    key={field.name}
                    field={field}
                    values={values}
                    setValue={setValue}
                    error={errors[field.name] ?? null}
                    disabled={disabled}
                  />
                ))}
              <TextInput
                label={t('newCase.subject')}
                placeholder={t('services.form.subjectPlaceholder')}
                required
                disabled={disabled}
                maxLength={300}
                value={letterFields.subject}
                error={errors.subject}
                onChange={(event) => setLetterField('subject', event.currentTarget.value)}
              />
              <Textarea
                label={t('newCase.description')}
                placeholder={t('services.form.descriptionPlaceholder')}
                required
                disabled={disabled}
                autosize
                minRows={4}
                maxRows={12}
                value={letterFields.description}
                error={errors.description}
                onChange={(event) => setLetterField('description', event.currentTarget.value)}
              />
            </Stack>
          </Paper>

          <Paper withBorder p={{ base: 'md', sm: 'lg' }} shadow="xs">
            <Title order={2} fz="lg" mb="md">
              {t('newCase.sectionLetter')}
            </Title>
            <Stack gap="md">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <TextInput
                  label={t('newCase.letterNumber')}
                  placeholder={t('newCase.letterNumberPlaceholder')}
                  required
                  disabled={disabled}
                  value={letterFields.letterNumber}
                  error={errors.letterNumber}
                  onChange={(event) => setLetterField('letterNumber', event.currentTarget.value)}
                />
                <TextInput
                  type="date"
                  label={t('newCase.letterDate')}
                  description={t('newCase.letterDateHint')}
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                  required
                  disabled={disabled}
                  max={today}
                  value={letterFields.letterDate}
                  error={errors.letterDate}
                  onChange={(event) => setLetterField('letterDate', event.currentTarget.value)}
                />
              </SimpleGrid>
              <FilePicker
                label={t('newCase.letter')}
                description={
                  storedLetter && letter.length === 0
                    ? t('newCase.currentLetter', { name: storedLetter.displayName })
                    : t('newCase.letterHint')
                }
                kinds={LETTER_KINDS}
                max={1}
                required
                value={letter}
                onChange={(files) => {
                  setLetter(files);
                  setErrors((old) => ({ ...old, letter: null }));
                }}
                error={errors.letter ?? undefined}
                disabled={disabled}
                testId="letter-file"
              />
              <FilePicker
                label={t('newCase.attachments')}
                description={t('newCase.attachmentsHint')}
                kinds={LETTER_KINDS}
                max={MAX_ATTACHMENTS}
                value={attachments}
                onChange={(files) => {
                  setAttachments(files);
                  setErrors((old) => ({ ...old, attachments: null }));
                }}
                error={errors.attachments ?? undefined}
                disabled={disabled}
                testId="attachment-files"
              />
            </Stack>
          </Paper>

          {formError ? (
            <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert">
              {formError}
            </Alert>
          ) : null}
          <UploadProgressBar progress={progress} />
          {service.requirements?.length ? (
            <Text size="xs" c="dimmed">
              {t('services.form.requirementsNote', { list: service.requirements.join('; ') })}
            </Text>
          ) : null}

          <Group justify="flex-end" gap="sm" className="form-actions">
            <Button
              variant="default"
              leftSection={<IconDeviceFloppy size={18} />}
              loading={busy === 'draft'}
              disabled={disabled && busy !== 'draft'}
              onClick={() => void save(false)}
            >
              {t('newCase.saveDraft')}
            </Button>
            <Button
              type="submit"
              leftSection={<IconSend size={18} />}
              loading={busy === 'submit'}
              disabled={disabled && busy !== 'submit'}
            >
              {t('newCase.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
