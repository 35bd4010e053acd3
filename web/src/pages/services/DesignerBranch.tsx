/**
 * Two small forms of a step in the SOP designer: the branch after the step (the diamond's question, the
 * field whose value picks the way, and each way's value, label and target step) and the renames of the
 * block's actions' API keys. Each problem the server names (`steps.N.branch.outcomes.M.goto`, …) shows next
 * to its field.
 */
import {
  ActionIcon,
  Button,
  Fieldset,
  Group,
  NativeSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchInput, BranchOutcomeInput } from './api.ts';
import { BilingualInput } from './DesignerFields.tsx';
import type { Path, ProblemIndex } from './designerModel.ts';

type Choice = { value: string; label: string };

/** What a new branch starts with: a yes/no question on a switch of the completing action. */
export function newBranch(): BranchInput {
  return {
    question: { id: '', en: '' },
    field: '',
    outcomes: [
      { value: true, label: { id: 'Ya', en: 'Yes' }, goto: '' },
      { value: false, label: { id: 'Tidak', en: 'No' }, goto: '' },
    ],
  };
}

type ValueKind = 'true' | 'false' | 'text';

function kindOf(value: BranchOutcomeInput['value']): ValueKind {
  if (value === true) return 'true';
  if (value === false) return 'false';
  return 'text';
}

export function BranchForm({
  branch,
  onChange,
  base,
  problems,
  steps,
  testId,
}: {
  branch: BranchInput;
  onChange: (value: BranchInput) => void;
  /** Where the branch sits in the definition: `['steps', N, 'branch']`. */
  base: Path;
  problems: ProblemIndex;
  steps: Choice[];
  testId: string;
}) {
  const { t } = useTranslation();
  const at = (...rest: (string | number)[]) => problems.at([...base, ...rest]);
  const outcomes = branch.outcomes ?? [];
  const setOutcome = (i: number, next: BranchOutcomeInput) =>
    onChange({ ...branch, outcomes: outcomes.map((o, j) => (j === i ? next : o)) });
  return (
    <Fieldset legend={t('designer.branch')} data-testid={testId} p="sm">
      <Stack gap="sm">
        <BilingualInput
          label={t('designer.branchQuestion')}
          value={branch.question}
          required
          onChange={(question) => onChange({ ...branch, question })}
          errorId={at('question', 'id') ?? at('question')}
          errorEn={at('question', 'en')}
          testId={`${testId}-question`}
        />
        <TextInput
          label={t('designer.branchField')}
          description={t('designer.branchFieldHint')}
          value={branch.field}
          required
          error={at('field')}
          onChange={(event) => onChange({ ...branch, field: event.currentTarget.value.trim() })}
          data-testid={`${testId}-field`}
        />
        <Text size="sm" fw={500}>
          {t('designer.branchOutcomes')}
        </Text>
        {outcomes.map((outcome, i) => {
          const kind = kindOf(outcome.value);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: ways are edited in place; their values are typed
            <Paper key={i} withBorder p="xs" radius="md" data-testid={`${testId}-outcome-${i}`}>
              <Group justify="space-between" mb={4} wrap="nowrap">
                <Text size="xs" fw={600} c="dimmed">
                  {t('designer.branchOutcomeNo', { no: i + 1 })}
                </Text>
                <Tooltip label={t('designer.removeItem')}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    size="sm"
                    aria-label={`${t('designer.removeItem')} ${t('designer.branchOutcomeNo', { no: i + 1 })}`}
                    disabled={outcomes.length <= 2}
                    onClick={() => onChange({ ...branch, outcomes: outcomes.filter((_, j) => j !== i) })}
                  >
                    <IconTrash size={14} />
                  </ActionIcon>
                </Tooltip>
              </Group>
              <Stack gap="xs">
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                  <Stack gap={4}>
                    <NativeSelect
                      label={t('designer.branchValue')}
                      value={kind}
                      data={[
                        { value: 'true', label: t('designer.branchValueTrue') },
                        { value: 'false', label: t('designer.branchValueFalse') },
                        { value: 'text', label: t('designer.branchValueText') },
                      ]}
                      error={kind === 'text' ? undefined : at('outcomes', i, 'value')}
                      onChange={(event) => {
                        const next = event.currentTarget.value as ValueKind;
                        setOutcome(i, {
                          ...outcome,
                          value: next === 'true' ? true : next === 'false' ? false : '',
                        });
                      }}
                      data-testid={`${testId}-outcome-${i}-kind`}
                    />
                    {kind === 'text' ? (
                      <TextInput
                        aria-label={t('designer.branchValueText')}
                        placeholder={t('designer.branchValueTextHint')}
                        value={String(outcome.value)}
                        error={at('outcomes', i, 'value')}
                        onChange={(event) => setOutcome(i, { ...outcome, value: event.currentTarget.value })}
                        data-testid={`${testId}-outcome-${i}-value`}
                      />
                    ) : null}
                  </Stack>
                  <Select
                    label={t('designer.branchGoto')}
                    data={steps}
                    value={outcome.goto || null}
                    required
                    searchable
                    error={at('outcomes', i, 'goto')}
                    onChange={(value) => setOutcome(i, { ...outcome, goto: value ?? '' })}
                    comboboxProps={{ withinPortal: true }}
                    data-testid={`${testId}-outcome-${i}-goto`}
                  />
                </SimpleGrid>
                <BilingualInput
                  label={t('designer.branchLabel')}
                  value={outcome.label}
                  required
                  onChange={(label) => setOutcome(i, { ...outcome, label })}
                  errorId={
                    at('outcomes', i, 'label', 'id') ?? at('outcomes', i, 'label') ?? at('outcomes', i)
                  }
                  errorEn={at('outcomes', i, 'label', 'en')}
                  testId={`${testId}-outcome-${i}-label`}
                />
              </Stack>
            </Paper>
          );
        })}
        {at('outcomes') ? (
          <Text size="xs" c="red.7">
            {at('outcomes')}
          </Text>
        ) : null}
        {at() ? (
          <Text size="xs" c="red.7">
            {at()}
          </Text>
        ) : null}
        <Button
          variant="subtle"
          size="xs"
          leftSection={<IconPlus size={14} />}
          disabled={outcomes.length >= 10}
          onClick={() =>
            onChange({
              ...branch,
              outcomes: [...outcomes, { value: '', label: { id: '', en: '' }, goto: '' }],
            })
          }
          style={{ alignSelf: 'flex-start' }}
        >
          {t('designer.branchAddOutcome')}
        </Button>
      </Stack>
    </Fieldset>
  );
}

/**
 * The API key of each of the block's actions (`actionKeys`): empty keeps the block's own. Renames the block
 * does not know (e.g. after the step's block changed) are listed too, so their problems can be fixed.
 */
export function ActionKeysForm({
  actions,
  value,
  onChange,
  base,
  problems,
  testId,
}: {
  actions: string[];
  value: Record<string, string> | undefined;
  onChange: (value: Record<string, string> | undefined) => void;
  /** `['steps', N, 'actionKeys']`. */
  base: Path;
  problems: ProblemIndex;
  testId: string;
}) {
  const { t } = useTranslation();
  const keys = value ?? {};
  const [open, setOpen] = useState(Object.keys(keys).length > 0);
  const names = [...actions, ...Object.keys(keys).filter((name) => !actions.includes(name))];
  if (names.length === 0) return null;
  if (!open && problems.count(base) === 0)
    return (
      <Button
        variant="subtle"
        size="xs"
        onClick={() => setOpen(true)}
        style={{ alignSelf: 'flex-start' }}
        data-testid={`${testId}-open`}
      >
        {t('designer.actionKeysOpen')}
      </Button>
    );
  const set = (name: string, next: string) => {
    const copy = { ...keys };
    if (next) copy[name] = next;
    else delete copy[name];
    onChange(Object.keys(copy).length ? copy : undefined);
  };
  return (
    <Fieldset legend={t('designer.actionKeys')} p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" mb="xs">
        {t('designer.actionKeysHint')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        {names.map((name) => (
          <TextInput
            key={name}
            label={t('designer.actionKeyFor', { name })}
            placeholder={t('designer.actionKeyDefault')}
            value={keys[name] ?? ''}
            error={
              problems.at([...base, name]) ??
              (actions.includes(name) ? undefined : t('designer.actionKeyUnknown', { name }))
            }
            onChange={(event) => set(name, event.currentTarget.value.trim())}
            data-testid={`${testId}-${name}`}
          />
        ))}
      </SimpleGrid>
      {problems.at(base) ? (
        <Text size="xs" c="red.7" mt="xs">
          {problems.at(base)}
        </Text>
      ) : null}
    </Fieldset>
  );
}
