import {
  ActionIcon,
  Autocomplete,
  Badge,
  Button,
  Code,
  Collapse,
  EmptyState,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import {
  IconChevronDown,
  IconChevronRight,
  IconFilter,
  IconListDetails,
  IconSearch,
} from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auditApi } from '../api/endpoints.ts';
import type { AuditEntry } from '../api/types.ts';
import { DateTimeText } from '../components/DateTimeText.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { ListFooter } from '../components/ListFooter.tsx';
import { NoResults } from '../components/NoResults.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryError } from '../components/QueryError.tsx';
import { ResponsiveList, useIsPhone } from '../components/ResponsiveList.tsx';
import { formatDateTime, jakartaDayToIso } from '../lib/format.ts';
import { useDebouncedSearchText } from '../lib/useListSearch.ts';
import type { AuditSearch } from '../router.tsx';

const PAGE_SIZE = 25;

/** What is done to a request (`case.<action>`, the SOP's actions), named like the request's history. */
const CASE_ACTIONS = [
  'create',
  'edit',
  'submit',
  'resubmit',
  'register',
  'dispose',
  'dispose_on',
  'review',
  'decide',
  'send_letter',
  'start_work',
  'save_kak',
  'complete_analysis',
  'complete_build',
  'record_installation',
  'report',
  'close',
];

/** Actions and record types the server records today; anything else is shown as it is. */
const KNOWN_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_change',
  'user.create',
  'user.update',
  'user.activate',
  'user.deactivate',
  'user.set_password',
  'opd.create',
  'opd.update',
  'opd.import',
  'unit.create',
  'unit.update',
  'holiday.create',
  'holiday.update',
  'holiday.delete',
  ...CASE_ACTIONS.map((action) => `case.${action}`),
  'document.issue',
  'documents.settings',
  'documents.logo',
];
const KNOWN_ENTITY_TYPES = ['user', 'opd', 'unit', 'holiday', 'case', 'document', 'settings'];
const route = getRouteApi('/app/admin/log-audit');

function shortId(id: string | null): string {
  return id ? id.slice(0, 8) : '';
}

function Details({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const hasDetails = Object.keys(entry.details ?? {}).length > 0;
  return (
    <Stack gap="xs" data-testid="audit-details">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing={4}>
        <Text size="xs">
          <Text span c="dimmed" size="xs">
            {t('audit.entityId')}:{' '}
          </Text>
          <Text span ff="monospace" size="xs" style={{ overflowWrap: 'anywhere' }}>
            {entry.entityId ?? t('common.none')}
          </Text>
        </Text>
        <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
          <Text span c="dimmed" size="xs">
            {t('audit.userAgent')}:{' '}
          </Text>
          {entry.userAgent ?? t('common.none')}
        </Text>
      </SimpleGrid>
      {hasDetails ? (
        <Code block className="json-block" aria-label={t('audit.details')}>
          {JSON.stringify(entry.details, null, 2)}
        </Code>
      ) : (
        <Text size="xs" c="dimmed">
          {t('audit.noDetails')}
        </Text>
      )}
    </Stack>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const setSearch = (next: AuditSearch) => void navigate({ search: next });
  const page = search.page ?? 1;
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const isPhone = useIsPhone();
  const [filtersShown, setFiltersShown] = useState(false);

  const [actor, setActor] = useDebouncedSearchText(search.actor, (value) =>
    setSearch({ ...search, actor: value, page: undefined }),
  );
  const [action, setAction] = useDebouncedSearchText(search.action, (value) =>
    setSearch({ ...search, action: value, page: undefined }),
  );
  const [entityType, setEntityType] = useDebouncedSearchText(search.entityType, (value) =>
    setSearch({ ...search, entityType: value, page: undefined }),
  );

  const rangeInvalid = Boolean(search.from && search.to && search.to < search.from);
  const query = {
    actor: search.actor,
    action: search.action,
    entityType: search.entityType,
    from: search.from ? jakartaDayToIso(search.from) : undefined,
    to: search.to ? jakartaDayToIso(search.to, true) : undefined,
    page,
    pageSize: PAGE_SIZE,
  };

  const list = useQuery({
    queryKey: ['audit', 'list', query],
    queryFn: () => auditApi.list(query),
    placeholderData: keepPreviousData,
    enabled: !rangeInvalid,
  });

  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const filterCount = [search.actor, search.action, search.entityType, search.from, search.to].filter(
    Boolean,
  ).length;
  const filtered = filterCount > 0;
  const data = list.data;

  const expandButton = (entry: AuditEntry) => {
    const expanded = open.has(entry.id);
    const label = expanded ? t('audit.hideDetails') : t('audit.showDetails');
    return (
      <Tooltip label={label} withArrow>
        <ActionIcon
          variant="subtle"
          color="gray"
          onClick={() => toggle(entry.id)}
          aria-label={label}
          aria-expanded={expanded}
        >
          {expanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
        </ActionIcon>
      </Tooltip>
    );
  };

  const actorCell = (entry: AuditEntry) =>
    entry.actorUsername ? (
      <Text size="sm" fw={500}>
        @{entry.actorUsername}
      </Text>
    ) : (
      <Text size="sm" c="dimmed" fs="italic">
        {t('audit.system')}
      </Text>
    );

  // Keys of these two maps contain dots, so they are read as whole objects.
  const actionLabels = t('audit.actions', { returnObjects: true }) as Record<string, string>;
  const entityLabels = t('audit.entityTypes', { returnObjects: true }) as Record<string, string>;
  const caseLabels = t('case.historyActions', { returnObjects: true }) as Record<string, string>;
  const labelOf = (action: string): string | undefined =>
    actionLabels[action] ?? (action.startsWith('case.') ? caseLabels[action.slice(5)] : undefined);

  const actionCell = (entry: AuditEntry) => (
    <Stack gap={2} align="flex-start">
      {labelOf(entry.action) ? (
        <Text size="sm" fw={500}>
          {labelOf(entry.action)}
        </Text>
      ) : null}
      <Badge variant="light" color="loket" radius="sm" tt="none" ff="monospace" fw={600} miw="max-content">
        {entry.action}
      </Badge>
    </Stack>
  );

  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} />
      <ListCard>
        {isPhone ? (
          <Button
            variant="light"
            color={filtered ? 'loket' : 'gray'}
            leftSection={<IconFilter size={16} />}
            onClick={() => setFiltersShown((shown) => !shown)}
            aria-expanded={filtersShown}
            fullWidth
            mb="sm"
          >
            {filtered ? t('audit.filtersCount', { count: filterCount }) : t('audit.filters')}
          </Button>
        ) : null}
        <Collapse expanded={!isPhone || filtersShown}>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm" mb="md">
            <TextInput
              label={t('audit.actor')}
              placeholder={t('audit.actorPlaceholder')}
              value={actor}
              onChange={(event) => setActor(event.currentTarget.value)}
              leftSection={<IconSearch size={16} />}
              autoCapitalize="none"
              spellCheck={false}
            />
            <Autocomplete
              label={t('audit.action')}
              placeholder={t('audit.actionPlaceholder')}
              value={action}
              onChange={setAction}
              data={KNOWN_ACTIONS}
              clearable
              autoCapitalize="none"
              spellCheck={false}
            />
            <Autocomplete
              label={t('audit.entityType')}
              placeholder={t('audit.entityTypePlaceholder')}
              value={entityType}
              onChange={setEntityType}
              data={KNOWN_ENTITY_TYPES}
              clearable
              autoCapitalize="none"
              spellCheck={false}
            />
            <TextInput
              label={t('audit.from')}
              type="date"
              value={search.from ?? ''}
              max={search.to}
              onChange={(event) =>
                setSearch({ ...search, from: event.currentTarget.value || undefined, page: undefined })
              }
            />
            <TextInput
              label={t('audit.to')}
              type="date"
              value={search.to ?? ''}
              min={search.from}
              onChange={(event) =>
                setSearch({ ...search, to: event.currentTarget.value || undefined, page: undefined })
              }
              error={rangeInvalid ? t('audit.invalidRange') : undefined}
            />
          </SimpleGrid>
        </Collapse>

        {rangeInvalid ? null : list.isError && !data ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : !data ? (
          <Stack gap="xs">
            {[0, 1, 2, 3, 4].map((i) => (
              <Skeleton key={i} height={44} radius="sm" />
            ))}
          </Stack>
        ) : data.items.length === 0 ? (
          filtered ? (
            <NoResults onClear={() => setSearch({})} />
          ) : (
            <EmptyState
              icon={<IconListDetails size={30} stroke={1.5} />}
              variant="light"
              title={t('audit.emptyTitle')}
              description={t('audit.emptyText')}
              py="xl"
            />
          )
        ) : (
          <>
            <ResponsiveList<AuditEntry>
              label={t('audit.title')}
              testId="audit-list"
              rows={data.items}
              rowKey={(entry) => entry.id}
              minWidth={820}
              expanded={(entry) => (open.has(entry.id) ? <Details entry={entry} /> : null)}
              cardTitle={(entry) => (
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  {expandButton(entry)}
                  <Stack gap={4} style={{ minWidth: 0 }}>
                    {actionCell(entry)}
                    <Text size="xs" c="dimmed">
                      {formatDateTime(entry.at)}
                    </Text>
                  </Stack>
                </Group>
              )}
              columns={[
                { key: 'expand', header: '', render: expandButton, hideOnCard: true, width: 44 },
                {
                  key: 'at',
                  header: t('audit.colTime'),
                  render: (entry) => <DateTimeText iso={entry.at} />,
                  hideOnCard: true,
                },
                { key: 'actor', header: t('audit.colActor'), render: actorCell },
                { key: 'action', header: t('audit.colAction'), render: actionCell, hideOnCard: true },
                {
                  key: 'entity',
                  header: t('audit.colEntity'),
                  render: (entry) =>
                    entry.entityType ? (
                      <Text size="sm">
                        {entityLabels[entry.entityType] ?? entry.entityType}{' '}
                        <Text span size="xs" c="dimmed" ff="monospace">
                          {shortId(entry.entityId)}
                        </Text>
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('common.none')}
                      </Text>
                    ),
                },
                {
                  key: 'ip',
                  header: t('audit.colIp'),
                  render: (entry) => (
                    <Text size="sm" ff="monospace" c="dimmed">
                      {entry.ip ?? t('common.none')}
                    </Text>
                  ),
                },
              ]}
            />
            <ListFooter
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              onPage={(next) => setSearch({ ...search, page: next > 1 ? next : undefined })}
            />
          </>
        )}
      </ListCard>
    </>
  );
}
