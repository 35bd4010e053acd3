import {
  Alert,
  Anchor,
  Button,
  EmptyState,
  Group,
  Paper,
  Radio,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowLeft, IconDeviceFloppy, IconLock, IconSend } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FieldError, isApiError, type UploadProgress } from '../../api/client.ts';
import { casesApi, type FileFields } from '../../api/endpoints.ts';
import type { CaseDetail, CaseInput, CaseKind, FileKind } from '../../api/types.ts';
import { checkFiles, FilePicker, UploadProgressBar } from '../../components/FilePicker.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { jakartaToday } from '../../lib/duration.ts';
import { applyFormError, errorMessage } from '../../lib/errors.ts';
import { hasRole, useMe } from '../../session.ts';
import type { CatalogueService } from '../services/api.ts';
import { catalogueQuery } from '../services/CataloguePage.tsx';
import { requestFieldsOf, usesWebsiteRequestForm } from '../services/requestFields.ts';
import { ServiceCaseForm } from '../services/ServiceCaseForm.tsx';
import { caseChanged, caseQuery } from './queries.ts';
import { RequestedNameField, WebsitePicker } from './RequestWebsiteFields.tsx';
import { registryLookups, websiteChoicesQuery } from './registryLookups.ts';
import { reasonText, translateNameReason, useNameCheck } from './WebsiteBits.tsx';
import { composeHostname, labelProblem, splitHostname, zonesOf } from './websiteRules.ts';

const LETTER_KINDS: FileKind[] = ['pdf', 'jpeg', 'png'];
const MAX_ATTACHMENTS = 10;

type Values = {
  kind: CaseKind;
  /** For an update: the OPD's website in the registry. */
  websiteId: string | null;
  /** For a new website: the address asked for, as first part and zone. */
  label: string;
  zone: string;
  subject: string;
  letterNumber: string;
  letterDate: string;
  description: string;
};

const editRoute = getRouteApi('/app/permohonan/$id/ubah');
const newRoute = getRouteApi('/app/permohonan/baru');

/**
 * Whether a service's request is the website request (kind, the website to update, the name asked for):
 * known from its request fields' pickers. Without the catalogue's `requestInput` (an older server) only
 * the website service is filed here.
 */
function isWebsiteRequest(service: CatalogueService | undefined): boolean {
  if (!service) return true;
  if (!service.requestInput) return service.key === 'website';
  return usesWebsiteRequestForm(requestFieldsOf(service.requestInput));
}

/** The form for a service: the website request's own, or the generic one built from its request fields. */
function FormFor({ serviceKey, draft }: { serviceKey: string | undefined; draft: CaseDetail | null }) {
  const { t } = useTranslation();
  const catalogue = useQuery({ ...catalogueQuery, enabled: Boolean(serviceKey) });
  if (!serviceKey) return <CaseForm draft={draft} />;
  if (catalogue.isError)
    return <QueryError error={catalogue.error} onRetry={() => void catalogue.refetch()} />;
  if (!catalogue.data) return <Skeleton height={480} radius="lg" />;
  const service = catalogue.data.find((s) => s.key === serviceKey);
  if (!service) {
    return (
      <Alert color="orange" icon={<IconAlertTriangle size={18} />}>
        {t('services.unknown', { key: serviceKey })}{' '}
        <Anchor component={Link} to="/layanan">
          {t('services.catalogueTitle')}
        </Anchor>
      </Alert>
    );
  }
  return isWebsiteRequest(service) ? (
    <CaseForm draft={draft} />
  ) : (
    <ServiceCaseForm service={service} draft={draft} />
  );
}

function OpdOnly() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="xl" maw={560} mx="auto" mt="xl">
      <EmptyState
        icon={<IconLock size={30} stroke={1.5} />}
        variant="light"
        color="orange"
        title={t('newCase.opdOnlyTitle')}
        description={t('newCase.opdOnly')}
      >
        <EmptyState.Actions>
          <Button component={Link} to="/permohonan">
            {t('case.backToList')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Paper>
  );
}

/** `/permohonan/baru`: an OPD operator files a request. */
export function NewCasePage() {
  const me = useMe();
  const { layanan } = newRoute.useSearch();
  if (!hasRole(me, 'opd')) return <OpdOnly />;
  return <FormFor serviceKey={layanan} draft={null} />;
}

/** `/permohonan/:id/ubah`: the same form for a saved draft. */
export function EditDraftPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { id } = editRoute.useParams();
  const query = useQuery(caseQuery(id));
  if (!hasRole(me, 'opd')) return <OpdOnly />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Skeleton height={480} radius="lg" />;
  if (query.data.status !== 'draft') {
    return (
      <Alert color="orange" icon={<IconAlertTriangle size={18} />}>
        {t('errors.ACTION_NOT_ALLOWED_NOW')}{' '}
        <Anchor component={Link} to={`/permohonan/${id}`}>
          {query.data.ref}
        </Anchor>
      </Alert>
    );
  }
  const service = (query.data as CaseDetail & { service?: { key: string } }).service;
  return <FormFor serviceKey={service?.key} draft={query.data} />;
}

function CaseForm({ draft }: { draft: CaseDetail | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const today = jakartaToday();
  const [letter, setLetter] = useState<File[]>([]);
  const [attachments, setAttachments] = useState<File[]>([]);
  const [fileErrors, setFileErrors] = useState<{ letter?: string; attachments?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const storedLetter = draft?.files.find((file) => file.purpose === 'letter') ?? null;
  // A new website's requested address as the draft kept it (an update names its website instead).
  const requested = draft?.kind === 'new' && !draft.website ? splitHostname(draft.websiteRef ?? '') : null;

  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      kind: draft?.kind === 'update' ? 'update' : 'new',
      websiteId: draft?.kind === 'update' ? (draft.website?.id ?? null) : null,
      label: requested?.label ?? '',
      zone: requested?.zone ?? '',
      subject: draft?.subject ?? '',
      letterNumber: draft?.letterNumber ?? '',
      letterDate: draft?.letterDate?.slice(0, 10) ?? '',
      description: draft?.description ?? '',
    },
    validate: {
      subject: (value) => (value.trim() ? null : t('validation.required')),
      letterNumber: (value) => (value.trim() ? null : t('validation.required')),
      letterDate: (value) => {
        if (!value) return t('validation.required');
        return value > jakartaToday() ? t('newCase.letterDateFuture') : null;
      },
      description: (value) => (value.trim() ? null : t('validation.required')),
      websiteId: (value, values) =>
        values.kind === 'update' && !value ? t('newCase.websiteRequired') : null,
    },
  });
  const values = form.getValues();

  // The OPD's own websites: the choices of an update, and the zones a new name is likely to go under.
  const websites = useQuery(websiteChoicesQuery(null));
  // OPD users may not list the zones; a name outside every zone is answered with the list of them.
  const zoneHint = useQuery({
    queryKey: ['registry', 'zone-hint'],
    queryFn: async () => (await registryLookups.checkName('nama', undefined)).zones,
    enabled: values.kind === 'new',
    staleTime: 10 * 60_000,
    retry: false,
  });
  const hostname = values.kind === 'new' ? composeHostname(values.label, values.zone) : '';
  const check = useNameCheck(hostname);
  const zones = [
    ...new Set([
      ...(zoneHint.data ?? []),
      ...zonesOf((websites.data ?? []).map((w) => w.hostname)),
      ...(check.state === 'unavailable' ? check.zones : []),
    ]),
  ];
  // With a single zone there is nothing to choose: it is filled in (unless the user typed one).
  const zoneTouched = useRef(Boolean(requested?.zone));
  const onlyZone = zones.length === 1 ? zones[0] : undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the known zones change
  useEffect(() => {
    if (onlyZone && !zoneTouched.current && !form.getValues().zone) form.setFieldValue('zone', onlyZone);
  }, [onlyZone]);

  /** What is wrong with the requested address before anything is sent, or null. */
  const requestedProblem = (): string | null => {
    const current = form.getValues();
    if (current.kind !== 'new' || !current.label.trim()) return null;
    const local = labelProblem(current.label.trim());
    if (local) return reasonText(local);
    if (!current.zone.trim()) return t('newCase.zoneMissing');
    if (check.state === 'unavailable' && check.hostname === hostname) return check.reason;
    return null;
  };

  /** The server's word on the website fields, next to them; true when every problem was placed. */
  const placeWebsiteErrors = (error: unknown): boolean => {
    if (!isApiError(error) || !error.details?.fields?.length) return false;
    const fields: FieldError[] = error.details.fields;
    let all = true;
    for (const field of fields) {
      const head = field.path.split('.')[0];
      if (head === 'requestedHostname') {
        form.setFieldError('requestedHostname' as never, translateNameReason(field.message));
      } else if (head === 'websiteId') {
        form.setFieldError(
          'websiteId',
          /retired/.test(field.message)
            ? t('newCase.websiteRetired')
            : /pick/.test(field.message)
              ? t('newCase.websiteRequired')
              : t('newCase.websiteUnknown'),
        );
      } else {
        all = false;
      }
    }
    return all;
  };

  const checkChosenFiles = (submitting: boolean): boolean => {
    const errors: { letter?: string; attachments?: string } = {};
    const letterProblems = checkFiles(letter, LETTER_KINDS, 1);
    if (letterProblems.length) errors.letter = letterProblems.join(' ');
    else if (submitting && letter.length === 0 && !storedLetter) errors.letter = t('newCase.letterRequired');
    const attachmentProblems = checkFiles(attachments, LETTER_KINDS, MAX_ATTACHMENTS);
    if (attachmentProblems.length) errors.attachments = attachmentProblems.join(' ');
    setFileErrors(errors);
    return !errors.letter && !errors.attachments;
  };

  const save = async (submitting: boolean) => {
    setFormError(null);
    const valid = !form.validate().hasErrors;
    const nameProblem = requestedProblem();
    if (nameProblem) form.setFieldError('requestedHostname' as never, nameProblem);
    const filesValid = checkChosenFiles(submitting);
    if (!valid || nameProblem || !filesValid) return;
    setBusy(submitting ? 'submit' : 'draft');
    const values = form.getValues();
    const requestedHostname = composeHostname(values.label, values.zone);
    const input: CaseInput = {
      kind: values.kind,
      subject: values.subject.trim(),
      letterNumber: values.letterNumber.trim(),
      letterDate: values.letterDate,
      description: values.description.trim(),
      ...(values.kind === 'update' && values.websiteId ? { websiteId: values.websiteId } : {}),
      ...(values.kind === 'new' && requestedHostname ? { requestedHostname } : {}),
    };
    const files: FileFields = { letter, attachments };
    const onProgress = (next: UploadProgress) => setProgress(next);
    let saved: CaseDetail | null = null;
    try {
      saved = draft
        ? await casesApi.update(draft.id, { ...input, version: draft.version }, files, { onProgress })
        : await casesApi.create(input, files, { onProgress });
      caseChanged(queryClient, saved);
      setProgress(null);
      if (!submitting) {
        notifications.show({ color: 'teal', message: t('newCase.draftSaved', { ref: saved.ref }) });
        await navigate({ to: '/permohonan/$id', params: { id: saved.id } });
        return;
      }
      const sent = await casesApi.act(saved.id, 'submit', { version: saved.version });
      caseChanged(queryClient, sent);
      notifications.show({ color: 'teal', message: t('newCase.submitted', { ref: sent.ref }) });
      await navigate({ to: '/permohonan/$id', params: { id: sent.id } });
    } catch (error) {
      setProgress(null);
      if (saved) {
        // The draft exists; sending it failed. Carry on from the draft instead of filing it twice.
        notifications.show({
          color: 'orange',
          title: t('newCase.savedButNotSent', { ref: saved.ref }),
          message: errorMessage(error),
        });
        await navigate({ to: '/permohonan/$id/ubah', params: { id: saved.id } });
        return;
      }
      if (isApiError(error, 'LETTER_REQUIRED')) {
        setFileErrors({ letter: t('newCase.letterRequired') });
      } else if (isApiError(error, 'LETTER_DATE_IN_FUTURE')) {
        form.setFieldError('letterDate', t('newCase.letterDateFuture'));
      } else if (isApiError(error) && error.code.startsWith('FILE_')) {
        setFormError(errorMessage(error));
      } else if (placeWebsiteErrors(error)) {
        setFormError(null);
      } else {
        setFormError(applyFormError(form, error));
        placeWebsiteErrors(error);
      }
    } finally {
      setBusy(null);
    }
  };

  const disabled = busy !== null;

  return (
    <>
      <Anchor component={Link} to="/permohonan" size="sm" mb="xs" display="inline-flex" style={{ gap: 4 }}>
        <IconArrowLeft size={16} /> {t('case.backToList')}
      </Anchor>
      <PageHeader
        title={draft ? t('newCase.editTitle', { ref: draft.ref }) : t('newCase.title')}
        subtitle={t('newCase.subtitle')}
      />
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save(true);
        }}
      >
        <Stack gap="lg" maw={880}>
          <Paper withBorder p={{ base: 'md', sm: 'lg' }} shadow="xs">
            <Title order={2} fz="lg" mb="md">
              {t('newCase.sectionRequest')}
            </Title>
            <Stack gap="md">
              <Radio.Group label={t('newCase.kind')} required {...form.getInputProps('kind')}>
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt={6}>
                  {(['new', 'update'] as const).map((kind) => (
                    <Radio.Card
                      key={kind}
                      value={kind}
                      radius="md"
                      p="sm"
                      className="choice-card"
                      disabled={disabled}
                      aria-label={kind === 'new' ? t('newCase.kindNew') : t('newCase.kindUpdate')}
                    >
                      <Group wrap="nowrap" align="flex-start" gap="sm">
                        <Radio.Indicator mt={2} />
                        <div>
                          <Text fw={600} size="sm">
                            {kind === 'new' ? t('newCase.kindNew') : t('newCase.kindUpdate')}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {kind === 'new' ? t('newCase.kindNewText') : t('newCase.kindUpdateText')}
                          </Text>
                        </div>
                      </Group>
                    </Radio.Card>
                  ))}
                </SimpleGrid>
              </Radio.Group>
              {values.kind === 'update' ? (
                <WebsitePicker
                  websites={websites.data}
                  loading={websites.isPending}
                  error={websites.error}
                  onRetry={() => void websites.refetch()}
                  value={values.websiteId}
                  onChange={(id) => form.setFieldValue('websiteId', id)}
                  fieldError={form.errors.websiteId}
                  disabled={disabled}
                  onChooseNew={() => form.setFieldValue('kind', 'new')}
                />
              ) : (
                <RequestedNameField
                  label={values.label}
                  zone={values.zone}
                  onLabel={(label) => {
                    form.setFieldValue('label', label);
                    form.clearFieldError('requestedHostname');
                  }}
                  onZone={(zone) => {
                    zoneTouched.current = true;
                    form.setFieldValue('zone', zone);
                    form.clearFieldError('requestedHostname');
                  }}
                  zones={zones}
                  check={check}
                  fieldError={form.errors.requestedHostname}
                  disabled={disabled}
                />
              )}
              <TextInput
                label={t('newCase.subject')}
                placeholder={t('newCase.subjectPlaceholder')}
                required
                disabled={disabled}
                maxLength={300}
                {...form.getInputProps('subject')}
              />
              <Textarea
                label={t('newCase.description')}
                placeholder={t('newCase.descriptionPlaceholder')}
                required
                disabled={disabled}
                autosize
                minRows={4}
                maxRows={12}
                {...form.getInputProps('description')}
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
                  {...form.getInputProps('letterNumber')}
                />
                <TextInput
                  type="date"
                  label={t('newCase.letterDate')}
                  description={t('newCase.letterDateHint')}
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                  required
                  disabled={disabled}
                  max={today}
                  {...form.getInputProps('letterDate')}
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
                  setFileErrors((errors) => ({ ...errors, letter: undefined }));
                }}
                error={fileErrors.letter}
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
                  setFileErrors((errors) => ({ ...errors, attachments: undefined }));
                }}
                error={fileErrors.attachments}
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
