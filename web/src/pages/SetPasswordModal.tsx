import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../api/endpoints.ts';
import type { User } from '../api/types.ts';
import { GeneratedPasswordInput } from '../components/GeneratedPasswordInput.tsx';
import { applyFormError, translateMessage } from '../lib/errors.ts';

type Props = { user: User | null; opened: boolean; onClose: () => void };

export function SetPasswordModal({ user, opened, onClose }: Props) {
  const { t } = useTranslation();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { password: '' },
    validate: { password: (value) => (value ? null : 'validation.required') },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset each time the dialog opens
  useEffect(() => {
    if (opened) {
      form.reset();
      setFormError(null);
    }
  }, [opened]);

  const save = useMutation({
    mutationFn: (password: string) => usersApi.setPassword(user?.id ?? '', password),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('users.passwordSet', { name: user?.fullName ?? '' }) });
      onClose();
    },
    onError: (error) => setFormError(applyFormError(form, error)),
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('users.setPasswordTitle')} size="md">
      <form
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          save.mutate(values.password);
        })}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm">{t('users.setPasswordText', { name: user?.fullName ?? '' })}</Text>
          {formError ? (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          ) : null}
          <GeneratedPasswordInput
            label={t('password.new')}
            required
            value={form.values.password}
            onChange={(value) => form.setFieldValue('password', value)}
            error={translateMessage(form.errors.password)}
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
