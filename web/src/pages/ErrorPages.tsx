import { Button, Center, EmptyState, Paper } from '@mantine/core';
import { IconAlertTriangle, IconLock, IconMapOff } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

function Panel({ children }: { children: React.ReactNode }) {
  return (
    <Center py={48} px="md">
      <Paper withBorder radius="lg" p="xl" maw={520} w="100%" shadow="xs">
        {children}
      </Paper>
    </Center>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Panel>
      <EmptyState
        icon={<IconMapOff size={30} stroke={1.5} />}
        variant="light"
        title={t('notFound.title')}
        description={t('notFound.text')}
      >
        <EmptyState.Actions>
          <Button component={Link} to="/">
            {t('notFound.back')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Panel>
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <Panel>
      <EmptyState
        icon={<IconLock size={30} stroke={1.5} />}
        variant="light"
        color="orange"
        title={t('forbidden.title')}
        description={t('forbidden.text')}
      >
        <EmptyState.Actions>
          <Button component={Link} to="/">
            {t('notFound.back')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Panel>
  );
}

export function CrashPage() {
  const { t } = useTranslation();
  return (
    <Panel>
      <EmptyState
        icon={<IconAlertTriangle size={30} stroke={1.5} />}
        variant="light"
        color="red"
        title={t('crash.title')}
        description={t('crash.text')}
      >
        <EmptyState.Actions>
          <Button onClick={() => window.location.reload()}>{t('crash.reload')}</Button>
        </EmptyState.Actions>
      </EmptyState>
    </Panel>
  );
}
