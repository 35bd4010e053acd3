import {
  Alert,
  Button,
  Divider,
  Drawer,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchAll, orgApi, usersApi } from '../api/endpoints.ts';
import { type OrgRef, ROLES, type Role, type User } from '../api/types.ts';
import { GeneratedPasswordInput } from '../components/GeneratedPasswordInput.tsx';
import { useIsPhone } from '../components/ResponsiveList.tsx';
import { applyFormError, translateMessage } from '../lib/errors.ts';
import * as rules from '../lib/validation.ts';

type Values = {
  username: string;
  fullName: string;
  nip: string;
  email: string;
  phone: string;
  roles: Role[];
  opdId: string | null;
  unitId: string | null;
  password: string;
};

const EMPTY: Values = {
  username: '',
  fullName: '',
  nip: '',
  email: '',
  phone: '',
  roles: [],
  opdId: null,
  unitId: null,
  password: '',
};

function valuesOf(user: User): Values {
  return {
    username: user.username,
    fullName: user.fullName,
    nip: user.nip ?? '',
    email: user.email ?? '',
    phone: user.phone ?? '',
    roles: user.roles,
    opdId: user.opd?.id ?? null,
    unitId: user.unit?.id ?? null,
    password: '',
  };
}

/** Active records as select options, plus the user's current one even when it has been deactivated. */
function options(records: { id: string; code: string; name: string }[] | undefined, current: OrgRef | null) {
  const list = (records ?? []).map((r) => ({ value: r.id, label: `${r.name} (${r.code})` }));
  if (current && !list.some((o) => o.value === current.id)) {
    list.push({ value: current.id, label: `${current.name} (${current.code})` });
  }
  return list.sort((a, b) => a.label.localeCompare(b.label, 'id'));
}

type Props = { user: User | null; opened: boolean; onClose: () => void };

export function UserFormDrawer({ user, opened, onClose }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const [formError, setFormError] = useState<string | null>(null);
  const creating = user === null;

  const form = useForm<Values>({
    initialValues: EMPTY,
    validate: {
      username: (value) => (creating ? rules.username(value) : null),
      fullName: rules.name,
      nip: rules.optionalNip,
      email: rules.optionalEmail,
      phone: rules.optionalPhone,
      roles: rules.roles,
      opdId: (value, values) => (values.roles.includes('opd') && !value ? 'validation.opdRequired' : null),
      password: (value) => (creating && !value ? 'validation.required' : null),
    },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the drawer opens for a user
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    const values = user ? valuesOf(user) : EMPTY;
    form.setValues(values);
    form.resetDirty(values);
    form.clearErrors();
  }, [opened, user]);

  const opds = useQuery({
    queryKey: ['opds', 'all-active'],
    queryFn: () => fetchAll(orgApi('opds').list, { active: true }),
    enabled: opened,
    staleTime: 60_000,
  });
  const units = useQuery({
    queryKey: ['units', 'all-active'],
    queryFn: () => fetchAll(orgApi('units').list, { active: true }),
    enabled: opened,
    staleTime: 60_000,
  });

  const isOpdUser = form.values.roles.includes('opd');
  const isStaff = form.values.roles.length > 0 && !isOpdUser;

  const save = useMutation({
    mutationFn: async (values: Values) => {
      const opdUser = values.roles.includes('opd');
      const common = {
        fullName: values.fullName.trim(),
        nip: rules.orNull(values.nip),
        email: rules.orNull(values.email),
        phone: rules.orNull(values.phone),
        roles: values.roles,
        opdId: opdUser ? values.opdId : null,
        unitId: opdUser ? null : values.unitId,
      };
      if (user) return usersApi.update(user.id, common);
      // On create, leave out what is empty rather than sending nulls.
      const input = Object.fromEntries(Object.entries(common).filter(([, value]) => value !== null));
      return usersApi.create({
        ...(input as typeof common),
        username: values.username.trim(),
        password: values.password,
      });
    },
    onSuccess: async (saved) => {
      notifications.show({
        color: 'teal',
        message: t(creating ? 'users.created' : 'users.updated', { name: saved.fullName }),
      });
      // The header shows the signed-in user's own name and roles: refresh them if they were edited.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['users'] }),
        queryClient.invalidateQueries({ queryKey: ['me'] }),
      ]);
      onClose();
    },
    onError: (error) => setFormError(applyFormError(form, error)),
  });

  const roleOptions = ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }));

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size={isPhone ? '100%' : 560}
      title={creating ? t('users.createTitle') : t('users.editTitle')}
    >
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

          <Divider label={t('users.sectionIdentity')} labelPosition="left" />
          <TextInput
            label={t('users.username')}
            description={creating ? t('users.usernameHint') : undefined}
            required={creating}
            disabled={!creating}
            autoCapitalize="none"
            autoComplete="off"
            spellCheck={false}
            data-autofocus={creating || undefined}
            {...form.getInputProps('username')}
            onChange={(event) => form.setFieldValue('username', event.currentTarget.value.toLowerCase())}
            error={translateMessage(form.errors.username)}
          />
          <TextInput
            label={t('users.fullName')}
            required
            autoComplete="off"
            {...form.getInputProps('fullName')}
            error={translateMessage(form.errors.fullName)}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <TextInput
              label={t('users.nip')}
              description={t('users.nipHint')}
              inputMode="numeric"
              maxLength={18}
              autoComplete="off"
              {...form.getInputProps('nip')}
              error={translateMessage(form.errors.nip)}
            />
            <TextInput
              label={t('users.phone')}
              description="+62 812-3456-7890"
              type="tel"
              autoComplete="off"
              {...form.getInputProps('phone')}
              error={translateMessage(form.errors.phone)}
            />
          </SimpleGrid>
          <TextInput
            label={t('users.email')}
            type="email"
            autoComplete="off"
            {...form.getInputProps('email')}
            error={translateMessage(form.errors.email)}
          />

          <Divider label={t('users.sectionAccess')} labelPosition="left" mt="xs" />
          <MultiSelect
            label={t('users.roles')}
            placeholder={form.values.roles.length ? undefined : t('users.rolesPlaceholder')}
            data={roleOptions}
            required
            clearable
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('roles')}
            onChange={(value) => form.setFieldValue('roles', value as Role[])}
            error={translateMessage(form.errors.roles)}
          />
          {isOpdUser ? (
            <Select
              label={t('users.opd')}
              placeholder={t('users.opdPlaceholder')}
              data={options(opds.data, user?.opd ?? null)}
              searchable
              required
              nothingFoundMessage={t('common.noResultsTitle')}
              disabled={opds.isPending}
              {...form.getInputProps('opdId')}
              error={translateMessage(form.errors.opdId)}
            />
          ) : null}
          {isStaff ? (
            <Select
              label={t('users.unit')}
              placeholder={t('users.unitPlaceholder')}
              data={options(units.data, user?.unit ?? null)}
              searchable
              clearable
              nothingFoundMessage={t('common.noResultsTitle')}
              disabled={units.isPending}
              {...form.getInputProps('unitId')}
              error={translateMessage(form.errors.unitId)}
            />
          ) : null}

          {creating ? (
            <>
              <Divider label={t('users.sectionPassword')} labelPosition="left" mt="xs" />
              <GeneratedPasswordInput
                label={t('users.initialPassword')}
                required
                value={form.values.password}
                onChange={(value) => form.setFieldValue('password', value)}
                error={translateMessage(form.errors.password)}
              />
            </>
          ) : null}

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
