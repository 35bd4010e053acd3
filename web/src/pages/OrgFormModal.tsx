import { Alert, Button, Group, Modal, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type OrgKind, orgApi } from '../api/endpoints.ts';
import type { Opd } from '../api/types.ts';
import { useIsPhone } from '../components/ResponsiveList.tsx';
import { applyFormError, translateMessage } from '../lib/errors.ts';
import * as rules from '../lib/validation.ts';

type Props = {
  kind: OrgKind;
  /** The record to edit, or null to create one. */
  record: Opd | null;
  opened: boolean;
  onClose: () => void;
};

export function OrgFormModal({ kind, record, opened, onClose }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { code: '', name: '', active: true },
    validate: { code: rules.orgCode, name: rules.name },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the dialog opens for a record
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    const values = record
      ? { code: record.code, name: record.name, active: record.active }
      : { code: '', name: '', active: true };
    form.setValues(values);
    form.resetDirty(values);
    form.clearErrors();
  }, [opened, record]);

  const save = useMutation({
    mutationFn: async (values: typeof form.values) => {
      const api = orgApi(kind);
      const input = { code: values.code.trim(), name: values.name.trim() };
      return record ? api.update(record.id, { ...input, active: values.active }) : api.create(input);
    },
    onSuccess: async (saved) => {
      notifications.show({
        color: 'teal',
        message: t(record ? `${kind}.updated` : `${kind}.created`, { name: saved.name }),
      });
      await queryClient.invalidateQueries({ queryKey: [kind] });
      onClose();
    },
    onError: (error) => setFormError(applyFormError(form, error)),
  });

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={record ? t(`${kind}.editTitle`) : t(`${kind}.createTitle`)}
      size="lg"
      fullScreen={isPhone}
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
          <TextInput
            label={t('org.code')}
            description={t('org.codeHint')}
            placeholder={t(`${kind}.codePlaceholder`)}
            required
            data-autofocus
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={32}
            {...form.getInputProps('code')}
            onChange={(event) => form.setFieldValue('code', event.currentTarget.value.toUpperCase())}
            error={translateMessage(form.errors.code)}
          />
          <TextInput
            label={t('org.name')}
            placeholder={t(`${kind}.namePlaceholder`)}
            required
            maxLength={200}
            {...form.getInputProps('name')}
            error={translateMessage(form.errors.name)}
          />
          {record ? (
            <Switch label={t('org.activeLabel')} {...form.getInputProps('active', { type: 'checkbox' })} />
          ) : null}
          <Group justify="flex-end" gap="sm" mt="xs">
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
