/**
 * "Pemasangan di server": what Loket can do on the servers for this website given its status
 * (install, suspend, resume, retire), each shown as a plan first; the run's live progress; rollback of
 * an installation; and the history of runs, each expandable to its steps.
 */
import { Accordion, Alert, Box, Button, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowBackUp,
  IconInfoCircle,
  IconPlayerPause,
  IconPlayerPlay,
  IconRocket,
  IconTrash,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  canRollback,
  durationMs,
  isRunActive,
  kindsFor,
  provisioningApi,
  provisioningKeys,
  type Run,
  type StartKind,
} from '../../api/provisioning.ts';
import { registryKeys, type Website } from '../../api/registry.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { useIsPhone } from '../../components/ResponsiveList.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { caseKeys } from '../cases/queries.ts';
import { Section, useRegistryAccess } from '../registry/common.tsx';
import { PlanModal } from './PlanModal.tsx';
import { formatDuration } from './planText.ts';
import { RunCard, RunDetails, RunStatusBadge } from './RunProgress.tsx';
import './provisioning.css';

const KIND_LOOK: Record<
  StartKind,
  { icon: ReactNode; color?: string; variant: 'filled' | 'light' | 'outline' }
> = {
  install: { icon: <IconRocket size={16} />, variant: 'filled' },
  suspend: { icon: <IconPlayerPause size={16} />, color: 'orange', variant: 'light' },
  resume: { icon: <IconPlayerPlay size={16} />, color: 'teal', variant: 'filled' },
  retire: { icon: <IconTrash size={16} />, color: 'red', variant: 'outline' },
};

/**
 * Follows one run: polled every second while it is queued or running. When a run this page saw running
 * is over, everything it changed is fetched again and the user is told.
 */
function useLiveRun(runId: string | null, website: Website) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: provisioningKeys.run(runId ?? 'none'),
    queryFn: () => provisioningApi.run(runId ?? ''),
    enabled: runId !== null,
    refetchInterval: (q) => (q.state.data && !isRunActive(q.state.data) ? false : 1000),
    refetchIntervalInBackground: true,
  });
  const watching = useRef(new Set<string>());
  const run = runId !== null && query.data?.id === runId ? query.data : undefined;

  useEffect(() => {
    if (!run) return;
    if (isRunActive(run)) {
      watching.current.add(run.id);
      return;
    }
    if (!watching.current.delete(run.id)) return;
    const kind = t(`provisioning.runKinds.${run.kind}`);
    const hostname = run.hostname || (website.hostname ?? '');
    notifications.show(
      run.status === 'done'
        ? { color: 'teal', message: t('provisioning.finishedDone', { kind, hostname }) }
        : {
            color: 'red',
            message: t('provisioning.finishedFailed', { kind, hostname, error: run.error ?? '' }),
            autoClose: false,
          },
    );
    // The run changed the website (status, database, certificate) and its history.
    void Promise.all([
      queryClient.invalidateQueries({ queryKey: provisioningKeys.runs(website.id) }),
      queryClient.invalidateQueries({ queryKey: registryKeys.website(website.id) }),
      queryClient.invalidateQueries({ queryKey: registryKeys.history('website', website.id) }),
      queryClient.invalidateQueries({ queryKey: caseKeys.all }),
    ]);
  }, [run, t, queryClient, website.id, website.hostname]);

  return { run, error: query.error };
}

function RunHistory({
  runs,
  live,
  editor,
  busy,
  onRollback,
}: {
  runs: Run[];
  live: Run | undefined;
  editor: boolean;
  busy: boolean;
  onRollback: (run: Run) => void;
}) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  if (runs.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="run-history-empty">
        {t('provisioning.history.empty')}
      </Text>
    );
  }
  const items = runs.map((run) => (live && run.id === live.id ? live : run));
  const whenOf = (id: string | null) => (id ? (items.find((r) => r.id === id)?.createdAt ?? null) : null);
  return (
    <Accordion
      variant="separated"
      radius="md"
      multiple
      chevronPosition="right"
      data-testid="run-history"
      classNames={{ control: 'provisioning-history-control' }}
    >
      {items.map((run) => {
        const took = durationMs(run.startedAt ?? run.createdAt, run.finishedAt);
        return (
          <Accordion.Item key={run.id} value={run.id} data-testid="run-history-item" data-run={run.id}>
            <Accordion.Control>
              <Group gap="xs" wrap={isPhone ? 'wrap' : 'nowrap'} justify="space-between">
                <Group gap="xs" wrap="wrap" style={{ minWidth: 0 }}>
                  <Text fw={600} size="sm">
                    {t(`provisioning.runKinds.${run.kind}`)}
                  </Text>
                  <RunStatusBadge status={run.status} />
                </Group>
                <Group gap={6} wrap="wrap" c="dimmed" justify={isPhone ? 'flex-start' : 'flex-end'}>
                  <Text size="xs">{run.createdBy}</Text>
                  <Text size="xs">·</Text>
                  <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(run.createdAt)}
                  </Text>
                  {took !== null && !isRunActive(run) ? (
                    <>
                      <Text size="xs">·</Text>
                      <Text size="xs">{formatDuration(took)}</Text>
                    </>
                  ) : null}
                </Group>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Stack gap="sm">
                {run.case || run.undoesId ? (
                  <Text size="xs" c="dimmed">
                    {run.case ? `${t('provisioning.progress.forCase')} ${run.case.ref}` : null}
                    {run.case && run.undoesId ? ' · ' : null}
                    {run.undoesId
                      ? t('provisioning.progress.undoes', { when: formatDateTime(whenOf(run.undoesId)) })
                      : null}
                  </Text>
                ) : null}
                <RunDetails run={run} />
                {editor && canRollback(run) ? (
                  <Group>
                    <Button
                      variant="light"
                      color="orange"
                      size="xs"
                      leftSection={<IconArrowBackUp size={14} />}
                      disabled={busy}
                      onClick={() => onRollback(run)}
                    >
                      {t('provisioning.rollback.button')}
                    </Button>
                  </Group>
                ) : null}
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
        );
      })}
    </Accordion>
  );
}

type Props = {
  website: Website;
  /** A request at its installation step: the run is tied to it and deploys its source archive. */
  caseId?: string | undefined;
  /** Which runs to offer (default: whatever the website's status allows). */
  kinds?: StartKind[];
  title?: string;
  intro?: string;
  /** Shown under the progress (a hint of what comes next). */
  children?: ReactNode;
  /** Opens the website's form, when the page has it (a plan may need a missing field). */
  onEditWebsite?: () => void;
};

export function ProvisioningPanel({ website, caseId, kinds, title, intro, children, onEditWebsite }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const access = useRegistryAccess();
  const isPhone = useIsPhone();
  const [planKind, setPlanKind] = useState<StartKind | null>(null);
  const [startedId, setStartedId] = useState<string | null>(null);
  const [hiddenId, setHiddenId] = useState<string | null>(null);
  const [rollingBack, setRollingBack] = useState<Run | null>(null);

  const runs = useQuery({
    queryKey: provisioningKeys.runs(website.id),
    queryFn: () => provisioningApi.runs(website.id),
    enabled: access.reader,
  });
  const activeInList = runs.data?.find(isRunActive);
  const currentId = startedId ?? activeInList?.id ?? null;
  const live = useLiveRun(currentId, website);
  const current = live.run ?? (currentId ? runs.data?.find((r) => r.id === currentId) : undefined);
  const busy = Boolean(
    (current && isRunActive(current)) || runs.data?.some((r) => isRunActive(r) && r.id !== current?.id),
  );

  const onStarted = (run: Run) => {
    queryClient.setQueryData(provisioningKeys.run(run.id), run);
    setStartedId(run.id);
    setHiddenId(null);
    setPlanKind(null);
    notifications.show({
      color: 'blue',
      message: t('provisioning.started', {
        kind: t(`provisioning.runKinds.${run.kind}`),
        hostname: run.hostname || website.hostname,
      }),
    });
    void queryClient.invalidateQueries({ queryKey: provisioningKeys.runs(website.id) });
  };

  const rollback = useMutation({
    mutationFn: (run: Run) => provisioningApi.rollback(run.id),
    onSuccess: (run) => {
      setRollingBack(null);
      onStarted(run);
    },
  });

  if (!access.reader) return null;

  const offered = (kinds ?? kindsFor(website.status)).filter((k) => kindsFor(website.status).includes(k));
  const showCurrent = current && current.id !== hiddenId;
  const undoneWhen = (run: Run) =>
    run.undoesId ? (runs.data?.find((r) => r.id === run.undoesId)?.createdAt ?? null) : null;

  return (
    <Section title={title ?? t('provisioning.title')} testId="provisioning-panel">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {intro ?? t('provisioning.intro')}
        </Text>
        {website.status === 'retired' ? (
          <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />}>
            {t('provisioning.retiredNote')}
          </Alert>
        ) : access.editor ? (
          <Stack gap={6}>
            <Group gap="xs" wrap="wrap" data-testid="provisioning-actions">
              {offered.map((kind) => {
                const look = KIND_LOOK[kind];
                return (
                  <Button
                    key={kind}
                    leftSection={look.icon}
                    color={look.color}
                    variant={look.variant}
                    disabled={busy}
                    onClick={() => setPlanKind(kind)}
                    fullWidth={isPhone}
                  >
                    {t(`provisioning.kinds.${kind}`)}
                  </Button>
                );
              })}
            </Group>
            {busy ? (
              <Text size="xs" c="dimmed">
                {t('provisioning.busy')}
              </Text>
            ) : null}
          </Stack>
        ) : (
          <Text size="xs" c="dimmed">
            {t('provisioning.readOnly')}
          </Text>
        )}

        {showCurrent && current ? (
          <RunCard
            run={current}
            undoneWhen={undoneWhen(current)}
            actions={
              <Group gap="xs" justify="space-between" wrap="wrap">
                {access.editor && website.status !== 'retired' && canRollback(current) ? (
                  <Button
                    variant="light"
                    color="orange"
                    leftSection={<IconArrowBackUp size={16} />}
                    disabled={busy}
                    onClick={() => setRollingBack(current)}
                    fullWidth={isPhone}
                  >
                    {t('provisioning.rollback.button')}
                  </Button>
                ) : (
                  <span />
                )}
                {!isRunActive(current) ? (
                  <Button variant="subtle" color="gray" size="xs" onClick={() => setHiddenId(current.id)}>
                    {t('provisioning.progress.hide')}
                  </Button>
                ) : null}
              </Group>
            }
          />
        ) : null}
        {live.error && !current ? <QueryError error={live.error} /> : null}
        {children}

        <Box>
          <Title order={3} fz="md" mb="xs">
            {t('provisioning.history.title')}
          </Title>
          {runs.isError ? (
            <QueryError error={runs.error} onRetry={() => void runs.refetch()} />
          ) : runs.data ? (
            <RunHistory
              runs={runs.data}
              live={live.run}
              editor={access.editor && website.status !== 'retired'}
              busy={busy}
              onRollback={setRollingBack}
            />
          ) : (
            <Text size="sm" c="dimmed">
              …
            </Text>
          )}
        </Box>
      </Stack>

      {access.editor ? (
        <>
          <PlanModal
            website={website}
            kind={planKind}
            caseId={caseId}
            onClose={() => setPlanKind(null)}
            onStarted={onStarted}
            onEditWebsite={
              onEditWebsite
                ? () => {
                    setPlanKind(null);
                    onEditWebsite();
                  }
                : undefined
            }
          />
          <ConfirmDialog
            opened={rollingBack !== null}
            title={t('provisioning.rollback.title')}
            text={
              rollback.error
                ? `${t('provisioning.rollback.text')} — ${errorMessage(rollback.error)}: ${rollback.error.message}`
                : t('provisioning.rollback.text')
            }
            confirmLabel={t('provisioning.rollback.confirm')}
            danger
            loading={rollback.isPending}
            onConfirm={() => rollingBack && rollback.mutate(rollingBack)}
            onClose={() => {
              setRollingBack(null);
              rollback.reset();
            }}
          />
        </>
      ) : null}
    </Section>
  );
}
