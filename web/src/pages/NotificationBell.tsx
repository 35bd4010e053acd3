/**
 * The bell in the header: unread count, and a dropdown of the latest notifications that marks them read
 * and leads to their request. Hidden when the server has no notifications API (404).
 */
import {
  ActionIcon,
  Box,
  Button,
  Divider,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconBell, IconChecks } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notificationsApi } from '../api/endpoints.ts';
import type { AppNotification } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';
import { isMissingRoute } from './cases/queries.ts';

const PAGE_SIZE = 10;

/** Where a notification leads: its request, else a path inside Loket, never another site. */
export function notificationTarget(item: AppNotification): string | null {
  if (item.caseId) return `/permohonan/${encodeURIComponent(item.caseId)}`;
  const link = item.link;
  if (!link?.startsWith('/') || link.startsWith('//')) return null;
  // The server's case links (`/cases/:id`) are the web app's `/permohonan/:id`.
  return link.replace(/^\/cases\//, '/permohonan/');
}

export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const list = useQuery({
    queryKey: ['notifications', 'latest'],
    queryFn: () => notificationsApi.list({ page: 1, pageSize: PAGE_SIZE }),
    refetchInterval: 60_000,
    retry: false,
  });
  const markRead = useMutation({
    mutationFn: (body: { ids: string[] } | { all: true }) => notificationsApi.markRead(body),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });

  if (list.isError && isMissingRoute(list.error)) return null;
  if (!list.data) return null;
  const { items, unread } = list.data;

  const open = (item: AppNotification) => {
    if (!item.readAt) markRead.mutate({ ids: [item.id] });
    setOpened(false);
    const target = notificationTarget(item);
    if (target) void navigate({ to: target });
  };

  const label = unread
    ? `${t('notifications.label')}: ${t('notifications.unread', { count: unread })}`
    : t('notifications.label');

  return (
    // The count badge wraps the whole popover so that the popup attributes (aria-haspopup, aria-expanded,
    // aria-controls) land on the button, not on the badge's wrapper div.
    <Indicator
      label={unread > 99 ? '99+' : unread}
      size={18}
      color="red"
      offset={6}
      disabled={unread === 0}
      withBorder
    >
      <Popover
        opened={opened}
        onChange={setOpened}
        position="bottom-end"
        width={360}
        shadow="lg"
        withinPortal
      >
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            color="white"
            size="lg"
            radius="xl"
            aria-label={label}
            data-testid="notification-bell"
            onClick={() => setOpened((value) => !value)}
            className="header-icon-button"
          >
            <IconBell size={22} stroke={1.7} />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown p={0} maw="calc(100vw - 16px)">
          <Group justify="space-between" px="md" py="sm" gap="xs">
            <Text fw={700}>{t('notifications.title')}</Text>
            {unread > 0 ? (
              <Button
                size="compact-xs"
                variant="subtle"
                leftSection={<IconChecks size={14} />}
                onClick={() => markRead.mutate({ all: true })}
                loading={markRead.isPending}
              >
                {t('notifications.markAllRead')}
              </Button>
            ) : null}
          </Group>
          <Divider />
          {items.length === 0 ? (
            <Text size="sm" c="dimmed" px="md" py="lg" ta="center">
              {t('notifications.empty')}
            </Text>
          ) : (
            <ScrollArea.Autosize mah={400} type="auto">
              <Stack gap={0} role="list" aria-label={t('notifications.title')}>
                {items.map((item) => (
                  <UnstyledButton
                    key={item.id}
                    role="listitem"
                    onClick={() => open(item)}
                    className="notification-item"
                    data-unread={item.readAt ? undefined : 'true'}
                    px="md"
                    py="sm"
                  >
                    <Group gap="sm" wrap="nowrap" align="flex-start">
                      <Box
                        mt={6}
                        w={8}
                        h={8}
                        style={{
                          borderRadius: 8,
                          flexShrink: 0,
                          background: item.readAt ? 'transparent' : 'var(--mantine-color-loket-6)',
                        }}
                      />
                      <Box style={{ minWidth: 0 }}>
                        <Text size="sm" fw={item.readAt ? 500 : 700} lineClamp={2}>
                          {item.title}
                        </Text>
                        {item.body ? (
                          <Text size="xs" c="dimmed" lineClamp={2}>
                            {item.body}
                          </Text>
                        ) : null}
                        <Text size="xs" c="dimmed" mt={2}>
                          {formatDateTime(item.createdAt)}
                        </Text>
                      </Box>
                    </Group>
                  </UnstyledButton>
                ))}
              </Stack>
            </ScrollArea.Autosize>
          )}
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  );
}
