import { Button, Center, EmptyState, Paper } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link, Outlet } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { isRegistryReader } from '../../api/registry.ts';
import { useMe } from '../../session.ts';

/** Servers, IP pools and zones are for DKISP staff; an OPD user is told so instead of a broken page. */
export function RegistryGate() {
  const { t } = useTranslation();
  const me = useMe();
  if (isRegistryReader(me)) return <Outlet />;
  return (
    <Center py={48} px="md">
      <Paper withBorder radius="lg" p="xl" maw={520} w="100%" shadow="xs">
        <EmptyState
          icon={<IconLock size={30} stroke={1.5} />}
          variant="light"
          color="orange"
          title={t('forbidden.title')}
          description={t('registry.forbiddenText')}
        >
          <EmptyState.Actions>
            <Button component={Link} to="/registri/website">
              {t('registry.ourWebsites')}
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    </Center>
  );
}
