/** A new public IP pool: name, CIDR block, gateway and reserved addresses, checked as they are typed. */
import { Alert, Button, Group, Modal, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Pool, poolsApi, registryKeys } from '../../api/registry.ts';
import { useIsPhone } from '../../components/ResponsiveList.tsx';
import { translateMessage } from '../../lib/errors.ts';
import { orNull } from '../../lib/validation.ts';
import { applyRegistryError } from './formErrors.ts';
import * as rules from './rules.ts';

type Values = {
  name: string;
  cidr: string;
  gateway: string;
  reserved: string[];
  notes: string;
  reason: string;
};
const EMPTY: Values = { name: '', cidr: '', gateway: '', reserved: [], notes: '', reason: '' };

type Props = { opened: boolean; onClose: () => void; onSaved?: (pool: Pool) => void };

export function PoolFormModal({ opened, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: EMPTY,
    validateInputOnBlur: true,
    validate: {
      name: (value) => (value.trim() ? null : 'validation.required'),
      cidr: rules.cidr,
      gateway: (value, values) =>
        value.trim()
          ? rules.cidr(values.cidr)
            ? rules.ipProblem(value.trim())
            : rules.inBlock(value.trim(), values.cidr)
          : null,
      reserved: (list, values) => {
        const problem = rules.ipList(list);
        if (problem) return problem;
        if (rules.cidr(values.cidr)) return null;
        for (const address of list) {
          const outside = rules.inBlock(address, values.cidr);
          if (outside) return `${address}: ${outside}`;
        }
        return null;
      },
    },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the dialog opens
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    form.setValues(EMPTY);
    form.resetDirty(EMPTY);
    form.clearErrors();
  }, [opened]);

  const save = useMutation({
    mutationFn: (values: Values) =>
      poolsApi.create({
        name: values.name.trim(),
        cidr: values.cidr.trim(),
        gateway: orNull(values.gateway),
        reserved: values.reserved,
        notes: orNull(values.notes),
        reason: values.reason.trim() || undefined,
      }),
    onSuccess: async (saved) => {
      notifications.show({ color: 'teal', message: t('registry.poolForm.created', { name: saved.name }) });
      await queryClient.invalidateQueries({ queryKey: registryKeys.all });
      onSaved?.(saved);
      onClose();
    },
    onError: (error) => setFormError(applyRegistryError(form, error)),
  });

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('registry.poolForm.title')}
      size="lg"
      fullScreen={isPhone}
    >
      <form
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          save.mutate(values);
        })}
        noValidate
        data-testid="pool-form"
      >
        <Stack gap="md">
          {formError ? (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          ) : null}
          <TextInput
            label={t('registry.pools.name')}
            placeholder={t('registry.poolForm.namePlaceholder')}
            required
            data-autofocus
            maxLength={100}
            {...form.getInputProps('name')}
            error={translateMessage(form.errors.name)}
          />
          <TextInput
            label={t('registry.pools.cidr')}
            description={t('registry.poolForm.cidrHint')}
            placeholder="203.0.113.0/24"
            required
            classNames={{ input: 'registry-mono' }}
            spellCheck={false}
            autoComplete="off"
            {...form.getInputProps('cidr')}
            error={translateMessage(form.errors.cidr)}
          />
          <TextInput
            label={t('registry.pools.gateway')}
            description={t('registry.poolForm.gatewayHint')}
            placeholder="203.0.113.1"
            classNames={{ input: 'registry-mono' }}
            spellCheck={false}
            autoComplete="off"
            {...form.getInputProps('gateway')}
            error={translateMessage(form.errors.gateway)}
          />
          <TagsInput
            label={t('registry.poolForm.reserved')}
            description={t('registry.poolForm.reservedHint')}
            placeholder="203.0.113.2"
            splitChars={[',', ' ']}
            clearable
            {...form.getInputProps('reserved')}
            error={translateMessage(form.errors.reserved)}
          />
          <Textarea
            label={t('registry.fields.notes')}
            autosize
            minRows={2}
            maxLength={2000}
            {...form.getInputProps('notes')}
          />
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
