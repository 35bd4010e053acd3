/** "Riwayat": every change to a registry record (who, when, why, before → after) and the cases about it. */
import { Badge, Group, Skeleton, Stack, Text, Timeline } from '@mantine/core';
import { IconFileDescription, IconPencil } from '@tabler/icons-react';
import { type QueryKey, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RegistryHistoryEntry } from '../../api/registry.ts';
import { QueryError } from '../../components/QueryError.tsx';
import i18n from '../../i18n/index.ts';
import { formatDateTime } from '../../lib/format.ts';
import { AnchorLink, Section } from './common.tsx';

const tDynamic = i18n.t.bind(i18n) as unknown as (key: string, options?: Record<string, unknown>) => string;

/** "website.status" → "Status diubah"; unknown actions as they are. */
export function actionName(action: string): string {
  const verb = action.includes('.') ? action.slice(action.indexOf('.') + 1) : action;
  const key = `registry.historyActions.${verb.replace(/\./g, '_')}`;
  return i18n.exists(key) ? tDynamic(key) : action;
}

function fieldName(field: string): string {
  // Nested fields read "Basis data · Nama".
  return field
    .split('.')
    .map((part) => {
      const key = `registry.fields.${part}`;
      return i18n.exists(key) ? tDynamic(key) : part;
    })
    .join(' · ');
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value of a record as people read it (`field` tells a status from other words). */
export function readable(value: unknown, field = ''): string {
  if (value === null || value === undefined || value === '') return i18n.t('common.none');
  if (typeof value === 'boolean') return value ? i18n.t('common.yes') : i18n.t('common.no');
  if (typeof value === 'string') {
    const last = field.split('.').pop();
    if (last === 'status') {
      for (const group of ['websiteStatus', 'serverStatus']) {
        const key = `registry.${group}.${value}`;
        if (i18n.exists(key)) return tDynamic(key);
      }
    }
    if (last === 'kind') {
      for (const group of ['serverKind', 'addressState', 'nameKind']) {
        const key = `registry.${group}.${value}`;
        if (i18n.exists(key)) return tDynamic(key);
      }
    }
    if (last === 'location' && i18n.exists(`registry.serverLocation.${value}`)) {
      return tDynamic(`registry.serverLocation.${value}`);
    }
    if (ISO.test(value)) return formatDateTime(value);
    return value;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (!value.length) return i18n.t('common.none');
    const items = value.map((item) =>
      last(field) === 'roles' && typeof item === 'string' && i18n.exists(`registry.serverRole.${item}`)
        ? tDynamic(`registry.serverRole.${item}`)
        : readable(item),
    );
    return items.join(', ');
  }
  if (isPlainObject(value)) {
    // References ({ id, name } / { id, hostname }) read by their name.
    for (const key of ['name', 'hostname', 'ref', 'address']) {
      if (typeof value[key] === 'string') return value[key] as string;
    }
    return Object.entries(value)
      .filter(([key]) => key !== 'id')
      .map(([key, inner]) => `${fieldName(key)}: ${readable(inner, key)}`)
      .join('; ');
  }
  return String(value);
}

function last(field: string): string {
  return field.split('.').pop() ?? field;
}

/** Book-keeping and figures derived from other fields: not worth a line in the history. */
const SKIP = new Set([
  'id',
  'version',
  'updatedAt',
  'createdAt',
  'size',
  'used',
  'free',
  'nextFree',
  'family',
  'firstUsable',
  'lastUsable',
  'websiteCount',
  'namesInUse',
]);

/** Identifiers (poolId, allocationId, …): the record they point to is named elsewhere in the entry. */
const isIdField = (key: string) => key === 'id' || /Id$/.test(key);

/** A group of fields (database, tls, contact) rather than a reference to another record. */
function isGroup(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && !('id' in value);
}

type Change = { field: string; before: unknown; after: unknown };

/**
 * Fields whose value changed between before and after (book-keeping fields left out); groups of fields
 * are compared field by field, so a changed database name shows as "Basis data · Nama".
 */
export function changedFields(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  prefix = '',
): Change[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const out: Change[] = [];
  for (const key of keys) {
    if (SKIP.has(key) || isIdField(key)) continue;
    const a = before?.[key];
    const b = after?.[key];
    if (JSON.stringify(a ?? null) === JSON.stringify(b ?? null)) continue;
    if ((isGroup(a) || a == null) && (isGroup(b) || b == null) && (isGroup(a) || isGroup(b))) {
      out.push(...changedFields(isGroup(a) ? a : null, isGroup(b) ? b : null, `${prefix}${key}.`));
    } else {
      out.push({ field: `${prefix}${key}`, before: a, after: b });
    }
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

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
