import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../api/endpoints.ts';
import { applyFormError, translateMessage } from '../lib/errors.ts';

type Props = { opened: boolean; onClose: () => void };

export function ChangePasswordModal({ opened, onClose }: Props) {
  const { t } = useTranslation();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (value) => (value ? null : 'validation.required'),
      newPassword: (value) => (value ? null : 'validation.required'),
      confirm: (value, values) => (value === values.newPassword ? null : 'password.mismatch'),
    },
  });

  const close = () => {
    form.reset();
    setFormError(null);
    onClose();
  };

  const change = useMutation({
    mutationFn: (values: typeof form.values) =>
      authApi.changePassword(values.currentPassword, values.newPassword),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('password.success') });
      close();
    },
    onError: (error) => setFormError(applyFormError(form, error)),
  });

  return (
    <Modal opened={opened} onClose={close} title={t('password.title')} size="md" fullScreen={false}>
      <form
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          change.mutate(values);
        })}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('password.intro')}
          </Text>
          {formError ? (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          ) : null}
          <PasswordInput
            label={t('password.current')}
            autoComplete="current-password"
            required
            data-autofocus
            {...form.getInputProps('currentPassword')}
            error={translateMessage(form.errors.currentPassword)}
          />
          <PasswordInput
            label={t('password.new')}
            description={t('password.hint')}
            autoComplete="new-password"
            required
            {...form.getInputProps('newPassword')}
            error={translateMessage(form.errors.newPassword)}
          />
          <PasswordInput
            label={t('password.confirm')}
            autoComplete="new-password"
            required
            {...form.getInputProps('confirm')}
            error={translateMessage(form.errors.confirm)}
          />
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {t('password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
