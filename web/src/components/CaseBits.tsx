/** Small pieces shared by the request list and the request page. */
import { Badge, Text, Tooltip } from '@mantine/core';
import { IconAlarm, IconClockHour4 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CaseStatus, LocalizedText } from '../api/types.ts';
import { currentLanguage } from '../i18n/index.ts';
import { describeDue } from '../lib/duration.ts';
import { formatDateTime } from '../lib/format.ts';
import { useHolidays, useNow } from '../lib/useHolidays.ts';

export const CASE_STATUS_COLORS: Record<CaseStatus, string> = {
  draft: 'gray',
  active: 'loket',
  revision: 'orange',
  rejected: 'red',
  done: 'teal',
};

export function CaseStatusBadge({ status, size = 'md' }: { status: CaseStatus; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant={status === 'done' || status === 'rejected' ? 'filled' : 'light'}
      color={CASE_STATUS_COLORS[status]}
      radius="sm"
      size={size}
      miw="max-content"
      data-testid="case-status"
    >
      {t(`cases.status.${status}`)}
    </Badge>
  );
}

/** A title from the API in the language of the interface. */
export function localized(text: LocalizedText | undefined): string {
  if (!text) return '';
  return currentLanguage() === 'en' ? text.en || text.id : text.id || text.en;
}

/**
 * A case's step in lists and badges. With the SOP's short label: "Tahap 4 dari 11 · Pengkajian", the SOP's
 * full wording in a tooltip; without one: "4. Kabid … melakukan pengkajian …", clamped to two lines with
 * the whole title in a tooltip.
 */
export function StepTitle({
  no,
  title,
  short,
  of,
  clamp = 2,
}: {
  no: number;
  title: LocalizedText;
  short?: LocalizedText | undefined;
  of?: number | undefined;
  clamp?: number;
}) {
  const { t } = useTranslation();
  const text = localized(title);
  const label = short ? localized(short) : '';
  if (label) {
    return (
      <Tooltip label={text} multiline maw={360} withArrow openDelay={400}>
        <Text size="sm" lineClamp={clamp} data-testid="case-step" data-step-title={text}>
          {of ? `${t('cases.stepOf', { no, of })} · ` : `${no}. `}
          <Text span fw={700} c="loket.8">
            {label}
          </Text>
        </Text>
      </Tooltip>
    );
  }
  return (
    <Tooltip label={text} multiline maw={360} withArrow openDelay={400}>
      <Text size="sm" lineClamp={clamp}>
        <Text span fw={700} c="loket.8">
          {no}.
        </Text>{' '}
        {text}
      </Text>
    </Tooltip>
  );
}

/** The due time in words ("2 jam lagi", "terlambat 1 hari kerja"), red when overdue. */
export function DueText({
  dueAt,
  overdue,
  withIcon = true,
}: {
  dueAt: string | null;
  overdue: boolean;
  withIcon?: boolean;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const holidays = useHolidays();
  if (!dueAt) {
    return (
      <Text size="sm" c="dimmed">
        {t('cases.due.none')}
      </Text>
    );
  }
  const due = describeDue(dueAt, overdue, now, holidays);
  const Icon = due.overdue ? IconAlarm : IconClockHour4;
  return (
    <Tooltip label={t('cases.due.at', { time: formatDateTime(dueAt) })} withArrow openDelay={300}>
      <Text
        size="sm"
        c={due.overdue ? 'red.7' : undefined}
        fw={due.overdue ? 700 : 500}
        style={{ display: 'inline-flex', alignItems: 'center', gap: 4, whiteSpace: 'nowrap' }}
        data-overdue={due.overdue ? 'true' : undefined}
        data-testid="case-due"
      >
        {withIcon ? <Icon size={15} stroke={1.8} aria-hidden /> : null}
        {due.text}
      </Text>
    </Tooltip>
  );
}
