/** DNS zones the registry hands out names in: readers see them, administrators and kabid add them. */
import {
  Alert,
  Button,
  EmptyState,
  Group,
  Modal,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconWorld } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { registryKeys, type Zone, zonesApi, zonesQuery } from '../../api/registry.ts';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { ListCard } from '../../components/ListCard.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { ResponsiveList, useIsPhone } from '../../components/ResponsiveList.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { translateMessage } from '../../lib/errors.ts';
import { orNull } from '../../lib/validation.ts';
import { ServerRoleSelect } from '../provisioning/ServerRoleSelect.tsx';
import { AnchorLink, useRegistryAccess } from './common.tsx';
import { applyRegistryError } from './formErrors.ts';

/** The schema's zone name rule (registry.schemas.ts, zoneName). */
const ZONE_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

function ZoneFormModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', notes: '', nsServerId: null as string | null },
    validate: {
      name: (value) => {
        if (!value.trim()) return 'validation.required';
        return ZONE_NAME.test(value.trim()) && value.trim().length <= 200
          ? null
          : t('registry.rules.zoneName');
      },
    },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the dialog opens
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    form.setValues({ name: '', notes: '', nsServerId: null });
    form.clearErrors();
  }, [opened]);

  const save = useMutation({
    mutationFn: (values: { name: string; notes: string; nsServerId: string | null }) =>
      zonesApi.create({
        name: values.name.trim(),
        notes: orNull(values.notes),
        ...(values.nsServerId ? { nsServerId: values.nsServerId } : {}),
      }),
    onSuccess: async (zone) => {
      notifications.show({ color: 'teal', message: t('registry.zones.created', { name: zone.name }) });
      await queryClient.invalidateQueries({ queryKey: registryKeys.zones });
      onClose();
    },
    onError: (error) => setFormError(applyRegistryError(form, error)),
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('registry.zones.add')} size="md" fullScreen={isPhone}>
      <form
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          save.mutate(values);
        })}
        noValidate
      >
        <Stack gap="md">
          {formError ? (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          ) : null}
          <TextInput
            label={t('registry.zones.name')}
            description={t('registry.zones.nameHint')}
            placeholder="example-kab.go.id"
            required
            data-autofocus
            autoCapitalize="none"
            spellCheck={false}
            classNames={{ input: 'registry-mono' }}
            {...form.getInputProps('name')}
            onChange={(event) => form.setFieldValue('name', event.currentTarget.value.trim().toLowerCase())}
            error={translateMessage(form.errors.name)}
          />
          <ServerRoleSelect
            serverRole="dns"
            label={t('provisioning.fields.nsServer')}
            description={t('provisioning.fields.nsServerHint')}
            placeholder={t('provisioning.fields.nsServerPlaceholder')}
            {...form.getInputProps('nsServerId')}
            value={form.values.nsServerId}
          />
          <Textarea
            label={t('registry.fields.notes')}
            autosize
            minRows={2}
            {...form.getInputProps('notes')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ZonesPage() {
  const { t } = useTranslation();
  const access = useRegistryAccess();
  const zones = useQuery(zonesQuery);
  const [formOpen, setFormOpen] = useState(false);

  const addButton = access.manager ? (
    <Button leftSection={<IconPlus size={18} />} onClick={() => setFormOpen(true)}>
      {t('registry.zones.add')}
    </Button>
  ) : null;

  const nameCell = (zone: Zone) => (
    <AnchorLink
      to="/registri/zona-dns/$id"
      params={{ id: zone.id }}
      search={{}}
      fw={600}
      size="sm"
      ff="monospace"
    >
      {zone.name}
    </AnchorLink>
  );

  return (
    <>
      <PageHeader
        title={t('registry.zones.title')}
        subtitle={t('registry.zones.subtitle')}
        actions={addButton}
      />
      <ListCard>
        {zones.isError && !zones.data ? (
          <QueryError error={zones.error} onRetry={() => void zones.refetch()} />
        ) : !zones.data ? (
          <Stack gap="xs">
            <Skeleton height={44} />
            <Skeleton height={44} />
          </Stack>
        ) : zones.data.length === 0 ? (
          <EmptyState
            icon={<IconWorld size={30} stroke={1.5} />}
            variant="light"
            title={t('registry.zones.emptyTitle')}
            description={access.manager ? t('registry.zones.emptyText') : t('registry.zones.emptyTextReader')}
            py="xl"
          >
            <EmptyState.Actions>{addButton}</EmptyState.Actions>
          </EmptyState>
        ) : (
          <ResponsiveList<Zone>
            label={t('registry.zones.title')}
            testId="zones-list"
            rows={zones.data}
            rowKey={(zone) => zone.id}
            rowState={(zone) => ({ inactive: !zone.active })}
            minWidth={640}
            cardTitle={nameCell}
            columns={[
              { key: 'name', header: t('registry.zones.name'), render: nameCell, hideOnCard: true },
              {
                key: 'names',
                header: t('registry.zones.namesInUse'),
                render: (zone) => <Text size="sm">{zone.namesInUse}</Text>,
              },
              {
                key: 'status',
                header: t('common.status'),
                render: (zone) => <StatusBadge active={zone.active} />,
              },
              {
                key: 'notes',
                header: t('registry.fields.notes'),
                render: (zone) => (
                  <Text size="sm" c={zone.notes ? undefined : 'dimmed'} lineClamp={2}>
                    {zone.notes ?? t('common.none')}
                  </Text>
                ),
              },
              {
                key: 'updated',
                header: t('registry.updatedAt'),
                render: (zone) => <DateTimeText iso={zone.updatedAt} dimmed />,
              },
            ]}
          />
        )}
      </ListCard>
      {access.manager ? <ZoneFormModal opened={formOpen} onClose={() => setFormOpen(false)} /> : null}
    </>
  );
}
