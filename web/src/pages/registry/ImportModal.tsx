/**
 * "Impor": a CSV or XLSX file of websites, servers or pools. The server checks it first (a dry run) and
 * answers what each row would do; only a file without errors can be imported, all of it or nothing.
 */
import { Alert, Badge, Button, FileInput, Group, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCircleCheck, IconFileSpreadsheet } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import {
  importApi,
  type RegistryEntity,
  type RegistryImportResult,
  type RegistryImportRow,
  registryKeys,
} from '../../api/registry.ts';
import { ResponsiveList, useIsPhone } from '../../components/ResponsiveList.tsx';
import { errorMessage } from '../../lib/errors.ts';

type Action = RegistryImportRow['action'];

const ACTION_COLORS: Record<Action, string> = {
  create: 'teal',
  update: 'blue',
  unchanged: 'gray',
  error: 'red',
};

/** The largest file the dialog sends (the server has its own limit). */
const MAX_BYTES = 10 * 1024 * 1024;

function ActionBadge({ action }: { action: Action }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant={action === 'error' ? 'filled' : 'light'}
      color={ACTION_COLORS[action]}
      radius="sm"
      tt="none"
    >
      {t(`import.actions.${action}`)}
    </Badge>
  );
}

/** Rows from an answer that may name the key differently (the server is the reference). */
function normalise(result: RegistryImportResult): RegistryImportResult {
  const rows = (result.rows ?? []).map((row) => {
    const loose = row as RegistryImportRow & { hostname?: string; name?: string; code?: string };
    return {
      ...row,
      key: row.key ?? loose.hostname ?? loose.name ?? loose.code ?? '',
      errors: Array.isArray(row.errors) ? row.errors : [],
    };
  });
  return {
    rows,
    created: result.created ?? rows.filter((r) => r.action === 'create').length,
    updated: result.updated ?? rows.filter((r) => r.action === 'update').length,
    unchanged: result.unchanged ?? rows.filter((r) => r.action === 'unchanged').length,
    errors: result.errors ?? rows.filter((r) => r.action === 'error').length,
  };
}

type Props = { entity: RegistryEntity; opened: boolean; onClose: () => void };

export function RegistryImportModal({ entity, opened, onClose }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<RegistryImportResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const reset = () => {
    setFile(null);
    setPreview(null);
    setProblem(null);
  };
  const close = () => {
    reset();
    onClose();
  };

  /** A refused import may still carry the rows (the file's problems, row by row). */
  const rowsOf = (error: unknown): RegistryImportRow[] | null => {
    const rows = isApiError(error) ? error.details?.rows : undefined;
    return Array.isArray(rows) && rows.length > 0 ? (rows as RegistryImportRow[]) : null;
  };

  /** The whole file refused (no header, unknown columns, not CSV/XLSX): say so, with the server's detail. */
  const failure = (error: unknown): string => {
    if (isApiError(error, 'IMPORT_INVALID') && !rowsOf(error)) {
      return `${t('registry.import.fileInvalid')} (${error.message})`;
    }
    return errorMessage(error);
  };

  const showRows = (error: unknown) => {
    const rows = rowsOf(error);
    if (!rows) return;
    const count = (action: RegistryImportRow['action']) => rows.filter((row) => row.action === action).length;
    setPreview(
      normalise({
        rows,
        created: count('create'),
        updated: count('update'),
        unchanged: count('unchanged'),
        errors: count('error'),
      }),
    );
  };

  const dryRun = useMutation({
    mutationFn: (chosen: File) => importApi.run(entity, true, chosen),
    onSuccess: (result) => setPreview(normalise(result)),
    onError: (error) => {
      showRows(error);
      setProblem(failure(error));
    },
  });

  const commit = useMutation({
    mutationFn: (chosen: File) => importApi.run(entity, false, chosen),
    onSuccess: async (result) => {
      const done = normalise(result);
      notifications.show({
        color: 'teal',
        icon: <IconCircleCheck size={18} />,
        message: t('import.done', done),
      });
      await queryClient.invalidateQueries({ queryKey: registryKeys.all });
      close();
    },
    onError: (error) => {
      showRows(error);
      setProblem(failure(error));
    },
  });

  function choose(next: File | null) {
    setFile(next);
    setPreview(null);
    setProblem(null);
    if (!next) return;
    if (next.size > MAX_BYTES) {
      setProblem(t('registry.import.tooLarge'));
      return;
    }
    if (next.size === 0) {
      setProblem(t('import.emptyFile'));
      return;
    }
    dryRun.mutate(next);
  }

  const changes = preview ? preview.created + preview.updated : 0;
  const canImport = Boolean(file && preview && preview.errors === 0 && changes > 0 && !dryRun.isPending);

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t(`registry.import.title.${entity}`)}
      size="xl"
      fullScreen={isPhone}
    >
      <Stack gap="md">
        <Text size="sm">{t('registry.import.intro')}</Text>
        <Text size="sm" c="dimmed">
          {t('registry.import.hint')}
        </Text>
        <FileInput
          label={t('registry.import.file')}
          placeholder={t('registry.import.filePlaceholder')}
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          value={file}
          onChange={choose}
          leftSection={<IconFileSpreadsheet size={18} />}
          clearable
        />
        {dryRun.isPending ? (
          <Text size="sm" c="dimmed">
            {t('import.previewing')}
          </Text>
        ) : null}
        {problem ? (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
            {problem}
          </Alert>
        ) : null}

        {preview ? (
          <Stack gap="sm" data-testid="import-preview">
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Text fw={600}>{t('import.preview')}</Text>
              <Group gap={6} wrap="wrap">
                <Badge color="teal" variant="light" tt="none">
                  {t('import.actions.create')}: {preview.created}
                </Badge>
                <Badge color="blue" variant="light" tt="none">
                  {t('import.actions.update')}: {preview.updated}
                </Badge>
                <Badge color="gray" variant="light" tt="none">
                  {t('import.actions.unchanged')}: {preview.unchanged}
                </Badge>
                <Badge color="red" variant={preview.errors ? 'filled' : 'light'} tt="none">
                  {t('import.actions.error')}: {preview.errors}
                </Badge>
              </Group>
            </Group>
            {preview.errors > 0 ? (
              <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />}>
                {t('registry.import.hasErrors')}
              </Alert>
            ) : changes === 0 ? (
              <Alert color="gray" variant="light">
                {t('import.nothingToDo')}
              </Alert>
            ) : null}
            <ResponsiveList<RegistryImportRow>
              label={t('import.preview')}
              rows={preview.rows}
              rowKey={(row) => String(row.line)}
              rowState={(row) => ({ error: row.action === 'error' })}
              minWidth={560}
              cardTitle={(row) => (
                <Group gap="xs" wrap="nowrap">
                  <ActionBadge action={row.action} />
                  <Text size="sm" fw={600} truncate>
                    {row.key || t('common.none')}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('import.line')} {row.line}
                  </Text>
                </Group>
              )}
              columns={[
                {
                  key: 'line',
                  header: t('import.line'),
                  render: (row) => row.line,
                  hideOnCard: true,
                  width: 64,
                },
                {
                  key: 'action',
                  header: t('import.action'),
                  render: (row) => <ActionBadge action={row.action} />,
                  hideOnCard: true,
                },
                {
                  key: 'key',
                  header: t(`registry.import.key.${entity}`),
                  render: (row) => (
                    <Text ff="monospace" size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {row.key || t('common.none')}
                    </Text>
                  ),
                  hideOnCard: true,
                },
                {
                  key: 'errors',
                  header: t('import.problems'),
                  render: (row) =>
                    row.errors.length ? (
                      <List size="sm" c="red.8" spacing={2}>
                        {row.errors.map((error) => (
                          <List.Item key={error}>{error}</List.Item>
                        ))}
                      </List>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('common.none')}
                      </Text>
                    ),
                },
              ]}
            />
          </Stack>
        ) : null}

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={!canImport}
            loading={commit.isPending}
            onClick={() => {
              if (!file) return;
              setProblem(null);
              commit.mutate(file);
            }}
          >
            {t('registry.import.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
