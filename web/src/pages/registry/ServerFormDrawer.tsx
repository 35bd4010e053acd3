/** Adding or changing a server: kind, location, OS, addresses, roles, capacity, status and notes. */
import {
  Alert,
  Button,
  Checkbox,
  Drawer,
  Group,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  registryKeys,
  SERVER_KINDS,
  SERVER_LOCATIONS,
  SERVER_ROLES,
  SERVER_STATUSES,
  type Server,
  type ServerInput,
  type ServerKind,
  type ServerLocation,
  type ServerRole,
  type ServerStatus,
  serversApi,
} from '../../api/registry.ts';
import { useIsPhone } from '../../components/ResponsiveList.tsx';
import { translateMessage } from '../../lib/errors.ts';
import { orNull } from '../../lib/validation.ts';
import { applyRegistryError, isVersionConflict } from './formErrors.ts';
import * as rules from './rules.ts';

type Values = {
  name: string;
  kind: ServerKind;
  location: ServerLocation;
  os: string;
  addresses: string[];
  roles: ServerRole[];
  capacityNotes: string;
  status: ServerStatus;
  notes: string;
  reason: string;
};

const EMPTY: Values = {
  name: '',
  kind: 'virtual',
  location: 'noc',
  os: '',
  addresses: [],
  roles: [],
  capacityNotes: '',
  status: 'active',
  notes: '',
  reason: '',
};

function valuesOf(server: Server): Values {
  return {
    name: server.name,
    kind: server.kind,
    location: server.location,
    os: server.os ?? '',
    addresses: server.addresses,
    roles: server.roles,
    capacityNotes: server.capacityNotes ?? '',
    status: server.status,
    notes: server.notes ?? '',
    reason: '',
  };
}

/** The schema's server name rule (registry.schemas.ts, serverName). */
const SERVER_NAME = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;

type Props = {
  server: Server | null;
  opened: boolean;
  onClose: () => void;
  onSaved?: (server: Server) => void;
  onReload?: () => Promise<unknown>;
};

export function ServerFormDrawer({ server, opened, onClose, onSaved, onReload }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const creating = server === null;

  const form = useForm<Values>({
    initialValues: EMPTY,
    validate: {
      name: (value) => {
        if (!value.trim()) return 'validation.required';
        return SERVER_NAME.test(value.trim()) ? null : t('registry.rules.serverName');
      },
      addresses: rules.ipList,
    },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the drawer opens, or the record's version changes
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    setConflict(false);
    const values = server ? valuesOf(server) : EMPTY;
    form.setValues(values);
    form.resetDirty(values);
    form.clearErrors();
  }, [opened, server?.id, server?.version]);

  const save = useMutation({
    mutationFn: (values: Values) => {
      const input: ServerInput = {
        name: values.name.trim(),
        kind: values.kind,
        location: values.location,
        os: orNull(values.os),
        addresses: values.addresses,
        roles: values.roles,
        capacityNotes: orNull(values.capacityNotes),
        status: values.status,
        notes: orNull(values.notes),
        reason: values.reason.trim() || undefined,
      };
      return server
        ? serversApi.update(server.id, { ...input, version: server.version })
        : serversApi.create(input);
    },
    onSuccess: async (saved) => {
      notifications.show({
        color: 'teal',
        message: t(creating ? 'registry.serverForm.created' : 'registry.serverForm.updated', {
          name: saved.name,
        }),
      });
      queryClient.setQueryData(registryKeys.server(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: registryKeys.all });
      onSaved?.(saved);
      onClose();
    },
    onError: (error) => {
      if (isVersionConflict(error)) {
        setConflict(true);
        return;
      }
      setFormError(applyRegistryError(form, error));
    },
  });

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size={isPhone ? '100%' : 560}
      title={creating ? t('registry.serverForm.createTitle') : t('registry.serverForm.editTitle')}
    >
      <form
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          save.mutate(values);
        })}
        noValidate
        data-testid="server-form"
      >
        <Stack gap="md">
          {conflict ? (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
              <Text size="sm">{t('registry.versionConflict')}</Text>
              {onReload ? (
                <Button
                  size="xs"
                  variant="white"
                  color="orange"
                  mt="sm"
                  leftSection={<IconRefresh size={14} />}
                  onClick={() => void onReload().then(() => setConflict(false))}
                >
                  {t('registry.reload')}
                </Button>
              ) : null}
            </Alert>
          ) : null}
          {formError ? (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          ) : null}
          <TextInput
            label={t('registry.servers.name')}
            description={t('registry.serverForm.nameHint')}
            placeholder="web-01"
            required
            autoCapitalize="none"
            autoComplete="off"
            spellCheck={false}
            data-autofocus
            {...form.getInputProps('name')}
            onChange={(event) => form.setFieldValue('name', event.currentTarget.value.toLowerCase())}
            error={translateMessage(form.errors.name)}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <Select
              label={t('registry.servers.kind')}
              data={SERVER_KINDS.map((kind) => ({ value: kind, label: t(`registry.serverKind.${kind}`) }))}
              allowDeselect={false}
              {...form.getInputProps('kind')}
            />
            <Select
              label={t('registry.servers.location')}
              data={SERVER_LOCATIONS.map((l) => ({ value: l, label: t(`registry.serverLocation.${l}`) }))}
              allowDeselect={false}
              {...form.getInputProps('location')}
            />
          </SimpleGrid>
          <TextInput label={t('registry.servers.os')} placeholder="Debian 12" {...form.getInputProps('os')} />
          <TagsInput
            label={t('registry.servers.addresses')}
            description={t('registry.serverForm.addressesHint')}
            placeholder="203.0.113.5"
            splitChars={[',', ' ']}
            clearable
            {...form.getInputProps('addresses')}
            error={translateMessage(form.errors.addresses)}
          />
          <Checkbox.Group
            label={t('registry.servers.roles')}
            {...form.getInputProps('roles')}
            onChange={(value) => form.setFieldValue('roles', value as ServerRole[])}
          >
            <Group gap="lg" mt={6}>
              {SERVER_ROLES.map((role) => (
                <Checkbox key={role} value={role} label={t(`registry.serverRole.${role}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Textarea
            label={t('registry.servers.capacityNotes')}
            placeholder={t('registry.serverForm.capacityPlaceholder')}
            autosize
            minRows={2}
            maxLength={4000}
            {...form.getInputProps('capacityNotes')}
          />
          <Select
            label={t('common.status')}
            data={SERVER_STATUSES.map((s) => ({ value: s, label: t(`registry.serverStatus.${s}`) }))}
            allowDeselect={false}
            {...form.getInputProps('status')}
          />
          <Textarea
            label={t('registry.fields.notes')}
            autosize
            minRows={2}
            maxLength={4000}
            {...form.getInputProps('notes')}
          />
          <Textarea
            label={t('registry.reasonOptional')}
            description={t('registry.reasonHint')}
            autosize
            minRows={1}
            maxLength={2000}
            {...form.getInputProps('reason')}
          />
          <Group justify="flex-end" gap="sm" mt="md">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Drawer>
  );
}
