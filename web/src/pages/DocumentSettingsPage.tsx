/**
 * "Pengaturan Dokumen" (administrators): what every official PDF carries — the letterhead with its logo,
 * the signer and place, the follow-up letter's numbering — and the three follow-up letter templates, each
 * with a preview; and the SOP sheet issued on demand.
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Code,
  Group,
  Image,
  Menu,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconBraces,
  IconCheck,
  IconEye,
  IconFileCertificate,
  IconHash,
  IconPhoto,
  IconSignature,
  IconTemplate,
  IconUpload,
  IconX,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client.ts';
import { documentSettingsApi, documentsApi } from '../api/endpoints.ts';
import {
  type DocumentSettings,
  type DocumentSettingsInput,
  LETTER_VARIANTS,
  type LetterVariant,
  type OfficialDocument,
  type TemplatePreview,
} from '../api/types.ts';
import { localized } from '../components/CaseBits.tsx';
import { DownloadButton, VerifyLink } from '../components/DocumentLinks.tsx';
import { checkFiles, FilePicker } from '../components/FilePicker.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryError } from '../components/QueryError.tsx';
import { useIsPhone } from '../components/ResponsiveList.tsx';
import i18n from '../i18n/index.ts';
import { formatLetterNumber, insertField, TEMPLATE_FIELDS, unknownTemplateFields } from '../lib/documents.ts';
import { jakartaToday } from '../lib/duration.ts';
import { errorMessage, translateMessage } from '../lib/errors.ts';
import { formatDateTime } from '../lib/format.ts';
import { formatDay } from '../lib/holidayDates.ts';
import { servicesQuery } from './cases/queries.ts';

const LOGO_MAX_BYTES = 512 * 1024;
const settingsKey = ['document-settings'] as const;

type Values = {
  letterhead: DocumentSettingsInput['letterhead'];
  signer: { name: string; title: string; nip: string };
  place: string;
  numbering: DocumentSettingsInput['numbering'];
  templates: DocumentSettingsInput['templates'];
};

const EMPTY: Values = {
  letterhead: { government: '', agency: '', address: '', contact: '' },
  signer: { name: '', title: '', nip: '' },
  place: '',
  numbering: { pattern: '', classification: '', unit: '' },
  templates: { approve: '', reject: '', return: '' },
};

function toValues(s: DocumentSettings): Values {
  return {
    letterhead: { ...s.letterhead },
    signer: { name: s.signer.name, title: s.signer.title, nip: s.signer.nip ?? '' },
    place: s.place,
    numbering: { ...s.numbering },
    templates: { ...s.templates },
  };
}

function toInput(v: Values): DocumentSettingsInput {
  const trim = (s: string) => s.trim();
  return {
    letterhead: {
      government: trim(v.letterhead.government),
      agency: trim(v.letterhead.agency),
      address: trim(v.letterhead.address),
      contact: trim(v.letterhead.contact),
    },
    signer: { name: trim(v.signer.name), title: trim(v.signer.title), nip: trim(v.signer.nip) || null },
    place: trim(v.place),
    numbering: {
      pattern: trim(v.numbering.pattern),
      classification: trim(v.numbering.classification),
      unit: trim(v.numbering.unit),
    },
    templates: { approve: v.templates.approve, reject: v.templates.reject, return: v.templates.return },
  };
}

const required =
  (max: number) =>
  (value: string): string | null =>
    !value.trim()
      ? 'validation.required'
      : value.trim().length > max
        ? i18n.t('action.maxLength', { max })
        : null;
const atMost =
  (max: number) =>
  (value: string): string | null =>
    value.trim().length > max ? i18n.t('action.maxLength', { max }) : null;

/** `{{a}}, {{b}}` for a message. */
const fieldList = (names: string[]) => names.map((name) => `{{${name}}}`).join(', ');

/** A server objection to one field, worded like the client's own checks where it is one of them. */
function serverFieldMessage(path: string, message: string): string {
  if (/required|too small|>=\s*1/i.test(message)) return 'validation.required';
  if (path === 'signer.nip') return 'validation.nip';
  if (path === 'numbering.pattern' && /nomor/.test(message)) return 'docSettings.patternNomor';
  return message;
}

function Card({
  title,
  icon,
  children,
  testId,
  intro,
}: {
  title: string;
  icon: ReactNode;
  children: ReactNode;
  testId?: string;
  intro?: ReactNode;
}) {
  return (
    <Paper withBorder shadow="xs" p={{ base: 'md', sm: 'lg' }} component="section" data-testid={testId}>
      <Group gap="sm" mb={intro ? 4 : 'md'} wrap="nowrap">
        <ThemeIcon variant="light" size={34} radius="md">
          {icon}
        </ThemeIcon>
        <Title order={2} fz="lg">
          {title}
        </Title>
      </Group>
      {intro ? (
        <Text size="sm" c="dimmed" mb="md">
          {intro}
        </Text>
      ) : null}
      {children}
    </Paper>
  );
}

/** The letterhead as the PDFs print it, roughly: to see the words in place while typing them. */
function LetterheadPreview({ values, logo }: { values: Values['letterhead']; logo: ReactNode }) {
  return (
    <Box className="letterhead-preview" aria-hidden>
      <div className="letterhead-preview-logo">{logo}</div>
      <div className="letterhead-preview-text">
        <div className="letterhead-preview-government">{values.government || '—'}</div>
        <div className="letterhead-preview-agency">{values.agency || '—'}</div>
        <div className="letterhead-preview-address">{values.address}</div>
        {values.contact ? <div className="letterhead-preview-address">{values.contact}</div> : null}
      </div>
    </Box>
  );
}

function LogoUpload({ settings }: { settings: DocumentSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [files, setFiles] = useState<File[]>([]);
  const [preview, setPreview] = useState<string | null>(null);
  const problems = checkFiles(files, ['png', 'jpeg'], 1, LOGO_MAX_BYTES);
  const file = files[0];

  useEffect(() => {
    if (!file) {
      setPreview(null);
      return;
    }
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const upload = useMutation({
    mutationFn: (chosen: File) => documentSettingsApi.uploadLogo(chosen),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKey, saved);
      notifications.show({ color: 'teal', message: t('docSettings.logoUploaded') });
      setFiles([]);
    },
  });
  const uploadError = upload.error
    ? isApiError(upload.error, 'FILE_TOO_LARGE')
      ? t('files.tooLarge', { name: upload.variables?.name ?? '', size: '', max: '512 KB' })
      : errorMessage(upload.error)
    : null;

  return (
    <Stack gap="xs" data-testid="logo">
      <Text size="sm" fw={500}>
        {t('docSettings.logo')}
      </Text>
      {settings.logo ? (
        <Badge
          color="teal"
          variant="light"
          radius="sm"
          tt="none"
          size="lg"
          leftSection={<IconCheck size={14} />}
          data-testid="logo-status"
        >
          {t('docSettings.logoSet', { mime: settings.logo.mime })}
        </Badge>
      ) : (
        <Text size="sm" c="dimmed" data-testid="logo-status">
          {t('docSettings.logoNone')}
        </Text>
      )}
      <FilePicker
        label={t('docSettings.logoFile')}
        description={t('docSettings.logoHint')}
        kinds={['png', 'jpeg']}
        max={1}
        value={files}
        onChange={(chosen) => {
          upload.reset();
          setFiles(chosen);
        }}
        error={problems.length ? problems.join(' ') : uploadError}
        disabled={upload.isPending}
        testId="logo-file"
      />
      {preview && problems.length === 0 ? (
        <Group gap="sm" align="center">
          <Box className="logo-preview">
            <Image src={preview} alt={t('docSettings.logoPreview')} fit="contain" h={64} w={64} />
          </Box>
          <Button
            leftSection={<IconUpload size={16} />}
            loading={upload.isPending}
            onClick={() => file && upload.mutate(file)}
          >
            {t('docSettings.logoUpload')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

/** The settings form, with the same rules as the server (which has the last word). */
function useSettingsForm() {
  return useForm<Values>({
    initialValues: EMPTY,
    validate: {
      letterhead: {
        government: required(200),
        agency: required(200),
        address: required(300),
        contact: atMost(300),
      },
      signer: {
        name: required(200),
        title: required(200),
        nip: (value) => (!value.trim() || /^\d{18}$/.test(value.trim()) ? null : 'validation.nip'),
      },
      place: required(100),
      numbering: {
        pattern: (value) =>
          required(100)(value) ?? (value.includes('{nomor') ? null : 'docSettings.patternNomor'),
        classification: atMost(50),
        unit: atMost(50),
      },
      templates: { approve: required(10_000), reject: required(10_000), return: required(10_000) },
    },
  });
}

type SettingsForm = ReturnType<typeof useSettingsForm>;

type PreviewState = TemplatePreview & { source: string };

function TemplateEditor({ variant, form }: { variant: LetterVariant; form: SettingsForm }) {
  const { t } = useTranslation();
  const area = useRef<HTMLTextAreaElement>(null);
  const [preview, setPreview] = useState<PreviewState | null>(null);
  const value = form.values.templates[variant];
  const path = `templates.${variant}` as const;
  const name = t(`docSettings.variants.${variant}`);
  const unknown = unknownTemplateFields(value);

  const run = useMutation({
    mutationFn: (template: string) => documentSettingsApi.preview(template),
    onSuccess: (result, template) => setPreview({ ...result, source: template }),
  });
  // A preview of other words than these is no preview: it goes when the text changes.
  const shown = preview && preview.source === value ? preview : null;

  const insert = (field: string) => {
    const element = area.current;
    const next = insertField(value, field, element?.selectionStart, element?.selectionEnd);
    form.setFieldValue(path, next.text);
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(next.cursor, next.cursor);
    });
  };

  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} data-testid={`template-${variant}`}>
      <Textarea
        ref={area}
        label={name}
        autosize
        minRows={5}
        maxRows={16}
        required
        {...form.getInputProps(path)}
        error={translateMessage(form.errors[path])}
        // A template with an error keeps its text readable; the border and the message say what is wrong.
        styles={{ input: { lineHeight: 1.55, color: 'var(--mantine-color-text)' } }}
      />
      {unknown.length > 0 && !form.errors[path] ? (
        <Text size="xs" c="orange.8" mt={4} data-testid="template-unknown-live">
          {t('docSettings.unknownFields', { fields: fieldList(unknown) })} ·{' '}
          {t('docSettings.unknownFieldsHint')}
        </Text>
      ) : null}
      <Group gap="xs" mt="sm">
        <Button
          size="xs"
          variant="light"
          leftSection={<IconEye size={16} />}
          loading={run.isPending}
          onClick={() => run.mutate(value)}
          aria-label={t('docSettings.previewLabel', { variant: name })}
        >
          {t('docSettings.preview')}
        </Button>
        <Menu position="bottom-start" shadow="md" withinPortal>
          <Menu.Target>
            <Button
              size="xs"
              variant="subtle"
              leftSection={<IconBraces size={16} />}
              aria-label={t('docSettings.insertFieldLabel', { variant: name })}
            >
              {t('docSettings.insertField')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {TEMPLATE_FIELDS.map((field) => (
              <Menu.Item key={field} onClick={() => insert(field)}>
                <Text size="sm" ff="monospace">{`{{${field}}}`}</Text>
                <Text size="xs" c="dimmed">
                  {t(`docSettings.fields.${field}`)}
                </Text>
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      </Group>
      {run.isError ? (
        <Alert color="red" variant="light" mt="sm" icon={<IconAlertTriangle size={18} />}>
          {errorMessage(run.error)}
        </Alert>
      ) : null}
      {shown ? (
        <Box mt="sm" data-testid="template-preview" aria-live="polite">
          <Group justify="space-between" gap="xs" mb={6}>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.04em' }}>
              {t('docSettings.previewTitle')} ·{' '}
              {t('docSettings.paragraphs', { count: shown.paragraphs.length })}
            </Text>
            <Button
              size="compact-xs"
              variant="subtle"
              color="gray"
              leftSection={<IconX size={12} />}
              onClick={() => setPreview(null)}
            >
              {t('docSettings.previewClose')}
            </Button>
          </Group>
          {shown.unknownFields.length > 0 ? (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertTriangle size={18} />}
              mb="xs"
              data-testid="template-preview-unknown"
              title={t('docSettings.unknownFields', { fields: fieldList(shown.unknownFields) })}
            >
              {t('docSettings.unknownFieldsHint')}
            </Alert>
          ) : null}
          <div className="letter-preview">
            {shown.paragraphs.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('docSettings.previewEmpty')}
              </Text>
            ) : (
              shown.paragraphs.map((paragraph, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the paragraphs of one preview, in order
                <p key={index}>{paragraph}</p>
              ))
            )}
          </div>
        </Box>
      ) : null}
    </Paper>
  );
}

function SopSheet() {
  const { t } = useTranslation();
  const [issued, setIssued] = useState<OfficialDocument | null>(null);
  // Any service of the catalogue has its sheet; the first one is picked to begin with.
  const services = useQuery(servicesQuery);
  const [picked, setPicked] = useState<string | null>(null);
  const catalogue = services.data ?? [];
  const serviceKey = picked ?? catalogue[0]?.key ?? null;
  const issue = useMutation({
    mutationFn: () => documentsApi.issueSopSheet(serviceKey ?? ''),
    onSuccess: (document) => {
      setIssued(document);
      notifications.show({ color: 'teal', message: t('docSettings.sopIssued') });
    },
  });
  return (
    <Card
      title={t('docSettings.sopTitle')}
      icon={<IconFileCertificate size={20} />}
      intro={t('docSettings.sopText')}
      testId="sop-sheet"
    >
      {catalogue.length > 1 ? (
        <Select
          label={t('docSettings.sopService')}
          data={catalogue.map((service) => ({ value: service.key, label: localized(service.title) }))}
          value={serviceKey}
          onChange={(value) => {
            if (value) setPicked(value);
            setIssued(null);
          }}
          allowDeselect={false}
          searchable
          maw={480}
          mb="sm"
          data-testid="sop-sheet-service"
          comboboxProps={{ withinPortal: true }}
        />
      ) : null}
      {services.isError ? (
        <Alert color="red" variant="light" mb="sm" icon={<IconAlertTriangle size={18} />} role="alert">
          {errorMessage(services.error)}
        </Alert>
      ) : null}
      <Button
        variant="light"
        leftSection={<IconFileCertificate size={18} />}
        loading={issue.isPending}
        disabled={!serviceKey}
        onClick={() => issue.mutate()}
      >
        {t('docSettings.sopIssue')}
      </Button>
      {issue.isError ? (
        <Alert color="red" variant="light" mt="sm" icon={<IconAlertTriangle size={18} />} role="alert">
          {errorMessage(issue.error)}
        </Alert>
      ) : null}
      {issued ? (
        <Paper withBorder radius="md" p="sm" mt="md" className="official-doc" data-testid="sop-sheet-issued">
          <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
            <Box style={{ flex: '1 1 220px', minWidth: 0 }}>
              <Text size="sm" fw={700} className="break-anywhere">
                {issued.title}
              </Text>
              <Text size="xs" c="dimmed">
                {t('docs.version', { version: issued.version })} ·{' '}
                {t('docs.issued', {
                  time: formatDateTime(issued.issuedAt),
                  name: issued.issuedBy.fullName,
                })}
              </Text>
              <Box mt={4}>
                <VerifyLink document={issued} />
              </Box>
            </Box>
            <DownloadButton document={issued} variant="filled" size="sm" />
          </Group>
        </Paper>
      ) : null}
    </Card>
  );
}

export function DocumentSettingsPage() {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: settingsKey, queryFn: () => documentSettingsApi.get() });
  const [formError, setFormError] = useState<string | null>(null);
  const loaded = useRef(false);

  const form = useSettingsForm();

  // The form takes the settings once; later refetches must not overwrite what is being typed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form object is stable
  useEffect(() => {
    if (!settings.data || loaded.current) return;
    loaded.current = true;
    const values = toValues(settings.data);
    form.setInitialValues(values);
    form.setValues(values);
    form.resetDirty(values);
  }, [settings.data]);

  /** Server objections next to their fields; what belongs to no field, for the whole form. */
  function showServerError(error: unknown): string | null {
    const setError = form.setFieldError as (path: string, message: ReactNode) => void;
    if (isApiError(error, 'TEMPLATE_UNKNOWN_FIELDS') && error.details?.fields?.length) {
      const byPath = new Map<string, string[]>();
      for (const field of error.details.fields) {
        const name = /\{\{\s*(.*?)\s*\}\}/.exec(field.message)?.[1] ?? field.message;
        byPath.set(field.path, [...(byPath.get(field.path) ?? []), name]);
      }
      for (const [path, names] of byPath) {
        setError(path, t('docSettings.unknownFields', { fields: fieldList(names) }));
      }
      return null;
    }
    if (isApiError(error, 'VALIDATION_FAILED') && error.details?.fields?.length) {
      const unplaced: string[] = [];
      for (const field of error.details.fields) {
        if (/^(letterhead|signer|numbering|templates)\.\w+$|^place$/.test(field.path)) {
          setError(field.path, serverFieldMessage(field.path, field.message));
        } else {
          unplaced.push(`${field.path}: ${field.message}`);
        }
      }
      return unplaced.length ? `${t('errors.VALIDATION_FAILED')} ${unplaced.join('; ')}` : null;
    }
    return errorMessage(error);
  }

  const save = useMutation({
    mutationFn: (values: Values) => documentSettingsApi.save(toInput(values)),
    onMutate: () => setFormError(null),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKey, saved);
      const values = toValues(saved);
      form.setInitialValues(values);
      form.setValues(values);
      form.resetDirty(values);
      notifications.show({ color: 'teal', message: t('docSettings.saved') });
    },
    onError: (error) => {
      setFormError(showServerError(error));
      requestAnimationFrame(() => {
        document
          .querySelector<HTMLElement>('[data-testid="document-settings-form"] [aria-invalid="true"]')
          ?.focus();
      });
    },
  });

  if (settings.isError && !settings.data) {
    return (
      <>
        <PageHeader title={t('docSettings.title')} subtitle={t('docSettings.subtitle')} />
        <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
      </>
    );
  }
  if (!settings.data) {
    return (
      <>
        <PageHeader title={t('docSettings.title')} subtitle={t('docSettings.subtitle')} />
        <Stack gap="lg">
          <Skeleton height={320} radius="lg" />
          <Skeleton height={420} radius="lg" />
        </Stack>
      </>
    );
  }

  const values = form.values;
  const today = jakartaToday();
  const example = formatLetterNumber(values.numbering.pattern, 1, today, {
    classification: values.numbering.classification.trim(),
    unit: values.numbering.unit.trim(),
  });
  const dirty = form.isDirty();

  return (
    <>
      <PageHeader title={t('docSettings.title')} subtitle={t('docSettings.subtitle')} />
      <form
        onSubmit={form.onSubmit(
          (v) => save.mutate(v),
          () => setFormError(t('errors.VALIDATION_FAILED')),
        )}
        noValidate
        data-testid="document-settings-form"
      >
        <Stack gap="lg">
          {formError ? (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
              {formError}
            </Alert>
          ) : null}

          <Box className="settings-grid">
            <Card title={t('docSettings.letterheadTitle')} icon={<IconPhoto size={20} />} testId="letterhead">
              <Stack gap="sm">
                <TextInput
                  label={t('docSettings.government')}
                  required
                  {...form.getInputProps('letterhead.government')}
                  error={translateMessage(form.errors['letterhead.government'])}
                />
                <TextInput
                  label={t('docSettings.agency')}
                  required
                  {...form.getInputProps('letterhead.agency')}
                  error={translateMessage(form.errors['letterhead.agency'])}
                />
                <TextInput
                  label={t('docSettings.address')}
                  required
                  {...form.getInputProps('letterhead.address')}
                  error={translateMessage(form.errors['letterhead.address'])}
                />
                <TextInput
                  label={t('docSettings.contact')}
                  description={t('docSettings.contactHint')}
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                  {...form.getInputProps('letterhead.contact')}
                  error={translateMessage(form.errors['letterhead.contact'])}
                />
                <LetterheadPreview
                  values={values.letterhead}
                  logo={
                    settings.data.logo ? (
                      <IconPhoto size={28} stroke={1.4} />
                    ) : (
                      <span className="letterhead-preview-nologo" />
                    )
                  }
                />
                <LogoUpload settings={settings.data} />
              </Stack>
            </Card>

            <Stack gap="lg">
              <Card title={t('docSettings.signerTitle')} icon={<IconSignature size={20} />} testId="signer">
                <Stack gap="sm">
                  <TextInput
                    label={t('docSettings.signerName')}
                    required
                    {...form.getInputProps('signer.name')}
                    error={translateMessage(form.errors['signer.name'])}
                  />
                  <TextInput
                    label={t('docSettings.signerRole')}
                    required
                    {...form.getInputProps('signer.title')}
                    error={translateMessage(form.errors['signer.title'])}
                  />
                  <TextInput
                    label={t('docSettings.signerNip')}
                    description={t('docSettings.signerNipHint')}
                    inputWrapperOrder={['label', 'input', 'description', 'error']}
                    inputMode="numeric"
                    maxLength={18}
                    {...form.getInputProps('signer.nip')}
                    error={translateMessage(form.errors['signer.nip'])}
                  />
                  <TextInput
                    label={t('docSettings.place')}
                    required
                    description={t('docSettings.placeHint', {
                      place: values.place.trim() || '…',
                      date: formatDay(today),
                    })}
                    inputWrapperOrder={['label', 'input', 'description', 'error']}
                    {...form.getInputProps('place')}
                    error={translateMessage(form.errors.place)}
                  />
                </Stack>
              </Card>

              <Card
                title={t('docSettings.numberingTitle')}
                icon={<IconHash size={20} />}
                intro={t('docSettings.numberingIntro')}
                testId="numbering"
              >
                <Stack gap="sm">
                  <TextInput
                    label={t('docSettings.pattern')}
                    required
                    description={t('docSettings.patternHint')}
                    inputWrapperOrder={['label', 'input', 'description', 'error']}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    autoCapitalize="none"
                    spellCheck={false}
                    {...form.getInputProps('numbering.pattern')}
                    error={translateMessage(form.errors['numbering.pattern'])}
                  />
                  <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
                    <TextInput
                      label={t('docSettings.classification')}
                      {...form.getInputProps('numbering.classification')}
                      error={translateMessage(form.errors['numbering.classification'])}
                    />
                    <TextInput
                      label={t('docSettings.unit')}
                      {...form.getInputProps('numbering.unit')}
                      error={translateMessage(form.errors['numbering.unit'])}
                    />
                  </SimpleGrid>
                  <Box className="number-example" data-testid="number-example">
                    <Text size="xs" c="dimmed" fw={600}>
                      {t('docSettings.example', { sequence: 1 })}
                    </Text>
                    <Text ff="monospace" fw={700} size="lg" className="break-anywhere">
                      {example || '—'}
                    </Text>
                  </Box>
                </Stack>
              </Card>
            </Stack>
          </Box>

          <Card
            title={t('docSettings.templatesTitle')}
            icon={<IconTemplate size={20} />}
            intro={t('docSettings.templatesIntro')}
            testId="templates"
          >
            <Box component="dl" className="template-fields" mb="md" data-testid="template-fields">
              {TEMPLATE_FIELDS.map((field) => (
                <div key={field}>
                  <dt>
                    <Code>{`{{${field}}}`}</Code>
                  </dt>
                  <dd>{t(`docSettings.fields.${field}`)}</dd>
                </div>
              ))}
            </Box>
            <Stack gap="md">
              {LETTER_VARIANTS.map((variant) => (
                <TemplateEditor key={variant} variant={variant} form={form} />
              ))}
            </Stack>
          </Card>

          {/* Sticky while there is something to save, so Simpan is never a long scroll away. */}
          <Paper
            withBorder
            shadow={dirty ? 'md' : 'xs'}
            p="sm"
            className="save-bar"
            data-dirty={dirty ? 'true' : undefined}
            data-testid="save-bar"
          >
            <Group justify="space-between" gap="xs" wrap="wrap">
              {dirty ? (
                <Text size="sm" c="orange.8" fw={600}>
                  {t('docSettings.unsaved')}
                </Text>
              ) : null}
              <Group
                gap="sm"
                ml="auto"
                wrap="nowrap"
                grow={isPhone}
                style={isPhone ? { flex: 1 } : undefined}
              >
                <Button
                  variant="default"
                  disabled={!dirty || save.isPending}
                  onClick={() => {
                    form.reset();
                    form.clearErrors();
                    setFormError(null);
                  }}
                >
                  {isPhone ? t('common.cancel') : t('docSettings.reset')}
                </Button>
                <Button type="submit" loading={save.isPending} disabled={!dirty}>
                  {isPhone ? t('common.save') : t('docSettings.save')}
                </Button>
              </Group>
            </Group>
          </Paper>
        </Stack>
      </form>
      <Box mt="lg">
        <SopSheet />
      </Box>
    </>
  );
}
