/**
 * The SOP as a Mermaid flowchart: its steps in their swimlanes, the two decisions of the website SOP
 * ("Disetujui?", "Website sudah ada?") as diamonds, done steps and the taken branches marked, and the
 * current step highlighted. Pure: the same case gives the same text, so it is easy to test and to cache.
 */
import type { CaseDetail, Lane, Service, StepDef } from '../api/types.ts';

export type ChartLabels = {
  lanes: Record<Lane, string>;
  approved: string;
  exists: string;
  yes: string;
  no: string;
  update: string;
  create: string;
  letterYes: string;
  letterNo: string;
  endRejected: string;
  endDone: string;
  accTitle: string;
  accDescr: string;
  /** A step's title in the interface language. */
  title: (step: StepDef) => string;
  /** A step's standard time in words ("25 mnt"). */
  standard: (step: StepDef) => string;
};

type NodeState = 'done' | 'current' | 'todo' | 'rejected';
type NodeShape = 'step' | 'decision' | 'letter' | 'end';
type ChartNode = { id: string; lane: Lane | null; label: string; sub?: string; shape: NodeShape };
type ChartEdge = { from: string; to: string; label?: string; dashed?: boolean; branch?: () => boolean };

/**
 * Which way the "Website sudah ada?" decision went, from the start step's outputs (kept per action:
 * `{ start_work: { path: 'update' | 'create', … } }`); null before the work started.
 */
function recordedWebsiteExists(detail: CaseDetail): boolean | null {
  const record = detail.steps.filter((step) => step.key === 'mulai').at(-1);
  for (const output of Object.values(record?.outputs ?? {})) {
    if (!output || typeof output !== 'object') continue;
    const values = output as Record<string, unknown>;
    if (typeof values.websiteExists === 'boolean') return values.websiteExists;
    if (values.path === 'update' || values.path === 'create') return values.path === 'update';
  }
  return null;
}

/** Mermaid ids: letters, digits and underscores only. */
const nodeId = (key: string) => `s_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;

/**
 * Characters written as Mermaid entity codes inside labels: `"` would end the label, `<` `>` would be
 * markup, `#` would start an entity of its own (`#quot;` in a title), a leading backtick opens a Markdown
 * string that never closes, and `%` could spell a `%%{init: …}%%` directive, which Mermaid applies
 * wherever it stands.
 */
const ENTITIES: Record<string, string> = {
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '#': '#35;',
  '`': '#96;',
  '%': '#37;',
};

/**
 * Text inside `["…"]` (and after `accTitle:`): one line, the characters above as entity codes, never
 * markup. An empty label breaks some shapes (`[/""/]`), so a no-break space stands in for it.
 */
function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return '#160;';
  return line.replace(/["<>#`%]/g, (char) => ENTITIES[char] ?? char);
}

function shapeOf(node: ChartNode, label: string): string {
  switch (node.shape) {
    case 'decision':
      return `{"${label}"}`;
    case 'end':
      return `(["${label}"])`;
    case 'letter':
      return `[/"${label}"/]`;
    default:
      return `["${label}"]`;
  }
}

const CLASS_DEFS = [
  'classDef todo fill:#ffffff,stroke:#adb5bd,color:#343a40',
  'classDef done fill:#e6f6ec,stroke:#2f9e44,color:#1b4d2b',
  'classDef current fill:#fff4d6,stroke:#e8590c,stroke-width:3px,color:#5c2d00',
  'classDef rejected fill:#ffe3e3,stroke:#c92a2a,stroke-width:2px,color:#7d1a1a',
];

const LANE_STYLES: Record<Lane, string> = {
  opd: 'fill:#f8f0fc,stroke:#d0bfff,color:#5f3dc4',
  umum: 'fill:#e3fafc,stroke:#99e9f2,color:#0b7285',
  kepala: 'fill:#edf2ff,stroke:#bac8ff,color:#364fc7',
  aptika: 'fill:#eaf2fb,stroke:#a7c5e8,color:#13549b',
};

/**
 * How the lanes are drawn: `swimlane` (Mermaid's swimlane layout: the lanes as columns, like the SOP
 * sheet) or `flowchart` (lanes as boxes; the fallback if the newer layout cannot draw the chart).
 */
export type ChartLayout = 'swimlane' | 'flowchart';

/** The Mermaid source of the case's SOP. */
export function buildSopChart(
  service: Service,
  detail: CaseDetail,
  labels: ChartLabels,
  layout: ChartLayout = 'swimlane',
): string {
  const steps = [...service.steps].sort((a, b) => a.no - b.no);
  const has = (key: string) => steps.some((step) => step.key === key);
  const withDecisions = has('keputusan') && has('mulai');

  const decision = detail.decision?.decision ?? detail.pendingDecision ?? null;
  const letterSent = Boolean(detail.followUpLetter);
  const closed = detail.status === 'done' || detail.status === 'rejected';
  const websiteExists = recordedWebsiteExists(detail) ?? detail.kind === 'update';

  // States of the SOP's own steps, from the timeline.
  const state = new Map<string, NodeState>();
  for (const record of detail.steps) if (record.endedAt) state.set(nodeId(record.key), 'done');
  if (!closed) state.set(nodeId(detail.step.key), 'current');
  if (detail.status === 'done') for (const step of steps) state.set(nodeId(step.key), 'done');

  const nodes: ChartNode[] = [];
  const edges: ChartEdge[] = [];
  const stepNode = (step: StepDef): ChartNode => ({
    id: nodeId(step.key),
    lane: step.lane,
    label: `${step.no}. ${labels.title(step)}`,
    sub: labels.standard(step),
    shape: 'step',
  });

  for (const [index, step] of steps.entries()) {
    nodes.push(stepNode(step));
    const next = steps[index + 1];
    if (withDecisions && step.key === 'keputusan') continue;
    if (next) edges.push({ from: nodeId(step.key), to: nodeId(next.key) });
  }

  if (withDecisions) {
    const atDecision = detail.step.key === 'keputusan';
    nodes.push(
      { id: 'd_approved', lane: 'aptika', label: labels.approved, shape: 'decision' },
      { id: 'tl_yes', lane: 'umum', label: labels.letterYes, shape: 'letter' },
      { id: 'tl_no', lane: 'umum', label: labels.letterNo, shape: 'letter' },
      { id: 'd_exists', lane: 'aptika', label: labels.exists, shape: 'decision' },
      { id: 'end_rejected', lane: 'umum', label: labels.endRejected, shape: 'end' },
    );
    edges.push(
      { from: nodeId('keputusan'), to: 'd_approved' },
      { from: 'd_approved', to: 'tl_yes', label: labels.yes, branch: () => decision === 'approve' },
      {
        from: 'd_approved',
        to: 'tl_no',
        label: labels.no,
        branch: () => decision !== null && decision !== 'approve',
      },
      { from: 'tl_no', to: 'end_rejected', branch: () => decision === 'reject' },
      { from: 'tl_yes', to: 'd_exists' },
      { from: 'd_exists', to: nodeId('mulai'), label: labels.update, branch: () => websiteExists },
      { from: 'd_exists', to: nodeId('mulai'), label: labels.create, branch: () => !websiteExists },
    );
    // The decision is taken once there is one; its letter is current until Bagian Umum sends it. A case
    // sent back for revision and resubmitted is before the decision again.
    const decisionNo = steps.find((step) => step.key === 'keputusan')?.no ?? 0;
    const pastDecision = closed || detail.status === 'revision' || detail.step.no >= decisionNo;
    if (decision && pastDecision) {
      state.set('d_approved', 'done');
      state.set(nodeId('keputusan'), 'done');
      const letter = decision === 'approve' ? 'tl_yes' : 'tl_no';
      state.set(letter, letterSent || !atDecision ? 'done' : 'current');
    }
    if (state.get(nodeId('mulai')) === 'done' || state.get(nodeId('mulai')) === 'current') {
      if (state.get(nodeId('mulai')) === 'done') state.set('d_exists', 'done');
      state.set('d_approved', 'done');
      state.set('tl_yes', 'done');
      state.set(nodeId('keputusan'), 'done');
    }
    if (detail.status === 'rejected') state.set('end_rejected', 'rejected');
    // Returned for revision: the OPD has the next move.
    if (detail.status === 'revision' && steps[0]) state.set(nodeId(steps[0].key), 'current');
  }

  const last = steps.at(-1);
  nodes.push({ id: 'end_done', lane: last?.lane ?? null, label: labels.endDone, shape: 'end' });
  if (last) edges.push({ from: nodeId(last.key), to: 'end_done' });
  if (detail.status === 'done') state.set('end_done', 'done');

  const lines: string[] = [layout === 'swimlane' ? 'swimlane-beta TD' : 'flowchart TD'];
  lines.push(`accTitle: ${quote(labels.accTitle)}`, `accDescr: ${quote(labels.accDescr)}`);

  // Lanes as subgraphs, in the order the SOP first uses them.
  const lanes: Lane[] = [];
  for (const node of nodes) if (node.lane && !lanes.includes(node.lane)) lanes.push(node.lane);
  const render = (node: ChartNode) => {
    const mark = state.get(node.id) === 'done' && node.shape !== 'end' ? '✓ ' : '';
    const sub = node.sub ? `<br/><small>${quote(node.sub)}</small>` : '';
    return `${node.id}${shapeOf(node, `${mark}${quote(node.label)}${sub}`)}`;
  };
  for (const lane of lanes) {
    lines.push(`subgraph lane_${lane}["${quote(labels.lanes[lane])}"]`, 'direction TB');
    for (const node of nodes.filter((n) => n.lane === lane)) lines.push(render(node));
    lines.push('end');
  }
  for (const node of nodes.filter((n) => n.lane === null)) lines.push(render(node));

  const taken: number[] = [];
  edges.forEach((edge, index) => {
    const arrow = edge.dashed ? '-.->' : '-->';
    const label = edge.label ? `|"${quote(edge.label)}"|` : '';
    lines.push(`${edge.from} ${arrow}${label} ${edge.to}`);
    const fromDone = state.get(edge.from) === 'done';
    const toState = state.get(edge.to);
    if (fromDone && toState && toState !== 'todo' && (edge.branch?.() ?? true)) taken.push(index);
  });

  lines.push(...CLASS_DEFS);
  for (const node of nodes) lines.push(`class ${node.id} ${state.get(node.id) ?? 'todo'}`);
  for (const lane of lanes) lines.push(`style lane_${lane} ${LANE_STYLES[lane]}`);
  if (taken.length) lines.push(`linkStyle ${taken.join(',')} stroke:#2f9e44,stroke-width:3px`);
  return lines.join('\n');
}
