import { Alert, Button, Code, Group, Modal, Radio, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { isApiError } from '../api/client.ts';
import { holidaysApi } from '../api/endpoints.ts';
import { HOLIDAY_KINDS, type Holiday, type HolidayInput, type HolidayKind } from '../api/types.ts';
import { useIsPhone } from '../components/ResponsiveList.tsx';
import { applyFormError, translateMessage } from '../lib/errors.ts';
import {
  dayRule,
  displayName,
  formatWeekday,
  isEstimate,
  isWeekend,
  kindRule,
  parseDay,
} from '../lib/holidayDates.ts';
import * as rules from '../lib/validation.ts';

/** The query key of one year's holidays (apart from `['holidays', year]`, the set the due times use). */
export const holidayListKey = (year: number) => ['holidays', 'list', year] as const;

/** Literal text inside a translated sentence (`<code>(perkiraan)</code>`), kept on one line. */
export const literalText = { code: <Code style={{ whiteSpace: 'nowrap' }} /> };

type Values = { date: string; name: string; kind: HolidayKind | '' };
type Field = keyof Values;

/** The API's field rules, worded like the client's own checks. */
const SERVER_FIELD_MESSAGES: Record<Field, rules.MessageKey> = {
  date: 'validation.holidayDate',
  name: 'validation.name',
  kind: 'validation.holidayKind',
};

type Props = {
  /** The holiday to edit, or null to add one. */
  record: Holiday | null;
  opened: boolean;
  onClose: () => void;
  onSaved: (saved: Holiday) => void;
};

export function HolidayFormModal({ record, opened, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { date: '', name: '', kind: '' },
    validate: { date: dayRule, name: rules.name, kind: kindRule },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the dialog opens for a record
  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    const values: Values = record
      ? { date: record.date, name: record.name, kind: record.kind }
      : { date: '', name: '', kind: '' };
    form.setValues(values);
    form.resetDirty(values);
    form.clearErrors();
  }, [opened, record]);

  /** The holiday already on `date`, when that year's list has been loaded. */
  function holidayOn(date: string): Holiday | undefined {
    const year = parseDay(date)?.getUTCFullYear();
    if (year === undefined) return undefined;
    return queryClient.getQueryData<Holiday[]>(holidayListKey(year))?.find((h) => h.date === date);
  }

  /** Puts the server's objections next to their fields; returns what belongs to the form as a whole. */
  function showServerError(error: unknown): string | null {
    if (isApiError(error, 'HOLIDAY_EXISTS')) {
      const other = holidayOn(form.getValues().date.trim());
      form.setFieldError(
        'date',
        other ? t('holidays.exists', { name: displayName(other) }) : t('errors.HOLIDAY_EXISTS'),
      );
      return null;
    }
    if (isApiError(error, 'VALIDATION_FAILED') && error.details?.fields?.length) {
      const unplaced = error.details.fields.filter((field) => {
        const head = (field.path.split('.')[0] ?? '') as Field;
        if (!(head in SERVER_FIELD_MESSAGES)) return true;
        const yearProblem = head === 'date' && /year/i.test(field.message);
        form.setFieldError(head, yearProblem ? 'validation.holidayYear' : SERVER_FIELD_MESSAGES[head]);
        return false;
      });
      if (unplaced.length === 0) return null;
    }
    return applyFormError(form, error);
  }

  const save = useMutation({
    mutationFn: async (values: Values): Promise<Holiday | null> => {
      const input: HolidayInput = {
        date: values.date.trim(),
        name: values.name.trim(),
        kind: values.kind as HolidayKind,
      };
      if (!record) return holidaysApi.create(input);
      // Only what changed: a PATCH that names the same date is not a move.
      const changes: Partial<HolidayInput> = {};
      if (input.date !== record.date) changes.date = input.date;
      if (input.name !== record.name) changes.name = input.name;
      if (input.kind !== record.kind) changes.kind = input.kind;
      return Object.keys(changes).length ? holidaysApi.update(record.date, changes) : null;
    },
    onSuccess: async (saved) => {
      if (saved) {
        notifications.show({
          color: 'teal',
          message: t(record ? 'holidays.updated' : 'holidays.created', { name: displayName(saved) }),
        });
        // Also the working days the due times are worded in (`useHolidays`).
        await queryClient.invalidateQueries({ queryKey: ['holidays'] });
        onSaved(saved);
      }
      onClose();
    },
    onError: (error) => setFormError(showServerError(error)),
  });

  // What the chosen day means for due times (an unchanged date only needs its weekday).
  const date = form.values.date.trim();
  const dateHint =
    !parseDay(date) || form.errors.date
      ? undefined
      : date === record?.date
        ? formatWeekday(date)
        : t(isWeekend(date) ? 'holidays.dateWeekend' : 'holidays.dateWorkday', {
            weekday: formatWeekday(date),
          });

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={record ? t('holidays.editTitle') : t('holidays.createTitle')}
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
            label={t('holidays.date')}
            type="date"
            required
            data-autofocus
            min="1900-01-01"
            max="2999-12-31"
            description={dateHint}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...form.getInputProps('date')}
            error={translateMessage(form.errors.date)}
            styles={isPhone ? undefined : { wrapper: { maxWidth: 240 } }}
          />
          <TextInput
            label={t('holidays.name')}
            placeholder={t('holidays.namePlaceholder')}
            required
            maxLength={200}
            description={
              isEstimate(form.values) ? (
                <Trans i18nKey="holidays.nameHint" components={literalText} />
              ) : undefined
            }
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...form.getInputProps('name')}
            error={translateMessage(form.errors.name)}
          />
          <Radio.Group
            label={t('holidays.kind')}
            required
            {...form.getInputProps('kind')}
            error={translateMessage(form.errors.kind)}
          >
            <Stack gap="sm" mt={6}>
              {HOLIDAY_KINDS.map((kind) => (
                <Radio
                  key={kind}
                  value={kind}
                  label={t(`holidays.kinds.${kind}`)}
                  description={t(`holidays.kindHints.${kind}`)}
                />
              ))}
            </Stack>
          </Radio.Group>
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
