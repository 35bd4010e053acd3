/**
 * The SOP as a Mermaid flowchart, drawn from the served definition only (GET /api/services): its steps
 * in their swimlanes (any number of lanes), its diamonds — a decision step's outcomes and a step's
 * branch — with the way each outcome leads (a step, an end, back to the requester for revision), done
 * steps and the taken ways marked, and the current step highlighted. Nothing here knows a particular
 * SOP. Pure: the same case gives the same text, so it is easy to test and to cache.
 */
import type { CaseDetail, LocalizedText, StandardTime } from '../api/types.ts';

/** A step as the chart needs it (the catalogue's step). */
export type ChartStep = {
  key: string;
  no: number;
  title: LocalizedText;
  lane: string;
  standardTime: StandardTime;
  /** Where the step leads when done, if not to the following step. */
  next?: string | null;
};

/** A diamond as the catalogue serves it: a decision step's outcomes, or a branch after a step. */
export type ChartDiamond = {
  step: string;
  question: LocalizedText;
  no?: number;
  /** A branch's field (when served): the completing action's output that picks the way. */
  field?: string;
  outcomes: readonly {
    key: string;
    label: LocalizedText;
    /** The step it leads to (or resumes at, for a revision); null when it ends the case. */
    to: string | null;
    end?: 'rejected' | 'done';
    revise?: boolean;
  }[];
};

export type ChartService = {
  steps: readonly ChartStep[];
  lanes?: readonly { key: string; title: LocalizedText }[];
  diamonds?: readonly ChartDiamond[];
};

/** The case as the chart reads it. */
export type ChartCase = Pick<CaseDetail, 'status' | 'step' | 'steps' | 'pendingDecision' | 'decision'>;

export type ChartLabels = {
  /** A lane's name: the served lane's title, in the interface language. */
  lane: (key: string) => string;
  /** Served text (a diamond's question, an outcome's label) in the interface language. */
  text: (text: LocalizedText) => string;
  endRejected: string;
  endDone: string;
  /** The label of a way back to the requester for revision. */
  revise: string;
  accTitle: string;
  accDescr: string;
  /** A step's title in the interface language. */
  title: (step: ChartStep) => string;
  /** A step's standard time in words ("25 mnt"). */
  standard: (step: ChartStep) => string;
};

type NodeState = 'done' | 'current' | 'todo' | 'rejected';
type NodeShape = 'step' | 'decision' | 'end';
type ChartNode = { id: string; lane: string | null; label: string; sub?: string; shape: NodeShape };
type ChartEdge = { from: string; to: string; label?: string; dashed?: boolean; branch?: () => boolean };

/** Mermaid ids: letters, digits and underscores only. */
const nodeId = (key: string) => `s_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
const diamondId = (key: string) => `d_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
const laneId = (key: string) => `lane_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;

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
 * markup. An empty label breaks some shapes, so a no-break space stands in for it.
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

/** Lane colours, in the order the lanes are drawn (repeating past the last). */
const LANE_STYLES = [
  'fill:#f8f0fc,stroke:#d0bfff,color:#5f3dc4',
  'fill:#e3fafc,stroke:#99e9f2,color:#0b7285',
  'fill:#edf2ff,stroke:#bac8ff,color:#364fc7',
  'fill:#eaf2fb,stroke:#a7c5e8,color:#13549b',
  'fill:#fff9db,stroke:#ffe066,color:#8f5a00',
  'fill:#ebfbee,stroke:#b2f2bb,color:#2b8a3e',
];

/**
 * Which outcome of a diamond the case took, from the latest record of the diamond's step: its
 * recorded outputs (per action) hold the deciding value — the branch's field when the diamond names
 * it, else the one value that is an outcome's key; then the case's decision (taken or pending), when
 * it is one of this diamond's outcomes. Null when the case has not passed the diamond.
 */
function takenOutcome(diamond: ChartDiamond, detail: ChartCase): string | null {
  const record = detail.steps.filter((step) => step.key === diamond.step).at(-1);
  if (!record) return null;
  const keys = new Set(diamond.outcomes.map((outcome) => outcome.key));
  for (const output of Object.values(record.outputs ?? {})) {
    if (!output || typeof output !== 'object') continue;
    const values = output as Record<string, unknown>;
    const candidates = diamond.field ? [values[diamond.field]] : Object.values(values);
    for (const value of candidates) {
      if ((typeof value === 'string' || typeof value === 'boolean') && keys.has(String(value))) {
        return String(value);
      }
    }
  }
  const decided = detail.decision?.decision ?? detail.pendingDecision ?? null;
  return decided !== null && keys.has(decided) ? decided : null;
}

/**
 * How the lanes are drawn: `swimlane` (Mermaid's swimlane layout: the lanes as columns, like the SOP
 * sheet) or `flowchart` (lanes as boxes; the fallback if the newer layout cannot draw the chart).
 */
export type ChartLayout = 'swimlane' | 'flowchart';

/** The Mermaid source of the case's SOP. */
export function buildSopChart(
  service: ChartService,
  detail: ChartCase,
  labels: ChartLabels,
  layout: ChartLayout = 'swimlane',
): string {
  const steps = [...service.steps].sort((a, b) => a.no - b.no);
  const known = new Set(steps.map((step) => step.key));
  const diamonds = new Map<string, ChartDiamond>();
  for (const diamond of service.diamonds ?? [])
    if (known.has(diamond.step)) diamonds.set(diamond.step, diamond);
  const closed = detail.status === 'done' || detail.status === 'rejected';
  const first = steps[0];

  // States of the SOP's own steps, from the timeline.
  const state = new Map<string, NodeState>();
  for (const record of detail.steps) if (record.endedAt) state.set(nodeId(record.key), 'done');
  if (detail.status === 'done') for (const step of steps) state.set(nodeId(step.key), 'done');
  // Returned for revision, the requester has the next move; otherwise the case's step is current.
  if (detail.status === 'revision' && first) state.set(nodeId(first.key), 'current');
  else if (!closed) state.set(nodeId(detail.step.key), 'current');

  const nodes: ChartNode[] = [];
  const edges: ChartEdge[] = [];
  let endRejected = false;
  let endDone = false;
  const target = (outcome: ChartDiamond['outcomes'][number]): string | null => {
    if (outcome.revise) return first ? nodeId(first.key) : null;
    if (outcome.to && known.has(outcome.to)) return nodeId(outcome.to);
    if (outcome.end === 'rejected') {
      endRejected = true;
      return 'end_rejected';
    }
    endDone = true;
    return 'end_done';
  };

  const diamondEdges: ChartEdge[] = [];
  for (const [index, step] of steps.entries()) {
    nodes.push({
      id: nodeId(step.key),
      lane: step.lane,
      label: `${step.no}. ${labels.title(step)}`,
      sub: labels.standard(step),
      shape: 'step',
    });
    const diamond = diamonds.get(step.key);
    if (diamond) {
      const id = diamondId(step.key);
      nodes.push({ id, lane: step.lane, label: labels.text(diamond.question), shape: 'decision' });
      diamondEdges.push({ from: nodeId(step.key), to: id });
      const taken = takenOutcome(diamond, detail);
      const stepState = state.get(nodeId(step.key));
      // The diamond is passed once its step is done; a decision taken at the current step shows its way.
      if (taken !== null && (stepState === 'done' || stepState === 'current')) {
        state.set(id, stepState === 'done' || detail.pendingDecision === taken ? 'done' : 'todo');
      }
      for (const outcome of diamond.outcomes) {
        const to = target(outcome);
        if (!to) continue;
        const label = labels.text(outcome.label);
        diamondEdges.push({
          from: id,
          to,
          label: outcome.revise ? `${label} (${labels.revise})` : label,
          dashed: Boolean(outcome.revise),
          branch: () => taken === outcome.key,
        });
        if (outcome.end === 'rejected' && detail.status === 'rejected' && taken === outcome.key) {
          state.set('end_rejected', 'rejected');
        }
      }
      continue;
    }
    const nextKey = step.next && known.has(step.next) ? step.next : steps[index + 1]?.key;
    if (nextKey) edges.push({ from: nodeId(step.key), to: nodeId(nextKey) });
    else {
      endDone = true;
      edges.push({ from: nodeId(step.key), to: 'end_done' });
    }
  }
  edges.push(...diamondEdges);

  const last = steps.at(-1);
  if (endRejected) {
    const lane = [...diamonds.values()].find((d) => d.outcomes.some((o) => o.end === 'rejected'))?.step;
    nodes.push({
      id: 'end_rejected',
      lane: steps.find((step) => step.key === lane)?.lane ?? null,
      label: labels.endRejected,
      shape: 'end',
    });
  }
  if (endDone || !last)
    nodes.push({ id: 'end_done', lane: last?.lane ?? null, label: labels.endDone, shape: 'end' });
  if (detail.status === 'done') state.set('end_done', 'done');

  const lines: string[] = [layout === 'swimlane' ? 'swimlane-beta TD' : 'flowchart TD'];
  lines.push(`accTitle: ${quote(labels.accTitle)}`, `accDescr: ${quote(labels.accDescr)}`);

  // Lanes as subgraphs: in the served order, those the SOP uses (then any other a step names).
  const used = new Set(nodes.map((node) => node.lane).filter((lane): lane is string => lane !== null));
  const lanes = (service.lanes ?? []).map((lane) => lane.key).filter((key) => used.has(key));
  for (const node of nodes) if (node.lane && !lanes.includes(node.lane)) lanes.push(node.lane);
  const render = (node: ChartNode) => {
    const mark = state.get(node.id) === 'done' && node.shape !== 'end' ? '✓ ' : '';
    const sub = node.sub ? `<br/><small>${quote(node.sub)}</small>` : '';
    return `${node.id}${shapeOf(node, `${mark}${quote(node.label)}${sub}`)}`;
  };
  for (const lane of lanes) {
    lines.push(`subgraph ${laneId(lane)}["${quote(labels.lane(lane))}"]`, 'direction TB');
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
  lanes.forEach((lane, index) => {
    lines.push(`style ${laneId(lane)} ${LANE_STYLES[index % LANE_STYLES.length]}`);
  });
  if (taken.length) lines.push(`linkStyle ${taken.join(',')} stroke:#2f9e44,stroke-width:3px`);
  return lines.join('\n');
}
