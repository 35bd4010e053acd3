/** Pieces the registry pages share: badges, sort headers, sections, facts, export and the access check. */
import {
  Anchor,
  type AnchorProps,
  Badge,
  Box,
  Button,
  Group,
  Menu,
  Paper,
  Select,
  Stack,
  Text,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import {
  IconArrowDown,
  IconArrowsSort,
  IconArrowUp,
  IconChevronDown,
  IconDownload,
  IconFileSpreadsheet,
  IconFileTypeCsv,
} from '@tabler/icons-react';
import { createLink } from '@tanstack/react-router';
import type { AnchorHTMLAttributes, ReactNode, Ref } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type ExportFormat,
  exportUrl,
  isRegistryEditor,
  isRegistryManager,
  isRegistryReader,
  type RegistryEntity,
  type ServerStatus,
  type SortDir,
  type WebsiteStatus,
} from '../../api/registry.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useMe } from '../../session.ts';
import './registry.css';

type MantineAnchorProps = AnchorProps &
  Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'color' | 'style'> & { ref?: Ref<HTMLAnchorElement> };

function MantineAnchor(props: MantineAnchorProps) {
  return <Anchor {...props} />;
}

/** A Mantine anchor that is a router link, with the route's params and search checked by TypeScript. */
export const AnchorLink = createLink(MantineAnchor);

export function useRegistryAccess() {
  const me = useMe();
  return { reader: isRegistryReader(me), editor: isRegistryEditor(me), manager: isRegistryManager(me) };
}

export const WEBSITE_STATUS_COLORS: Record<WebsiteStatus, string> = {
  planned: 'blue',
  active: 'teal',
  suspended: 'orange',
  retired: 'gray',
};

export function WebsiteStatusBadge({ status, size = 'md' }: { status: WebsiteStatus; size?: 'sm' | 'md' }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant={status === 'retired' ? 'outline' : 'light'}
      color={WEBSITE_STATUS_COLORS[status]}
      radius="sm"
      size={size}
      miw="max-content"
      data-testid="website-status"
    >
      {t(`registry.websiteStatus.${status}`)}
    </Badge>
  );
}

const SERVER_STATUS_COLORS: Record<ServerStatus, string> = {
  active: 'teal',
  maintenance: 'orange',
  retired: 'gray',
};

export function ServerStatusBadge({ status }: { status: ServerStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={SERVER_STATUS_COLORS[status]} radius="sm" miw="max-content">
      {t(`registry.serverStatus.${status}`)}
    </Badge>
  );
}

const DAY = 86_400_000;

/** Whole days from now until `iso` (negative once past). */
export function daysUntil(iso: string, now = Date.now()): number {
  return Math.floor((new Date(iso).getTime() - now) / DAY);
}

/** A certificate's expiry: the date, with a red "expired" or orange "N days left" under 30 days. */
export function TlsExpiry({ iso, compact = false }: { iso: string | null; compact?: boolean }) {
  const { t } = useTranslation();
  if (!iso) {
    return (
      <Text size="sm" c="dimmed">
        {t('common.none')}
      </Text>
    );
  }
  const days = daysUntil(iso);
  const date = formatDay(iso);
  const warning =
    days < 0 ? (
      <Badge color="red" variant="filled" radius="sm" size="sm" tt="none" data-testid="tls-expired">
        {t('registry.tls.expired')}
      </Badge>
    ) : days < 30 ? (
      <Badge color="orange" variant="light" radius="sm" size="sm" tt="none" data-testid="tls-soon">
        {t('registry.tls.daysLeft', { count: days })}
      </Badge>
    ) : null;
  return (
    <Stack gap={2} align="flex-start">
      <Text size="sm" style={{ whiteSpace: 'nowrap' }} c={days < 0 ? 'red.8' : undefined}>
        {date}
      </Text>
      {warning && !compact ? warning : null}
      {warning && compact ? <Box>{warning}</Box> : null}
    </Stack>
  );
}

/** A date in Jakarta time, without the time of day. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'id-ID', {
    dateStyle: 'medium',
    timeZone: 'Asia/Jakarta',
  }).format(date);
}

/** A column header that sorts the list: click once ascending, again descending. */
export function SortHeader<S extends string>({
  label,
  column,
  sort,
  dir,
  onSort,
}: {
  label: string;
  column: S;
  sort: S;
  dir: SortDir;
  onSort: (sort: S, dir: SortDir) => void;
}) {
  const { t } = useTranslation();
  const active = sort === column;
  const Icon = !active ? IconArrowsSort : dir === 'asc' ? IconArrowUp : IconArrowDown;
  return (
    <UnstyledButton
      className="registry-sort"
      data-active={active || undefined}
      onClick={() => onSort(column, active && dir === 'asc' ? 'desc' : 'asc')}
      aria-label={t('registry.sortBy', { column: label })}
      aria-pressed={active}
    >
      <span>{label}</span>
      <Icon size={14} aria-hidden />
    </UnstyledButton>
  );
}

/** On a phone there are no column headers: one select chooses the order. */
export function SortSelect<S extends string>({
  options,
  sort,
  dir,
  onSort,
}: {
  options: { value: S; label: string }[];
  sort: S;
  dir: SortDir;
  onSort: (sort: S, dir: SortDir) => void;
}) {
  const { t } = useTranslation();
  const data = options.flatMap((option) => [
    { value: `${option.value}:asc`, label: `${option.label} ↑` },
    { value: `${option.value}:desc`, label: `${option.label} ↓` },
  ]);
  return (
    <Select
      label={t('registry.sort')}
      data={data}
      value={`${sort}:${dir}`}
      allowDeselect={false}
      onChange={(value) => {
        const [s, d] = (value ?? '').split(':');
        const next = options.find((option) => option.value === s);
        if (next) onSort(next.value, d === 'desc' ? 'desc' : 'asc');
      }}
      style={{ flex: '1 1 180px' }}
    />
  );
}

export function Section({
  title,
  children,
  testId,
  action,
}: {
  title: string;
  children: ReactNode;
  testId?: string;
  action?: ReactNode;
}) {
  return (
    <Paper
      withBorder
      p={{ base: 'md', sm: 'lg' }}
      shadow="xs"
      data-testid={testId}
      component="section"
      style={{ minWidth: 0 }}
    >
      <Group justify="space-between" mb="md" gap="xs" wrap="wrap">
        <Title order={2} fz="lg">
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </Paper>
  );
}

/** One labelled value in a detail section: label on the left, value on the right (stacked on a phone). */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="registry-fact">
      <Text size="sm" c="dimmed" className="registry-fact-label">
        {label}
      </Text>
      <Box className="registry-fact-value">{children ?? <Dash />}</Box>
    </div>
  );
}

export function Dash() {
  const { t } = useTranslation();
  return (
    <Text span size="sm" c="dimmed">
      {t('common.none')}
    </Text>
  );
}

/** Text or a dash when empty. */
export function Value({ children, mono = false }: { children: string | null | undefined; mono?: boolean }) {
  if (!children) return <Dash />;
  return (
    <Text span size="sm" ff={mono ? 'monospace' : undefined} style={{ overflowWrap: 'anywhere' }}>
      {children}
    </Text>
  );
}

/** "Ekspor": CSV or XLSX of the whole list, downloaded with the session cookie. */
export function ExportMenu({ entity }: { entity: RegistryEntity }) {
  const { t } = useTranslation();
  const item = (format: ExportFormat, icon: ReactNode) => (
    <Menu.Item component="a" href={exportUrl(entity, format)} download leftSection={icon}>
      {t(format === 'csv' ? 'registry.exportCsv' : 'registry.exportXlsx')}
    </Menu.Item>
  );
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconDownload size={18} />}
          rightSection={<IconChevronDown size={14} />}
        >
          {t('registry.export')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {item('csv', <IconFileTypeCsv size={16} />)}
        {item('xlsx', <IconFileSpreadsheet size={16} />)}
      </Menu.Dropdown>
    </Menu>
  );
}

/** A timestamp with a tooltip of the full date and time, for compact places. */
export function When({ iso }: { iso: string }) {
  return (
    <Tooltip label={formatDateTime(iso)} withArrow>
      <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
        {formatDay(iso)}
      </Text>
    </Tooltip>
  );
}
