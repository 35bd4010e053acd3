import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseDetail, Lane, Service, StandardTime, StepDef, StepRecord } from '../api/types.ts';
import id from '../i18n/id.ts';
import { buildSopChart, type ChartLabels } from './sopChart.ts';

// The website SOP as GET /api/services returns it (docs/api.md, "Cases"; docs/sop.md).
const STEP_ROWS: [key: string, lane: Lane, standard: StandardTime, id: string, en: string][] = [
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
  roles: [],
  standardTime,
  inputs: [],
  outputs: [],
}));

const service = (steps: StepDef[] = STEPS): Service => ({
  key: 'website',
  version: 1,
  title: { id: 'Layanan Pembuatan/Update Website', en: 'Website creation/update service' },
  steps,
  related: [],
  equipment: [],
  warnings: [],
  records: [],
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
): StepRecord[] {
  return STEPS.filter((step) => step.no <= endedThrough + (running ? 1 : 0)).map((step) => ({
    id: `r${step.no}`,
    key: step.key,
    no: step.no,
    title: step.title,
    lane: step.lane,
    startedAt: '2026-11-23T02:00:00Z',
    dueAt: '2026-11-23T03:00:00Z',
    endedAt: step.no <= endedThrough ? '2026-11-23T02:30:00Z' : null,
    actor: null,
    standardTime: step.standardTime,
    standardSeconds: 30 * 60,
    actualSeconds: 20 * 60,
    late: false,
    outputs: outputs[step.key] ?? {},
  }));
}

function stepAt(no: number): CaseDetail['step'] {
  const step = STEPS[no - 1];
  if (!step) throw new Error(`no step ${no}`);
  return { key: step.key, no: step.no, title: step.title };
}

function caseDetail(overrides: Partial<CaseDetail> = {}): CaseDetail {
  return {
    id: 'c1',
    ref: 'WEB-2026-00012',
    subject: 'Website Dinas Pendidikan',
    kind: 'new',
    opd: { id: 'o1', code: 'DISDIK', name: 'Dinas Pendidikan' },
    status: 'active',
    step: stepAt(4),
    waitingFor: ['kabid'],
    dueAt: '2026-11-23T03:00:00Z',
    overdue: false,
    agendaNumber: '005/123',
    letterNumber: '005/DISDIK/2026',
    createdAt: '2026-11-23T02:00:00Z',
    updatedAt: '2026-11-23T02:00:00Z',
    sop: { key: 'website', version: 1 },
    version: 4,
    letterDate: '2026-11-20',
    description: 'Pembuatan website sekolah',
    websiteRef: null,
    website: null,
    registration: null,
    pendingDecision: null,
    decision: null,
    followUpLetter: null,
    actions: [],
    steps: timeline(3),
    dispositions: [],
    files: [],
    kak: [],
    team: [],
    history: [],
    ...overrides,
  };
}

const labels = (overrides: Partial<ChartLabels> = {}): ChartLabels => ({
  lanes: id.case.lanes,
  approved: id.case.flowApproved,
  exists: id.case.flowExists,
  yes: id.case.flowYes,
  no: id.case.flowNo,
  update: id.case.flowUpdate,
  create: id.case.flowCreate,
  letterYes: id.case.flowLetterYes,
  letterNo: id.case.flowLetterNo,
  endRejected: id.case.flowEndRejected,
  endDone: id.case.flowEndDone,
  accTitle: 'Layanan Pembuatan/Update Website',
  accDescr: 'Diagram alur SOP; tahap saat ini: 4. Pengkajian',
  title: (step) => step.title.id,
  standard: (step) => ('minutes' in step.standardTime ? `${step.standardTime.minutes} mnt` : 'hari kerja'),
  ...overrides,
});

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
  new RegExp(`^subgraph lane_(opd|umum|kepala|aptika)\\[${LABEL}\\]$`),
  /^direction TB$/,
  /^end$/,
  new RegExp(`^[A-Za-z0-9_]+(\\[${LABEL}\\]|\\{${LABEL}\\}|\\(\\[${LABEL}\\]\\)|\\[/${LABEL}/\\])$`),
  new RegExp(`^[A-Za-z0-9_]+ -->(\\|${LABEL}\\|)? [A-Za-z0-9_]+$`),
  /^classDef (todo|done|current|rejected) [a-z:#0-9,-]+$/,
  /^class [A-Za-z0-9_]+ (todo|done|current|rejected)$/,
  /^style lane_(opd|umum|kepala|aptika) [a-z:#0-9,-]+$/,
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
      const laneStart = lines(chart).indexOf(`subgraph lane_${step.lane}["${id.case.lanes[step.lane]}"]`);
      const laneEnd = lines(chart).indexOf('end', laneStart);
      const at = lines(chart).indexOf(line);
      expect(laneStart).toBeGreaterThan(0);
      expect(at).toBeGreaterThan(laneStart);
      expect(at).toBeLessThan(laneEnd);
    }
  });

  it('has the lanes in the order the SOP first uses them', () => {
    const lanes = lines(chart).filter((l) => l.startsWith('subgraph '));
    expect(lanes).toEqual([
      'subgraph lane_opd["OPD"]',
      'subgraph lane_umum["Bagian Umum"]',
      'subgraph lane_kepala["Kepala DKISP"]',
      'subgraph lane_aptika["Bidang Aplikasi Informatika"]',
    ]);
  });

  it('has the two decisions as diamonds, the two letters and both ends', () => {
    expect(node(chart, 'd_approved')).toBe('d_approved{"Disetujui?"}');
    expect(node(chart, 'd_exists')).toBe('d_exists{"Website sudah ada?"}');
    expect(node(chart, 'tl_yes')).toBe('tl_yes[/"Surat TL: disetujui"/]');
    expect(node(chart, 'tl_no')).toBe('tl_no[/"Surat TL: ditolak / revisi"/]');
    expect(node(chart, 'end_rejected')).toBe('end_rejected(["Permohonan ditolak"])');
    expect(node(chart, 'end_done')).toBe('end_done(["Selesai"])');
  });

  it('runs the steps in order, through the decisions', () => {
    expect(edges(chart)).toEqual([
      's_permohonan>s_registrasi',
      's_registrasi>s_disposisi',
      's_disposisi>s_pengkajian',
      's_pengkajian>s_keputusan',
      's_mulai>s_analisis',
      's_analisis>s_pembuatan',
      's_pembuatan>s_instalasi',
      's_instalasi>s_laporan',
      's_laporan>s_selesai',
      's_keputusan>d_approved',
      'd_approved>tl_yes:Ya',
      'd_approved>tl_no:Tidak',
      'tl_no>end_rejected',
      'tl_yes>d_exists',
      'd_exists>s_mulai:Ya: pembaruan',
      'd_exists>s_mulai:Tidak: pembuatan',
      's_selesai>end_done',
    ]);
  });

  it('marks the done steps with ✓, the current step, and the way taken so far', () => {
    const state = states(chart);
    expect(state.get('s_permohonan')).toBe('done');
    expect(state.get('s_registrasi')).toBe('done');
    expect(state.get('s_disposisi')).toBe('done');
    expect(state.get('s_pengkajian')).toBe('current');
    for (const key of ['keputusan', 'mulai', 'analisis', 'selesai'])
      expect(state.get(`s_${key}`)).toBe('todo');
    for (const other of ['d_approved', 'tl_yes', 'tl_no', 'd_exists', 'end_rejected', 'end_done']) {
      expect(state.get(other)).toBe('todo');
    }
    expect(node(chart, 's_permohonan')).toMatch(/^s_permohonan\["✓ 1\. /);
    expect(node(chart, 's_pengkajian')).toMatch(/^s_pengkajian\["4\. /);
    expect(node(chart, 's_keputusan')).toMatch(/^s_keputusan\["5\. /);
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
  it('at the decision, approved but the letter not sent yet: the approval letter is current', () => {
    const chart = buildSopChart(
      service(),
      caseDetail({ step: stepAt(5), steps: timeline(4), pendingDecision: 'approve' }),
      labels(),
    );
    const state = states(chart);
    expect(state.get('s_keputusan')).toBe('done');
    expect(state.get('d_approved')).toBe('done');
    expect(state.get('tl_yes')).toBe('current');
    expect(state.get('tl_no')).toBe('todo');
    expect(taken(chart)).toContain('s_keputusan>d_approved');
    expect(taken(chart)).toContain('d_approved>tl_yes:Ya');
    expect(taken(chart)).not.toContain('d_approved>tl_no:Tidak');
  });

  it('approved, and the work started on an existing website: the update branch is taken', () => {
    const chart = buildSopChart(
      service(),
      caseDetail({
        kind: 'new', // the recorded path wins over the kind asked for
        step: stepAt(7),
        steps: timeline(6, { mulai: { start_work: { path: 'update', teamUserIds: ['u2'] } } }),
        decision: { decision: 'approve', reason: null, at: '2026-11-23T03:00:00Z', by: person },
        followUpLetter: { number: '005/TL/2026', date: '2026-11-23', sentAt: '2026-11-23T03:10:00Z' },
      }),
      labels(),
    );
    const state = states(chart);
    for (const done of ['s_keputusan', 'd_approved', 'tl_yes', 'd_exists', 's_mulai'])
      expect(state.get(done)).toBe('done');
    expect(state.get('s_analisis')).toBe('current');
    expect(state.get('tl_no')).toBe('todo');
    expect(taken(chart)).toEqual(
      expect.arrayContaining([
        'd_approved>tl_yes:Ya',
        'tl_yes>d_exists',
        'd_exists>s_mulai:Ya: pembaruan',
        's_mulai>s_analisis',
      ]),
    );
    expect(taken(chart)).not.toContain('d_exists>s_mulai:Tidak: pembuatan');
    expect(node(chart, 'd_exists')).toBe('d_exists{"✓ Website sudah ada?"}');
  });

  it.each([
    ['a recorded create path', { start_work: { path: 'create' } }, 'update' as const, 'Tidak: pembuatan'],
    ['websiteExists: false', { start_work: { websiteExists: false } }, 'update' as const, 'Tidak: pembuatan'],
    ['websiteExists: true', { start_work: { websiteExists: true } }, 'new' as const, 'Ya: pembaruan'],
    ['nothing recorded, a new website asked for', {}, 'new' as const, 'Tidak: pembuatan'],
    ['nothing recorded, an update asked for', {}, 'update' as const, 'Ya: pembaruan'],
  ])('the "website exists" branch follows %s', (_, outputs, kind, branch) => {
    const chart = buildSopChart(
      service(),
      caseDetail({
        kind,
        step: stepAt(8),
        steps: timeline(7, { mulai: outputs }),
        decision: { decision: 'approve', reason: null, at: '2026-11-23T03:00:00Z', by: person },
      }),
      labels(),
    );
    const branches = taken(chart).filter((edge) => edge.startsWith('d_exists>'));
    expect(branches).toEqual([`d_exists>s_mulai:${branch}`]);
  });

  it('rejected: the refusal letter and the rejected end, nothing current', () => {
    const chart = buildSopChart(
      service(),
      caseDetail({
        status: 'rejected',
        step: stepAt(5),
        steps: timeline(5, {}, false),
        waitingFor: [],
        decision: {
          decision: 'reject',
          reason: 'Anggaran tidak tersedia',
          at: '2026-11-23T03:00:00Z',
          by: person,
        },
        followUpLetter: { number: '005/TL/2026', date: '2026-11-23', sentAt: '2026-11-23T03:10:00Z' },
      }),
      labels(),
    );
    const state = states(chart);
    expect(state.get('tl_no')).toBe('done');
    expect(state.get('tl_yes')).toBe('todo');
    expect(state.get('end_rejected')).toBe('rejected');
    expect(state.get('end_done')).toBe('todo');
    expect([...state.values()]).not.toContain('current');
    expect(taken(chart)).toEqual(expect.arrayContaining(['d_approved>tl_no:Tidak', 'tl_no>end_rejected']));
    expect(taken(chart)).not.toContain('d_approved>tl_yes:Ya');
    // The end is not ticked, even when reached.
    expect(node(chart, 'end_rejected')).toBe('end_rejected(["Permohonan ditolak"])');
  });

  it('returned for revision: the OPD has the next move', () => {
    const chart = buildSopChart(
      service(),
      caseDetail({
        status: 'revision',
        step: stepAt(5),
        steps: timeline(5, {}, false),
        waitingFor: ['opd'],
        decision: { decision: 'return', reason: 'Lengkapi lampiran', at: '2026-11-23T03:00:00Z', by: person },
        followUpLetter: { number: '005/TL/2026', date: '2026-11-23', sentAt: '2026-11-23T03:10:00Z' },
      }),
      labels(),
    );
    const state = states(chart);
    expect(state.get('s_permohonan')).toBe('current');
    expect(state.get('tl_no')).toBe('done');
    expect(state.get('end_rejected')).toBe('todo');
    expect(taken(chart)).not.toContain('tl_no>end_rejected');
  });

  it('resubmitted after a revision: before the decision again', () => {
    const chart = buildSopChart(
      service(),
      caseDetail({
        step: stepAt(2),
        steps: timeline(1),
        decision: { decision: 'return', reason: 'Lengkapi lampiran', at: '2026-11-23T03:00:00Z', by: person },
      }),
      labels(),
    );
    const state = states(chart);
    expect(state.get('s_registrasi')).toBe('current');
    expect(state.get('d_approved')).toBe('todo');
    expect(state.get('tl_no')).toBe('todo');
  });

  it('done: every step ticked, the done end reached, nothing current', () => {
    const chart = buildSopChart(
      service(),
      caseDetail({
        status: 'done',
        step: stepAt(11),
        steps: timeline(11, { mulai: { start_work: { path: 'create' } } }, false),
        waitingFor: [],
        decision: { decision: 'approve', reason: null, at: '2026-11-23T03:00:00Z', by: person },
        followUpLetter: { number: '005/TL/2026', date: '2026-11-23', sentAt: '2026-11-23T03:10:00Z' },
      }),
      labels(),
    );
    const state = states(chart);
    for (const step of STEPS) {
      expect(state.get(`s_${step.key}`)).toBe('done');
      expect(node(chart, `s_${step.key}`)).toContain(`"✓ ${step.no}. ${step.title.id}`);
    }
    expect(state.get('end_done')).toBe('done');
    expect(node(chart, 'end_done')).toBe('end_done(["Selesai"])');
    expect([...state.values()]).not.toContain('current');
    expect(taken(chart)).toContain('s_selesai>end_done');
    expect(taken(chart)).toContain('d_exists>s_mulai:Tidak: pembuatan');
  });

  it('a service without the two decisions is a plain chain', () => {
    const steps = STEPS.filter((step) => ['permohonan', 'registrasi', 'disposisi'].includes(step.key));
    const chart = buildSopChart(
      service(steps),
      caseDetail({ step: stepAt(2), steps: timeline(1) }),
      labels(),
    );
    assertWellFormed(chart);
    expect(chart).not.toContain('d_approved');
    expect(chart).not.toContain('d_exists');
    expect(edges(chart)).toEqual([
      's_permohonan>s_registrasi',
      's_registrasi>s_disposisi',
      's_disposisi>end_done',
    ]);
    expect(taken(chart)).toEqual(['s_permohonan>s_registrasi']);
    expect(node(chart, 'end_done')).toBe('end_done(["Selesai"])');
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
        lanes: { opd: nasty, umum: nasty, kepala: nasty, aptika: nasty },
        approved: nasty,
        exists: nasty,
        yes: nasty,
        no: nasty,
        update: nasty,
        create: nasty,
        letterYes: nasty,
        letterNo: nasty,
        endRejected: nasty,
        endDone: nasty,
        accTitle: nasty,
        accDescr: nasty,
        standard: () => nasty,
      }),
    );
    assertWellFormed(chart);
    expect(labelText(chart, 'd_approved')).toBe(nasty.trim());
    expect(chart).toContain('accTitle: #96;#quot;]} #lt;b#gt;#35;x; #37;#37;{init: {}}#37;#37;');
  });

  it('never leaves a label empty (Mermaid cannot parse `[/""/]`)', () => {
    const chart = buildSopChart(
      service(),
      caseDetail(),
      labels({ letterYes: '', letterNo: '  \n ', approved: '' }),
    );
    assertWellFormed(chart);
    expect(node(chart, 'tl_yes')).toBe('tl_yes[/"#160;"/]');
    expect(node(chart, 'tl_no')).toBe('tl_no[/"#160;"/]');
    expect(node(chart, 'd_approved')).toBe('d_approved{"#160;"}');
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
            labels({ approved: decision, accTitle: decision, lanes: { ...id.case.lanes, aptika: lane } }),
          );
          assertWellFormed(chart);
          expect(lines(chart)).toHaveLength(lines(buildSopChart(service(), caseDetail(), labels())).length);
          for (const step of steps) {
            expect(labelText(chart, `s_${step.key}`)).toBe(
              `${step.no}. ${step.title.id}`.replace(/\s+/g, ' ').trim(),
            );
          }
          const readBack = labelText(chart, 'd_approved');
          expect(readBack).toBe(decision.replace(/\s+/g, ' ').trim() || '\u00a0');
        },
      ),
    );
  });
});
