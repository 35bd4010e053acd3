/**
 * `/admin/layanan/:key` (and `/admin/layanan/baru`): the SOP designer. The administrator edits a service's
 * definition — its title, purpose and requirements, its lanes, its steps in order (block, lane, standard
 * time, inputs/outputs, notes, the block's settings) and the sheet's side boxes — while the server checks it
 * (every problem shown next to its field) and the printed SOP sheet is previewed, then publishes it as a
 * new version.
 */
import {
  Accordion,
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Checkbox,
  Grid,
  Group,
  List,
  Modal,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconArrowDown,
  IconArrowLeft,
  IconArrowUp,
  IconCircleCheck,
  IconDownload,
  IconPlus,
  IconRefresh,
  IconSend,
  IconTrash,
} from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { ROLES } from '../../api/types.ts';
import { localized } from '../../components/CaseBits.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { errorMessage } from '../../lib/errors.ts';
import {
  type Definition,
  type DefinitionProblem,
  type SopBlock,
  type StepInput,
  servicesApi,
} from './api.ts';
import { ConfigForm } from './ConfigForm.tsx';
import { ActionKeysForm, BranchForm, newBranch } from './DesignerBranch.tsx';
import { BilingualInput, LinesInput, TimeInput } from './DesignerFields.tsx';
import { moveItem, newDefinition, newStep, type Path, ProblemIndex, setAt } from './designerModel.ts';
import { downloadJson } from './format.ts';
import { shownProblems } from './problemText.ts';
import { SheetPreview } from './SheetPreview.tsx';

const editRoute = getRouteApi('/app/admin/admin/layanan/$key');

/** Where an imported definition waits for the editor (set by the list page's import). */
export const IMPORT_STORAGE_KEY = 'loket.designer.import';

const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

export function blocksQueryOptions() {
  return { queryKey: ['sop-blocks'], queryFn: () => servicesApi.blocks(), staleTime: 60 * 60_000 };
}

function readImported(): Definition | null {
  try {
    const text = sessionStorage.getItem(IMPORT_STORAGE_KEY);
    if (!text) return null;
    sessionStorage.removeItem(IMPORT_STORAGE_KEY);
    return JSON.parse(text) as Definition;
  } catch {
    return null;
  }
}

/** `/admin/layanan/baru`: a new service (or an imported definition). */
export function NewServicePage() {
  const [start] = useState(() => readImported() ?? newDefinition());
  return <Designer initial={start} isNew={!start.version} />;
}

/** `/admin/layanan/:key`: the current definition of a service. */
export function EditServicePage() {
  const { key } = editRoute.useParams();
  const query = useQuery({
    queryKey: ['services', 'definition', key],
    queryFn: () => servicesApi.definition(key),
  });
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Skeleton height={480} radius="lg" />;
  return <Designer key={`${key}:${query.data.version}`} initial={query.data} isNew={false} />;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function Designer({ initial, isNew }: { initial: Definition; isNew: boolean }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [def, setDef] = useState<Definition>(initial);
  const [served, setProblems] = useState<DefinitionProblem[] | null>(null);
  const [checking, setChecking] = useState(false);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [openSteps, setOpenSteps] = useState<string[]>([]);
  // Each step's identity while edited (its key may change as it is typed): the accordion's and React's key.
  const nextId = useRef(initial.steps.length);
  const [stepIds, setStepIds] = useState(() => initial.steps.map((_, i) => `s${i}`));
  const blocks = useQuery(blocksQueryOptions());
  const baseVersion = initial.version ?? null;
  const nextVersion = (baseVersion ?? 0) + 1;
  const urlKey = KEY_PATTERN.test(def.key) ? def.key : 'layanan_baru';

  const update = (path: Path, value: unknown) => setDef((current) => setAt(current, path, value));

  // Live validation: the server's checks, a moment after the last change.
  const checked = useDebounced(def, 500);
  const validateSeq = useRef(0);
  useEffect(() => {
    const controller = new AbortController();
    const seq = ++validateSeq.current;
    setChecking(true);
    servicesApi
      .validate(urlKey, checked, controller.signal)
      .then((answer) => {
        if (seq === validateSeq.current) setProblems(answer.problems);
      })
      .catch((error) => {
        if (controller.signal.aborted) return;
        if (seq === validateSeq.current) {
          setProblems(
            isApiError(error) && error.details?.fields
              ? error.details.fields
              : [{ path: '', message: errorMessage(error) }],
          );
        }
      })
      .finally(() => {
        if (seq === validateSeq.current) setChecking(false);
      });
    return () => controller.abort();
  }, [checked, urlKey]);

  // The server's problems as shown: in the UI's language, without the address-key one while the key is unfinished.
  const keyIsValid = KEY_PATTERN.test(def.key);
  const problems = useMemo(
    () => (served ? shownProblems(served, i18n.language, keyIsValid) : null),
    [served, i18n.language, keyIsValid],
  );
  const index = useMemo(() => new ProblemIndex(problems ?? []), [problems]);
  const stepChoices = def.steps.map((step, i) => ({
    value: step.key,
    label: `${i + 1}. ${step.title?.id || step.key}`,
  }));
  const laneChoices = def.lanes.map((lane) => ({ value: lane.key, label: lane.title?.id || lane.key }));
  const blockByKey = new Map((blocks.data ?? []).map((block) => [block.key, block]));
  const changed = JSON.stringify(def) !== JSON.stringify(initial);

  const publish = async () => {
    setPublishing(true);
    setFormError(null);
    try {
      const body: Definition = { ...def };
      if (baseVersion) body.version = baseVersion;
      else delete body.version;
      const published = await servicesApi.publish(def.key, body);
      setConfirmOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['services'] });
      notifications.show({
        color: 'teal',
        title: t('designer.publishedTitle'),
        message: t('designer.published', { title: def.title.id, version: published.version }),
      });
      await navigate({ to: '/admin/layanan' });
    } catch (error) {
      setConfirmOpen(false);
      if (isApiError(error, 'VERSION_CONFLICT')) {
        setConflict(true);
        window.scrollTo({ top: 0, behavior: 'smooth' });
      } else if (isApiError(error) && error.details?.fields) {
        setProblems(error.details.fields);
        setFormError(t('designer.fixProblems'));
      } else {
        setFormError(errorMessage(error));
      }
    } finally {
      setPublishing(false);
    }
  };

  const reload = async () => {
    setConflict(false);
    await queryClient.invalidateQueries({ queryKey: ['services', 'definition', def.key] });
    await queryClient.invalidateQueries({ queryKey: ['services'] });
  };

  const count = problems?.length ?? 0;
  const status = (
    <Group gap="xs" data-testid="designer-status">
      {problems === null || checking ? (
        <Badge variant="light" color="gray" tt="none">
          {t('designer.checking')}
        </Badge>
      ) : count === 0 ? (
        <Badge variant="light" color="teal" tt="none" leftSection={<IconCircleCheck size={14} />}>
          {t('designer.valid')}
        </Badge>
      ) : (
        <Badge
          component="button"
          type="button"
          variant="light"
          color="red"
          tt="none"
          leftSection={<IconAlertTriangle size={14} />}
          style={{ cursor: 'pointer' }}
          title={t('designer.showProblems')}
          onClick={() =>
            document
              .querySelector('[data-testid="designer-problems"]')
              ?.scrollIntoView({ behavior: 'smooth', block: 'center' })
          }
        >
          {t('designer.problemCount', { count })}
        </Badge>
      )}
    </Group>
  );

  return (
    <>
      <Anchor component={Link} to="/admin/layanan" size="sm" mb="xs" display="inline-flex" style={{ gap: 4 }}>
        <IconArrowLeft size={16} /> {t('designer.backToList')}
      </Anchor>
      <PageHeader
        title={isNew ? t('designer.newTitle') : t('designer.editTitle', { title: localized(initial.title) })}
        subtitle={
          baseVersion
            ? t('designer.editSubtitle', { version: baseVersion, next: nextVersion })
            : t('designer.newSubtitle')
        }
        actions={
          <>
            {status}
            <Button
              variant="default"
              leftSection={<IconDownload size={18} />}
              onClick={() => downloadJson(`${def.key || 'sop'}.json`, def)}
            >
              {t('designer.exportDraft')}
            </Button>
            <Button
              leftSection={<IconSend size={18} />}
              disabled={!changed && !isNew}
              onClick={() => {
                setFormError(null);
                if (count > 0) {
                  setFormError(t('designer.fixProblems'));
                  return;
                }
                setConfirmOpen(true);
              }}
              data-testid="designer-publish"
            >
              {t('designer.publish')}
            </Button>
          </>
        }
      />
      {conflict ? (
        <Alert
          color="orange"
          icon={<IconAlertTriangle size={18} />}
          mb="md"
          role="alert"
          title={t('designer.conflictTitle')}
        >
          <Text size="sm">{t('designer.conflict')}</Text>
          <Group gap="xs" mt="xs">
            <Button
              size="xs"
              color="orange"
              leftSection={<IconRefresh size={14} />}
              onClick={() => void reload()}
            >
              {t('designer.reload')}
            </Button>
            <Button
              size="xs"
              variant="white"
              color="orange"
              leftSection={<IconDownload size={14} />}
              onClick={() => downloadJson(`${def.key}-draft.json`, def)}
            >
              {t('designer.exportDraft')}
            </Button>
          </Group>
        </Alert>
      ) : null}
      {formError ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} mb="md" role="alert">
          {formError}
        </Alert>
      ) : null}
      {blocks.isError ? <QueryError error={blocks.error} onRetry={() => void blocks.refetch()} /> : null}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="lg">
            <Paper withBorder p={{ base: 'sm', sm: 'lg' }} shadow="xs">
              <Title order={2} fz="lg" mb="md">
                {t('designer.sectionService')}
              </Title>
              <Stack gap="md">
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                  <TextInput
                    label={t('designer.key')}
                    description={t('designer.keyHint')}
                    value={def.key}
                    disabled={!isNew}
                    required
                    error={index.at('key')}
                    onChange={(event) => update(['key'], event.currentTarget.value.trim())}
                    data-testid="designer-key"
                  />
                  <TextInput
                    label={t('designer.refPrefix')}
                    description={t('designer.refPrefixHint')}
                    value={def.refPrefix}
                    required
                    error={index.at('refPrefix')}
                    onChange={(event) => update(['refPrefix'], event.currentTarget.value.toUpperCase())}
                  />
                </SimpleGrid>
                <BilingualInput
                  label={t('designer.title')}
                  value={def.title}
                  required
                  onChange={(value) => update(['title'], value)}
                  errorId={index.at('title.id') ?? index.at('title')}
                  errorEn={index.at('title.en')}
                  testId="designer-title"
                />
                <BilingualInput
                  label={t('designer.purpose')}
                  value={def.purpose}
                  multiline
                  onChange={(value) => update(['purpose'], value.id || value.en ? value : undefined)}
                  errorId={index.at('purpose.id') ?? index.at('purpose')}
                  errorEn={index.at('purpose.en')}
                />
                <LinesInput
                  label={t('designer.requirements')}
                  value={def.requirements}
                  onChange={(value) => update(['requirements'], value)}
                  error={index.under('requirements')}
                />
              </Stack>
            </Paper>

            <Paper withBorder p={{ base: 'sm', sm: 'lg' }} shadow="xs">
              <Title order={2} fz="lg" mb={4}>
                {t('designer.sectionLanes')}
              </Title>
              <Text size="sm" c="dimmed" mb="md">
                {t('designer.lanesHint')}
              </Text>
              <Stack gap="md">
                {def.lanes.map((lane, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: lanes are not reordered; a lane's key is being typed
                  <Paper key={i} withBorder p="sm" radius="md" bg="gray.0" data-testid={`lane-${i}`}>
                    <Group justify="space-between" mb="xs" wrap="nowrap">
                      <Text fw={600} size="sm">
                        {t('designer.laneNo', { no: i + 1 })}
                      </Text>
                      <Tooltip label={t('designer.removeLane')}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('designer.removeLane')}
                          disabled={def.lanes.length <= 1}
                          onClick={() =>
                            update(
                              ['lanes'],
                              def.lanes.filter((_, j) => j !== i),
                            )
                          }
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                    <Stack gap="sm">
                      <TextInput
                        label={t('designer.key')}
                        value={lane.key}
                        required
                        error={index.at(['lanes', i, 'key'])}
                        onChange={(event) => update(['lanes', i, 'key'], event.currentTarget.value.trim())}
                      />
                      <BilingualInput
                        label={t('designer.laneTitle')}
                        value={lane.title}
                        required
                        onChange={(value) => update(['lanes', i, 'title'], value)}
                        errorId={index.at(['lanes', i, 'title', 'id']) ?? index.at(['lanes', i, 'title'])}
                        errorEn={index.at(['lanes', i, 'title', 'en'])}
                      />
                      <MultiSelect
                        label={t('designer.roles')}
                        data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
                        value={[...lane.roles]}
                        required
                        error={index.under(['lanes', i, 'roles'])}
                        onChange={(value) => update(['lanes', i, 'roles'], value)}
                        comboboxProps={{ withinPortal: true }}
                      />
                      <LinesInput
                        label={t('designer.units')}
                        description={t('designer.unitsHint')}
                        value={lane.units}
                        minRows={1}
                        onChange={(value) => update(['lanes', i, 'units'], value)}
                        error={index.under(['lanes', i, 'units'])}
                      />
                    </Stack>
                  </Paper>
                ))}
                {index.at('lanes') ? (
                  <Text size="sm" c="red.7">
                    {index.at('lanes')}
                  </Text>
                ) : null}
                <Button
                  variant="light"
                  leftSection={<IconPlus size={16} />}
                  style={{ alignSelf: 'flex-start' }}
                  onClick={() =>
                    update(
                      ['lanes'],
                      [
                        ...def.lanes,
                        {
                          key: `lajur_${def.lanes.length + 1}`,
                          title: { id: '', en: '' },
                          roles: [],
                          units: [],
                        },
                      ],
                    )
                  }
                >
                  {t('designer.addLane')}
                </Button>
              </Stack>
            </Paper>

            <Paper withBorder p={{ base: 'sm', sm: 'lg' }} shadow="xs">
              <Title order={2} fz="lg" mb={4}>
                {t('designer.sectionSteps')}
              </Title>
              <Text size="sm" c="dimmed" mb="md">
                {t('designer.stepsHint')}
              </Text>
              <Accordion multiple value={openSteps} onChange={setOpenSteps} variant="separated" radius="md">
                {def.steps.map((step, i) => (
                  <StepEditor
                    key={stepIds[i] ?? i}
                    id={stepIds[i] ?? `s${i}`}
                    index={i}
                    step={step}
                    count={def.steps.length}
                    problems={index}
                    block={blockByKey.get(step.block)}
                    blocks={blocks.data ?? []}
                    lanes={laneChoices}
                    steps={stepChoices}
                    onChange={(path, value) => update(['steps', i, ...path], value)}
                    onMove={(to) => {
                      update(['steps'], moveItem(def.steps, i, to));
                    }}
                    onRemove={() =>
                      update(
                        ['steps'],
                        def.steps.filter((_, j) => j !== i),
                      )
                    }
                  />
                ))}
              </Accordion>
              {index.at('steps') ? (
                <Text size="sm" c="red.7" mt="xs">
                  {index.at('steps')}
                </Text>
              ) : null}
              <Button
                variant="light"
                mt="md"
                leftSection={<IconPlus size={16} />}
                onClick={() => {
                  const lane = def.lanes.at(-1)?.key ?? '';
                  const step = newStep(def.steps.length, lane, 'report');
                  // A new step goes before the closing one, which stays last.
                  const last = def.steps.at(-1);
                  const at =
                    last && blockByKey.get(last.block)?.terminal ? def.steps.length - 1 : def.steps.length;
                  const steps = [...def.steps];
                  steps.splice(at, 0, step);
                  update(['steps'], steps);
                  const id = `s${nextId.current++}`;
                  setStepIds((ids) => [...ids.slice(0, at), id, ...ids.slice(at)]);
                  setOpenSteps((open) => [...open, id]);
                }}
                data-testid="designer-add-step"
              >
                {t('designer.addStep')}
              </Button>
            </Paper>

            <Paper withBorder p={{ base: 'sm', sm: 'lg' }} shadow="xs">
              <Title order={2} fz="lg" mb="md">
                {t('designer.sectionSide')}
              </Title>
              <Stack gap="md">
                {(['related', 'equipment', 'warnings', 'records'] as const).map((box) => (
                  <LinesInput
                    key={box}
                    label={t(`designer.side.${box}`)}
                    value={def[box]}
                    onChange={(value) => update([box], value)}
                    error={index.under(box)}
                  />
                ))}
              </Stack>
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Box className="designer-aside" style={{ position: 'sticky', top: 80 }}>
            <Stack gap="md">
              <ProblemList
                problems={problems ?? []}
                checking={checking || problems === null}
                onOpenStep={(i) => {
                  const id = stepIds[i];
                  if (!id) return;
                  setOpenSteps((open) => (open.includes(id) ? open : [...open, id]));
                  setTimeout(
                    () =>
                      document
                        .querySelector(`[data-testid="step-${i}"]`)
                        ?.scrollIntoView({ behavior: 'smooth', block: 'start' }),
                    50,
                  );
                }}
              />
              <SheetPreview definition={def} urlKey={urlKey} valid={problems !== null && count === 0} />
            </Stack>
          </Box>
        </Grid.Col>
      </Grid>

      <Modal
        opened={confirmOpen}
        onClose={() => setConfirmOpen(false)}
        title={t('designer.confirmTitle', { version: nextVersion })}
      >
        <Text size="sm">
          {baseVersion
            ? t('designer.confirmText', { title: def.title.id, version: nextVersion, current: baseVersion })
            : t('designer.confirmNew', { title: def.title.id, key: def.key })}
        </Text>
        <Group justify="flex-end" mt="lg" gap="sm">
          <Button variant="default" onClick={() => setConfirmOpen(false)}>
            {t('common.cancel')}
          </Button>
          <Button loading={publishing} onClick={() => void publish()} data-testid="designer-confirm-publish">
            {t('designer.publishVersion', { version: nextVersion })}
          </Button>
        </Group>
      </Modal>
    </>
  );
}

function ProblemList({
  problems,
  checking,
  onOpenStep,
}: {
  problems: DefinitionProblem[];
  checking: boolean;
  /** Opens the step a problem is in (its editor shows the problem next to the field). */
  onOpenStep: (index: number) => void;
}) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={t('designer.problemCount', { count: problems.length })}
      data-testid="designer-problems"
      style={{ opacity: checking ? 0.7 : 1 }}
    >
      <List size="sm" spacing={2}>
        {problems.slice(0, 30).map((problem) => (
          <List.Item key={`${problem.path}:${problem.message}`}>
            {/^steps\.\d+/.test(problem.path) ? (
              <Anchor
                component="button"
                type="button"
                size="sm"
                fw={600}
                mr={4}
                onClick={() => onOpenStep(Number(problem.path.split('.')[1]))}
              >
                {t('designer.stepNo', { no: Number(problem.path.split('.')[1]) + 1 })}
              </Anchor>
            ) : null}
            <Text span ff="monospace" size="xs" c="dimmed">
              {problem.path || '—'}
            </Text>{' '}
            {problem.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

type StepEditorProps = {
  id: string;
  index: number;
  step: StepInput;
  count: number;
  problems: ProblemIndex;
  block: SopBlock | undefined;
  blocks: SopBlock[];
  lanes: { value: string; label: string }[];
  steps: { value: string; label: string }[];
  onChange: (path: Path, value: unknown) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
};

function StepEditor({
  id,
  index,
  step,
  count,
  problems,
  block,
  blocks,
  lanes,
  steps,
  onChange,
  onMove,
  onRemove,
}: StepEditorProps) {
  const { t } = useTranslation();
  const base: Path = ['steps', index];
  const at = (...rest: (string | number)[]) => problems.at([...base, ...rest]);
  const wrong = problems.count(base);
  return (
    <Accordion.Item value={id} data-testid={`step-${index}`} style={{ scrollMarginTop: 80 }}>
      <Group wrap="nowrap" gap={4} pr="xs">
        <Accordion.Control style={{ minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text fw={700} c="loket.8" size="sm">
              {index + 1}.
            </Text>
            <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
              <Text size="sm" fw={500} lineClamp={2}>
                {step.title?.id || step.key || t('designer.untitledStep')}
              </Text>
              <Text size="xs" c="dimmed" lineClamp={1}>
                {block ? localized(block.title) : step.block || t('designer.pickBlockShort')}
                {step.branch ? ` · ${t('designer.withBranch')}` : ''}
              </Text>
            </Stack>
            {wrong ? (
              <Badge size="xs" color="red" variant="filled" miw="max-content">
                {wrong}
              </Badge>
            ) : null}
          </Group>
        </Accordion.Control>
        <ActionIcon
          variant="subtle"
          aria-label={t('designer.moveUp')}
          disabled={index === 0}
          onClick={() => onMove(index - 1)}
        >
          <IconArrowUp size={16} />
        </ActionIcon>
        <ActionIcon
          variant="subtle"
          aria-label={t('designer.moveDown')}
          disabled={index === count - 1}
          onClick={() => onMove(index + 1)}
        >
          <IconArrowDown size={16} />
        </ActionIcon>
        <ActionIcon
          variant="subtle"
          color="red"
          aria-label={t('designer.removeStep')}
          disabled={count <= 1}
          onClick={onRemove}
        >
          <IconTrash size={16} />
        </ActionIcon>
      </Group>
      <Accordion.Panel>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t('designer.key')}
              value={step.key}
              required
              error={at('key')}
              onChange={(event) => onChange(['key'], event.currentTarget.value.trim())}
            />
            <Select
              label={t('designer.lane')}
              data={lanes}
              value={step.lane || null}
              required
              error={at('lane')}
              onChange={(value) => onChange(['lane'], value ?? '')}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          <BilingualInput
            label={t('designer.stepTitle')}
            value={step.title}
            required
            multiline
            onChange={(value) => onChange(['title'], value)}
            errorId={at('title', 'id') ?? at('title')}
            errorEn={at('title', 'en')}
            testId={`step-${index}-title`}
          />
          <Select
            label={t('designer.block')}
            description={block ? localized(block.description) : undefined}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            data={blocks.map((b) => ({ value: b.key, label: localized(b.title) }))}
            searchable
            maxDropdownHeight={360}
            renderOption={({ option }) => {
              const described = blocks.find((b) => b.key === option.value);
              return (
                <Stack gap={0}>
                  <Text size="sm">{option.label}</Text>
                  {described ? (
                    <Text size="xs" c="dimmed">
                      {localized(described.description)}
                    </Text>
                  ) : null}
                </Stack>
              );
            }}
            value={step.block || null}
            required
            error={at('block')}
            onChange={(value) => {
              onChange(['block'], value ?? '');
              onChange(['config'], {});
            }}
            comboboxProps={{ withinPortal: true }}
            data-testid={`step-${index}-block`}
          />
          <TimeInput
            value={step.standardTime}
            onChange={(value) => onChange(['standardTime'], value)}
            error={problems.under([...base, 'standardTime'])}
            testId={`step-${index}-time`}
          />
          <MultiSelect
            label={t('designer.stepRoles')}
            description={t('designer.stepRolesHint')}
            data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            value={step.roles ? [...step.roles] : []}
            error={problems.under([...base, 'roles'])}
            onChange={(value) => onChange(['roles'], value.length ? value : undefined)}
            comboboxProps={{ withinPortal: true }}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <LinesInput
              label={t('designer.inputs')}
              value={step.inputs}
              onChange={(value) => onChange(['inputs'], value)}
              error={problems.under([...base, 'inputs'])}
            />
            <LinesInput
              label={t('designer.outputs')}
              value={step.outputs}
              onChange={(value) => onChange(['outputs'], value)}
              error={problems.under([...base, 'outputs'])}
            />
          </SimpleGrid>
          <Textarea
            label={t('designer.notes')}
            value={step.notes ?? ''}
            autosize
            minRows={1}
            maxRows={6}
            error={at('notes')}
            onChange={(event) => onChange(['notes'], event.currentTarget.value || undefined)}
          />
          <Select
            label={t('designer.next')}
            description={t('designer.nextHint')}
            data={steps.filter((s) => s.value !== step.key)}
            value={step.next ?? null}
            clearable
            error={at('next')}
            onChange={(value) => onChange(['next'], value ?? undefined)}
            comboboxProps={{ withinPortal: true }}
          />
          <Paper withBorder p="sm" radius="md" bg="gray.0">
            <Text size="sm" fw={600} mb="xs">
              {t('designer.config')}
            </Text>
            {block ? (
              <ConfigForm
                schema={block.config}
                value={(step.config ?? {}) as Record<string, unknown>}
                onChange={(value) => onChange(['config'], value)}
                base={[...base, 'config']}
                problems={problems}
                steps={steps}
              />
            ) : (
              <Text size="sm" c="dimmed">
                {t('designer.pickBlock')}
              </Text>
            )}
          </Paper>
          <Checkbox
            label={t('designer.branchToggle')}
            description={t('designer.branchHint')}
            checked={step.branch !== undefined}
            onChange={(event) => onChange(['branch'], event.currentTarget.checked ? newBranch() : undefined)}
            data-testid={`step-${index}-branch-toggle`}
          />
          {step.branch ? (
            <BranchForm
              branch={step.branch}
              onChange={(value) => onChange(['branch'], value)}
              base={[...base, 'branch']}
              problems={problems}
              steps={steps.filter((s) => s.value !== step.key)}
              testId={`step-${index}-branch`}
            />
          ) : problems.under([...base, 'branch']) ? (
            <Text size="xs" c="red.7">
              {problems.under([...base, 'branch'])}
            </Text>
          ) : null}
          <ActionKeysForm
            actions={block?.actions ?? []}
            value={step.actionKeys}
            onChange={(value) => onChange(['actionKeys'], value)}
            base={[...base, 'actionKeys']}
            problems={problems}
            testId={`step-${index}-action-keys`}
          />
        </Stack>
      </Accordion.Panel>
    </Accordion.Item>
  );
}
