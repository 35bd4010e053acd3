/**
 * Waktu Baku SOP: the administrator picks a service of the catalogue and changes its steps' standard times. Saving makes a new
 * SOP version (new requests and the SOP sheet use it; running requests keep theirs), after a confirmation
 * that lists every change. The SOP sheet of the current version is issued and downloaded from here too.
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Divider,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconArrowRight,
  IconCircleCheck,
  IconDeviceFloppy,
  IconDownload,
  IconInfoCircle,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client.ts';
import { sopTimesApi } from '../api/sopTimes.ts';
import type { Service, StandardTime, StepDef } from '../api/types.ts';
import { localized } from '../components/CaseBits.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryError } from '../components/QueryError.tsx';
import { type Column, ResponsiveList, useIsPhone } from '../components/ResponsiveList.tsx';
import { errorMessage } from '../lib/errors.ts';
import { laneColor, laneTitle } from '../lib/lanes.ts';
import {
  changedTimes,
  draftOf,
  draftProblem,
  editedKeys,
  stepOfErrorPath,
  TIME_LIMITS,
  TIME_UNITS,
  type TimeChange,
  type TimeDraft,
  type TimeUnit,
  timesBody,
} from '../lib/sopTimes.ts';
import { servicesQuery } from './cases/queries.ts';

/** The lanes' keys in the order the service names them (else in the order its steps use them). */
function laneOrder(service: Service): string[] {
  const order = (service.lanes ?? []).map((lane) => lane.key);
  for (const step of [...service.steps].sort((a, b) => a.no - b.no)) {
    if (!order.includes(step.lane)) order.push(step.lane);
  }
  return order;
}

function useFormatTime() {
  const { t } = useTranslation();
  return (time: StandardTime) =>
    'workingDays' in time
      ? t('sopTimes.amount.workingDays', { count: time.workingDays })
      : t('sopTimes.amount.minutes', { count: time.minutes });
}

function LaneBadge({ lane, service }: { lane: string; service: Service }) {
  return (
    <Badge
      variant="light"
      color={laneColor(lane, laneOrder(service))}
      radius="sm"
      tt="none"
      miw="max-content"
    >
      {laneTitle(lane, service.lanes)}
    </Badge>
  );
}

/** "Surat, Buku agenda → Dokumen elektronik" in small print. */
function InputsOutputs({ step }: { step: StepDef }) {
  const { t } = useTranslation();
  return (
    <Text size="xs" c="dimmed" mt={4}>
      {step.inputs.join(', ')}{' '}
      <Text span aria-hidden="true" c="gray.6">
        →
      </Text>
      <span className="visually-hidden">{t('sopTimes.produces')}</span> {step.outputs.join(', ')}
    </Text>
  );
}

function StepHeading({ step }: { step: StepDef }) {
  return (
    <Text size="sm" fw={500}>
      <Text span fw={700} c="loket.8">
        {step.no}.
      </Text>{' '}
      {localized(step.title)}
    </Text>
  );
}

type EditorProps = {
  step: StepDef;
  draft: TimeDraft;
  error: string | null;
  changed: boolean;
  onChange: (draft: TimeDraft) => void;
  fullWidth?: boolean;
};

/** A step's time: a whole number and its unit, with the problem and the former time underneath. */
function TimeEditor({ step, draft, error, changed, onChange, fullWidth }: EditorProps) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const errorId = useId();
  return (
    <Stack gap={4} data-testid={`sop-time-${step.key}`}>
      <Group gap={6} wrap="nowrap" align="flex-start">
        <NumberInput
          aria-label={t('sopTimes.valueLabel', { no: step.no })}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          value={draft.value}
          onChange={(value) => onChange({ ...draft, value })}
          min={TIME_LIMITS[draft.unit].min}
          max={TIME_LIMITS[draft.unit].max}
          clampBehavior="none"
          allowDecimal={false}
          allowNegative={false}
          inputMode="numeric"
          error={Boolean(error)}
          w={fullWidth ? undefined : 92}
          style={fullWidth ? { flex: 1 } : undefined}
          styles={{ input: { fontWeight: 600 } }}
        />
        <NativeSelect
          aria-label={t('sopTimes.unitLabel', { no: step.no })}
          value={draft.unit}
          onChange={(event) => onChange({ ...draft, unit: event.currentTarget.value as TimeUnit })}
          data={TIME_UNITS.map((unit) => ({ value: unit, label: t(`sopTimes.units.${unit}`) }))}
          w={fullWidth ? 150 : 144}
        />
      </Group>
      {error ? (
        <Text id={errorId} size="xs" c="red.7" fw={500}>
          {error}
        </Text>
      ) : null}
      {changed ? (
        <Group gap={6} wrap="nowrap">
          <Badge size="xs" variant="light" color="orange" radius="sm" tt="none" miw="max-content">
            {t('sopTimes.changed')}
          </Badge>
          <Text size="xs" c="dimmed">
            {t('sopTimes.was', { time: formatTime(step.standardTime) })}
          </Text>
        </Group>
      ) : null}
    </Stack>
  );
}

/** Every change, before → after, in the SOP's order. */
function ChangeList({ changes }: { changes: TimeChange[] }) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  return (
    <Stack
      component="ul"
      gap="xs"
      m={0}
      p={0}
      style={{ listStyle: 'none' }}
      aria-label={t('sopTimes.confirmListLabel')}
      data-testid="sop-confirm-changes"
    >
      {changes.map(({ step, before, after }) => (
        <Paper component="li" key={step.key} withBorder radius="md" p="sm">
          <StepHeading step={step} />
          <Group gap={8} mt={6} wrap="wrap">
            <Text size="sm" c="dimmed">
              {formatTime(before)}
            </Text>
            <IconArrowRight size={16} aria-hidden="true" color="var(--mantine-color-gray-6)" />
            <span className="visually-hidden">{t('sopTimes.becomes')}</span>
            <Text size="sm" fw={700} c="loket.8">
              {formatTime(after)}
            </Text>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}

/** Cancel and confirm: side by side, or on a phone full width with the confirming one first. */
function ActionButtons({
  cancel,
  confirm,
  stacked,
}: {
  cancel: ReactNode;
  confirm: ReactNode;
  stacked: boolean;
}) {
  if (stacked) {
    return (
      <Stack gap="xs" w="100%">
        {confirm}
        {cancel}
      </Stack>
    );
  }
  return (
    <Group gap="sm" justify="flex-end" wrap="nowrap">
      {cancel}
      {confirm}
    </Group>
  );
}

/** Opens a same-origin PDF link as a download (the server sends it as an attachment with its file name). */
function startDownload(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}

/** Brings a step's number field into view and puts the cursor in it. */
function focusStep(key: string): void {
  const input = document.querySelector<HTMLInputElement>(`[data-testid="sop-time-${key}"] input`);
  input?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  input?.focus({ preventScroll: true });
}

export function SopTimesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  // Always asked afresh here: another administrator may have made a version since the session began.
  const services = useQuery({ ...servicesQuery, staleTime: 0 });
  // The service whose times are shown: picked from the catalogue (the first one to begin with).
  const [picked, setPicked] = useState<string | null>(null);
  const catalogue = services.data ?? [];
  const service = catalogue.find((s) => s.key === picked) ?? catalogue[0];
  const serviceKey = service?.key ?? '';
  const steps = service ? [...service.steps].sort((a, b) => a.no - b.no) : [];

  const [drafts, setDrafts] = useState<Record<string, TimeDraft>>({});
  const [note, setNote] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [noteError, setNoteError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);

  const draftFor = (step: StepDef) => drafts[step.key] ?? draftOf(step.standardTime);
  const edited = new Set(editedKeys(steps, drafts));
  const changes = changedTimes(steps, drafts);

  const problemText = (draft: TimeDraft) => {
    const problem = draftProblem(draft);
    if (!problem) return null;
    if (problem === 'required') return t('sopTimes.required');
    return draft.unit === 'minutes' ? t('sopTimes.rangeMinutes') : t('sopTimes.rangeWorkingDays');
  };
  const errorFor = (step: StepDef): string | null => {
    const server = serverErrors[step.key];
    if (server) return server;
    const draft = drafts[step.key];
    // A number out of range is pointed out at once; an empty field only once the user tries to save.
    if (!draft || !edited.has(step.key)) return null;
    if (!attempted && draftProblem(draft) === 'required') return null;
    return problemText(draft);
  };

  const setDraft = (step: StepDef, draft: TimeDraft) => {
    setDrafts((current) => ({ ...current, [step.key]: draft }));
    setServerErrors(({ [step.key]: _, ...rest }) => rest);
    setFormError(null);
    setSavedVersion(null);
  };

  const reset = () => {
    setDrafts({});
    setServerErrors({});
    setNoteError(null);
    setFormError(null);
    setAttempted(false);
  };

  const save = useMutation({
    mutationFn: () => {
      const trimmed = note.trim();
      return sopTimesApi.change(serviceKey, {
        times: timesBody(changes),
        ...(trimmed ? { note: trimmed } : {}),
      });
    },
    onSuccess: async (answer) => {
      // The table shows the new version's times before the edits are let go.
      await queryClient.invalidateQueries({ queryKey: servicesQuery.queryKey });
      setConfirmOpen(false);
      reset();
      setNote('');
      setSavedVersion(answer.version);
      window.scrollTo({ top: 0, behavior: 'smooth' });
    },
    onError: (error) => {
      setConfirmOpen(false);
      if (isApiError(error, 'VALIDATION_FAILED') && error.details?.fields?.length) {
        const rows: Record<string, string> = {};
        const unplaced: string[] = [];
        for (const field of error.details.fields) {
          const key = stepOfErrorPath(field.path);
          const step = key ? steps.find((s) => s.key === key) : undefined;
          if (step) {
            rows[step.key] = problemText(draftFor(step)) ?? t('sopTimes.rejected');
          } else if (field.path === 'note') {
            setNoteError(t('sopTimes.noteInvalid'));
          } else {
            unplaced.push(field.path ? `${field.path}: ${field.message}` : field.message);
          }
        }
        setServerErrors(rows);
        const first = steps.find((step) => rows[step.key]);
        if (first) focusStep(first.key);
        if (unplaced.length) setFormError(`${t('errors.VALIDATION_FAILED')} ${unplaced.join('; ')}`);
        else if (first) setFormError(t('sopTimes.fixErrors'));
        return;
      }
      setFormError(errorMessage(error));
    },
  });

  const sheet = useMutation({
    mutationFn: () => sopTimesApi.issueSheet(serviceKey),
    onSuccess: (issued) => {
      startDownload(issued.url);
      notifications.show({
        color: 'teal',
        message: t('sopTimes.sheetIssued', { version: service?.version ?? '' }),
      });
      if (edited.size > 0) {
        notifications.show({ color: 'yellow', message: t('sopTimes.sheetUnsaved') });
      }
    },
    onError: (error) => {
      notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(error) });
    },
  });

  const requestSave = () => {
    setAttempted(true);
    setFormError(null);
    const firstInvalid = steps.find((step) => edited.has(step.key) && draftProblem(draftFor(step)));
    if (firstInvalid) {
      setFormError(t('sopTimes.fixErrors'));
      focusStep(firstInvalid.key);
      return;
    }
    if (changes.length > 0) setConfirmOpen(true);
  };

  const editor = (step: StepDef, fullWidth?: boolean) => (
    <TimeEditor
      step={step}
      draft={draftFor(step)}
      error={errorFor(step)}
      changed={edited.has(step.key)}
      onChange={(draft) => setDraft(step, draft)}
      fullWidth={fullWidth}
    />
  );

  const tableColumns: Column<StepDef>[] = [
    {
      key: 'no',
      header: t('sopTimes.colNo'),
      render: (step) => (
        <Text size="sm" fw={700} c="loket.8">
          {step.no}
        </Text>
      ),
      width: 48,
    },
    {
      key: 'activity',
      header: t('sopTimes.colActivity'),
      render: (step) => (
        <>
          <Text size="sm" fw={500}>
            {localized(step.title)}
          </Text>
          <InputsOutputs step={step} />
        </>
      ),
    },
    {
      key: 'lane',
      header: t('sopTimes.colLane'),
      render: (step) => <LaneBadge lane={step.lane} service={service as Service} />,
      width: 150,
    },
    {
      key: 'time',
      header: t('sopTimes.colTime'),
      render: (step) => editor(step),
      width: 256,
    },
  ];

  const cardColumns: Column<StepDef>[] = [
    {
      key: 'inputs',
      header: t('sopTimes.inputs'),
      render: (step) => <Text size="xs">{step.inputs.join(', ')}</Text>,
    },
    {
      key: 'outputs',
      header: t('sopTimes.outputs'),
      render: (step) => <Text size="xs">{step.outputs.join(', ')}</Text>,
    },
  ];

  const downloadButton = (
    <Button
      variant="default"
      leftSection={<IconDownload size={18} />}
      loading={sheet.isPending}
      disabled={!service}
      onClick={() => sheet.mutate()}
    >
      {t('sopTimes.download')}
    </Button>
  );

  const nextVersion = (service?.version ?? 0) + 1;
  const trimmedNote = note.trim();

  return (
    <>
      <PageHeader title={t('sopTimes.title')} subtitle={t('sopTimes.subtitle')} actions={downloadButton} />

      {savedVersion !== null ? (
        <Alert
          variant="light"
          color="teal"
          icon={<IconCircleCheck size={20} />}
          title={t('sopTimes.savedTitle')}
          mb="lg"
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setSavedVersion(null)}
          data-testid="sop-saved"
          role="status"
        >
          {t('sopTimes.saved', { version: savedVersion })}
        </Alert>
      ) : (
        <Alert
          variant="light"
          color="loket"
          icon={<IconInfoCircle size={20} />}
          title={t('sopTimes.explainTitle')}
          mb="lg"
        >
          {t('sopTimes.explainText')}
        </Alert>
      )}

      <ListCard>
        {services.isError && !services.data ? (
          <QueryError error={services.error} onRetry={() => void services.refetch()} />
        ) : !services.data ? (
          <Stack gap="xs">
            <Skeleton height={28} width={320} radius="sm" mb="sm" />
            {[0, 1, 2, 3, 4, 5].map((i) => (
              <Skeleton key={i} height={52} radius="sm" />
            ))}
          </Stack>
        ) : !service ? (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />}>
            {t('sopTimes.notFound')}
          </Alert>
        ) : (
          <>
            {catalogue.length > 1 ? (
              <Select
                label={t('sopTimes.service')}
                data={catalogue.map((s) => ({ value: s.key, label: localized(s.title) }))}
                value={service.key}
                onChange={(value) => {
                  if (!value || value === service.key) return;
                  setPicked(value);
                  reset();
                  setNote('');
                  setSavedVersion(null);
                }}
                allowDeselect={false}
                searchable
                maw={480}
                mb="md"
                data-testid="sop-service"
                comboboxProps={{ withinPortal: true }}
              />
            ) : null}
            <Group justify="space-between" align="center" gap="sm" mb="md" wrap="wrap">
              <Group gap="sm" wrap="wrap" style={{ minWidth: 0 }}>
                <Title order={2} fz={{ base: 'md', sm: 'lg' }}>
                  {localized(service.title)}
                </Title>
                <Badge
                  variant="filled"
                  color="loket"
                  radius="sm"
                  size="lg"
                  tt="none"
                  miw="max-content"
                  data-testid="sop-version"
                >
                  {t('sopTimes.version', { version: service.version })}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed" visibleFrom="sm">
                {t('sopTimes.stepCount', { count: steps.length })}
              </Text>
            </Group>

            <ResponsiveList<StepDef>
              label={t('sopTimes.listLabel', { service: localized(service.title) })}
              testId="sop-steps"
              rows={steps}
              rowKey={(step) => step.key}
              minWidth={760}
              columns={isPhone ? cardColumns : tableColumns}
              rowState={(step) => ({ error: Boolean(errorFor(step)) })}
              cardTitle={(step) => (
                <Stack gap={6}>
                  <StepHeading step={step} />
                  <LaneBadge lane={step.lane} service={service as Service} />
                </Stack>
              )}
              expanded={
                isPhone
                  ? (step) => (
                      <Stack gap={4}>
                        <Text size="xs" c="dimmed">
                          {t('sopTimes.colTime')}
                        </Text>
                        {editor(step, true)}
                      </Stack>
                    )
                  : undefined
              }
            />

            <Divider my="lg" />

            <Stack gap="md">
              <Textarea
                label={t('sopTimes.note')}
                description={t('sopTimes.noteDescription')}
                placeholder={t('sopTimes.notePlaceholder')}
                value={note}
                onChange={(event) => {
                  setNote(event.currentTarget.value);
                  setNoteError(null);
                }}
                error={noteError}
                autosize
                minRows={2}
                maxRows={6}
                maxLength={500}
                maw={640}
              />
            </Stack>

            {/* While there are changes the bar stays in sight at the bottom of the screen. */}
            <Box
              data-testid="sop-actions"
              mt="md"
              mx={{
                base: 'calc(var(--mantine-spacing-sm) * -1)',
                sm: 'calc(var(--mantine-spacing-lg) * -1)',
              }}
              px={{ base: 'sm', sm: 'lg' }}
              py="sm"
              style={
                edited.size > 0
                  ? {
                      position: 'sticky',
                      bottom: 0,
                      zIndex: 3,
                      background: 'var(--mantine-color-body)',
                      borderTop: '1px solid var(--mantine-color-gray-3)',
                      boxShadow: '0 -8px 16px -12px rgba(15, 47, 84, 0.35)',
                    }
                  : undefined
              }
            >
              {formError ? (
                <Alert
                  color="red"
                  variant="light"
                  icon={<IconAlertTriangle size={18} />}
                  role="alert"
                  mb="sm"
                  py="xs"
                >
                  {formError}
                </Alert>
              ) : null}
              <Group justify="space-between" align="center" gap="sm" wrap="wrap">
                <Text size="sm" c={edited.size ? undefined : 'dimmed'} fw={edited.size ? 600 : undefined}>
                  {edited.size ? t('sopTimes.changeCount', { count: edited.size }) : t('sopTimes.noChanges')}
                </Text>
                <ActionButtons
                  stacked={isPhone}
                  cancel={
                    <Button variant="default" disabled={edited.size === 0 || save.isPending} onClick={reset}>
                      {t('sopTimes.reset')}
                    </Button>
                  }
                  confirm={
                    <Button
                      leftSection={<IconDeviceFloppy size={18} />}
                      disabled={edited.size === 0}
                      loading={save.isPending}
                      onClick={requestSave}
                    >
                      {t('sopTimes.save')}
                    </Button>
                  }
                />
              </Group>
            </Box>
          </>
        )}
      </ListCard>

      <Modal
        opened={confirmOpen}
        onClose={() => !save.isPending && setConfirmOpen(false)}
        title={t('sopTimes.confirmTitle', { version: nextVersion })}
        size="lg"
      >
        <Text size="sm" mb="md">
          {t('sopTimes.confirmText', { count: changes.length, current: service?.version ?? '' })}
        </Text>
        <ChangeList changes={changes} />
        <Paper bg="gray.0" radius="md" p="sm" mt="md">
          <Text size="xs" c="dimmed" fw={600}>
            {t('sopTimes.note')}
          </Text>
          <Text size="sm" c={trimmedNote ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap' }}>
            {trimmedNote || t('sopTimes.noNote')}
          </Text>
        </Paper>
        <Group justify="flex-end" mt="lg">
          <ActionButtons
            stacked={isPhone}
            cancel={
              <Button variant="default" disabled={save.isPending} onClick={() => setConfirmOpen(false)}>
                {t('common.cancel')}
              </Button>
            }
            confirm={
              <Button
                leftSection={<IconDeviceFloppy size={18} />}
                loading={save.isPending}
                onClick={() => save.mutate()}
              >
                {t('sopTimes.save')}
              </Button>
            }
          />
        </Group>
      </Modal>
    </>
  );
}
