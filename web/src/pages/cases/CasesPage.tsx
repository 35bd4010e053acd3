import {
  Anchor,
  Badge,
  Button,
  EmptyState,
  Group,
  Select,
  Skeleton,
  Stack,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import {
  IconAlarm,
  IconFilePlus,
  IconInbox,
  IconListDetails,
  IconMoodSmile,
  IconSearch,
} from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { CaseListQuery } from '../../api/endpoints.ts';
import { casesApi } from '../../api/endpoints.ts';
import { CASE_STATUSES, type CaseSummary, type CaseView } from '../../api/types.ts';
import { CaseStatusBadge, DueText, StepTitle } from '../../components/CaseBits.tsx';
import { ListCard } from '../../components/ListCard.tsx';
import { ListFooter } from '../../components/ListFooter.tsx';
import { NoResults } from '../../components/NoResults.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { ResponsiveList, useIsPhone } from '../../components/ResponsiveList.tsx';
import { RoleBadges } from '../../components/RoleBadges.tsx';
import { useDebouncedSearchText } from '../../lib/useListSearch.ts';
import type { CaseListSearch } from '../../router.tsx';
import { hasRole, useMe } from '../../session.ts';
import { countsQuery } from './queries.ts';

const PAGE_SIZE = 20;
const MIN_SEARCH = 3;
const route = getRouteApi('/app/permohonan');

const isClosed = (item: CaseSummary) => item.status === 'done' || item.status === 'rejected';

/** Reference and subject link to the request page. */
function CaseLink({ item, children }: { item: CaseSummary; children: React.ReactNode }) {
  return (
    <Anchor component={Link} to={`/permohonan/${item.id}`} c="inherit" underline="hover">
      {children}
    </Anchor>
  );
}

function EmptyView({ view, isOpd }: { view: CaseView; isOpd: boolean }) {
  const { t } = useTranslation();
  if (view === 'inbox') {
    return (
      <EmptyState
        icon={<IconMoodSmile size={30} stroke={1.5} />}
        variant="light"
        color="teal"
        title={t('cases.emptyInboxTitle')}
        description={isOpd ? t('cases.emptyInboxTextOpd') : t('cases.emptyInboxText')}
        py="xl"
      />
    );
  }
  if (view === 'overdue') {
    return (
      <EmptyState
        icon={<IconAlarm size={30} stroke={1.5} />}
        variant="light"
        color="teal"
        title={t('cases.emptyOverdueTitle')}
        description={t('cases.emptyOverdueText')}
        py="xl"
      />
    );
  }
  return (
    <EmptyState
      icon={<IconInbox size={30} stroke={1.5} />}
      variant="light"
      title={t('cases.emptyAllTitle')}
      description={isOpd ? t('cases.emptyAllTextOpd') : t('cases.emptyAllText')}
      py="xl"
    >
      {isOpd ? (
        <EmptyState.Actions>
          <Button component={Link} to="/permohonan/baru" leftSection={<IconFilePlus size={18} />}>
            {t('cases.new')}
          </Button>
        </EmptyState.Actions>
      ) : null}
    </EmptyState>
  );
}

export function CasesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const isOpd = hasRole(me, 'opd');
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const setSearch = (next: CaseListSearch) => void navigate({ search: next });
  // OPD operators mostly follow their own requests; DKISP staff start from what waits for them.
  const defaultView: CaseView = isOpd ? 'all' : 'inbox';
  const view = search.view ?? defaultView;
  const page = search.page ?? 1;
  const counts = useQuery(countsQuery);
  const isPhone = useIsPhone();

  const [text, setText] = useDebouncedSearchText(search.q, (value) =>
    setSearch({ ...search, q: value, page: undefined }),
  );

  // A search needs three characters (the server's text index cannot look up fewer).
  const tooShort = text.trim().length > 0 && text.trim().length < MIN_SEARCH;
  const q = search.q && search.q.length >= MIN_SEARCH ? search.q : undefined;
  const query: CaseListQuery = { view, q, status: search.status, page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['cases', 'list', query],
    queryFn: () => casesApi.list(query),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const data = list.data;
  const filtered = Boolean(q || search.status);

  const tabCount = (count: number | undefined, capped: boolean | undefined, color: string) =>
    count ? (
      <Badge size="sm" circle={count < 10} color={color} variant={color === 'red' ? 'filled' : 'light'}>
        {capped ? `${count}+` : count}
      </Badge>
    ) : null;

  const statusOptions = CASE_STATUSES.map((status) => ({
    value: status,
    label: t(`cases.status.${status}`),
  }));

  return (
    <>
      <PageHeader
        title={t('cases.title')}
        subtitle={isOpd ? t('cases.subtitleOpd') : t('cases.subtitle')}
        actions={
          isOpd ? (
            <Button component={Link} to="/permohonan/baru" leftSection={<IconFilePlus size={18} />}>
              {t('cases.new')}
            </Button>
          ) : null
        }
      />
      <ListCard>
        <Tabs
          value={view}
          onChange={(value) =>
            setSearch({ ...search, view: (value as CaseView) ?? undefined, page: undefined })
          }
          mb="md"
          keepMounted={false}
          // Three tabs fit one line on a 375 px phone when they are a little tighter.
          styles={
            isPhone ? { tab: { paddingInline: 8, fontSize: 'var(--mantine-font-size-sm)' } } : undefined
          }
        >
          <Tabs.List aria-label={t('cases.tabsLabel')} grow={isPhone}>
            <Tabs.Tab
              value="inbox"
              leftSection={isPhone ? null : <IconInbox size={16} />}
              rightSection={tabCount(counts.data?.inbox, counts.data?.inboxCapped, 'loket')}
            >
              {t('cases.tabs.inbox')}
            </Tabs.Tab>
            <Tabs.Tab
              value="overdue"
              leftSection={isPhone ? null : <IconAlarm size={16} />}
              rightSection={tabCount(counts.data?.overdue, counts.data?.overdueCapped, 'red')}
            >
              {t('cases.tabs.overdue')}
            </Tabs.Tab>
            <Tabs.Tab value="all" leftSection={isPhone ? null : <IconListDetails size={16} />}>
              {t('cases.tabs.all')}
            </Tabs.Tab>
          </Tabs.List>
        </Tabs>

        <Group gap="sm" mb="md" align="flex-end" wrap="wrap">
          <TextInput
            style={{ flex: '1 1 280px' }}
            label={t('cases.searchLabel')}
            placeholder={t('cases.searchPlaceholder')}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            leftSection={<IconSearch size={16} />}
            type="search"
            description={tooShort ? t('cases.searchMinChars', { n: MIN_SEARCH }) : undefined}
          />
          <Select
            w={{ base: '100%', xs: 220 }}
            label={t('cases.statusFilter')}
            placeholder={t('common.all')}
            data={statusOptions}
            value={search.status ?? null}
            onChange={(value) =>
              setSearch({
                ...search,
                status: (value as CaseListSearch['status']) ?? undefined,
                page: undefined,
              })
            }
            clearable
            allowDeselect
          />
        </Group>

        {list.isError && !data ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : !data ? (
          <Stack gap="xs">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} height={52} radius="sm" />
            ))}
          </Stack>
        ) : data.items.length === 0 ? (
          filtered ? (
            <NoResults onClear={() => setSearch({ view: search.view })} />
          ) : (
            <EmptyView view={view} isOpd={isOpd} />
          )
        ) : (
          <>
            <ResponsiveList<CaseSummary>
              label={t('cases.title')}
              testId="cases-list"
              rows={data.items}
              rowKey={(item) => item.id}
              minWidth={860}
              cardTitle={(item) => (
                <Stack gap={4}>
                  <Group justify="space-between" gap="xs" wrap="nowrap">
                    <Text ff="monospace" fw={700} size="sm" c="loket.8">
                      <CaseLink item={item}>{item.ref}</CaseLink>
                    </Text>
                    <CaseStatusBadge status={item.status} size="sm" />
                  </Group>
                  <Text fw={600} size="sm" lineClamp={2}>
                    <CaseLink item={item}>{item.subject}</CaseLink>
                  </Text>
                  <Text size="xs" c="dimmed">
                    {item.opd.name}
                  </Text>
                </Stack>
              )}
              columns={[
                {
                  key: 'ref',
                  header: t('cases.colRef'),
                  hideOnCard: true,
                  render: (item) => (
                    <Text ff="monospace" fw={700} size="sm" c="loket.8" style={{ whiteSpace: 'nowrap' }}>
                      <CaseLink item={item}>{item.ref}</CaseLink>
                    </Text>
                  ),
                },
                {
                  key: 'subject',
                  header: t('cases.colSubject'),
                  hideOnCard: true,
                  render: (item) => (
                    <Stack gap={2} style={{ minWidth: 170 }}>
                      <Text size="sm" fw={600} lineClamp={2}>
                        <CaseLink item={item}>{item.subject}</CaseLink>
                      </Text>
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {item.opd.name}
                      </Text>
                    </Stack>
                  ),
                },
                {
                  key: 'step',
                  header: t('cases.colStep'),
                  render: (item) => (
                    <StepTitle
                      no={item.step.no}
                      title={item.step.title}
                      short={item.step.short}
                      of={item.step.of}
                    />
                  ),
                },
                {
                  key: 'waiting',
                  header: t('cases.colWaiting'),
                  render: (item) =>
                    item.waitingFor.length ? (
                      <RoleBadges roles={item.waitingFor} size="xs" />
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('cases.nobody')}
                      </Text>
                    ),
                },
                {
                  key: 'due',
                  header: t('cases.colDue'),
                  minWidth: 130,
                  render: (item) =>
                    isClosed(item) ? (
                      <Text size="sm" c="dimmed">
                        {t('cases.nobody')}
                      </Text>
                    ) : (
                      <DueText dueAt={item.dueAt} overdue={item.overdue} />
                    ),
                },
                {
                  key: 'status',
                  header: t('cases.colStatus'),
                  hideOnCard: true,
                  render: (item) => <CaseStatusBadge status={item.status} />,
                },
              ]}
            />
            <ListFooter
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              capped={data.totalCapped}
              onPage={(next) => setSearch({ ...search, page: next > 1 ? next : undefined })}
            />
          </>
        )}
      </ListCard>
    </>
  );
}
