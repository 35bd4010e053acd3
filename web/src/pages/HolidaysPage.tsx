import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  EmptyState,
  Group,
  Select,
  Skeleton,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconCalendarOff,
  IconChevronLeft,
  IconChevronRight,
  IconInfoCircle,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { holidaysApi } from '../api/endpoints.ts';
import type { Holiday, HolidayKind } from '../api/types.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { EditButton } from '../components/EditButton.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryError } from '../components/QueryError.tsx';
import { ResponsiveList, useIsPhone } from '../components/ResponsiveList.tsx';
import { errorMessage } from '../lib/errors.ts';
import {
  displayName,
  formatDay,
  formatDayLong,
  formatDayShort,
  formatWeekday,
  isEstimate,
  isWeekend,
  MAX_YEAR,
  MIN_YEAR,
  parseDay,
} from '../lib/holidayDates.ts';
import { HolidayFormModal, holidayListKey, literalText } from './HolidayFormModal.tsx';

const route = getRouteApi('/app/admin/hari-libur');

const KIND_COLORS: Record<HolidayKind, string> = {
  national: 'red',
  cuti_bersama: 'orange',
  local: 'loket',
};

function KindBadge({ kind }: { kind: HolidayKind }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={KIND_COLORS[kind]} radius="sm" miw="max-content" tt="none">
      {t(`holidays.kinds.${kind}`)}
    </Badge>
  );
}

function EstimateBadge() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('holidays.estimateTooltip')} withArrow multiline maw={260}>
      <Badge variant="outline" color="yellow.8" radius="sm" size="sm" miw="max-content" tt="none">
        {t('holidays.estimate')}
      </Badge>
    </Tooltip>
  );
}

/** The name, with the "(perkiraan)" suffix shown as a badge. */
function HolidayName({ holiday, strong }: { holiday: Holiday; strong?: boolean }) {
  return (
    <Group gap={8} wrap="wrap" align="center">
      <Text size="sm" fw={strong ? 600 : undefined}>
        {displayName(holiday)}
      </Text>
      {isEstimate(holiday) ? <EstimateBadge /> : null}
    </Group>
  );
}

function Weekday({ day }: { day: string }) {
  const { t } = useTranslation();
  const weekend = isWeekend(day);
  return (
    <Text size="xs" c="dimmed">
      {formatWeekday(day)}
      {weekend ? ` · ${t('holidays.weekend')}` : null}
    </Text>
  );
}

/** "Delete" for one row: an icon in a table, a labelled button on a phone card. */
function DeleteButton({ name, onClick }: { name: string; onClick: () => void }) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const label = t('holidays.deleteLabel', { name });
  if (isPhone) {
    return (
      <Button
        variant="subtle"
        color="red"
        size="compact-sm"
        leftSection={<IconTrash size={14} />}
        onClick={onClick}
        aria-label={label}
      >
        {t('holidays.delete')}
      </Button>
    );
  }
  return (
    <Tooltip label={t('holidays.delete')} withArrow>
      <ActionIcon variant="subtle" color="gray" onClick={onClick} aria-label={label}>
        <IconTrash size={16} />
      </ActionIcon>
    </Tooltip>
  );
}

function YearPicker({
  year,
  thisYear,
  onChange,
}: {
  year: number;
  thisYear: number;
  onChange: (year: number) => void;
}) {
  const { t } = useTranslation();
  const years = new Set<number>([year]);
  for (let y = thisYear - 3; y <= thisYear + 3; y++) years.add(y);
  const options = [...years]
    .filter((y) => y >= MIN_YEAR && y <= MAX_YEAR)
    .sort((a, b) => a - b)
    .map(String);
  return (
    <Group gap={6} wrap="nowrap" data-testid="year-picker">
      <Tooltip label={t('holidays.previousYear')} withArrow>
        <ActionIcon
          variant="default"
          size={36}
          aria-label={t('holidays.previousYear')}
          disabled={year <= MIN_YEAR}
          onClick={() => onChange(year - 1)}
        >
          <IconChevronLeft size={18} />
        </ActionIcon>
      </Tooltip>
      <Select
        aria-label={t('holidays.year')}
        data={options}
        value={String(year)}
        onChange={(value) => value && onChange(Number(value))}
        allowDeselect={false}
        w={104}
        styles={{ input: { fontWeight: 700, fontSize: 'var(--mantine-font-size-md)' } }}
      />
      <Tooltip label={t('holidays.nextYear')} withArrow>
        <ActionIcon
          variant="default"
          size={36}
          aria-label={t('holidays.nextYear')}
          disabled={year >= MAX_YEAR}
          onClick={() => onChange(year + 1)}
        >
          <IconChevronRight size={18} />
        </ActionIcon>
      </Tooltip>
      {year !== thisYear ? (
        <Button variant="subtle" size="compact-sm" onClick={() => onChange(thisYear)}>
          {t('holidays.thisYear')}
        </Button>
      ) : null}
    </Group>
  );
}

export function HolidaysPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const thisYear = new Date().getFullYear();
  const year = search.tahun ?? thisYear;
  const setYear = (next: number) =>
    void navigate({ search: { tahun: next === thisYear ? undefined : next }, replace: true });

  const [editing, setEditing] = useState<Holiday | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [deleting, setDeleting] = useState<Holiday | null>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);

  const list = useQuery({
    queryKey: holidayListKey(year),
    queryFn: () => holidaysApi.list(year),
  });

  const remove = useMutation({
    mutationFn: (holiday: Holiday) => holidaysApi.remove(holiday.date),
    onSuccess: async (_, holiday) => {
      notifications.show({ color: 'teal', message: t('holidays.deleted', { name: displayName(holiday) }) });
      setConfirmOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['holidays'] });
    },
    onError: async (error) => {
      notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(error) });
      setConfirmOpen(false);
      // Someone else may have changed the list (a 404: already deleted).
      await queryClient.invalidateQueries({ queryKey: holidayListKey(year) });
    },
  });

  const openCreate = () => {
    setEditing(null);
    setFormOpen(true);
  };
  const openEdit = (holiday: Holiday) => {
    setEditing(holiday);
    setFormOpen(true);
  };
  const confirmDelete = (holiday: Holiday) => {
    setDeleting(holiday);
    setConfirmOpen(true);
  };
  // A holiday saved in (or moved to) another year: follow it there.
  const onSaved = (saved: Holiday) => {
    const savedYear = parseDay(saved.date)?.getUTCFullYear();
    if (savedYear !== undefined && savedYear !== year) setYear(savedYear);
  };

  const items = list.data;
  const estimates = items?.filter(isEstimate).length ?? 0;
  const workdays = items?.filter((h) => !isWeekend(h.date)).length ?? 0;

  const actions = (holiday: Holiday) => (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      <EditButton name={displayName(holiday)} onClick={() => openEdit(holiday)} />
      <DeleteButton name={displayName(holiday)} onClick={() => confirmDelete(holiday)} />
    </Group>
  );

  const addButton = (
    <Button leftSection={<IconPlus size={18} />} onClick={openCreate}>
      {t('holidays.add')}
    </Button>
  );

  return (
    <>
      <PageHeader title={t('holidays.title')} subtitle={t('holidays.subtitle')} actions={addButton} />

      <Alert
        variant="light"
        color="loket"
        icon={<IconInfoCircle size={20} />}
        title={t('holidays.explainTitle')}
        mb="lg"
        data-testid="holidays-explanation"
      >
        {t('holidays.explainText')}
      </Alert>

      <ListCard>
        <Group justify="space-between" align="center" gap="sm" mb="md" wrap="wrap">
          <YearPicker year={year} thisYear={thisYear} onChange={setYear} />
          {items?.length ? (
            <Text size="sm" c="dimmed" data-testid="holidays-summary">
              {t('holidays.summary', { count: items.length, year, workdays })}
            </Text>
          ) : null}
        </Group>

        {estimates > 0 ? (
          <Alert
            variant="light"
            color="yellow"
            icon={<IconAlertTriangle size={20} />}
            title={t('holidays.estimateTitle')}
            mb="md"
            data-testid="holidays-estimates"
          >
            <Trans
              i18nKey="holidays.estimateText"
              count={estimates}
              values={{ year }}
              components={literalText}
            />
          </Alert>
        ) : null}

        {list.isError && !items ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : !items ? (
          <Stack gap="xs">
            {[0, 1, 2, 3, 4].map((i) => (
              <Skeleton key={i} height={44} radius="sm" />
            ))}
          </Stack>
        ) : items.length === 0 ? (
          <EmptyState
            icon={<IconCalendarOff size={30} stroke={1.5} />}
            variant="light"
            title={t('holidays.emptyTitle', { year })}
            description={t('holidays.emptyText', { year })}
            py="xl"
            data-testid="holidays-empty"
          >
            <EmptyState.Actions>
              {year !== thisYear ? (
                <Button variant="default" onClick={() => setYear(thisYear)}>
                  {t('holidays.thisYear')}
                </Button>
              ) : null}
              {addButton}
            </EmptyState.Actions>
          </EmptyState>
        ) : (
          <ResponsiveList<Holiday>
            label={t('holidays.listLabel', { year })}
            testId="holidays-list"
            rows={items}
            rowKey={(row) => row.date}
            minWidth={640}
            actionsHeader={<span className="visually-hidden">{t('common.actions')}</span>}
            actions={actions}
            cardTitle={(row) => (
              <>
                <HolidayName holiday={row} strong />
                <Group justify="space-between" align="center" gap="xs" mt={4} wrap="wrap">
                  <Text size="xs" c="dimmed">
                    {formatDayShort(row.date)}
                    {isWeekend(row.date) ? ` · ${t('holidays.weekend')}` : null}
                  </Text>
                  <KindBadge kind={row.kind} />
                </Group>
              </>
            )}
            columns={[
              {
                key: 'date',
                header: t('holidays.date'),
                render: (row) => (
                  <>
                    <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                      {formatDay(row.date)}
                    </Text>
                    <Weekday day={row.date} />
                  </>
                ),
                hideOnCard: true,
                width: 200,
              },
              {
                key: 'name',
                header: t('holidays.name'),
                render: (row) => <HolidayName holiday={row} />,
                hideOnCard: true,
              },
              {
                key: 'kind',
                header: t('holidays.kind'),
                render: (row) => <KindBadge kind={row.kind} />,
                hideOnCard: true,
                width: 160,
              },
            ]}
          />
        )}
      </ListCard>

      <HolidayFormModal
        record={editing}
        opened={formOpen}
        onClose={() => setFormOpen(false)}
        onSaved={onSaved}
      />
      <ConfirmDialog
        opened={confirmOpen}
        title={t('holidays.deleteTitle')}
        text={
          deleting
            ? t(isWeekend(deleting.date) ? 'holidays.deleteTextWeekend' : 'holidays.deleteText', {
                name: displayName(deleting),
                date: formatDayLong(deleting.date),
              })
            : ''
        }
        confirmLabel={t('holidays.delete')}
        danger
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setConfirmOpen(false)}
      />
    </>
  );
}
