/** Allocating an address of a pool to a server, a website, or as reserved: the next free one or a chosen one. */
import {
  Alert,
  Button,
  Group,
  Input,
  Modal,
  Radio,
  SegmentedControl,
  Select,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AllocateInput,
  allServersQuery,
  type Pool,
  poolsApi,
  registryKeys,
  websitesApi,
} from '../../api/registry.ts';
import { useIsPhone } from '../../components/ResponsiveList.tsx';
import { translateMessage } from '../../lib/errors.ts';
import { orNull } from '../../lib/validation.ts';
import { applyRegistryError } from './formErrors.ts';
import * as rules from './rules.ts';

type Kind = AllocateInput['kind'];
type Values = {
  kind: Kind;
  serverId: string | null;
  websiteId: string | null;
  pick: 'next' | 'address';
  address: string;
  note: string;
  reason: string;
};

type Props = {
  pool: Pool;
  opened: boolean;
  onClose: () => void;
  /** A free address chosen on the map. */
  address?: string | null;
};

export function AllocateModal({ pool, opened, onClose, address }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const [formError, setFormError] = useState<string | null>(null);
  const [websiteSearch, setWebsiteSearch] = useState('');
  const [websiteQ] = useDebouncedValue(websiteSearch, 300);

  const form = useForm<Values>({
    initialValues: {
      kind: 'server',
      serverId: null,
      websiteId: null,
      pick: 'next',
      address: '',
      note: '',
      reason: '',
    },
    validate: {
      serverId: (value, values) => (values.kind === 'server' && !value ? 'validation.required' : null),
      websiteId: (value, values) => (values.kind === 'website' && !value ? 'validation.required' : null),
      address: (value, values) =>
        values.pick === 'address'
          ? value.trim()
            ? rules.inBlock(value.trim(), pool.cidr)
            : 'validation.required'
          : null,
    },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the dialog opens
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    setWebsiteSearch('');
    const values: Values = {
      kind: 'server',
      serverId: null,
      websiteId: null,
      pick: address ? 'address' : 'next',
      address: address ?? '',
      note: '',
      reason: '',
    };
    form.setValues(values);
    form.resetDirty(values);
    form.clearErrors();
  }, [opened, address]);

  const servers = useQuery({ ...allServersQuery, enabled: opened });
  const websiteQuery = { q: websiteQ || undefined, pageSize: 50, sort: 'hostname' as const };
  const websites = useQuery({
    queryKey: registryKeys.websites(websiteQuery),
    queryFn: () => websitesApi.list(websiteQuery),
    enabled: opened && form.values.kind === 'website',
  });

  const save = useMutation({
    mutationFn: (values: Values) =>
      poolsApi.allocate(pool.id, {
        kind: values.kind,
        serverId: values.kind === 'server' ? (values.serverId ?? undefined) : undefined,
        websiteId: values.kind === 'website' ? (values.websiteId ?? undefined) : undefined,
        address: values.pick === 'address' ? values.address.trim() : undefined,
        note: orNull(values.note),
        reason: values.reason.trim() || undefined,
      }),
    onSuccess: async (allocation) => {
      const holder =
        allocation.server?.name ?? allocation.website?.hostname ?? t('registry.addressState.reserved');
      notifications.show({
        color: 'teal',
        message: t('registry.allocate.done', { address: allocation.address, holder }),
      });
      await queryClient.invalidateQueries({ queryKey: registryKeys.all });
      onClose();
    },
    onError: (error) => setFormError(applyRegistryError(form, error)),
  });

  const websiteOptions = (websites.data?.items ?? [])
    .filter((w) => w.status !== 'retired')
    .map((w) => ({
      value: w.id,
      label: w.hostname ? `${w.hostname} — ${w.opd.name}` : `${w.purpose} — ${w.opd.name}`,
    }));

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('registry.allocate.title', { pool: pool.name })}
      size="lg"
      fullScreen={isPhone}
    >
      <form
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          save.mutate(values);
        })}
        noValidate
        data-testid="allocate-form"
      >
        <Stack gap="md">
          {formError ? (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          ) : null}
          <Stack gap={6}>
            <Input.Label>{t('registry.allocate.for')}</Input.Label>
            <SegmentedControl
              aria-label={t('registry.allocate.for')}
              fullWidth
              data={[
                { value: 'server', label: t('registry.addressState.server') },
                { value: 'website', label: t('registry.addressState.website') },
                { value: 'reserved', label: t('registry.addressState.reserved') },
              ]}
              {...form.getInputProps('kind')}
            />
          </Stack>
          {form.values.kind === 'server' ? (
            <Select
              label={t('registry.fields.server')}
              data={(servers.data ?? [])
                .filter((s) => s.status !== 'retired')
                .map((s) => ({ value: s.id, label: s.name }))}
              searchable
              required
              nothingFoundMessage={t('common.noResultsTitle')}
              {...form.getInputProps('serverId')}
              error={translateMessage(form.errors.serverId)}
            />
          ) : null}
          {form.values.kind === 'website' ? (
            <Select
              label={t('registry.allocate.website')}
              placeholder={t('registry.allocate.websitePlaceholder')}
              data={websiteOptions}
              searchable
              searchValue={websiteSearch}
              onSearchChange={setWebsiteSearch}
              filter={({ options }) => options}
              required
              nothingFoundMessage={t('common.noResultsTitle')}
              {...form.getInputProps('websiteId')}
              error={translateMessage(form.errors.websiteId)}
            />
          ) : null}
          <Radio.Group label={t('registry.allocate.which')} {...form.getInputProps('pick')}>
            <Stack gap="xs" mt={6}>
              <Radio
                value="next"
                disabled={!pool.nextFree}
                label={
                  pool.nextFree
                    ? t('registry.allocate.next', { address: pool.nextFree })
                    : t('registry.pools.full')
                }
              />
              <Radio value="address" label={t('registry.allocate.chosen')} />
            </Stack>
          </Radio.Group>
          {form.values.pick === 'address' ? (
            <TextInput
              label={t('registry.fields.ipAddress')}
              description={t('registry.allocate.range', { first: pool.firstUsable, last: pool.lastUsable })}
              classNames={{ input: 'registry-mono' }}
              spellCheck={false}
              autoComplete="off"
              {...form.getInputProps('address')}
              error={translateMessage(form.errors.address)}
            />
          ) : null}
          <TextInput label={t('registry.allocate.note')} maxLength={500} {...form.getInputProps('note')} />
          <Textarea
            label={t('registry.reasonOptional')}
            description={t('registry.reasonHint')}
            autosize
            minRows={1}
            maxLength={2000}
            {...form.getInputProps('reason')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('registry.allocate.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
