/**
 * The case's SOP drawn by Mermaid (loaded on demand: it is large and only this page needs it), with the
 * current step highlighted. `securityLevel: 'strict'` keeps labels as text; nothing here needs eval, so the
 * page's CSP (`script-src 'self'`) holds.
 */
import { Alert, Box, Group, Loader, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../api/types.ts';
import { formatStandardTime } from '../lib/duration.ts';
import { buildSopChart, type ChartLabels, type ChartService } from '../lib/sopChart.ts';
import { localized } from './CaseBits.tsx';

type MermaidApi = typeof import('mermaid').default;

let mermaidReady: Promise<MermaidApi> | null = null;

function loadMermaid(): Promise<MermaidApi> {
  mermaidReady ??= import('mermaid').then(({ default: mermaid }) => {
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      suppressErrorRendering: true,
      theme: 'base',
      fontFamily:
        'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif',
      themeVariables: {
        fontSize: '14px',
        primaryColor: '#ffffff',
        primaryBorderColor: '#adb5bd',
        primaryTextColor: '#343a40',
        lineColor: '#868e96',
        clusterBkg: '#f8f9fa',
        clusterBorder: '#dee2e6',
        edgeLabelBackground: '#ffffff',
      },
      flowchart: {
        htmlLabels: true,
        curve: 'basis',
        nodeSpacing: 28,
        rankSpacing: 36,
        padding: 10,
        wrappingWidth: 190,
        useMaxWidth: true,
      },
    });
    return mermaid;
  });
  return mermaidReady;
}

function LegendSwatch({ fill, stroke, label }: { fill: string; stroke: string; label: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Box w={16} h={12} style={{ background: fill, border: `2px solid ${stroke}`, borderRadius: 3 }} />
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}

/** Scrolls the chart box (not the page) so that the highlighted step is in the middle. */
function revealCurrent(box: HTMLElement | null): void {
  if (!box || box.scrollWidth <= box.clientWidth) return;
  const node = box.querySelector('.node.current, g.current');
  if (!node) return;
  const boxRect = box.getBoundingClientRect();
  const nodeRect = node.getBoundingClientRect();
  box.scrollLeft += nodeRect.left + nodeRect.width / 2 - (boxRect.left + boxRect.width / 2);
}

export function SopFlowchart({
  service,
  detail,
}: {
  service: ChartService & { title: { id: string; en: string } };
  detail: CaseDetail;
}) {
  const { t, i18n } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const renderId = `sop-${useId().replace(/[^A-Za-z0-9]/g, '')}`;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the chart is rebuilt when the language changes
  const labels = useMemo(
    (): ChartLabels => ({
      lane: (key) => {
        const lane = service.lanes?.find((l) => l.key === key);
        if (lane) return localized(lane.title);
        return i18n.exists(`case.lanes.${key}`) ? (t as (k: string) => string)(`case.lanes.${key}`) : key;
      },
      text: (text) => localized(text),
      revise: t('case.flowRevise'),
      endRejected: t('case.flowEndRejected'),
      endDone: t('case.flowEndDone'),
      accTitle: localized(service.title),
      accDescr: t('case.flowDiagramLabel', { step: `${detail.step.no}. ${localized(detail.step.title)}` }),
      title: (step) => localized(step.title),
      standard: (step) => formatStandardTime(step.standardTime),
    }),
    [service, detail, i18n.language],
  );

  useEffect(() => {
    let cancelled = false;
    setState('loading');
    loadMermaid()
      .then(async (mermaid) => {
        // The swimlane layout is newer (beta): should it fail on this chart, lanes are drawn as boxes.
        try {
          return await mermaid.render(renderId, buildSopChart(service, detail, labels, 'swimlane'));
        } catch (error) {
          console.warn('Mermaid swimlane layout failed; drawing a flowchart', error);
          return await mermaid.render(`${renderId}f`, buildSopChart(service, detail, labels, 'flowchart'));
        }
      })
      .then(({ svg }) => {
        if (cancelled || !container.current) return;
        // Mermaid's own output, sanitised by it (securityLevel 'strict'). Its `bindFunctions` is left out
        // on purpose: the chart has no clicks or tooltips, and its hover handlers need d3-transition,
        // which the bundle does not carry ("t.transition is not a function" on every mouse-out).
        container.current.innerHTML = svg;
        setState('ready');
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        console.error('Mermaid could not draw the SOP', error);
        setState('failed');
      });
    return () => {
      cancelled = true;
    };
  }, [service, detail, labels, renderId]);

  // On a narrow screen the chart scrolls sideways: once it shows, bring the current step into view.
  useEffect(() => {
    if (state === 'ready') revealCurrent(container.current);
  }, [state]);

  return (
    <Box>
      <Group gap="md" mb="sm" wrap="wrap">
        <LegendSwatch fill="#fff4d6" stroke="#e8590c" label={t('case.legendCurrent')} />
        <LegendSwatch fill="#e6f6ec" stroke="#2f9e44" label={t('case.legendDone')} />
        <LegendSwatch fill="#ffffff" stroke="#adb5bd" label={t('case.legendTodo')} />
      </Group>
      {state === 'failed' ? (
        <Alert color="orange" icon={<IconAlertTriangle size={18} />}>
          {t('case.flowFailed')}
        </Alert>
      ) : null}
      {state === 'loading' ? (
        <Group gap="xs" py="lg" justify="center">
          <Loader size="sm" />
          <Text size="sm" c="dimmed">
            {t('case.flowLoading')}
          </Text>
        </Group>
      ) : null}
      <div
        ref={container}
        className="sop-chart"
        data-testid="sop-flowchart"
        data-current-step={detail.step.key}
        hidden={state !== 'ready'}
      />
    </Box>
  );
}
