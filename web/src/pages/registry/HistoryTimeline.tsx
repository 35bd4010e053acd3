/** "Riwayat": every change to a registry record (who, when, why, before → after) and the cases about it. */
import { Badge, Group, Skeleton, Stack, Text, Timeline } from '@mantine/core';
import { IconFileDescription, IconPencil } from '@tabler/icons-react';
import { type QueryKey, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RegistryHistoryEntry } from '../../api/registry.ts';
import { localized } from '../../components/CaseBits.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import i18n from '../../i18n/index.ts';
import { formatDateTime } from '../../lib/format.ts';
import { AnchorLink, Section } from './common.tsx';
import { actionName, changedFields, fieldName, isEmpty, readable, tDynamic } from './history.ts';

function Diff({ entry }: { entry: RegistryHistoryEntry }) {
  const { t } = useTranslation();
  // A new record has no "before": list what it was created with (what is filled in), without arrows.
  const created = entry.before === null;
  const changes = changedFields(entry.before, entry.after).filter(
    (change) => !(created && isEmpty(change.after)),
  );
  if (changes.length === 0) return null;
  return (
    <dl className="registry-diff" data-testid="history-diff">
      {changes.map((change) => (
        <div key={change.field} style={{ display: 'contents' }}>
          <dt>{fieldName(change.field)}</dt>
          <dd>
            {created ? (
              readable(change.after, change.field)
            ) : (
              <>
                <span className="visually-hidden">{t('registry.history.before')}: </span>
                <del>{readable(change.before, change.field)}</del>
                {' → '}
                <span className="visually-hidden">{t('registry.history.after')}: </span>
                <ins>{readable(change.after, change.field)}</ins>
              </>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Entry({ entry }: { entry: RegistryHistoryEntry }) {
  const { t } = useTranslation();
  const caseLink = entry.case ? (
    <AnchorLink to="/permohonan/$id" params={{ id: entry.case.id }} size="xs" fw={600}>
      {entry.case.ref}
    </AnchorLink>
  ) : null;
  if (entry.kind === 'case') {
    return (
      <>
        <Group gap={6} wrap="wrap">
          <Text size="xs" c="dimmed">
            {formatDateTime(entry.at)}
          </Text>
          {entry.case?.status ? (
            <Badge size="xs" variant="light" radius="sm" tt="none">
              {i18n.exists(`cases.status.${entry.case.status}`)
                ? tDynamic(`cases.status.${entry.case.status}`)
                : entry.case.status}
            </Badge>
          ) : null}
        </Group>
        {caseLink ? (
          <Text size="xs" mt={2}>
            {caseLink}
            {entry.reason ? ` · ${entry.reason}` : ''}
          </Text>
        ) : null}
      </>
    );
  }
  return (
    <>
      <Text size="xs" c="dimmed">
        {entry.actor ?? t('registry.history.system')} · {formatDateTime(entry.at)}
      </Text>
      {entry.reason ? (
        <Text size="xs" mt={2} style={{ overflowWrap: 'anywhere' }}>
          <Text span size="xs" c="dimmed">
            {t('registry.history.reason')}:{' '}
          </Text>
          {entry.reason}
        </Text>
      ) : null}
      {caseLink ? (
        <Text size="xs" mt={2}>
          <Text span size="xs" c="dimmed">
            {t('registry.history.case')}:{' '}
          </Text>
          {caseLink}
        </Text>
      ) : null}
      <Diff entry={entry} />
    </>
  );
}

export function HistorySection({
  queryKey,
  load,
}: {
  queryKey: QueryKey;
  load: () => Promise<RegistryHistoryEntry[]>;
}) {
  const { t } = useTranslation();
  const history = useQuery({ queryKey, queryFn: load });
  return (
    <Section title={t('registry.history.title')} testId="registry-history">
      {history.isError ? (
        <QueryError error={history.error} onRetry={() => void history.refetch()} />
      ) : !history.data ? (
        <Stack gap="xs">
          <Skeleton height={40} />
          <Skeleton height={40} />
        </Stack>
      ) : history.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('registry.history.empty')}
        </Text>
      ) : (
        <Timeline bulletSize={22} lineWidth={2} active={-1}>
          {history.data.map((entry) => (
            <Timeline.Item
              key={entry.id}
              bullet={entry.kind === 'case' ? <IconFileDescription size={13} /> : <IconPencil size={13} />}
              title={
                <Text size="sm" fw={600}>
                  {entry.kind === 'case'
                    ? entry.action === 'case.new'
                      ? t('registry.history.caseNew')
                      : entry.action === 'case.update'
                        ? t('registry.history.caseUpdate')
                        : entry.case?.service
                          ? localized(entry.case.service.title)
                          : t('registry.history.caseEntry')
                    : actionName(entry.action)}
                </Text>
              }
            >
              <Entry entry={entry} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Section>
  );
}
