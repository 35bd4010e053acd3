/**
 * The plan of a run before anything changes: each step with its server and every change (create,
 * change, remove, check) and its target; skipped steps greyed with the reason; warnings highlighted.
 * "Terapkan" queues the run; retiring asks for the hostname to be typed first.
 */
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  List,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
} from '@mantine/core';
import { IconAlertTriangle, IconPencil, IconServer2, IconSettings, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import {
  type ChangeAction,
  type PlanStep,
  provisioningApi,
  provisioningKeys,
  type Run,
  type StartKind,
} from '../../api/provisioning.ts';
import type { Website } from '../../api/registry.ts';
import { useIsPhone } from '../../components/ResponsiveList.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { AnchorLink } from '../registry/common.tsx';
import {
  changeKindText,
  changeTargetText,
  localTitle,
  planBlock,
  skipText,
  warningText,
} from './planText.ts';

export const ACTION_COLORS: Record<ChangeAction, string> = {
  create: 'teal',
  change: 'blue',
  remove: 'red',
  check: 'gray',
};

function ActionBadge({ action }: { action: ChangeAction }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={ACTION_COLORS[action]}
      variant={action === 'check' ? 'outline' : 'light'}
      radius="sm"
      size="sm"
      w={72}
      miw={72}
      data-testid="change-action"
    >
      {t(`provisioning.actions.${action}`)}
    </Badge>
  );
}

function PlanStepCard({ step, no }: { step: PlanStep; no: number }) {
  const { t } = useTranslation();
  const skipped = step.skip !== null;
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      component="li"
      className="provisioning-plan-step"
      data-testid="plan-step"
      data-step={step.key}
      data-skipped={skipped || undefined}
      bg={skipped ? 'gray.0' : undefined}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon
          size={26}
          radius="xl"
          variant={skipped ? 'default' : 'light'}
          aria-label={t('provisioning.plan.stepNo', { no })}
        >
          <Text size="xs" fw={700}>
            {no}
          </Text>
        </ThemeIcon>
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <Group gap="xs" wrap="wrap" justify="space-between">
            <Text fw={600} size="sm" c={skipped ? 'dimmed' : undefined}>
              {localTitle(step.title)}
            </Text>
            {step.server ? (
              <Badge
                variant="outline"
                color="gray"
                radius="sm"
                tt="none"
                leftSection={<IconServer2 size={12} />}
                data-testid="plan-step-server"
              >
                {step.server}
              </Badge>
            ) : null}
          </Group>
          {skipped ? (
            <Text size="sm" c="dimmed" fs="italic" data-testid="plan-step-skip">
              {t('provisioning.plan.skipped', { reason: skipText(step.skip ?? '') })}
            </Text>
          ) : step.changes.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('provisioning.plan.noChanges')}
            </Text>
          ) : (
            <Stack gap={6} component="ul" className="provisioning-changes">
              {step.changes.map((change, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a plan's changes are a fixed list
                <li key={index} className="provisioning-change" data-testid="plan-change">
                  <ActionBadge action={change.action} />
                  <Text size="sm" className="provisioning-change-kind">
                    {changeKindText(change.kind)}
                    {change.server && change.server !== step.server ? (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        {t('provisioning.plan.onServer', { server: change.server })}
                      </Text>
                    ) : null}
                  </Text>
                  <Code className="provisioning-target" data-testid="plan-target">
                    {changeTargetText(change.target)}
                  </Code>
                </li>
              ))}
            </Stack>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}

/** Why there is no plan, and a link to where it can be fixed. */
function Blocked({
  error,
  website,
  onEditWebsite,
}: {
  error: unknown;
  website: Website;
  onEditWebsite?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const blocking = ['STATUS_TRANSITION', 'FIELD_INVALID', 'LOCAL_ACCESS_DISABLED'];
  if (!isApiError(error) || !blocking.includes(error.code)) {
    return (
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
        {errorMessage(error)}
      </Alert>
    );
  }
  const block = planBlock(error.code, error.message, error.details?.fields);
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={t('provisioning.blocked.title')}
      role="alert"
      data-testid="plan-blocked"
    >
      <Stack gap="xs">
        <Text size="sm">{block.message}</Text>
        <Text size="xs" c="dimmed">
          {t('provisioning.blocked.serverSays', { message: error.message })}
        </Text>
        {block.fix === 'server' && website.server ? (
          <AnchorLink
            to="/registri/server/$id"
            params={{ id: website.server.id }}
            hash="provisioning"
            size="sm"
            fw={600}
            display="inline-flex"
            style={{ gap: 6, alignItems: 'center' }}
          >
            <IconSettings size={16} /> {t('provisioning.blocked.fixServer')}
          </AnchorLink>
        ) : null}
        {block.fix === 'website' ? (
          <Group>
            {onEditWebsite ? (
              <Button
                size="xs"
                variant="white"
                color="orange"
                leftSection={<IconPencil size={14} />}
                onClick={onEditWebsite}
              >
                {t('provisioning.blocked.fixWebsite')}
              </Button>
            ) : (
              <AnchorLink
                to="/registri/website/$id"
                params={{ id: website.id }}
                size="sm"
                fw={600}
                display="inline-flex"
                style={{ gap: 6, alignItems: 'center' }}
              >
                <IconPencil size={16} /> {t('provisioning.blocked.fixWebsite')}
              </AnchorLink>
            )}
          </Group>
        ) : null}
      </Stack>
    </Alert>
  );
}

type Props = {
  website: Website;
  /** The run to plan, or null when the dialog is closed. */
  kind: StartKind | null;
  caseId?: string | undefined;
  onClose: () => void;
  onStarted: (run: Run) => void;
  /** Opens the website's form (on the website page); otherwise the fix is a link to the website. */
  onEditWebsite?: (() => void) | undefined;
};

export function PlanModal({ website, kind, caseId, onClose, onStarted, onEditWebsite }: Props) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string | null>(null);
  const hostname = website.hostname ?? '';
  const plan = useQuery({
    queryKey: provisioningKeys.plan(website.id, kind ?? 'install', caseId),
    queryFn: () => provisioningApi.plan(website.id, kind ?? 'install', caseId),
    enabled: kind !== null,
    retry: false,
    staleTime: 0,
    gcTime: 0,
  });
  const start = useMutation({
    mutationFn: (k: StartKind) => provisioningApi.start(website.id, k, caseId),
    onSuccess: (run) => onStarted(run),
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: a fresh dialog for each opening
  useEffect(() => {
    setTyped('');
    setTypedError(null);
    start.reset();
  }, [kind]);

  const retiring = kind === 'retire';
  const apply = () => {
    if (!kind) return;
    if (retiring && typed.trim() !== hostname) {
      setTypedError(t('provisioning.plan.retireMismatch'));
      return;
    }
    start.mutate(kind);
  };

  const startError = start.error
    ? isApiError(start.error, 'CONFLICT')
      ? t('provisioning.conflict')
      : null
    : null;

  return (
    <Modal
      opened={kind !== null}
      onClose={onClose}
      size="xl"
      fullScreen={isPhone}
      title={
        kind ? (
          <Text fw={700} style={{ overflowWrap: 'anywhere' }}>
            {t('provisioning.plan.title', { kind: t(`provisioning.kinds.${kind}`), hostname })}
          </Text>
        ) : null
      }
    >
      <Stack gap="md" data-testid="plan-modal">
        {plan.isPending ? (
          <Stack gap="sm" aria-busy>
            <Text size="sm" c="dimmed">
              {t('provisioning.plan.loading')}
            </Text>
            <Skeleton height={70} radius="md" />
            <Skeleton height={70} radius="md" />
            <Skeleton height={70} radius="md" />
          </Stack>
        ) : plan.isError ? (
          <Blocked error={plan.error} website={website} onEditWebsite={onEditWebsite} />
        ) : (
          <>
            <Text size="sm">{t('provisioning.plan.intro')}</Text>
            {plan.data.warnings.length ? (
              <Alert
                color="yellow"
                variant="light"
                icon={<IconAlertTriangle size={18} />}
                title={t('provisioning.plan.warningsTitle')}
                data-testid="plan-warnings"
              >
                <List size="sm" spacing={4}>
                  {plan.data.warnings.map((warning) => (
                    <List.Item key={warning}>{warningText(warning)}</List.Item>
                  ))}
                </List>
              </Alert>
            ) : null}
            {kind === 'suspend' ? (
              <Text size="sm" c="dimmed">
                {t('provisioning.plan.suspendNote')}
              </Text>
            ) : null}
            <Stack gap="sm" component="ol" className="provisioning-plan" data-testid="plan-steps">
              {plan.data.steps.map((step, index) => (
                <PlanStepCard key={step.key} step={step} no={index + 1} />
              ))}
            </Stack>
            {retiring ? (
              <Alert
                color="red"
                variant="light"
                icon={<IconTrash size={18} />}
                title={t('provisioning.plan.retireTitle')}
              >
                <Stack gap="sm">
                  <Text size="sm">{t('provisioning.plan.retireWarning')}</Text>
                  <TextInput
                    label={t('provisioning.plan.retireConfirm', { hostname })}
                    value={typed}
                    autoComplete="off"
                    autoCapitalize="none"
                    spellCheck={false}
                    classNames={{ input: 'provisioning-mono' }}
                    onChange={(event) => {
                      setTyped(event.currentTarget.value);
                      setTypedError(null);
                    }}
                    error={typedError}
                    data-testid="retire-confirm"
                  />
                </Stack>
              </Alert>
            ) : null}
          </>
        )}
        {start.error ? (
          startError ? (
            <Alert color="orange" variant="light" role="alert">
              {startError}
            </Alert>
          ) : (
            <Blocked error={start.error} website={website} onEditWebsite={onEditWebsite} />
          )
        ) : null}
        <Group justify="flex-end" gap="sm" className="provisioning-plan-buttons">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            onClick={apply}
            loading={start.isPending}
            disabled={!plan.isSuccess || (retiring && typed.trim() !== hostname)}
            color={retiring ? 'red' : kind === 'suspend' ? 'orange' : undefined}
            data-testid="plan-apply"
          >
            {t('provisioning.plan.apply')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
