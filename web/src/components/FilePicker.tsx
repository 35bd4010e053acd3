/**
 * Choosing files for an upload: a real `<input type="file">` under a visible label, the chosen files with
 * name and size, and a courtesy check of type and size (the server checks the content and decides).
 */
import { ActionIcon, Box, Group, Input, Paper, Progress, Stack, Text } from '@mantine/core';
import { IconFile, IconPaperclip, IconUpload, IconX } from '@tabler/icons-react';
import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { UploadProgress } from '../api/client.ts';
import type { FileKind } from '../api/types.ts';
import i18n from '../i18n/index.ts';
import { formatBytes } from '../lib/duration.ts';

const KIND_TYPES: Record<FileKind, { extensions: string[]; mimes: string[]; label: string }> = {
  pdf: { extensions: ['.pdf'], mimes: ['application/pdf'], label: 'PDF' },
  jpeg: { extensions: ['.jpg', '.jpeg'], mimes: ['image/jpeg'], label: 'JPEG' },
  png: { extensions: ['.png'], mimes: ['image/png'], label: 'PNG' },
  zip: {
    extensions: ['.zip'],
    mimes: ['application/zip', 'application/x-zip-compressed'],
    label: 'ZIP',
  },
  targz: {
    extensions: ['.tar.gz', '.tgz'],
    mimes: ['application/gzip', 'application/x-gzip', 'application/x-compressed-tar'],
    label: 'tar.gz',
  },
  gzip: {
    extensions: ['.tar.gz', '.tgz', '.gz'],
    mimes: ['application/gzip', 'application/x-gzip', 'application/x-compressed-tar'],
    label: 'tar.gz',
  },
};

/** The server's default limits (LOKET_UPLOAD_MAX_BYTES, LOKET_ARCHIVE_MAX_BYTES). */
const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
const ARCHIVE_MAX_BYTES = 200 * 1024 * 1024;

export function defaultMaxBytes(kinds: readonly FileKind[]): number {
  return kinds.some((kind) => kind === 'zip' || kind === 'targz' || kind === 'gzip')
    ? ARCHIVE_MAX_BYTES
    : DOCUMENT_MAX_BYTES;
}

export function kindLabels(kinds: readonly FileKind[]): string {
  return [...new Set(kinds.map((kind) => KIND_TYPES[kind]?.label ?? kind))].join(', ');
}

function accept(kinds: readonly FileKind[]): string {
  return kinds
    .flatMap((kind) => [...(KIND_TYPES[kind]?.extensions ?? []), ...(KIND_TYPES[kind]?.mimes ?? [])])
    .join(',');
}

function matchesKind(file: File, kinds: readonly FileKind[]): boolean {
  const name = file.name.toLowerCase();
  return kinds.some(
    (kind) =>
      KIND_TYPES[kind].mimes.includes(file.type) ||
      KIND_TYPES[kind].extensions.some((ext) => name.endsWith(ext)),
  );
}

/** Problems with chosen files, worded for the user; empty when all is well. */
export function checkFiles(
  files: readonly File[],
  kinds: readonly FileKind[],
  max: number,
  maxBytes = defaultMaxBytes(kinds),
): string[] {
  const problems: string[] = [];
  if (files.length > max) problems.push(i18n.t('files.tooMany', { max }));
  for (const file of files) {
    if (!matchesKind(file, kinds)) {
      problems.push(i18n.t('files.typeNotAllowed', { name: file.name, kinds: kindLabels(kinds) }));
    } else if (file.size > maxBytes) {
      problems.push(
        i18n.t('files.tooLarge', {
          name: file.name,
          size: formatBytes(file.size),
          max: formatBytes(maxBytes),
        }),
      );
    }
  }
  return problems;
}

type Props = {
  label: string;
  description?: string;
  kinds: readonly FileKind[];
  /** How many files the field takes; more than one makes the input multiple. */
  max: number;
  required?: boolean;
  value: File[];
  onChange: (files: File[]) => void;
  error?: React.ReactNode;
  disabled?: boolean;
  testId?: string;
};

export function FilePicker({
  label,
  description,
  kinds,
  max,
  required,
  value,
  onChange,
  error,
  disabled,
  testId,
}: Props) {
  const { t } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const multiple = max > 1;

  const add = (list: FileList | null) => {
    const chosen = list ? Array.from(list) : [];
    if (chosen.length === 0) return;
    onChange(multiple ? [...value, ...chosen] : chosen.slice(0, 1));
    // The same file can be chosen again after it was removed.
    if (input.current) input.current.value = '';
  };

  return (
    <Input.Wrapper
      label={label}
      description={description ?? t('files.kinds', { kinds: kindLabels(kinds) })}
      required={required}
      error={error}
      data-testid={testId}
      labelProps={{ htmlFor: id }}
    >
      <Stack gap={6} mt={4}>
        <Box>
          <input
            ref={input}
            id={id}
            type="file"
            className="file-input-native"
            accept={accept(kinds)}
            multiple={multiple}
            disabled={disabled}
            aria-invalid={error ? true : undefined}
            onChange={(event) => add(event.currentTarget.files)}
          />
          <label htmlFor={id} className="file-button" data-disabled={disabled ? 'true' : undefined}>
            <IconUpload size={16} aria-hidden />
            {multiple ? t('files.chooseMany') : value.length ? t('files.replace') : t('files.choose')}
          </label>
        </Box>
        {value.map((file, index) => (
          <Paper
            key={`${file.name}-${file.size}-${file.lastModified}`}
            withBorder
            radius="md"
            px="sm"
            py={6}
            className="file-chip"
          >
            <Group gap="xs" wrap="nowrap">
              <IconFile size={18} stroke={1.6} color="var(--mantine-color-loket-7)" aria-hidden />
              <Box style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={500} truncate>
                  {file.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatBytes(file.size)}
                </Text>
              </Box>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={t('files.remove', { name: file.name })}
                disabled={disabled}
                onClick={() => onChange(value.filter((_, i) => i !== index))}
              >
                <IconX size={16} />
              </ActionIcon>
            </Group>
          </Paper>
        ))}
      </Stack>
    </Input.Wrapper>
  );
}

/** The upload's progress: a bar with the share sent, then a note while the server checks the files. */
export function UploadProgressBar({ progress }: { progress: UploadProgress | null }) {
  const { t } = useTranslation();
  if (!progress) return null;
  const percent = progress.total ? Math.min(100, Math.round((progress.loaded / progress.total) * 100)) : 0;
  return (
    <Stack gap={4} data-testid="upload-progress" aria-live="polite">
      <Group justify="space-between" gap="xs">
        <Group gap={6}>
          <IconPaperclip size={16} aria-hidden />
          <Text size="sm" fw={500}>
            {percent < 100 ? t('files.uploading', { percent }) : t('files.processing')}
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          {t('files.uploadingOf', {
            loaded: formatBytes(progress.loaded),
            total: formatBytes(progress.total),
          })}
        </Text>
      </Group>
      <Progress
        value={percent}
        animated={percent >= 100}
        striped={percent >= 100}
        aria-label={t('files.uploading', { percent })}
      />
    </Stack>
  );
}
