import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseDetail, StandardTime, StepRecord } from '../api/types.ts';
import id from '../i18n/id.ts';
import {
  buildSopChart,
  type ChartDiamond,
  type ChartLabels,
  type ChartService,
  type ChartStep,
} from './sopChart.ts';

type StepDef = ChartStep;

// The website SOP as GET /api/services returns it (docs/api.md, "Cases"; docs/sop.md).
const STEP_ROWS: [key: string, lane: string, standard: StandardTime, id: string, en: string][] = [
  [
    'permohonan',
    'opd',
    { minutes: 2 },
    'Surat permohonan pembuatan/update website dari OPD',
    'Request letter',
  ],
  [
    'registrasi',
    'umum',
    { minutes: 3 },
    'Scanning surat, mengagendakan surat, melengkapi lembar disposisi',
    'Register',
  ],
  ['disposisi', 'kepala', { minutes: 2 }, 'Disposisi Kepala DKISP ke Bidang Aplikasi Informatika', 'Dispose'],
  ['pengkajian', 'aptika', { minutes: 25 }, 'Kabid Aplikasi Informatika melakukan pengkajian', 'Review'],
  [
    'keputusan',
    'aptika',
    { minutes: 30 },
    'Permintaan pembuatan/update website disetujui atau tidak',
    'Decision',
  ],
  ['mulai', 'aptika', { minutes: 15 }, 'Pembuatan/update website', 'Start of the work'],
  ['analisis', 'aptika', { workingDays: 3 }, 'Analisa kebutuhan informasi', 'Analysis'],
  ['pembuatan', 'aptika', { workingDays: 7 }, 'Pembuatan website', 'Building the website'],
  ['instalasi', 'aptika', { minutes: 90 }, 'Instalasi website pada server', 'Installing'],
  ['laporan', 'aptika', { minutes: 2 }, 'Melaporkan pelaksanaan pembuatan/update website', 'Reporting'],
  ['selesai', 'aptika', { minutes: 2 }, 'Pekerjaan selesai', 'Work completed'],
];

const STEPS: StepDef[] = STEP_ROWS.map(([key, lane, standardTime, titleId, titleEn], index) => ({
  key,
  no: index + 1,
  title: { id: titleId, en: titleEn },
  lane,
  standardTime,
}));

const LANES = [
  { key: 'opd', title: { id: 'OPD', en: 'Agency' } },
  { key: 'umum', title: { id: 'Bagian Umum', en: 'General Affairs' } },
  { key: 'kepala', title: { id: 'Kepala DKISP', en: 'Head of DKISP' } },
  { key: 'aptika', title: { id: 'Bidang Aplikasi Informatika', en: 'Informatics Applications Division' } },
];

/** The website SOP's diamonds as the catalogue serves them (compiled from its definition). */
const DIAMONDS: ChartDiamond[] = [
  {
    step: 'keputusan',
    no: 1,
    question: { id: 'Disetujui?', en: 'Approved?' },
    outcomes: [
      { key: 'approve', label: { id: 'Disetujui', en: 'Approved' }, to: 'mulai' },
      { key: 'reject', label: { id: 'Ditolak', en: 'Rejected' }, to: null, end: 'rejected' },
      { key: 'return', label: { id: 'Dikembalikan', en: 'Returned' }, to: 'pengkajian', revise: true },
    ],
  },
  {
    step: 'mulai',
    no: 2,
    question: { id: 'Website sudah ada?', en: 'Website exists already?' },
    outcomes: [
      { key: 'true', label: { id: 'Ya: pembaruan', en: 'Yes: update' }, to: 'analisis' },
      { key: 'false', label: { id: 'Tidak: pembuatan', en: 'No: create' }, to: 'analisis' },
    ],
  },
];

// The website SOP as GET /api/services returns it (docs/api.md, "Cases"; docs/sop.md).
const service = (steps: StepDef[] = STEPS, diamonds: ChartDiamond[] = DIAMONDS): ChartService => ({
  steps,
  lanes: LANES,
  diamonds,
});

const person = { id: 'u1', username: 'kabid', fullName: 'Kabid Aptika' };

/**
 * The timeline of a case that has ended the steps up to `endedThrough` and (unless it stopped there) is
 * running the next one. `outputs` are the recorded action outputs per step key.
 */
function timeline(
  endedThrough: number,
  outputs: Record<string, Record<string, unknown>> = {},
  running = true,
  steps: StepDef[] = STEPS,
): StepRecord[] {
  return steps
    .filter((step) => step.no <= endedThrough + (running ? 1 : 0))
    .map((step) => ({
      id: `r${step.no}`,
      key: step.key,
      no: step.no,
      title: step.title,
      lane: step.lane,
      startedAt: '2026-11-23T02:00:00Z',
      dueAt: '2026-11-23T03:00:00Z',
      endedAt: step.no <= endedThrough ? '2026-11-23T02:30:00Z' : null,
      actor: null,
      decidedBy: null,
      decidedAt: null,
      standardTime: step.standardTime,
      standardSeconds: 30 * 60,
      actualSeconds: 20 * 60,
      late: false,
      outputs: outputs[step.key] ?? {},
    })) as StepRecord[];
}

function stepAt(no: number, steps: StepDef[] = STEPS): CaseDetail['step'] {
  const step = steps[no - 1];
  if (!step) throw new Error(`no step ${no}`);
  return { key: step.key, no: step.no, title: step.title };
}

type ChartCase = Parameters<typeof buildSopChart>[1];

function caseDetail(overrides: Partial<ChartCase> = {}): ChartCase {
  return {
    status: 'active',
    step: stepAt(4),
    pendingDecision: null,
    decision: null,
    steps: timeline(3),
    ...overrides,
  };
}

const LANE_NAMES: Record<string, string> = Object.fromEntries(LANES.map((lane) => [lane.key, lane.title.id]));

const labels = (overrides: Partial<ChartLabels> = {}): ChartLabels => ({
  lane: (key) => LANE_NAMES[key] ?? key,
  text: (text) => text.id,
  endRejected: id.case.flowEndRejected,
  endDone: id.case.flowEndDone,
  revise: id.case.flowRevise,
  accTitle: 'Layanan Pembuatan/Update Website',
  accDescr: 'Diagram alur SOP; tahap saat ini: 4. Pengkajian',
  title: (step) => step.title.id,
  standard: (step) => ('minutes' in step.standardTime ? `${step.standardTime.minutes} mnt` : 'hari kerja'),
  ...overrides,
});

const approved = { decision: 'approve', reason: null, at: '2026-11-23T03:00:00Z', by: person } as const;

// ---------- reading the chart back ----------

const lines = (chart: string) => chart.split('\n');

/** `class <id> <state>` lines as a map. */
function states(chart: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines(chart)) {
    const match = /^class (\S+) (\S+)$/.exec(line);
    if (match?.[1] && match[2]) map.set(match[1], match[2]);
  }
  return map;
}

const EDGE = /^(\S+) -(?:->|\.->)(?:\|"([^"]*)"\|)? (\S+)$/;

/** The edges, as `from>to` or `from>to:label`, in the order Mermaid numbers them. */
function edges(chart: string): string[] {
  return lines(chart).flatMap((line) => {
    const match = EDGE.exec(line);
    return match ? [`${match[1]}>${match[3]}${match[2] ? `:${match[2]}` : ''}`] : [];
  });
}

/** The edges `linkStyle` marks as taken. */
function taken(chart: string): string[] {
  const all = edges(chart);
  const line = lines(chart).find((l) => l.startsWith('linkStyle '));
  if (!line) return [];
  return (line.split(' ')[1] ?? '').split(',').map((index) => all[Number(index)] ?? `?${index}`);
}

/** The node line of an id. */
function node(chart: string, nodeId: string): string {
  const line = lines(chart).find(
    (l) => l.startsWith(`${nodeId}[`) || l.startsWith(`${nodeId}{`) || l.startsWith(`${nodeId}(`),
  );
  if (!line) throw new Error(`no node ${nodeId}`);
  return line;
}

/** Mermaid entity codes back to text (what the reader sees). */
function decode(text: string): string {
  const named: Record<string, string> = { quot: '"', lt: '<', gt: '>', amp: '&' };
  return text.replace(/#(\w+);/g, (whole, code: string) =>
    /^\d+$/.test(code) ? String.fromCodePoint(Number(code)) : (named[code] ?? whole),
  );
}

/**
 * Every line is one of the statements the chart is made of, and every label is one `"…"` string: an
 * unescaped quote, bracket or newline from a title would show up here as a line that does not match.
 */
const LABEL = '"[^"\\n`%]*"';
const STATEMENTS = [
  /^(swimlane-beta|flowchart) TD$/,
  /^acc(Title|Descr): [^\n%<>"`]*$/,
  new RegExp(`^subgraph lane_[A-Za-z0-9_]+\\[${LABEL}\\]$`),
  /^direction TB$/,
  /^end$/,
  new RegExp(`^[A-Za-z0-9_]+(\\[${LABEL}\\]|\\{${LABEL}\\}|\\(\\[${LABEL}\\]\\)|\\[/${LABEL}/\\])$`),
  new RegExp(`^[A-Za-z0-9_]+ -(->|\\.->)(\\|${LABEL}\\|)? [A-Za-z0-9_]+$`),
  /^classDef (todo|done|current|rejected) [a-z:#0-9,-]+$/,
  /^class [A-Za-z0-9_]+ (todo|done|current|rejected)$/,
  /^style lane_[A-Za-z0-9_]+ [a-z:#0-9,-]+$/,
  /^linkStyle \d+(,\d+)* stroke:#2f9e44,stroke-width:3px$/,
];

function assertWellFormed(chart: string): void {
  for (const line of lines(chart)) {
    if (!STATEMENTS.some((statement) => statement.test(line))) throw new Error(`unexpected line: ${line}`);
    const texts = [...line.matchAll(/"([^"]*)"/g)].map((match) => match[1] ?? '');
    if (/^acc(Title|Descr): /.test(line)) texts.push(line.slice(line.indexOf(':') + 2));
    for (const text of texts) {
      // Inside labels, only the chart's own line break and small print are markup, and a # is always
      // the start of an entity code.
      if (!text) throw new Error(`empty label in: ${line}`);
      if (/[<>]/.test(text.replace('<br/><small>', '').replace(/<\/small>$/, ''))) {
        throw new Error(`markup in: ${line}`);
      }
      if (/#(?!\w+;)/.test(text)) throw new Error(`bare # in: ${line}`);
    }
  }
}

/** The text of a node's label as the reader sees it, without the ✓ of a done node and the small print. */
function labelText(chart: string, nodeId: string): string {
  let label = /"([^"]*)"/.exec(node(chart, nodeId))?.[1] ?? '';
  if (states(chart).get(nodeId) === 'done') label = label.replace(/^✓ /, '');
  return decode(label.replace(/<br\/><small>.*<\/small>$/, ''));
}

// ---------- the chart ----------

describe('buildSopChart: the SOP', () => {
  const chart = buildSopChart(service(), caseDetail(), labels());

  it('is a swimlane chart, or a flowchart when asked', () => {
    expect(lines(chart)[0]).toBe('swimlane-beta TD');
    expect(lines(buildSopChart(service(), caseDetail(), labels(), 'flowchart'))[0]).toBe('flowchart TD');
    expect(buildSopChart(service(), caseDetail(), labels(), 'flowchart').split('\n').slice(1)).toEqual(
      lines(chart).slice(1),
    );
  });

  it('is well formed', () => {
    assertWellFormed(chart);
    expect(chart).toContain('accTitle: Layanan Pembuatan/Update Website');
    expect(chart).toContain('accDescr: Diagram alur SOP; tahap saat ini: 4. Pengkajian');
  });

  it("has every step with its number, title and standard time, in the step's lane", () => {
    for (const step of STEPS) {
      const line = node(chart, `s_${step.key}`);
      expect(line).toContain(`${step.no}. ${step.title.id}`);
      const standard = 'minutes' in step.standardTime ? `${step.standardTime.minutes} mnt` : 'hari kerja';
      expect(line).toContain(`<br/><small>${standard}</small>`);
      const laneStart = lines(chart).indexOf(`subgraph lane_${step.lane}["${LANE_NAMES[step.lane]}"]`);
      const laneEnd = lines(chart).indexOf('end', laneStart);
      const at = lines(chart).indexOf(line);
      expect(laneStart).toBeGreaterThan(0);
      expect(at).toBeGreaterThan(laneStart);
      expect(at).toBeLessThan(laneEnd);
    }
  });

  it('has the served lanes, with their served names, in the served order', () => {
    const lanes = lines(chart).filter((l) => l.startsWith('subgraph '));
    expect(lanes).toEqual([
      'subgraph lane_opd["OPD"]',
      'subgraph lane_umum["Bagian Umum"]',
      'subgraph lane_kepala["Kepala DKISP"]',
      'subgraph lane_aptika["Bidang Aplikasi Informatika"]',
    ]);
    const reordered = buildSopChart({ ...service(), lanes: [...LANES].reverse() }, caseDetail(), labels());
    expect(lines(reordered).filter((l) => l.startsWith('subgraph '))[0]).toBe(
      'subgraph lane_aptika["Bidang Aplikasi Informatika"]',
    );
  });

  it("has the served diamonds, in their step's lane, and both ends", () => {
    expect(node(chart, 'd_keputusan')).toBe('d_keputusan{"Disetujui?"}');
    expect(node(chart, 'd_mulai')).toBe('d_mulai{"Website sudah ada?"}');
    expect(node(chart, 'end_rejected')).toBe('end_rejected(["Permohonan ditolak"])');
    expect(node(chart, 'end_done')).toBe('end_done(["Selesai"])');
    const aptika = lines(chart).indexOf('subgraph lane_aptika["Bidang Aplikasi Informatika"]');
    expect(lines(chart).indexOf(node(chart, 'd_keputusan'))).toBeGreaterThan(aptika);
  });

  it('runs the steps in order, and each diamond to where its outcomes lead', () => {
    expect(edges(chart)).toEqual([
      's_permohonan>s_registrasi',
      's_registrasi>s_disposisi',
      's_disposisi>s_pengkajian',
      's_pengkajian>s_keputusan',
      's_analisis>s_pembuatan',
      's_pembuatan>s_instalasi',
      's_instalasi>s_laporan',
      's_laporan>s_selesai',
      's_selesai>end_done',
      's_keputusan>d_keputusan',
      'd_keputusan>s_mulai:Disetujui',
      'd_keputusan>end_rejected:Ditolak',
      'd_keputusan>s_permohonan:Dikembalikan (dikembalikan untuk revisi)',
      's_mulai>d_mulai',
      'd_mulai>s_analisis:Ya: pembaruan',
      'd_mulai>s_analisis:Tidak: pembuatan',
    ]);
    // The way back to the requester is dashed.
    expect(chart).toContain('d_keputusan -.->|"Dikembalikan (dikembalikan untuk revisi)"| s_permohonan');
  });

  it('marks the done steps with ✓, the current step, and the way taken so far', () => {
    const state = states(chart);
    expect(state.get('s_permohonan')).toBe('done');
    expect(state.get('s_registrasi')).toBe('done');
    expect(state.get('s_disposisi')).toBe('done');
    expect(state.get('s_pengkajian')).toBe('current');
    for (const key of ['keputusan', 'mulai', 'analisis', 'selesai'])
      expect(state.get(`s_${key}`)).toBe('todo');
    for (const other of ['d_keputusan', 'd_mulai', 'end_rejected', 'end_done']) {
      expect(state.get(other)).toBe('todo');
    }
    expect(node(chart, 's_permohonan')).toMatch(/^s_permohonan\["✓ 1\. /);
    expect(node(chart, 's_pengkajian')).toMatch(/^s_pengkajian\["4\. /);
    expect(lines(chart).filter((l) => / current$/.test(l))).toEqual(['class s_pengkajian current']);
    expect(taken(chart)).toEqual([
      's_permohonan>s_registrasi',
      's_registrasi>s_disposisi',
      's_disposisi>s_pengkajian',
    ]);
  });

  it('is the same text for the same case', () => {
    expect(buildSopChart(service(), caseDetail(), labels())).toBe(chart);
  });

  it('sorts the steps by number, whatever order they come in', () => {
    const shuffled = [...STEPS].reverse();
    expect(buildSopChart(service(shuffled), caseDetail(), labels())).toBe(chart);
  });
});

describe('buildSopChart: where the case is', () => {
  it('at the decision, approved but the letter not sent yet: the diamond is passed, the step current', () => {
    const chart = buildSopChart(
      service(),
      caseDetail({ step: stepAt(5), steps: timeline(4), pendingDecision: 'approve' }),
      labels(),
    );
    const state = states(chart);
    expect(state.get('s_keputusan')).toBe('current');
    expect(state.get('d_keputusan')).toBe('done');
    expect(state.get('s_mulai')).toBe('todo');
    expect(taken(chart)).not.toContain('d_keputusan>end_rejected:Ditolak');
  });

  it('approved, and the work started on an existing website: the update branch is taken', () => {
    const chart = buildSopChart(
      service(),
      caseDetail({
        step: stepAt(7),
        steps: timeline(6, {
          keputusan: { decide: { decision: 'approve' } },
          mulai: { start_work: { websiteExists: true, teamUserIds: ['u2'] } },
        }),
        decision: approved,
      }),
      labels(),
    );
    const state = states(chart);
    for (const done of ['s_keputusan', 'd_keputusan', 'd_mulai', 's_mulai'])
      expect(state.get(done)).toBe('done');
    expect(state.get('s_analisis')).toBe('current');
    expect(taken(chart)).toEqual(
      expect.arrayContaining([
        'd_keputusan>s_mulai:Disetujui',
        's_mulai>d_mulai',
        'd_mulai>s_analisis:Ya: pembaruan',
      ]),
    );
    expect(taken(chart)).not.toContain('d_mulai>s_analisis:Tidak: pembuatan');
    expect(taken(chart)).not.toContain('d_keputusan>s_permohonan:Dikembalikan (dikembalikan untuk revisi)');
    expect(node(chart, 'd_mulai')).toBe('d_mulai{"✓ Website sudah ada?"}');
  });

  it.each([
    ['websiteExists: false', { start_work: { websiteExists: false } }, 'Tidak: pembuatan'],
    ['websiteExists: true', { start_work: { websiteExists: true } }, 'Ya: pembaruan'],
  ])('the "website exists" branch follows %s', (_, outputs, branch) => {
    const chart = buildSopChart(
      service(),
      caseDetail({ step: stepAt(8), steps: timeline(7, { mulai: outputs }), decision: approved }),
      labels(),
    );
    const branches = taken(chart).filter((edge) => edge.startsWith('d_mulai>'));
    expect(branches).toEqual([`d_mulai>s_analisis:${branch}`]);
  });

  it("a branch that names its field reads only that field's value", () => {
    const diamonds = DIAMONDS.map((d) => (d.step === 'mulai' ? { ...d, field: 'websiteExists' } : d));
    const chart = buildSopChart(
      service(STEPS, diamonds),
      caseDetail({
        step: stepAt(8),
        steps: timeline(7, { mulai: { start_work: { other: true, websiteExists: false } } }),
        decision: approved,
      }),
      labels(),
    );
    expect(taken(chart).filter((edge) => edge.startsWith('d_mulai>'))).toEqual([
      'd_mulai>s_analisis:Tidak: pembuatan',
    ]);
  });

  it('rejected: the rejected end reached, nothing current', () => {
    const chart = buildSopChart(
      service(),
      caseDetail({
        status: 'rejected',
        step: stepAt(5),
        steps: timeline(5, {}, false),
        decision: { ...approved, decision: 'reject', reason: 'Anggaran tidak tersedia' },
      }),
      labels(),
    );
    const state = states(chart);
    expect(state.get('d_keputusan')).toBe('done');
    expect(state.get('end_rejected')).toBe('rejected');
    expect(state.get('end_done')).toBe('todo');
    expect([...state.values()]).not.toContain('current');
    expect(taken(chart)).toContain('d_keputusan>end_rejected:Ditolak');
    expect(taken(chart)).not.toContain('d_keputusan>s_mulai:Disetujui');
    // The end is not ticked, even when reached.
    expect(node(chart, 'end_rejected')).toBe('end_rejected(["Permohonan ditolak"])');
  });

  it('returned for revision: the requester has the next move, the way back taken', () => {
    const chart = buildSopChart(
      service(),
      caseDetail({
        status: 'revision',
        step: stepAt(5),
        steps: timeline(5, {}, false),
        decision: { ...approved, decision: 'return', reason: 'Lengkapi lampiran' },
      }),
      labels(),
    );
    const state = states(chart);
    expect(state.get('s_permohonan')).toBe('current');
    expect(state.get('end_rejected')).toBe('todo');
    expect(taken(chart)).toContain('d_keputusan>s_permohonan:Dikembalikan (dikembalikan untuk revisi)');
    expect(taken(chart)).not.toContain('d_keputusan>end_rejected:Ditolak');
  });

  it('resubmitted after a revision: before the decision again', () => {
    const chart = buildSopChart(
      service(),
      caseDetail({ step: stepAt(2), steps: timeline(1), decision: { ...approved, decision: 'return' } }),
      labels(),
    );
    const state = states(chart);
    expect(state.get('s_registrasi')).toBe('current');
    expect(state.get('d_keputusan')).toBe('todo');
  });

  it('done: every step ticked, the done end reached, nothing current', () => {
    const chart = buildSopChart(
      service(),
      caseDetail({
        status: 'done',
        step: stepAt(11),
        steps: timeline(11, { mulai: { start_work: { websiteExists: false } } }, false),
        decision: approved,
      }),
      labels(),
    );
    const state = states(chart);
    for (const step of STEPS) {
      expect(state.get(`s_${step.key}`)).toBe('done');
      expect(node(chart, `s_${step.key}`)).toContain(`"✓ ${step.no}. ${step.title.id}`);
    }
    expect(state.get('end_done')).toBe('done');
    expect([...state.values()]).not.toContain('current');
    expect(taken(chart)).toContain('s_selesai>end_done');
    expect(taken(chart)).toContain('d_mulai>s_analisis:Tidak: pembuatan');
  });

  it('a service without diamonds is a plain chain', () => {
    const steps = STEPS.filter((step) => ['permohonan', 'registrasi', 'disposisi'].includes(step.key));
    const chart = buildSopChart(
      service(steps, []),
      caseDetail({ step: stepAt(2), steps: timeline(1) }),
      labels(),
    );
    assertWellFormed(chart);
    expect(lines(chart).some((l) => /^d_|> d_/.test(l))).toBe(false);
    expect(chart).not.toContain('end_rejected');
    expect(edges(chart)).toEqual([
      's_permohonan>s_registrasi',
      's_registrasi>s_disposisi',
      's_disposisi>end_done',
    ]);
    expect(taken(chart)).toEqual(['s_permohonan>s_registrasi']);
  });
});

describe('buildSopChart: any SOP the catalogue serves', () => {
  // A three-step SOP with one decision, in three lanes of its own (no website lane names anywhere).
  const SMALL: StepDef[] = [
    { key: 'minta', no: 1, title: { id: 'Permintaan', en: 'Ask' }, lane: 'pemohon' },
    { key: 'nilai', no: 2, title: { id: 'Penilaian', en: 'Assess' }, lane: 'penilai' },
    { key: 'tutup', no: 3, title: { id: 'Penutupan', en: 'Close' }, lane: 'arsip' },
  ].map((step) => ({ ...step, standardTime: { minutes: 10 } }));
  const small: ChartService = {
    steps: SMALL,
    lanes: [
      { key: 'pemohon', title: { id: 'Pemohon', en: 'Requester' } },
      { key: 'penilai', title: { id: 'Penilai', en: 'Assessor' } },
      { key: 'arsip', title: { id: 'Arsip', en: 'Records' } },
    ],
    diamonds: [
      {
        step: 'nilai',
        question: { id: 'Layak?', en: 'Fit?' },
        outcomes: [
          { key: 'ok', label: { id: 'Layak', en: 'Fit' }, to: 'tutup' },
          { key: 'no', label: { id: 'Tidak layak', en: 'Unfit' }, to: null, end: 'rejected' },
        ],
      },
    ],
  };
  const smallLabels = labels({
    lane: (key) => small.lanes?.find((lane) => lane.key === key)?.title.id ?? key,
  });

  it('draws its lanes, steps and decision', () => {
    const chart = buildSopChart(
      small,
      caseDetail({ step: stepAt(2, SMALL), steps: timeline(1, {}, true, SMALL) }),
      smallLabels,
    );
    assertWellFormed(chart);
    expect(lines(chart).filter((l) => l.startsWith('subgraph '))).toEqual([
      'subgraph lane_pemohon["Pemohon"]',
      'subgraph lane_penilai["Penilai"]',
      'subgraph lane_arsip["Arsip"]',
    ]);
    expect(edges(chart)).toEqual([
      's_minta>s_nilai',
      's_tutup>end_done',
      's_nilai>d_nilai',
      'd_nilai>s_tutup:Layak',
      'd_nilai>end_rejected:Tidak layak',
    ]);
    expect(states(chart).get('s_nilai')).toBe('current');
    expect(lines(chart).filter((l) => l.startsWith('style lane_'))).toHaveLength(3);
  });

  it('follows its decision to the end', () => {
    const chart = buildSopChart(
      small,
      caseDetail({
        status: 'done',
        step: stepAt(3, SMALL),
        steps: timeline(3, { nilai: { decide: { decision: 'ok' } } }, false, SMALL),
        decision: { ...approved, decision: 'ok' as 'approve' },
      }),
      smallLabels,
    );
    expect(taken(chart)).toEqual([
      's_minta>s_nilai',
      's_tutup>end_done',
      's_nilai>d_nilai',
      'd_nilai>s_tutup:Layak',
    ]);
  });

  it('draws any number of lanes, each with a style', () => {
    const many: StepDef[] = Array.from({ length: 9 }, (_, index) => ({
      key: `l${index}`,
      no: index + 1,
      title: { id: `Tahap ${index + 1}`, en: `Step ${index + 1}` },
      lane: `lajur${index}`,
      standardTime: { minutes: 5 },
    }));
    const chart = buildSopChart({ steps: many }, caseDetail({ step: stepAt(1, many), steps: [] }), labels());
    assertWellFormed(chart);
    expect(lines(chart).filter((l) => l.startsWith('subgraph '))).toHaveLength(9);
    expect(lines(chart).filter((l) => l.startsWith('style lane_'))).toHaveLength(9);
  });
});

describe('buildSopChart: hostile text', () => {
  const HOSTILE = [
    'Kutip "ganda" di tengah',
    'Kurung [siku] {kurawal} (biasa) |pipa|',
    'Nomor #12; dan #quot; dan C#',
    'Titik koma; lalu --> panah',
    'Baris\nbaru\r\ndan\ttab',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '`kode` dan `tanda petik terbalik',
    "%%{init: {'theme':'dark'}}%%",
    '50% selesai',
    'end',
  ];

  it.each(HOSTILE)('a step titled %j stays inside its label', (title) => {
    const steps = STEPS.map((step) =>
      step.key === 'pengkajian' ? { ...step, title: { id: title, en: title } } : step,
    );
    const chart = buildSopChart(service(steps), caseDetail(), labels());
    assertWellFormed(chart);
    expect(lines(chart)).toHaveLength(lines(buildSopChart(service(), caseDetail(), labels())).length);
    expect(labelText(chart, 's_pengkajian')).toBe(`4. ${title.replace(/\s+/g, ' ').trim()}`);
    expect(chart).not.toContain('<script');
    expect(chart).not.toContain('<img');
    expect(chart).not.toContain('%%');
  });

  it('escapes quotes, brackets, # and backticks as Mermaid entity codes', () => {
    const steps = STEPS.map((step) =>
      step.key === 'pengkajian' ? { ...step, title: { id: 'A "b" <c> #d; `e` 5%', en: '' } } : step,
    );
    const line = node(buildSopChart(service(steps), caseDetail(), labels()), 's_pengkajian');
    expect(line).toBe(
      's_pengkajian["4. A #quot;b#quot; #lt;c#gt; #35;d; #96;e#96; 5#37;<br/><small>25 mnt</small>"]',
    );
  });

  it('escapes every label the chart is given, not only step titles', () => {
    const nasty = '`"]} <b>#x; %%{init: {}}%%\n';
    const chart = buildSopChart(
      service(),
      caseDetail(),
      labels({
        lane: () => nasty,
        text: () => nasty,
        revise: nasty,
        endRejected: nasty,
        endDone: nasty,
        accTitle: nasty,
        accDescr: nasty,
        standard: () => nasty,
      }),
    );
    assertWellFormed(chart);
    expect(labelText(chart, 'd_keputusan')).toBe(nasty.trim());
    expect(labelText(chart, 'end_rejected')).toBe(nasty.trim());
    expect(chart).toContain('accTitle: #96;#quot;]} #lt;b#gt;#35;x; #37;#37;{init: {}}#37;#37;');
  });

  it('never leaves a label empty (Mermaid cannot parse `[/""/]`)', () => {
    const chart = buildSopChart(service(), caseDetail(), labels({ text: () => '', endDone: '  \n ' }));
    assertWellFormed(chart);
    expect(node(chart, 'd_keputusan')).toBe('d_keputusan{"#160;"}');
    expect(node(chart, 'end_done')).toBe('end_done(["#160;"])');
  });

  it('makes Mermaid ids of any step key', () => {
    const steps = STEPS.map((step) =>
      step.key === 'pengkajian' ? { ...step, key: 'peng-kajian "x"; end' } : step,
    );
    const chart = buildSopChart(
      service(steps),
      caseDetail({ step: { ...stepAt(4), key: 'peng-kajian "x"; end' } }),
      labels(),
    );
    assertWellFormed(chart);
    expect(states(chart).get('s_peng_kajian__x___end')).toBe('current');
  });

  it('whatever the titles and labels, the chart is well formed and every label reads back (property)', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'"\'<>[]{}()|#;:%`&/\\\n\r\t -→✓éa1'.split('')), maxLength: 30 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(
        fc.array(text, { minLength: STEPS.length, maxLength: STEPS.length }),
        text,
        text,
        (titles, decision, lane) => {
          const steps = STEPS.map((step, index) => ({ ...step, title: { id: titles[index] ?? '', en: '' } }));
          const chart = buildSopChart(
            service(steps),
            caseDetail(),
            labels({
              text: (text) => (text.id === 'Disetujui?' ? decision : text.id),
              accTitle: decision,
              lane: (key) => (key === 'aptika' ? lane : (LANE_NAMES[key] ?? key)),
            }),
          );
          assertWellFormed(chart);
          expect(lines(chart)).toHaveLength(lines(buildSopChart(service(), caseDetail(), labels())).length);
          for (const step of steps) {
            expect(labelText(chart, `s_${step.key}`)).toBe(
              `${step.no}. ${step.title.id}`.replace(/\s+/g, ' ').trim(),
            );
          }
          const readBack = labelText(chart, 'd_keputusan');
          expect(readBack).toBe(decision.replace(/\s+/g, ' ').trim() || '\u00a0');
        },
      ),
    );
  });
});
