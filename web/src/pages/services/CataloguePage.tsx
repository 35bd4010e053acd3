/**
 * `/layanan`: the catalogue of DKISP services every signed-in user reads — each service's purpose, what an
 * OPD must bring, its steps with their standard times, the printed SOP sheet — and, for an OPD, the way to
 * file a request for it.
 */
import {
  Accordion,
  Alert,
  Badge,
  Button,
  Group,
  List,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileDownload, IconFilePlus, IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { sopTimesApi } from '../../api/sopTimes.ts';
import { localized } from '../../components/CaseBits.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { hasRole, useMe } from '../../session.ts';
import { type CatalogueService, catalogueQueryKey, servicesApi } from './api.ts';
import { formatStandardTime, startDownload } from './format.ts';

export const catalogueQuery = {
  queryKey: catalogueQueryKey,
  queryFn: () => servicesApi.catalogue(),
  staleTime: 5 * 60_000,
};

function laneTitle(service: CatalogueService, lane: string): string {
  const def = service.lanes?.find((l) => l.key === lane);
  return def ? localized(def.title) : lane;
}

function SheetButton({ service }: { service: CatalogueService }) {
  const { t } = useTranslation();
  const sheet = useMutation({
    mutationFn: () => sopTimesApi.issueSheet(service.key),
    onSuccess: (issued) => startDownload(issued.url),
    onError: (error) =>
      notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(error) }),
  });
  return (
    <Button
      variant="default"
      size="sm"
      leftSection={<IconFileDownload size={18} />}
      loading={sheet.isPending}
      onClick={() => sheet.mutate()}
    >
      {t('services.sheet')}
    </Button>
  );
}

function StepsTable({ service }: { service: CatalogueService }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table
        striped
        verticalSpacing="xs"
        fz="sm"
        aria-label={t('services.stepsOf', { title: localized(service.title) })}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={44}>{t('sopTimes.colNo')}</Table.Th>
            <Table.Th>{t('sopTimes.colActivity')}</Table.Th>
            <Table.Th w={150}>{t('sopTimes.colLane')}</Table.Th>
            <Table.Th w={130}>{t('sopTimes.colTime')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {service.steps.map((step) => (
            <Table.Tr key={step.key} data-testid={`catalogue-step-${service.key}-${step.key}`}>
              <Table.Td fw={700} c="loket.8">
                {step.no}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{localized(step.title)}</Text>
                {step.outputs.length ? (
                  <Text size="xs" c="dimmed">
                    {t('services.produces', { outputs: step.outputs.join(', ') })}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{laneTitle(service, step.lane)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatStandardTime(step.standardTime)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function ServiceCard({ service, canRequest }: { service: CatalogueService; canRequest: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      p={{ base: 'md', sm: 'lg' }}
      shadow="xs"
      data-testid={`service-${service.key}`}
      id={service.key}
    >
      <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
        <Stack gap={4} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Title order={2} fz="lg">
            {localized(service.title)}
          </Title>
          <Group gap={6}>
            <Badge variant="light" radius="sm" tt="none" data-testid={`service-version-${service.key}`}>
              {t('services.version', { version: service.version })}
            </Badge>
            <Badge variant="outline" color="gray" radius="sm" tt="none">
              {t('services.stepCount', { count: service.steps.length })}
            </Badge>
          </Group>
        </Stack>
        <Group gap="xs" wrap="wrap">
          <SheetButton service={service} />
          {canRequest ? (
            <Button
              component={Link}
              to="/permohonan/baru"
              search={{ layanan: service.key } as never}
              leftSection={<IconFilePlus size={18} />}
              data-testid={`request-${service.key}`}
            >
              {t('services.request')}
            </Button>
          ) : null}
        </Group>
      </Group>
      {service.purpose ? (
        <Text size="sm" mt="sm">
          {localized(service.purpose)}
        </Text>
      ) : null}
      {service.requirements?.length ? (
        <>
          <Text size="sm" fw={600} mt="md">
            {t('services.requirements')}
          </Text>
          <List size="sm" mt={4} spacing={2}>
            {service.requirements.map((item) => (
              <List.Item key={item}>{item}</List.Item>
            ))}
          </List>
        </>
      ) : null}
      <Accordion variant="contained" mt="md" radius="md">
        <Accordion.Item value="steps">
          <Accordion.Control>{t('services.stepsAndTimes')}</Accordion.Control>
          <Accordion.Panel>
            <StepsTable service={service} />
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Paper>
  );
}

export function CataloguePage() {
  const { t } = useTranslation();
  const me = useMe();
  const query = useQuery(catalogueQuery);
  const canRequest = hasRole(me, 'opd');
  return (
    <>
      <PageHeader title={t('services.catalogueTitle')} subtitle={t('services.catalogueSubtitle')} />
      {query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <Stack>
          <Skeleton height={160} radius="md" />
          <Skeleton height={160} radius="md" />
        </Stack>
      ) : query.data.length === 0 ? (
        <Alert icon={<IconInfoCircle size={18} />}>{t('services.empty')}</Alert>
      ) : (
        <Stack gap="md" maw={980}>
          {query.data
            .filter((service) => !service.retired)
            .map((service) => (
              <ServiceCard key={service.key} service={service} canRequest={canRequest} />
            ))}
        </Stack>
      )}
    </>
  );
}
