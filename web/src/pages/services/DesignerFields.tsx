/** Small inputs of the SOP designer: bilingual text, a list as lines, a standard time. */
import {
  Group,
  Input,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StandardTime } from './api.ts';
import { linesOf } from './designerModel.ts';

type Text2 = { id: string; en: string };

/** Which language a box of a bilingual pair is in (the boxes stack on a phone). */
function LangTag({ code }: { code: string }) {
  return (
    <Text span size="10px" fw={700} c="dimmed" aria-hidden>
      {code}
    </Text>
  );
}

export function BilingualInput({
  label,
  value,
  onChange,
  errorId,
  errorEn,
  required,
  multiline,
  testId,
}: {
  label: string;
  value: Text2 | undefined;
  onChange: (value: Text2) => void;
  errorId?: string;
  errorEn?: string;
  required?: boolean;
  multiline?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const text = value ?? { id: '', en: '' };
  const Input = multiline ? Textarea : TextInput;
  const extra = multiline ? { autosize: true, minRows: 2, maxRows: 6 } : {};
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
        {required ? (
          <Text span c="red.7" aria-hidden>
            {' '}
            *
          </Text>
        ) : null}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <Input
          aria-label={`${label} (${t('lang.id')})`}
          placeholder={t('lang.id')}
          leftSection={<LangTag code="ID" />}
          value={text.id}
          error={errorId}
          onChange={(event) => onChange({ ...text, id: event.currentTarget.value })}
          data-testid={testId ? `${testId}-id` : undefined}
          {...extra}
        />
        <Input
          aria-label={`${label} (${t('lang.en')})`}
          placeholder={t('lang.en')}
          leftSection={<LangTag code="EN" />}
          value={text.en}
          error={errorEn}
          onChange={(event) => onChange({ ...text, en: event.currentTarget.value })}
          data-testid={testId ? `${testId}-en` : undefined}
          {...extra}
        />
      </SimpleGrid>
    </Stack>
  );
}

/** A list of short texts, one per line. */
export function LinesInput({
  label,
  description,
  value,
  onChange,
  error,
  minRows = 2,
}: {
  label: string;
  description?: string;
  value: string[] | undefined;
  onChange: (value: string[]) => void;
  error?: string;
  minRows?: number;
}) {
  const { t } = useTranslation();
  const list = value ?? [];
  const [text, setText] = useState(list.join('\n'));
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the model only when it changed elsewhere
  useEffect(() => {
    if (linesOf(text).join('\n') !== list.join('\n')) setText(list.join('\n'));
  }, [list.join('\n')]);
  return (
    <Textarea
      label={label}
      description={description ?? t('designer.onePerLine')}
      value={text}
      autosize
      minRows={minRows}
      maxRows={10}
      error={error}
      onChange={(event) => {
        setText(event.currentTarget.value);
        onChange(linesOf(event.currentTarget.value));
      }}
    />
  );
}

export function TimeInput({
  value,
  onChange,
  error,
  testId,
}: {
  value: StandardTime | undefined;
  onChange: (value: StandardTime) => void;
  error?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const unit: 'minutes' | 'workingDays' = value && 'workingDays' in value ? 'workingDays' : 'minutes';
  const amount = value ? ('workingDays' in value ? value.workingDays : value.minutes) : '';
  const make = (u: typeof unit, n: number) => (u === 'minutes' ? { minutes: n } : { workingDays: n });
  const hours = unit === 'minutes' && typeof amount === 'number' && amount >= 60 ? amount / 60 : null;
  return (
    <Input.Wrapper
      label={t('sopTimes.colTime')}
      description={t('designer.timeHint')}
      error={error}
      inputWrapperOrder={['label', 'description', 'input', 'error']}
    >
      <Group gap={6} wrap="nowrap" align="center" mt={4}>
        <NumberInput
          aria-label={t('designer.timeAmount')}
          value={amount}
          min={1}
          max={unit === 'minutes' ? 24 * 60 : 90}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="none"
          onChange={(next) => onChange(make(unit, typeof next === 'number' ? next : Number(next) || 0))}
          error={Boolean(error)}
          w={110}
          data-testid={testId}
        />
        <NativeSelect
          aria-label={t('designer.timeUnit')}
          value={unit}
          data={[
            { value: 'minutes', label: t('sopTimes.units.minutes') },
            { value: 'workingDays', label: t('sopTimes.units.workingDays') },
          ]}
          onChange={(event) => onChange(make(event.currentTarget.value as typeof unit, Number(amount) || 1))}
          w={140}
        />
      </Group>
      {hours !== null ? (
        <Text size="xs" c="dimmed" mt={2}>
          {t('designer.timeHours', { hours: Number.isInteger(hours) ? hours : hours.toFixed(1) })}
        </Text>
      ) : null}
    </Input.Wrapper>
  );
}
