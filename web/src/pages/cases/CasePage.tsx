import {
  Accordion,
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  EmptyState,
  Group,
  List,
  Modal,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Timeline,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconArrowLeft,
  IconCheck,
  IconDownload,
  IconEdit,
  IconFileText,
  IconHourglass,
  IconMapOff,
  IconUserCheck,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import type {
  CaseDetail,
  HistoryEntry,
  JsonSchema,
  PersonRef,
  Service,
  StepRecord,
} from '../../api/types.ts';
import { CaseStatusBadge, DueText, localized, StepTitle } from '../../components/CaseBits.tsx';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';
import { RoleBadges } from '../../components/RoleBadges.tsx';
import { SopFlowchart } from '../../components/SopFlowchart.tsx';
import i18n from '../../i18n/index.ts';
import {
  formatBytes,
  formatStandardTime,
  formatWorkingSeconds,
  minutesPerWorkingDay,
} from '../../lib/duration.ts';
import { formatDateTime } from '../../lib/format.ts';
import { laneTitle } from '../../lib/lanes.ts';
import { actionName, serviceOfDefinition } from '../../lib/serviceVersion.ts';
import { hasRole, useMe } from '../../session.ts';
import { CaseInstallPanel } from '../provisioning/CaseInstallPanel.tsx';
import { ActionForm } from './ActionForm.tsx';
import { FollowUpLetterBanner, OfficialDocuments } from './OfficialDocuments.tsx';
import { PrintButton } from './PrintButton.tsx';
import { caseQuery, servicesQuery, serviceVersionQuery } from './queries.ts';
import { RevealContext, type Revealed, RevealPanel } from './RevealPanel.tsx';
import { fieldsOf, labelFor, optionLabel } from './schemaForm.ts';
import { WebsiteStatusBadge } from './WebsiteBits.tsx';

const route = getRouteApi('/app/permohonan/$id');

/**
 * A person's name as the page shows it. An OPD gets DKISP staff by position only (no account): the
 * position then reads in the page's language.
 */
function usePersonName() {
  const { t } = useTranslation();
  return (person: PersonRef) =>
    person.id === undefined && person.role && person.role !== 'opd'
      ? t(`roles.${person.role}`)
      : person.fullName;
}

const isClosed = (detail: CaseDetail) => detail.status === 'done' || detail.status === 'rejected';

function Section({
  title,
  children,
  testId,
  action,
  print,
}: {
  title: string;
  children: ReactNode;
  testId?: string;
  action?: ReactNode;
  /** 'hide': left out of the printed record (print.css). */
  print?: 'hide';
}) {
  return (
    <Paper
      withBorder
      p={{ base: 'md', sm: 'lg' }}
      shadow="xs"
      data-testid={testId}
      data-print={print}
      component="section"
    >
      <Group justify="space-between" mb="md" gap="xs">
        <Title order={2} fz="lg">
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </Paper>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={4} style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: '0.04em' }}>
        {label}
      </Text>
      <Box style={{ fontSize: 'var(--mantine-font-size-sm)' }}>{children}</Box>
    </Stack>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start" justify="space-between">
      <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Box
        ta="right"
        style={{ minWidth: 0, overflowWrap: 'anywhere', fontSize: 'var(--mantine-font-size-sm)' }}
      >
        {children}
      </Box>
    </Group>
  );
}

/** A case date without time (`YYYY-MM-DD`), in words. */
function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  const date = new Date(`${day.slice(0, 10)}T12:00:00+07:00`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'id-ID', {
    dateStyle: 'long',
    timeZone: 'Asia/Jakarta',
  }).format(date);
}

function Header({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const me = useMe();
  const closed = isClosed(detail);
  const mayEdit = detail.status === 'draft' && hasRole(me, 'opd');
  return (
    <Paper
      withBorder
      p={{ base: 'md', sm: 'lg' }}
      shadow="xs"
      className="case-header"
      data-testid="case-header"
      data-version={detail.version}
    >
      <Group justify="space-between" align="flex-start" gap="sm" mb="xs">
        <Group gap="xs" wrap="wrap">
          <Text ff="monospace" fw={700} c="loket.8" data-testid="case-ref">
            {detail.ref}
          </Text>
          <CaseStatusBadge status={detail.status} />
          {detail.kind && i18n.exists(`cases.kind.${detail.kind}`) ? (
            <Badge variant="outline" color="gray" radius="sm" tt="none">
              {(t as (key: string) => string)(`cases.kind.${detail.kind}`)}
            </Badge>
          ) : null}
        </Group>
        <Group gap="xs" data-print="hide">
          <PrintButton detail={detail} />
          {mayEdit ? (
            <Button
              component={Link}
              to={`/permohonan/${detail.id}/ubah`}
              variant="light"
              size="xs"
              leftSection={<IconEdit size={16} />}
            >
              {t('common.edit')}
            </Button>
          ) : null}
        </Group>
      </Group>
      <Title order={1} fz={{ base: 22, sm: 26 }} mb="md" style={{ overflowWrap: 'anywhere' }}>
        {detail.subject}
      </Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="lg" verticalSpacing="md">
        <Fact label={t('case.opd')}>
          <Text size="sm" fw={500}>
            {detail.opd.name}
          </Text>
        </Fact>
        <Fact label={t('case.step')}>
          <StepTitle no={detail.step.no} title={detail.step.title} clamp={3} />
        </Fact>
        <Fact label={t('case.waitingFor')}>
          {detail.waitingFor.length ? (
            <RoleBadges roles={detail.waitingFor} />
          ) : (
            <Text size="sm" c="dimmed">
              {t('cases.nobody')}
            </Text>
          )}
        </Fact>
        <Fact label={t('case.due')}>
          {closed ? (
            <Text size="sm" c="dimmed">
              {t('case.ended')}
            </Text>
          ) : (
            <Stack gap={2}>
              <DueText dueAt={detail.dueAt} overdue={detail.overdue} />
              {detail.dueAt ? (
                <Text size="xs" c="dimmed">
                  {formatDateTime(detail.dueAt)}
                </Text>
              ) : null}
            </Stack>
          )}
        </Fact>
      </SimpleGrid>
    </Paper>
  );
}

function Actions({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  if (detail.actions.length === 0) {
    const roles = detail.waitingFor.map((role) => t(`roles.${role}`)).join(', ');
    return (
      <Alert
        variant="light"
        color={detail.status === 'rejected' ? 'red' : isClosed(detail) ? 'teal' : 'gray'}
        icon={isClosed(detail) ? <IconCheck size={18} /> : <IconHourglass size={18} />}
        title={t('case.noActionsTitle')}
        data-testid="case-no-actions"
      >
        {detail.status === 'rejected'
          ? t('case.noActionsRejected')
          : isClosed(detail) || !roles
            ? t('case.noActionsClosed')
            : t('case.noActionsText', { roles })}
      </Alert>
    );
  }
  return (
    <Paper
      withBorder
      p={{ base: 'md', sm: 'lg' }}
      shadow="sm"
      className="case-actions"
      data-testid="case-actions"
      component="section"
      aria-labelledby="case-actions-title"
    >
      <Group gap="sm" mb="md" wrap="nowrap">
        <ThemeIcon variant="light" color="gold" size={36} radius="md">
          <IconUserCheck size={20} />
        </ThemeIcon>
        <div>
          <Title order={2} fz="lg" id="case-actions-title">
            {t('case.actionsTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('case.actionsIntro')}
          </Text>
        </div>
      </Group>
      {detail.status === 'revision' && detail.decision?.reason ? (
        <Alert
          color="orange"
          variant="light"
          mb="md"
          title={t('case.revisionAsked')}
          data-testid="revision-reason"
        >
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {detail.decision.reason}
          </Text>
        </Alert>
      ) : null}
      {detail.actions.length === 1 && detail.actions[0] ? (
        <ActionForm
          key={`${detail.actions[0].key}-${detail.version}`}
          detail={detail}
          action={detail.actions[0]}
        />
      ) : (
        <Accordion variant="separated" radius="md" defaultValue={detail.actions[0]?.key} key={detail.version}>
          {detail.actions.map((action) => (
            <Accordion.Item key={action.key} value={action.key}>
              <Accordion.Control>
                <Text fw={600}>{localized(action.title)}</Text>
              </Accordion.Control>
              <Accordion.Panel>
                <ActionForm detail={detail} action={action} />
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </Paper>
  );
}

/** What a step's actions recorded, each under the action's name as the SOP words it. */
function StepOutputs({ record, service }: { record: StepRecord; service: Service | undefined }) {
  const { t } = useTranslation();
  const dictionary = t('case.historyActions', { returnObjects: true }) as Record<string, string>;
  const language = i18n.language === 'en' ? 'en' : 'id';
  const outputs = Object.entries(record.outputs ?? {}).filter(
    ([, output]) =>
      output && typeof output === 'object' && plainValues(output as Record<string, unknown>).length,
  );
  if (outputs.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Stack gap={4} style={{ minWidth: 160 }} data-testid="step-outputs">
      {outputs.map(([key, output]) => (
        <div key={key}>
          <Text size="xs" fw={600}>
            {actionName(service, key, dictionary, language, record.key)}
          </Text>
          {plainValues(output as Record<string, unknown>)
            .slice(0, 4)
            .map((line) => (
              <Text key={line.key} size="xs" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
                <Text span c="dimmed" size="xs">
                  {labelFor(line.key)}:{' '}
                </Text>
                {line.text}
              </Text>
            ))}
        </div>
      ))}
    </Stack>
  );
}

function Steps({ detail, service }: { detail: CaseDetail; service: Service | undefined }) {
  const { t } = useTranslation();
  const personName = usePersonName();
  const perDay = minutesPerWorkingDay(detail.steps);
  if (detail.steps.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('case.noSteps')}
      </Text>
    );
  }
  const actual = (record: StepRecord) => (
    <Stack gap={2} align="flex-start">
      <Text size="sm" c={record.late ? 'red.7' : undefined} fw={record.late ? 700 : 500}>
        {formatWorkingSeconds(record.actualSeconds, perDay)}
      </Text>
      {record.late ? (
        <Badge color="red" variant="light" size="xs" radius="sm">
          {t('case.late')}
        </Badge>
      ) : record.endedAt ? null : (
        <Badge color="orange" variant="light" size="xs" radius="sm">
          {t('case.running')}
        </Badge>
      )}
    </Stack>
  );
  return (
    <ResponsiveList<StepRecord>
      label={t('case.timelineTitle')}
      testId="case-steps"
      rows={detail.steps}
      rowKey={(record) => record.id}
      minWidth={980}
      rowState={(record) => ({ error: record.late })}
      cardTitle={(record) => <StepTitle no={record.no} title={record.title} clamp={3} />}
      columns={[
        {
          key: 'step',
          header: t('case.colStep'),
          hideOnCard: true,
          render: (record) => (
            <Stack gap={2} style={{ minWidth: 200 }}>
              <StepTitle no={record.no} title={record.title} />
              <Text size="xs" c="dimmed">
                {laneTitle(record.lane, service?.lanes)}
              </Text>
            </Stack>
          ),
        },
        {
          key: 'actor',
          header: t('case.colActor'),
          render: (record) => (
            <Stack gap={2} align="flex-start">
              {record.actor ? (
                <Text size="sm">{personName(record.actor)}</Text>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('cases.nobody')}
                </Text>
              )}
              {/* The decision step is ended by whoever sent the letter; who decided is shown too. */}
              {record.decidedBy && record.decidedAt ? (
                <Text size="xs" c="dimmed" data-testid="step-decided-by">
                  {t('case.decisionBy', {
                    name: personName(record.decidedBy),
                    time: formatDateTime(record.decidedAt),
                  })}
                </Text>
              ) : null}
            </Stack>
          ),
        },
        {
          key: 'started',
          header: t('case.colStarted'),
          render: (record) => <DateTimeText iso={record.startedAt} />,
        },
        {
          key: 'ended',
          header: t('case.colEnded'),
          render: (record) =>
            record.endedAt ? (
              <DateTimeText iso={record.endedAt} />
            ) : (
              <Text size="sm" c="dimmed">
                {t('case.dueAtShort', { time: formatDateTime(record.dueAt) })}
              </Text>
            ),
        },
        {
          key: 'standard',
          header: t('case.colStandard'),
          render: (record) => <Text size="sm">{formatStandardTime(record.standardTime, perDay)}</Text>,
        },
        { key: 'actual', header: t('case.colActual'), render: actual },
        {
          key: 'recorded',
          header: t('case.colRecorded'),
          render: (record) => <StepOutputs record={record} service={service} />,
        },
      ]}
    />
  );
}

function Details({ detail, service }: { detail: CaseDetail; service: Service | undefined }) {
  const { t } = useTranslation();
  const registration = detail.registration;
  return (
    <Section title={t('case.detailsTitle')} testId="case-details">
      <Stack gap={8}>
        <Row label={t('case.letterNumber')}>{detail.letterNumber}</Row>
        <Row label={t('case.letterDate')}>{formatDay(detail.letterDate)}</Row>
        {registration ? (
          <>
            <Row label={t('case.agendaNumber')}>
              <Text span ff="monospace" size="sm" fw={600}>
                {registration.agendaNumber}
              </Text>
            </Row>
            <Row label={t('case.receivedAt')}>{formatDateTime(registration.receivedAt)}</Row>
            {registration.urgency ? (
              <Row label={t('case.urgency')}>{optionLabel('urgency', registration.urgency)}</Row>
            ) : null}
            <Row label={t('case.addressee')}>{registration.addressee}</Row>
          </>
        ) : null}
        <WebsiteRow detail={detail} />
        <FactRows detail={detail} service={service} />
        <Row label={t('case.createdAt')}>{formatDateTime(detail.createdAt)}</Row>
      </Stack>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" mt="md" mb={4}>
        {t('case.description')}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {detail.description}
      </Text>
    </Section>
  );
}

/**
 * The request's own facts as its SOP declares them (the served request schema): labelled by the
 * schema, choices by their labels. The registry's website and the address asked for are the row above.
 */
function FactRows({ detail, service }: { detail: CaseDetail; service: Service | undefined }) {
  const schema = service?.requestInput as JsonSchema | undefined;
  const rows = fieldsOf(schema ?? {}).filter(
    (field) => field.kind !== 'website' && field.kind !== 'hostname',
  );
  return (
    <>
      {rows.map((field) => {
        const value = detail.facts[field.name];
        if (value === undefined || value === null || value === '') return null;
        const text =
          typeof value === 'boolean'
            ? value
              ? '✓'
              : '✗'
            : typeof value === 'string' && field.options.length
              ? optionLabel(field.name, value, field.choices)
              : Array.isArray(value)
                ? value.join(', ')
                : String(value);
        return (
          <Row key={field.name} label={labelFor(field.name, field.schema)}>
            {text}
          </Row>
        );
      })}
    </>
  );
}

/** The registry's website the request is about (with its state and a link), or the address asked for. */
function WebsiteRow({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const website = detail.website;
  if (website) {
    const name = website.hostname ?? t('case.websiteNoName');
    return (
      <Row label={t('case.website')}>
        <Group gap={6} justify="flex-end" wrap="wrap" data-testid="case-website">
          <Anchor
            component={Link}
            to={`/registri/website/${website.id}`}
            size="sm"
            fw={600}
            className="break-anywhere"
            aria-label={t('case.websiteOpen', { name })}
          >
            {name}
          </Anchor>
          <WebsiteStatusBadge status={website.status} size="xs" />
        </Group>
      </Row>
    );
  }
  if (!detail.websiteRef) return null;
  return (
    <Row label={detail.kind === 'new' ? t('case.requestedHostname') : t('case.website')}>
      <Text span size="sm" data-testid="case-website">
        {detail.websiteRef}
      </Text>
    </Row>
  );
}

/** An address-like text (IPv4/IPv6) is shown in a fixed-width font. */
const ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+:[0-9a-f:]*)(\/\d+)?$/i;

/**
 * What a registry step recorded (a website installed, a server recorded, an address allocated, …): the
 * latest ended step of a `registry` block in the served SOP, its outputs' plain values labelled, a web
 * address as a link.
 */
function RegistryRecord({ detail, service }: { detail: CaseDetail; service: Service | undefined }) {
  const { t } = useTranslation();
  const registrySteps = new Set(
    (service?.steps ?? []).filter((step) => step.block === 'registry').map((step) => step.key),
  );
  const record = detail.steps.filter((step) => registrySteps.has(step.key) && step.endedAt).at(-1);
  if (!record) return null;
  const rows: { key: string; value: string }[] = [];
  for (const output of Object.values(record.outputs)) {
    if (!output || typeof output !== 'object') continue;
    for (const [key, value] of Object.entries(output as Record<string, unknown>)) {
      if (/Ids?$/.test(key) || typeof value !== 'string' || !value) continue;
      rows.push({ key, value });
    }
  }
  if (rows.length === 0) return null;
  return (
    <Section title={t('case.installationTitle')} testId="case-installation">
      <Stack gap={8}>
        {rows.map(({ key, value }) => (
          <Row key={key} label={labelFor(key)}>
            {/\/\/[^\s/]/.test(value) && /^https?:\/\//.test(value) ? (
              <Anchor
                href={value}
                target="_blank"
                rel="noopener noreferrer"
                size="sm"
                className="break-anywhere"
              >
                {value}
              </Anchor>
            ) : (
              <Text
                span
                size="sm"
                ff={ADDRESS.test(value) ? 'monospace' : undefined}
                style={{ whiteSpace: 'pre-wrap' }}
              >
                {value}
              </Text>
            )}
          </Row>
        ))}
      </Stack>
    </Section>
  );
}

function Documents({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const personName = usePersonName();
  return (
    <Section title={t('case.documentsTitle')} testId="case-documents">
      {detail.files.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('case.noDocuments')}
        </Text>
      ) : (
        <Stack gap="sm">
          {detail.files.map((file) => (
            <Group key={file.id} gap="sm" wrap="nowrap" align="flex-start">
              <ThemeIcon variant="light" size={34} radius="md">
                <IconFileText size={18} />
              </ThemeIcon>
              <Box style={{ flex: 1, minWidth: 0 }}>
                <Anchor
                  href={file.url}
                  download={file.displayName}
                  size="sm"
                  fw={600}
                  className="break-anywhere"
                >
                  {file.displayName}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {t(`case.purpose.${file.purpose}`)} · {formatBytes(file.size)}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('case.uploadedBy', {
                    name: personName(file.uploadedBy),
                    time: formatDateTime(file.uploadedAt),
                  })}
                </Text>
              </Box>
              <Tooltip label={t('files.download', { name: file.displayName })}>
                <Anchor
                  href={file.url}
                  download={file.displayName}
                  aria-label={t('files.download', { name: file.displayName })}
                  c="gray.7"
                >
                  <IconDownload size={18} />
                </Anchor>
              </Tooltip>
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}

function Dispositions({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  return (
    <Section title={t('case.dispositionsTitle')} testId="case-dispositions">
      {detail.dispositions.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('case.noDispositions')}
        </Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2} active={detail.dispositions.length}>
          {detail.dispositions.map((item) => (
            <Timeline.Item
              key={item.id}
              title={
                <Text size="sm" fw={600}>
                  {item.from.fullName} → {item.toUser?.fullName ?? item.toUnit?.name ?? '—'}
                </Text>
              }
            >
              <Badge variant="light" radius="sm" tt="none" mt={4}>
                {optionLabel('instruction', item.instruction)}
              </Badge>
              {item.note ? (
                <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
                  {item.note}
                </Text>
              ) : null}
              <Text size="xs" c="dimmed" mt={4}>
                {formatDateTime(item.createdAt)}
                {item.dueDate ? ` · ${t('case.dispositionDue', { date: formatDay(item.dueDate) })}` : ''}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Section>
  );
}

/** A decision's outcome as the served SOP names it, and a colour by where it leads. */
function outcomeOf(service: Service | undefined, key: string) {
  for (const diamond of service?.diamonds ?? []) {
    const outcome = diamond.outcomes.find((candidate) => candidate.key === key);
    if (outcome) {
      const color = outcome.end === 'rejected' ? 'red' : outcome.revise ? 'orange' : 'teal';
      return { label: localized(outcome.label), color };
    }
  }
  return { label: optionLabel('decision', key), color: 'gray' };
}

function DecisionSection({ detail, service }: { detail: CaseDetail; service: Service | undefined }) {
  const { t } = useTranslation();
  const personName = usePersonName();
  const decision = detail.decision;
  const outcome = decision ? outcomeOf(service, decision.decision) : null;
  return (
    <Section title={t('case.decisionTitle')} testId="case-decision">
      {!decision ? (
        <Text size="sm" c="dimmed">
          {t('case.noDecision')}
        </Text>
      ) : (
        <Stack gap="xs">
          <Group gap="xs">
            <Badge color={outcome?.color} variant="filled" radius="sm" tt="none">
              {outcome?.label}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            {t('case.decisionBy', { name: personName(decision.by), time: formatDateTime(decision.at) })}
          </Text>
          {decision.reason ? (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              <Text span c="dimmed" size="sm">
                {t('case.reason')}:{' '}
              </Text>
              {decision.reason}
            </Text>
          ) : null}
          {detail.followUpLetter ? (
            <Text size="sm">
              <Text span fw={600} size="sm">
                {t('case.followUpLetter')}:{' '}
              </Text>
              {t('case.followUpLetterText', {
                number: detail.followUpLetter.number,
                date: formatDay(detail.followUpLetter.date),
                sentAt: formatDateTime(detail.followUpLetter.sentAt),
              })}
            </Text>
          ) : detail.pendingDecision ? (
            <Text size="sm" c="orange.8">
              {t('case.decisionPending')}
            </Text>
          ) : null}
        </Stack>
      )}
    </Section>
  );
}

function Team({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  return (
    <Section title={t('case.teamTitle')} testId="case-team">
      {detail.team.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('case.noTeam')}
        </Text>
      ) : (
        <Stack gap={6}>
          {detail.team.map((person) => (
            <Group key={person.id ?? person.fullName} gap="xs" wrap="nowrap">
              <Text size="sm" fw={500}>
                {person.fullName}
              </Text>
              {person.username ? (
                <Text size="xs" c="dimmed">
                  @{person.username}
                </Text>
              ) : null}
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}

type DraftVersion = CaseDetail['drafts'][string][number];

function DraftContent({ draft }: { draft: DraftVersion }) {
  return (
    <Stack gap="md">
      {Object.entries(draft.content).map(([key, text]) => (
        <div key={key}>
          <Text size="xs" c="dimmed" fw={700} tt="uppercase" style={{ letterSpacing: '0.04em' }}>
            {labelFor(key)}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {typeof text === 'string' ? text : JSON.stringify(text)}
          </Text>
        </div>
      ))}
    </Stack>
  );
}

/** A versioned document's names: the dictionary's for a known document key, else the key. */
function draftNames(doc: string): { title: string; name: string } {
  const key = `case.draftTitles.${doc}`;
  if (!i18n.exists(`${key}.title`)) return { title: doc, name: doc };
  const text = i18n.t as (key: string) => string;
  return { title: text(`${key}.title`), name: text(`${key}.name`) };
}

/** The versions of one versioned document of the case (the document block: the website SOP's KAK). */
function Draft({ doc, versions }: { doc: string; versions: DraftVersion[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<DraftVersion | null>(null);
  const latest = versions.at(-1)?.version;
  const { title, name } = draftNames(doc);
  return (
    <Section title={title} testId={`case-${doc}`}>
      {versions.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('case.noDraft', { name })}
        </Text>
      ) : (
        <Stack gap="xs">
          {[...versions].reverse().map((draft) => (
            <Group key={draft.version} justify="space-between" wrap="nowrap" gap="sm">
              <Box style={{ minWidth: 0 }}>
                <Group gap={6}>
                  <Text size="sm" fw={600}>
                    {t('case.kakVersion', { version: draft.version })}
                  </Text>
                  {draft.version === latest ? (
                    <Badge size="xs" variant="light" color="teal">
                      {t('case.kakLatest')}
                    </Badge>
                  ) : null}
                </Group>
                <Text size="xs" c="dimmed">
                  {t('case.kakBy', { name: draft.createdBy.fullName, time: formatDateTime(draft.createdAt) })}
                </Text>
              </Box>
              <Button
                size="xs"
                variant="light"
                onClick={() => setOpen(draft)}
                aria-label={t('case.draftViewLabel', { name, version: draft.version })}
              >
                {t('case.kakView')}
              </Button>
            </Group>
          ))}
        </Stack>
      )}
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        title={open ? `${title} · ${t('case.kakVersion', { version: open.version })}` : ''}
        size="lg"
      >
        {open ? <DraftContent draft={open} /> : null}
      </Modal>
    </Section>
  );
}

/** The SOP sheet's side boxes: warnings, equipment, related SOPs, what must be recorded. */
function SopNotes({ service }: { service: Service }) {
  const { t } = useTranslation();
  const boxes = [
    { key: 'warnings', title: t('case.sopWarnings'), items: service.warnings },
    { key: 'equipment', title: t('case.sopEquipment'), items: service.equipment },
    { key: 'records', title: t('case.sopRecords'), items: service.records },
    { key: 'related', title: t('case.sopRelated'), items: service.related },
  ].filter((box) => box.items.length > 0);
  if (boxes.length === 0) return null;
  return (
    <Box className="sop-notes">
      {boxes.map((box) => (
        <div key={box.key}>
          <Text size="xs" c="dimmed" fw={700} tt="uppercase" mb={4} style={{ letterSpacing: '0.04em' }}>
            {box.title}
          </Text>
          {box.key === 'warnings' ? (
            box.items.map((item) => (
              <Text key={item} size="xs" c="orange.9" bg="orange.0" p="xs" style={{ borderRadius: 6 }}>
                {item}
              </Text>
            ))
          ) : (
            <List size="xs" spacing={2}>
              {box.items.map((item) => (
                <List.Item key={item}>{item}</List.Item>
              ))}
            </List>
          )}
        </div>
      ))}
    </Box>
  );
}

/** Plain values of a history entry's payload, labelled; ids and long objects left out. */
function payloadSummary(entry: HistoryEntry): { key: string; text: string }[] {
  return plainValues(entry.payload ?? {});
}

/** Plain values of a payload or recorded output, labelled; ids and long objects left out. */
function plainValues(values: Record<string, unknown>): { key: string; text: string }[] {
  const lines: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(values)) {
    // Ids, the version and the names of stored files say nothing a reader needs here.
    if (/Ids?$/.test(key) || key === 'version' || key === 'letter') continue;
    if (typeof value === 'string' && value.trim()) {
      // A code with a label in the dictionary reads as its label; any other text as written.
      lines.push({
        key,
        text: i18n.exists(`action.enums.${key}.${value}`) ? optionLabel(key, value) : value,
      });
    } else if (typeof value === 'number') {
      lines.push({ key, text: String(value) });
    } else if (typeof value === 'boolean') {
      lines.push({ key, text: value ? '✓' : '✗' });
    }
  }
  return lines.slice(0, 6);
}

function History({ detail, service }: { detail: CaseDetail; service: Service | undefined }) {
  const { t } = useTranslation();
  const personName = usePersonName();
  const dictionary = t('case.historyActions', { returnObjects: true }) as Record<string, string>;
  const language = i18n.language === 'en' ? 'en' : 'id';
  const stepTitle = (key: string) => {
    const step = service?.steps.find((s) => s.key === key);
    return step ? `${step.no}. ${localized(step.title)}` : key;
  };
  const entries = [...detail.history].reverse();
  return (
    <Section title={t('case.historyTitle')} testId="case-history">
      {entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('case.noHistory')}
        </Text>
      ) : (
        <Timeline bulletSize={12} lineWidth={2} active={-1}>
          {entries.map((entry) => (
            <Timeline.Item
              key={entry.id}
              title={
                <Text size="sm" fw={600}>
                  {actionName(service, entry.action, dictionary, language, entry.step)}
                </Text>
              }
            >
              <Text size="xs" c="dimmed">
                {entry.actor ? personName(entry.actor) : t('case.system')} · {formatDateTime(entry.at)} ·{' '}
                {t('case.atStep', { step: stepTitle(entry.step) })}
              </Text>
              {payloadSummary(entry).map((line) => (
                <Text key={line.key} size="xs" mt={2} lineClamp={3} style={{ overflowWrap: 'anywhere' }}>
                  <Text span c="dimmed" size="xs">
                    {labelFor(line.key)}:{' '}
                  </Text>
                  {line.text}
                </Text>
              ))}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Section>
  );
}

export function CasePage() {
  const { t } = useTranslation();
  const me = useMe();
  const { id } = route.useParams();
  const query = useQuery(caseQuery(id));
  const services = useQuery(servicesQuery);
  // A credential an action revealed: in this page's state only, until its panel is closed.
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const detail = query.data;
  // The SOP the request runs under: the catalogue's current version, or the older one it was filed under.
  const current = detail ? services.data?.find((s) => s.key === detail.sop.key) : undefined;
  const older = Boolean(detail && current && current.version !== detail.sop.version);
  const oldVersion = useQuery({
    ...serviceVersionQuery(detail?.sop.key ?? '', detail?.sop.version ?? 0),
    enabled: older,
  });
  const olderService = useMemo(
    () => (older && oldVersion.data ? serviceOfDefinition(oldVersion.data, current) : undefined),
    [older, oldVersion.data, current],
  );

  if (query.isError && !detail) {
    if (isApiError(query.error) && query.error.status === 404) {
      return (
        <Paper withBorder p="xl" maw={560} mx="auto" mt="xl">
          <EmptyState
            icon={<IconMapOff size={30} stroke={1.5} />}
            variant="light"
            title={t('case.notFoundTitle')}
            description={t('case.notFoundText')}
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
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (!detail) {
    return (
      <Stack gap="lg">
        <Skeleton height={180} radius="lg" />
        <Skeleton height={360} radius="lg" />
      </Stack>
    );
  }

  const hasActions = detail.actions.length > 0;
  // An older version is drawn once its definition is read (the current one should that fail).
  const service = older ? (olderService ?? (oldVersion.isError ? current : undefined)) : current;

  return (
    <RevealContext.Provider value={setRevealed}>
      <Stack gap="lg" className="case-page">
        <RevealPanel revealed={revealed} onClose={() => setRevealed(null)} />
        <Anchor
          component={Link}
          to="/permohonan"
          size="sm"
          display="inline-flex"
          style={{ gap: 4 }}
          data-print="hide"
        >
          <IconArrowLeft size={16} /> {t('case.backToList')}
        </Anchor>
        <Header detail={detail} />
        {hasRole(me, 'opd') ? <FollowUpLetterBanner caseId={detail.id} /> : null}
        {hasActions ? (
          <Box className="case-grid">
            <Box style={{ minWidth: 0 }} data-print="hide">
              <Actions detail={detail} />
            </Box>
            <Stack gap="lg" style={{ minWidth: 0 }}>
              <Details detail={detail} service={service} />
              <Documents detail={detail} />
              <OfficialDocuments detail={detail} service={service} />
            </Stack>
          </Box>
        ) : (
          <Box data-print="hide">
            <Actions detail={detail} />
          </Box>
        )}
        <Box data-print="hide">
          <CaseInstallPanel detail={detail} />
        </Box>
        <Section
          title={t('case.flowTitle')}
          testId="case-flow"
          print="hide"
          action={
            service ? (
              <Text size="xs" c="dimmed">
                {t('case.flowSubtitle', { title: localized(service.title), version: service.version })}
              </Text>
            ) : null
          }
        >
          {service ? (
            <Box className="flow-grid">
              <SopFlowchart service={service} detail={detail} />
              <SopNotes service={service} />
            </Box>
          ) : services.isError ? (
            <QueryError error={services.error} onRetry={() => void services.refetch()} />
          ) : (
            <Skeleton height={320} />
          )}
        </Section>
        <Section title={t('case.timelineTitle')} testId="case-timeline">
          <Steps detail={detail} service={service} />
        </Section>
        {/* Whoever acts has the letter and documents beside the form; everyone else finds them here. */}
        <Box className="case-cards">
          {hasActions ? null : <Details detail={detail} service={service} />}
          {hasActions ? null : <Documents detail={detail} />}
          {hasActions ? null : <OfficialDocuments detail={detail} service={service} />}
          <RegistryRecord detail={detail} service={service} />
          <DecisionSection detail={detail} service={service} />
          {/* DKISP's internal records: the server gives an OPD none of them (docs/adr/0009). */}
          {hasRole(me, 'opd') ? null : (
            <>
              <Dispositions detail={detail} />
              <Team detail={detail} />
              {Object.entries(detail.drafts).map(([doc, versions]) => (
                <Draft key={doc} doc={doc} versions={versions} />
              ))}
            </>
          )}
        </Box>
        <History detail={detail} service={service} />
      </Stack>
    </RevealContext.Provider>
  );
}
