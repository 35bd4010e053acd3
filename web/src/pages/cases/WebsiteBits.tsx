/** The registry's website as the request pages show it: its state, and whether a host name is free. */
import { Badge, Group, Loader, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCircleCheck, IconCircleX, IconInfoCircle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseWebsiteStatus } from '../../api/types.ts';
import i18n from '../../i18n/index.ts';
import { lookupKeys, registryLookups, WEBSITE_STATUS_COLORS } from './registryLookups.ts';
import { labelProblem, type NameReasonKey, nameReason } from './websiteRules.ts';

const STATUSES: readonly string[] = [
  'planned',
  'active',
  'suspended',
  'retired',
] satisfies CaseWebsiteStatus[];

/** A website's state (the registry's `CaseWebsiteStatus`; the case detail serves it as text). */
export function WebsiteStatusBadge({ status, size = 'sm' }: { status: string; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  if (!STATUSES.includes(status)) {
    return (
      <Badge variant="light" color="gray" radius="sm" size={size} tt="none" data-testid="website-status">
        {status}
      </Badge>
    );
  }
  const known = status as CaseWebsiteStatus;
  return (
    <Badge
      variant={known === 'retired' ? 'outline' : 'light'}
      color={WEBSITE_STATUS_COLORS[known]}
      radius="sm"
      size={size}
      tt="none"
      miw="max-content"
      data-testid="website-status"
    >
      {t(`case.websiteStatus.${known}`)}
    </Badge>
  );
}

/** A reason key of `newCase.nameReasons`, translated. */
export function reasonText(key: NameReasonKey, params: Record<string, string> = {}): string {
  return (i18n.t as (key: string, options?: Record<string, string>) => string)(
    `newCase.nameReasons.${key}`,
    params,
  );
}

/** The server's reason for refusing a name, in the user's language when the form knows it. */
export function translateNameReason(reason: string | null | undefined): string {
  const known = nameReason(reason);
  return known ? reasonText(known.key, known.params) : (reason ?? '');
}

export type NameCheckState =
  | { state: 'idle' }
  | { state: 'checking'; hostname: string }
  | { state: 'available'; hostname: string }
  | { state: 'unavailable'; hostname: string; reason: string; zones: string[] }
  | { state: 'failed'; hostname: string };

/**
 * Whether `hostname` may be taken, asked of the server a moment after typing stops (the website's own
 * names count as free to it). A label the client already knows to be wrong is answered without asking.
 */
export function useNameCheck(hostname: string, websiteId?: string | null): NameCheckState {
  const name = hostname.trim();
  const [debounced] = useDebouncedValue(name, 400);
  const local = name ? labelProblem(name.split('.')[0] ?? '') : null;
  const query = useQuery({
    queryKey: lookupKeys.name(debounced, websiteId ?? null),
    queryFn: ({ signal }) => registryLookups.checkName(debounced, websiteId ?? undefined, signal),
    enabled: Boolean(debounced) && !local,
    staleTime: 5_000,
    retry: false,
  });
  if (!name) return { state: 'idle' };
  if (local) return { state: 'unavailable', hostname: name, reason: reasonText(local), zones: [] };
  if (debounced !== name || query.isFetching) return { state: 'checking', hostname: name };
  if (query.isError) return { state: 'failed', hostname: name };
  const answer = query.data;
  if (!answer) return { state: 'checking', hostname: name };
  if (answer.available) return { state: 'available', hostname: name };
  return {
    state: 'unavailable',
    hostname: name,
    reason: translateNameReason(answer.reason),
    zones: answer.zones,
  };
}

/** One line under the name field: checking, free, or taken and why. */
export function NameCheckNote({ check, testId }: { check: NameCheckState; testId?: string }) {
  const { t } = useTranslation();
  if (check.state === 'idle') return null;
  const line = (icon: ReactNode, color: string | undefined, text: string) => (
    <Group gap={6} wrap="nowrap" align="flex-start" data-testid={testId} data-state={check.state}>
      {icon}
      <Text size="xs" c={color} style={{ overflowWrap: 'anywhere' }} aria-live="polite">
        {text}
      </Text>
    </Group>
  );
  switch (check.state) {
    case 'checking':
      return line(
        <Loader size={12} mt={2} />,
        'dimmed',
        t('newCase.nameChecking', { hostname: check.hostname }),
      );
    case 'available':
      return line(
        <IconCircleCheck size={16} color="var(--mantine-color-teal-7)" style={{ flexShrink: 0 }} />,
        'teal.9',
        t('newCase.nameAvailable', { hostname: check.hostname }),
      );
    case 'unavailable':
      return line(
        <IconCircleX size={16} color="var(--mantine-color-red-7)" style={{ flexShrink: 0 }} />,
        'red.8',
        t('newCase.nameUnavailable', { hostname: check.hostname, reason: check.reason }),
      );
    default:
      return line(
        <IconInfoCircle size={16} color="var(--mantine-color-gray-6)" style={{ flexShrink: 0 }} />,
        'dimmed',
        t('newCase.nameCheckFailed'),
      );
  }
}
