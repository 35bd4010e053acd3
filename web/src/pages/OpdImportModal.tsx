import { Alert, Badge, Button, Code, FileInput, Group, List, Modal, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCircleCheck, IconFileTypeCsv } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client.ts';
import { opdImportApi } from '../api/endpoints.ts';
import type { ImportAction, ImportResult, ImportRow } from '../api/types.ts';
import { ResponsiveList, useIsPhone } from '../components/ResponsiveList.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { errorMessage } from '../lib/errors.ts';

export const CSV_EXAMPLE = `code,name,active
DINKES,Dinas Kesehatan,true
DISDIK,Dinas Pendidikan dan Kebudayaan,true
BAPPEDA,Badan Perencanaan Pembangunan Daerah,false`;

const ACTION_COLORS: Record<ImportAction, string> = {
  create: 'teal',
  update: 'blue',
  unchanged: 'gray',
  error: 'red',
};

const MAX_BYTES = 1024 * 1024;

/** Explains the CSV columns, with an example; shown in the import dialog and the empty OPD list. */
export function CsvFormatHelp() {
  const { t } = useTranslation();
  const columns = [
    { name: 'code', text: t('import.colCode') },
    { name: 'name', text: t('import.colName') },
    { name: 'active', text: t('import.colActive') },
  ];
  return (
    <Paper withBorder radius="md" p="md" style={{ minWidth: 0 }}>
      <Text size="sm" fw={600} mb={6}>
        {t('import.formatTitle')}
      </Text>
      <div className="csv-columns">
        {columns.map((column) => (
          <Fragment key={column.name}>
            <Code fw={700}>{column.name}</Code>
            <Text size="sm" c="dimmed">
              {column.text}
            </Text>
          </Fragment>
        ))}
      </div>
      <Text size="xs" c="dimmed" mb="sm">
        {t('import.headerAliases')}
      </Text>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={4}>
        {t('import.example')}
      </Text>
      <Code block className="csv-example" data-testid="csv-example">
        {CSV_EXAMPLE}
      </Code>
    </Paper>
  );
}

/**
 * The server reports row problems as `field: message` in English; show them in the user's language
 * where the field is known, and as they are otherwise.
 */
function rowProblem(problem: string, t: TFunction): string {
  const repeat = /^code: repeats line (\d+)$/.exec(problem);
  if (repeat) return t('import.repeatsLine', { line: repeat[1] });
  const field = /^(\w+):/.exec(problem)?.[1];
  if (field === 'code') return t('validation.code');
  if (field === 'name') return t('validation.name');
  if (field === 'active') return t('import.activeInvalid');
  return problem;
}

function ActionBadge({ action }: { action: ImportAction }) {
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

type Props = { opened: boolean; onClose: () => void };

export function OpdImportModal({ opened, onClose }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const reset = () => {
    setFile(null);
    setCsv(null);
    setPreview(null);
    setProblem(null);
  };

  const close = () => {
    reset();
    onClose();
  };

  const dryRun = useMutation({
    mutationFn: (text: string) => opdImportApi.run(text, true),
    onSuccess: setPreview,
    onError: (error) => {
      // A problem with the file as a whole (no header, no rows, not CSV) comes without rows.
      if (isApiError(error, 'IMPORT_INVALID')) {
        setProblem(t('import.fileInvalid'));
      } else {
        setProblem(errorMessage(error));
      }
    },
  });

  const commit = useMutation({
    mutationFn: (text: string) => opdImportApi.run(text, false),
    onSuccess: async (result) => {
      notifications.show({
        color: 'teal',
        icon: <IconCircleCheck size={18} />,
        message: t('import.done', result),
      });
      await queryClient.invalidateQueries({ queryKey: ['opds'] });
      close();
    },
    onError: (error) => {
      // Someone changed the data since the preview: show the server's fresh verdict per row.
      const rows = isApiError(error, 'IMPORT_INVALID') ? error.details?.rows : undefined;
      if (Array.isArray(rows) && preview) {
        const list = rows as ImportRow[];
        setPreview({ ...preview, rows: list, errors: list.filter((row) => row.action === 'error').length });
      }
      setProblem(errorMessage(error));
    },
  });

  async function choose(next: File | null) {
    setFile(next);
    setPreview(null);
    setProblem(null);
    setCsv(null);
    if (!next) return;
    if (next.size > MAX_BYTES) {
      setProblem(t('import.tooLarge'));
      return;
    }
    let text: string;
    try {
      text = await next.text();
    } catch {
      setProblem(t('import.readFailed'));
      return;
    }
    if (!text.trim()) {
      setProblem(t('import.emptyFile'));
      return;
    }
    setCsv(text);
    dryRun.mutate(text);
  }

  const changes = preview ? preview.created + preview.updated : 0;
  const canImport = Boolean(csv && preview && preview.errors === 0 && changes > 0);

  return (
    <Modal opened={opened} onClose={close} title={t('import.title')} size="xl" fullScreen={isPhone}>
      <Stack gap="md">
        <Text size="sm">{t('import.intro')}</Text>
        {!preview ? <CsvFormatHelp /> : null}
        <FileInput
          label={t('import.file')}
          placeholder={t('import.filePlaceholder')}
          accept=".csv,text/csv"
          value={file}
          onChange={(next) => void choose(next)}
          leftSection={<IconFileTypeCsv size={18} />}
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
                {t('import.hasErrors')}
              </Alert>
            ) : changes === 0 ? (
              <Alert color="gray" variant="light">
                {t('import.nothingToDo')}
              </Alert>
            ) : null}
            <ResponsiveList<ImportRow>
              label={t('import.preview')}
              rows={preview.rows}
              rowKey={(row) => String(row.line)}
              rowState={(row) => ({ error: row.action === 'error' })}
              minWidth={640}
              cardTitle={(row) => (
                <Group gap="xs" wrap="nowrap">
                  <ActionBadge action={row.action} />
                  <Text size="sm" fw={600} truncate>
                    {row.code || t('common.none')}
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
                  key: 'code',
                  header: t('org.code'),
                  render: (row) => (
                    <Text ff="monospace" size="sm">
                      {row.code || t('common.none')}
                    </Text>
                  ),
                  hideOnCard: true,
                },
                { key: 'name', header: t('org.name'), render: (row) => row.name || t('common.none') },
                {
                  key: 'active',
                  header: t('common.status'),
                  render: (row) => <StatusBadge active={row.active} />,
                },
                {
                  key: 'errors',
                  header: t('import.problems'),
                  render: (row) =>
                    row.errors.length ? (
                      <List size="sm" c="red.8" spacing={2}>
                        {row.errors.map((error) => (
                          <List.Item key={error}>{rowProblem(error, t)}</List.Item>
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
              if (!csv) return;
              setProblem(null);
              commit.mutate(csv);
            }}
          >
            {t('import.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
