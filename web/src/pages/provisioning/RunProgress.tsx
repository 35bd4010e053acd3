/**
 * A provisioning run as it happens: a vertical stepper with each step's status (a spinner while it
 * runs), attempts, duration, what it found or made, and the error of a failed step.
 */
import { Alert, Badge, Box, Group, Loader, Paper, Stack, Text, ThemeIcon, Timeline } from '@mantine/core';
import {
  IconAlertTriangle,
  IconCheck,
  IconClock,
  IconPlayerSkipForward,
  IconServer2,
  IconX,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  durationMs,
  type Run,
  type RunStatus,
  type RunStep,
  type StepStatus,
} from '../../api/provisioning.ts';
import { formatDateTime } from '../../lib/format.ts';
import { AnchorLink } from '../registry/common.tsx';
import { formatDuration, localTitle, resultFacts } from './planText.ts';

const RUN_COLORS: Record<RunStatus, string> = {
  queued: 'gray',
  running: 'blue',
  done: 'teal',
  failed: 'red',
};

const STEP_COLORS: Record<StepStatus, string> = {
  pending: 'gray',
  running: 'blue',
  done: 'teal',
  failed: 'red',
  skipped: 'gray',
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={RUN_COLORS[status]}
      variant={status === 'done' || status === 'failed' ? 'filled' : 'light'}
      radius="sm"
      miw="max-content"
      leftSection={status === 'running' ? <Loader size={10} color="blue" /> : undefined}
      data-testid="run-status"
      data-status={status}
    >
      {t(`provisioning.runStatus.${status}`)}
    </Badge>
  );
}

function StepBullet({ status }: { status: StepStatus }) {
  const { t } = useTranslation();
  const label = t(`provisioning.stepStatus.${status}`);
  let icon: ReactNode;
  switch (status) {
    case 'running':
      return <Loader size={16} color="blue" aria-label={label} />;
    case 'done':
      icon = <IconCheck size={14} stroke={3} />;
      break;
    case 'failed':
      icon = <IconX size={14} stroke={3} />;
      break;
    case 'skipped':
      icon = <IconPlayerSkipForward size={12} />;
      break;
    default:
      icon = <IconClock size={13} />;
  }
  return (
    <ThemeIcon
      size={22}
      radius="xl"
      color={STEP_COLORS[status]}
      variant={status === 'done' || status === 'failed' ? 'filled' : 'light'}
      aria-label={label}
    >
      {icon}
    </ThemeIcon>
  );
}

function StepItem({ run, step }: { run: Run; step: RunStep }) {
  const { t } = useTranslation();
  const planned = run.plan.steps.find((s) => s.key === step.key);
  const took = durationMs(step.startedAt, step.finishedAt);
  const facts = resultFacts(step.result);
  const dimmed = step.status === 'skipped' || step.status === 'pending';
  return (
    <Stack gap={4} data-testid="run-step" data-step={step.key} data-status={step.status}>
      <Group gap="xs" wrap="wrap" justify="space-between">
        <Text fw={600} size="sm" c={dimmed ? 'dimmed' : undefined}>
          {localTitle(step.title)}
        </Text>
        <Badge
          size="sm"
          radius="sm"
          variant="light"
          color={STEP_COLORS[step.status]}
          tt="none"
          miw="max-content"
        >
          {t(`provisioning.stepStatus.${step.status}`)}
        </Badge>
      </Group>
      <Group gap="sm" wrap="wrap">
        {planned?.server ? (
          <Group gap={4} wrap="nowrap">
            <IconServer2 size={14} color="var(--mantine-color-gray-6)" aria-hidden />
            <Text size="xs" c="dimmed" ff="monospace">
              {planned.server}
            </Text>
          </Group>
        ) : null}
        {step.attempts > 1 ? (
          <Text size="xs" c="orange.8">
            {t('provisioning.progress.attempt', { count: step.attempts })}
          </Text>
        ) : null}
        {took !== null && step.status !== 'pending' && step.status !== 'skipped' ? (
          <Text size="xs" c="dimmed" data-testid="step-duration">
            {formatDuration(took)}
          </Text>
        ) : null}
      </Group>
      {facts.length ? (
        <Stack gap={0} component="ul" className="provisioning-facts" data-testid="step-facts">
          {facts.map((fact) => (
            <Text key={fact} size="xs" component="li">
              {fact}
            </Text>
          ))}
        </Stack>
      ) : null}
      {step.error ? (
        <Alert
          color="red"
          variant="light"
          p="xs"
          icon={<IconAlertTriangle size={16} />}
          data-testid="step-error"
        >
          <Text size="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {step.error}
          </Text>
        </Alert>
      ) : null}
    </Stack>
  );
}

/** The steps of a run, top to bottom. */
export function RunSteps({ run }: { run: Run }) {
  const finished = run.steps.filter((s) => s.status !== 'pending').length;
  return (
    <Timeline active={finished - 1} bulletSize={24} lineWidth={2} data-testid="run-steps">
      {run.steps.map((step) => (
        <Timeline.Item
          key={step.seq}
          bullet={<StepBullet status={step.status} />}
          color={STEP_COLORS[step.status]}
        >
          <StepItem run={run} step={step} />
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

/** Who started the run, when, for which request, and how long it took. */
export function RunMeta({ run, undoneWhen }: { run: Run; undoneWhen?: string | null }) {
  const { t } = useTranslation();
  const took = durationMs(run.startedAt ?? run.createdAt, run.finishedAt);
  // One line of text that wraps like text: the separators stay between the parts.
  const parts: { key: string; node: ReactNode }[] = [
    { key: 'by', node: t('provisioning.progress.startedBy', { name: run.createdBy }) },
    { key: 'at', node: formatDateTime(run.createdAt) },
  ];
  if (took !== null && run.status !== 'queued') {
    parts.push({ key: 'took', node: <span data-testid="run-duration">{formatDuration(took)}</span> });
  }
  if (run.case) {
    parts.push({
      key: 'case',
      node: (
        <>
          {t('provisioning.progress.forCase')}{' '}
          <AnchorLink to="/permohonan/$id" params={{ id: run.case.id }} size="xs" fw={600}>
            {run.case.ref}
          </AnchorLink>
        </>
      ),
    });
  }
  if (undoneWhen) {
    parts.push({
      key: 'undoes',
      node: t('provisioning.progress.undoes', { when: formatDateTime(undoneWhen) }),
    });
  }
  return (
    <Text size="xs" c="dimmed">
      {parts.map((part, index) => (
        <span key={part.key}>
          {index > 0 ? ' · ' : null}
          {part.node}
        </span>
      ))}
    </Text>
  );
}

/** Why the run stopped (when it failed), and its steps. */
export function RunDetails({ run }: { run: Run }) {
  const { t } = useTranslation();
  return (
    <>
      {run.error ? (
        <Alert
          color="red"
          variant="light"
          title={t('provisioning.progress.runError')}
          icon={<IconAlertTriangle size={18} />}
          data-testid="run-error"
        >
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {run.error}
          </Text>
        </Alert>
      ) : null}
      <Box pl={2}>
        <RunSteps run={run} />
      </Box>
    </>
  );
}

/** The whole run: its kind and status, who and when, the steps, and what to do next (`actions`). */
export function RunCard({
  run,
  actions,
  undoneWhen,
}: {
  run: Run;
  actions?: ReactNode;
  undoneWhen?: string | null;
}) {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      radius="md"
      p={{ base: 'sm', sm: 'md' }}
      data-testid="run-progress"
      data-run={run.id}
      data-status={run.status}
      aria-live="polite"
      aria-busy={run.status === 'queued' || run.status === 'running'}
    >
      <Stack gap="sm">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text fw={700}>{t(`provisioning.runKinds.${run.kind}`)}</Text>
          <RunStatusBadge status={run.status} />
        </Group>
        <RunMeta run={run} undoneWhen={undoneWhen ?? null} />
        {run.status === 'queued' ? (
          <Group gap="xs">
            <Loader size="xs" type="dots" />
            <Text size="sm" c="dimmed">
              {t('provisioning.progress.queuedHint')}
            </Text>
          </Group>
        ) : null}
        <RunDetails run={run} />
        {actions}
      </Stack>
    </Paper>
  );
}
