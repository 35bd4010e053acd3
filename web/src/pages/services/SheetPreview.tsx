/**
 * The printed SOP sheet of the definition being edited: the server's PDF of the unsaved definition
 * (`POST /api/services/:key/sheet-preview`), refreshed a moment after the last change. Where the server has
 * no such route (404/405), an HTML rendering of the sheet's table stands in, and says so.
 */
import { Alert, Badge, Box, Group, Paper, Table, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localized } from '../../components/CaseBits.tsx';
import { type Definition, servicesApi } from './api.ts';
import { formatStandardTime } from './format.ts';

type Mode = 'pdf' | 'html';

export function SheetPreview({
  definition,
  urlKey,
  valid,
}: {
  definition: Definition;
  urlKey: string;
  valid: boolean;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>('pdf');
  const [url, setUrl] = useState<string | null>(null);
  const [state, setState] = useState<'idle' | 'loading' | 'stale'>('idle');
  const last = useRef<string | null>(null);
  const text = JSON.stringify(definition);

  useEffect(() => {
    if (mode !== 'pdf' || !valid) {
      if (!valid) setState('stale');
      return;
    }
    if (last.current === text) {
      setState('idle');
      return;
    }
    setState('loading');
    const controller = new AbortController();
    const timer = setTimeout(() => {
      servicesApi
        .sheetPreview(urlKey, JSON.parse(text) as Definition, controller.signal)
        .then((blob) => {
          last.current = text;
          setUrl((old) => {
            if (old) URL.revokeObjectURL(old);
            return URL.createObjectURL(blob);
          });
          setState('idle');
        })
        .catch((error: Error & { status?: number }) => {
          if (controller.signal.aborted) return;
          if (error.status === 404 || error.status === 405) setMode('html');
          else setState('stale');
        });
    }, 1200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, urlKey, valid, mode]);

  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);

  return (
    <Paper withBorder p="sm" shadow="xs" data-testid="sheet-preview" data-mode={mode}>
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={2} fz="md">
          {t('designer.preview')}
        </Title>
        <Badge variant="light" color={state === 'idle' ? 'teal' : 'gray'} tt="none">
          {mode === 'html'
            ? t('designer.previewHtml')
            : state === 'loading'
              ? t('designer.previewLoading')
              : state === 'stale'
                ? t('designer.previewStale')
                : t('designer.previewPdf')}
        </Badge>
      </Group>
      {mode === 'pdf' ? (
        url ? (
          <Box
            component="iframe"
            src={url}
            title={t('designer.preview')}
            w="100%"
            h={{ base: 420, lg: 'calc(100vh - 260px)' }}
            style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6, minHeight: 380 }}
          />
        ) : (
          <>
            <Text size="xs" c="dimmed" mb="xs">
              {valid ? t('designer.previewLoading') : t('designer.previewNeedsValid')}
            </Text>
            <HtmlSheet definition={definition} />
          </>
        )
      ) : (
        <>
          <Alert variant="light" icon={<IconInfoCircle size={16} />} p="xs" mb="xs">
            <Text size="xs">{t('designer.previewHtmlNote')}</Text>
          </Alert>
          <HtmlSheet definition={definition} />
        </>
      )}
    </Paper>
  );
}

/** The sheet's table as HTML: number, activity, one column per lane with the acting lane marked, time, output. */
export function HtmlSheet({ definition }: { definition: Definition }) {
  const { t } = useTranslation();
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Text fw={700} size="sm" ta="center">
        {t('designer.sheetHeading')}
      </Text>
      <Text fw={700} size="sm" ta="center" mb="xs">
        {localized(definition.title) || t('designer.untitledService')}
      </Text>
      <Table withTableBorder withColumnBorders fz="xs" verticalSpacing={4} horizontalSpacing={6} miw={420}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('sopTimes.colNo')}</Table.Th>
            <Table.Th miw={180}>{t('sopTimes.colActivity')}</Table.Th>
            {definition.lanes.map((lane) => (
              <Table.Th key={lane.key} ta="center">
                {localized(lane.title) || lane.key}
              </Table.Th>
            ))}
            <Table.Th>{t('sopTimes.colTime')}</Table.Th>
            <Table.Th>{t('sopTimes.outputs')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {definition.steps.map((step, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a display of the steps in order; keys may repeat while typed
            <Table.Tr key={`${step.key}-${i}`}>
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td>{localized(step.title) || step.key}</Table.Td>
              {definition.lanes.map((lane) => (
                <Table.Td
                  key={lane.key}
                  ta="center"
                  aria-label={lane.key === step.lane ? lane.key : undefined}
                >
                  {lane.key === step.lane ? (step.block === 'decision' ? '◇' : '▭') : ''}
                </Table.Td>
              ))}
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatStandardTime(step.standardTime)}</Table.Td>
              <Table.Td>{(step.outputs ?? []).join(', ')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
