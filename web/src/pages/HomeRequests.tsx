/** Beranda's request panel: what waits for the signed-in user, most urgent first. */
import { Anchor, Badge, Box, Button, EmptyState, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import {
  IconChevronRight,
  IconFilePlus,
  IconInbox,
  IconLayoutList,
  IconMoodSmile,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { casesApi } from '../api/endpoints.ts';
import { DueText, StepTitle } from '../components/CaseBits.tsx';
import { hasRole, useMe } from '../session.ts';
import { countsQuery, isMissingRoute } from './cases/queries.ts';

const INBOX = { view: 'inbox', page: 1, pageSize: 5 } as const;

export function HomeRequests() {
  const { t } = useTranslation();
  const me = useMe();
  const isOpd = hasRole(me, 'opd');
  const counts = useQuery(countsQuery);
  const inbox = useQuery({
    queryKey: ['cases', 'list', INBOX],
    queryFn: () => casesApi.list(INBOX),
    retry: false,
  });

  const header = (
    <Group justify="space-between" mb="sm" gap="xs">
      <Group gap="xs">
        <Title order={2} fz="lg">
          {t('home.requestsTitle')}
        </Title>
        {counts.data?.overdue ? (
          <Badge color="red" variant="filled" size="sm">
            {t('cases.menuOverdue', { count: counts.data.overdue })}
          </Badge>
        ) : null}
      </Group>
      {isOpd ? (
        <Group gap="xs">
          <Button
            component={Link}
            to="/layanan"
            size="xs"
            variant="default"
            leftSection={<IconLayoutList size={16} />}
          >
            {t('services.nav.catalogue')}
          </Button>
          <Button component={Link} to="/permohonan/baru" size="xs" leftSection={<IconFilePlus size={16} />}>
            {t('cases.new')}
          </Button>
        </Group>
      ) : null}
    </Group>
  );

  // A server without the requests API yet: the panel explains what will come.
  if (inbox.isError && isMissingRoute(inbox.error)) {
    return (
      <>
        {header}
        <EmptyState
          icon={<IconInbox size={30} stroke={1.5} />}
          variant="light"
          title={t('home.emptyTitle')}
          description={t('home.emptyText')}
          py="xl"
        />
      </>
    );
  }

  const items = inbox.data?.items;
  return (
    <>
      {header}
      {!items ? (
        <Stack gap="xs">
          <Skeleton height={48} />
          <Skeleton height={48} />
        </Stack>
      ) : items.length === 0 ? (
        <EmptyState
          icon={<IconMoodSmile size={30} stroke={1.5} />}
          variant="light"
          color="teal"
          title={t('cases.emptyInboxTitle')}
          description={isOpd ? t('cases.emptyInboxTextOpd') : t('cases.emptyInboxText')}
          py="lg"
        />
      ) : (
        <Stack gap={0} data-testid="home-inbox">
          {items.map((item) => (
            <Anchor
              key={item.id}
              component={Link}
              to={`/permohonan/${item.id}`}
              underline="never"
              c="inherit"
              className="home-case-row"
            >
              <Group gap="sm" wrap="nowrap" py="sm" align="flex-start">
                <Box style={{ flex: 1, minWidth: 0 }}>
                  <Group gap={8} wrap="nowrap">
                    <Text ff="monospace" size="xs" fw={700} c="loket.8" style={{ whiteSpace: 'nowrap' }}>
                      {item.ref}
                    </Text>
                    <Text size="sm" fw={600} truncate>
                      {item.subject}
                    </Text>
                  </Group>
                  <StepTitle
                    no={item.step.no}
                    title={item.step.title}
                    short={item.step.short}
                    of={item.step.of}
                    clamp={1}
                  />
                </Box>
                <DueText dueAt={item.dueAt} overdue={item.overdue} />
                <IconChevronRight size={16} color="var(--mantine-color-gray-5)" />
              </Group>
            </Anchor>
          ))}
        </Stack>
      )}
      <Anchor component={Link} to="/permohonan" size="sm" mt="sm" display="inline-block">
        {t('cases.showAll')}
      </Anchor>
    </>
  );
}
