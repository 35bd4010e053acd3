// biome-ignore-all lint/suspicious/noThenProperty: a decision outcome's `then` is the definition's own word (src/sop/blocks/decision.ts)
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Role } from '../../db/schema.ts';
import { compileDefinition, compileProblems, contextOf, stepConfig } from '../compile.ts';
import { type SopDefinitionInput, sopDefinitionSchema } from '../definition.ts';
import {
  actionInputJsonSchema,
  applyAction,
  availableActions,
  checkAction,
  type EngineActor,
  initialState,
  nextStepKeys,
  rolesWaitedFor,
  unitsFor,
} from '../engine.ts';
import type { CaseState, SopDef } from '../types.ts';
import { fieldsObject } from './common.ts';
import { BLOCKS } from './index.ts';

// The block catalogue, block by block, through compile and the pure engine (no database).

const T = (id: string, en = id) => ({ id, en });
const LANES = [
  { key: 'opd', title: T('OPD'), roles: ['opd'] as Role[], units: [] },
  {
    key: 'umum',
    title: T('Bagian Umum', 'General affairs'),
    roles: ['umum'] as Role[],
    units: ['SEKRETARIAT'],
  },
  { key: 'kepala', title: T('Kepala DKISP', 'Head'), roles: ['kepala'] as Role[], units: ['PIMPINAN'] },
  {
    key: 'aptika',
    title: T('Bidang Aplikasi Informatika', 'Application division'),
    roles: ['kabid', 'subkoor', 'staf'] as Role[],
    units: ['APTIKA'],
  },
];
type StepIn = SopDefinitionInput['steps'][number];
const step = (key: string, block: string, lane: string, extra: Partial<StepIn> = {}): StepIn => ({
  key,
  title: T(`Langkah ${key}`, `Step ${key}`),
  lane,
  block,
  standardTime: { minutes: 5 },
  ...extra,
});
function definition(steps: StepIn[]) {
  return sopDefinitionSchema.parse({
    key: 'uji',
    title: T('Layanan uji', 'Test service'),
    refPrefix: 'UJI',
    lanes: LANES,
    steps,
  } satisfies SopDefinitionInput);
}
const compile = (steps: StepIn[]) => compileDefinition(definition(steps), 1);

const actor = (role: Role, ownsCase = true): EngineActor => ({
  roles: [role],
  ownsCase: role === 'opd' && ownsCase,
});
function act(sop: SopDef, s: CaseState, role: Role, key: string, payload: Record<string, unknown> = {}) {
  const c = checkAction(sop, s, actor(role), key);
  if (!c.ok) throw new Error(`${role} ${key}: ${c.code} ${c.reason}`);
  return applyAction(s, c.action, payload).state;
}
const at = (step: string, marks: Record<string, number> = {}): CaseState => ({
  status: 'active',
  step,
  pendingDecision: null,
  marks,
});
const find = (sop: SopDef, key: string) => {
  const a = sop.actions.find((x) => x.key === key);
  if (!a) throw new Error(`no action ${key}`);
  return a;
};

const DECISION = (extra: Record<string, unknown> = {}) => ({
  question: T('Disetujui?', 'Approved?'),
  outcomes: [
    { key: 'approve', label: T('Disetujui', 'Approved'), then: { goto: 'kerja' } },
    { key: 'reject', label: T('Ditolak', 'Rejected'), then: { end: 'rejected' } },
    { key: 'return', label: T('Dikembalikan', 'Returned'), then: { revise: 'kaji' } },
  ],
  ...extra,
});

/** The office pattern with a decision, then a report and the closing. */
const OFFICE = (decision: Record<string, unknown> = DECISION()) => [
  step('minta', 'request', 'opd'),
  step('agenda', 'registration', 'umum'),
  step('dispo', 'disposition', 'kepala'),
  step('kaji', 'review', 'aptika', { roles: ['kabid', 'subkoor'] }),
  step('putus', 'decision', 'aptika', { roles: ['kabid', 'umum'], config: decision }),
  step('kerja', 'report', 'aptika'),
  step('tutup', 'closing', 'aptika', { roles: ['kabid'] }),
];

describe('the catalogue', () => {
  it('names every block by its key, with a title, a description and a config schema', () => {
    for (const [key, b] of Object.entries(BLOCKS)) {
      expect(b.key).toBe(key);
      expect(b.title.id.length && b.title.en.length).toBeTruthy();
      expect(b.description.id.length && b.description.en.length).toBeTruthy();
      expect(typeof z.toJSONSchema(b.config, { io: 'input', unrepresentable: 'any' })).toBe('object');
    }
    expect(Object.keys(BLOCKS).sort()).toEqual(
      [
        'closing',
        'decision',
        'disposition',
        'document',
        'registration',
        'registry',
        'report',
        'request',
        'review',
        'start_work',
        'upload',
      ].sort(),
    );
    expect(BLOCKS.request?.first).toBe(true);
    // Every action a block builds is one it names (the catalogue lists them).
    for (const sop of [compile(OFFICE()), compile(OFFICE(DECISION({ letter: false })))]) {
      for (const a of sop.actions) expect(BLOCKS[a.block]?.actionNames, a.key).toContain(a.name);
    }
    expect(BLOCKS.closing?.terminal).toBe(true);
  });
});

describe('config validation', () => {
  it('refuses a bad config with the step and the path inside the config', () => {
    expect(() =>
      compile([step('minta', 'request', 'opd'), step('putus', 'decision', 'aptika', { config: {} })]),
    ).toThrow(/^steps\.1\.config\.question: /);
    expect(() =>
      compile([
        step('minta', 'request', 'opd'),
        step('putus', 'decision', 'aptika', { config: DECISION({ outcomes: [] }) }),
      ]),
    ).toThrow(/steps\.1\.config\.outcomes: a decision needs at least one outcome/);
    expect(() =>
      compile([
        step('minta', 'request', 'opd'),
        step('catat', 'registry', 'aptika', { config: { effect: 'moon.land' } }),
      ]),
    ).toThrow(/steps\.1\.config\.effect: unknown registry effect/);
    expect(() =>
      compile([
        step('minta', 'request', 'opd'),
        step('tutup', 'closing', 'aptika', { config: { extra: 1 } }),
      ]),
    ).toThrow(/steps\.1\.config/);
    expect(() => compile([step('minta', 'request', 'opd'), step('x', 'teleport', 'aptika')])).toThrow(
      /steps\.1\.block: unknown block teleport/,
    );
    expect(() => compile([step('minta', 'request', 'opd'), step('x', 'closing', 'nowhere')])).toThrow(
      /steps\.1\.lane: no lane nowhere/,
    );
  });

  it('applies defaults: the review disposes on from kabid to subkoor/staf; a decision sends a letter', () => {
    const sop = compile(OFFICE());
    expect(stepConfig(sop, 'kaji')).toEqual({ disposeOnBy: ['kabid'], disposeOnTo: ['subkoor', 'staf'] });
    expect(stepConfig<{ letter: boolean }>(sop, 'putus').letter).toBe(true);
    expect(find(sop, 'dispose_on').roles).toEqual(['kabid']);
  });

  it('each block names the problems its schema cannot see, with paths inside the config', () => {
    const def = definition([
      step('minta', 'request', 'opd', {
        config: {
          fields: [
            { key: 'a', label: T('A'), type: 'text' },
            { key: 'a', label: T('A'), type: 'choice' },
            { key: 'b', label: T('B'), type: 'text', requiredWhen: { field: 'zz', equals: true } },
          ],
        },
      }),
      step('putus', 'decision', 'aptika', {
        config: DECISION({
          outcomes: [
            { key: 'ok', label: T('Ya'), then: { goto: 'nowhere' } },
            { key: 'ok', label: T('Ya'), then: { revise: 'minta' } },
            { key: 'again', label: T('Lagi'), then: { revise: 'putus' } },
          ],
        }),
      }),
      step('bangun', 'upload', 'aptika', {
        config: { file: { field: 'source', kinds: ['zip'] }, registry: 'website.build' },
      }),
      step('dispo', 'disposition', 'kepala'),
      step('tutup', 'closing', 'opd'),
    ]);
    const problems = (i: number) => {
      const b = BLOCKS[def.steps[i]?.block ?? ''];
      const ctx = contextOf(def, i);
      return b?.check?.(b.config.parse(def.steps[i]?.config), ctx) ?? [];
    };
    expect(problems(0)).toEqual([
      { path: 'fields.1.key', message: 'duplicate field a' },
      { path: 'fields.1.choices', message: 'a choice needs at least one value' },
      { path: 'fields.2.requiredWhen.field', message: 'no field zz' },
    ]);
    expect(problems(1)).toEqual([
      { path: 'outcomes.0.then.goto', message: 'no step nowhere' },
      { path: 'outcomes.1.key', message: 'duplicate outcome ok' },
      {
        path: 'outcomes',
        message: 'every outcome that returns the request for revision must resume at the same step',
      },
    ]);
    expect(problems(2)).toEqual([
      { path: 'fields', message: 'website.build needs a text field template' },
      { path: 'fields', message: 'website.build needs a text field cms' },
    ]);
    // The disposition hands the case to the OPD's lane, which has no units.
    expect(problems(3)).toEqual([
      { path: '', message: "the next step's lane (opd) has no units to dispose to" },
    ]);
  });
});

describe('compileProblems', () => {
  it('names every problem at once, each with its path; compile refuses the first', () => {
    const def = definition([
      step('agenda', 'registration', 'umum', { actionKeys: { stamp: 'stamp' } }),
      step('minta', 'request', 'opd'),
      step('agenda', 'report', 'aptika', { next: 'nowhere' }),
      step('putus', 'decision', 'aptika', {
        config: DECISION({ outcomes: [{ key: 'x', label: T('X'), then: { goto: 'kemana' } }] }),
      }),
      step('mulai', 'start_work', 'aptika', {
        actionTitles: { start_work: T('Mulai', 'Start'), finish: T('Selesai', 'Finish') },
        branch: {
          question: T('Ada?', 'Exists?'),
          field: 'websiteExists',
          outcomes: [
            { value: true, label: T('Ya'), goto: 'tutup' },
            { value: false, label: T('Tidak'), goto: 'hilang' },
          ],
        },
      }),
      step('dua', 'report', 'aptika', { actionKeys: { report: 'close' } }),
      step('tutup', 'closing', 'aptika', { config: { x: 1 } }),
      step('x', 'magic', 'nowhere'),
    ]);
    expect(compileProblems(def)).toEqual([
      { path: 'steps.2.key', message: 'duplicate step agenda' },
      { path: 'steps.0.block', message: 'the first step must receive the request (a request block)' },
      { path: 'steps.0.actionKeys.stamp', message: 'this step has no action stamp' },
      { path: 'steps.1.block', message: 'request can only be the first step' },
      { path: 'steps.2.next', message: 'no step nowhere' },
      { path: 'steps.3.config.outcomes.0.then.goto', message: 'no step kemana' },
      { path: 'steps.4.branch.outcomes.1.goto', message: 'no step hilang' },
      { path: 'steps.4.actionTitles.finish', message: 'this step has no action finish' },
      // start_work without a website link takes no websiteExists.
      { path: 'steps.4.branch.field', message: "the step's start_work takes no field websiteExists" },
      { path: 'steps.6.config', message: 'Unrecognized key: "x"' },
      { path: 'steps.7.lane', message: 'no lane nowhere' },
      { path: 'steps.7.block', message: 'unknown block magic' },
    ]);
    expect(() => compileDefinition(def, 1)).toThrow('steps.2.key: duplicate step agenda');
  });

  it('finds nothing wrong with the built-in website SOP', async () => {
    const { builtInSop } = await import('../catalogue.ts');
    expect(compileProblems(builtInSop('website').definition)).toEqual([]);
  });
});

describe('request, registration, disposition, review', () => {
  const sop = compile(OFFICE());

  it('the request is submitted by its own OPD from the draft, with the letter; then registered', () => {
    let s = initialState(sop);
    expect(s).toEqual({ status: 'draft', step: 'minta', pendingDecision: null, marks: {} });
    expect(availableActions(sop, s, actor('opd')).map((a) => a.key)).toEqual(['submit']);
    expect(checkAction(sop, s, actor('opd', false), 'submit')).toMatchObject({
      ok: false,
      code: 'ACTION_FORBIDDEN',
    });
    s = act(sop, s, 'opd', 'submit');
    expect(s).toMatchObject({ status: 'active', step: 'agenda' });
    expect(find(sop, 'submit').opdSees).toEqual(['letter', 'files']);
    const register = find(sop, 'register');
    expect(register.opdNews?.(s, at('dispo'))).toEqual({
      kind: 'case.registered',
      title: 'Surat permohonan telah diagendakan',
    });
    expect(
      register.input.safeParse({ receivedAt: '2026-12-01T09:00:00+07:00', urgency: 'biasa' }).success,
    ).toBe(false);
    expect(
      register.input.safeParse({
        receivedAt: '2026-12-01T09:00:00+07:00',
        urgency: 'biasa',
        scanConfirmed: true,
      }).data,
    ).toMatchObject({ addressee: 'Kepala DKISP' });
  });

  it('the disposition hands the case to the units of the next step’s lane, titled by that lane', () => {
    const dispose = find(sop, 'dispose');
    expect(dispose.unitField).toBe('toUnitId');
    expect(dispose.title).toEqual({
      id: 'Disposisikan ke Bidang Aplikasi Informatika',
      en: 'Dispose to Application division',
    });
    expect(unitsFor(sop, at('dispo'), dispose)).toEqual(['APTIKA']);
    expect(actionInputJsonSchema(dispose).properties).toMatchObject({
      toUnitId: { 'x-loket-picker': 'unit' },
    });
  });

  it('the review may dispose on (stay) and recommends one of the next decision’s outcomes', () => {
    let s = at('kaji');
    expect(availableActions(sop, s, actor('kabid')).map((a) => a.key)).toEqual(['dispose_on', 'review']);
    expect(availableActions(sop, s, actor('subkoor')).map((a) => a.key)).toEqual(['review']);
    s = act(sop, s, 'kabid', 'dispose_on');
    expect(s.step).toBe('kaji');
    expect(find(sop, 'dispose_on').opdSees).toBe(false);
    const review = find(sop, 'review');
    expect(review.input.safeParse({ findings: 'x', recommendation: 'approve' }).success).toBe(true);
    expect(review.input.safeParse({ findings: 'x', recommendation: 'maybe' }).success).toBe(false);
    expect(actionInputJsonSchema(find(sop, 'dispose_on')).properties).toMatchObject({
      toUserId: { 'x-loket-picker': 'staff', 'x-loket-roles': ['subkoor', 'staf'] },
    });
    expect(act(sop, s, 'subkoor', 'review').step).toBe('putus');
  });

  it('a review not followed by a decision recommends nothing', () => {
    const plain = compile([
      step('minta', 'request', 'opd'),
      step('kaji', 'review', 'aptika'),
      step('tutup', 'closing', 'aptika'),
    ]);
    expect(Object.keys(actionInputJsonSchema(find(plain, 'review')).properties as object)).toEqual([
      'findings',
    ]);
  });
});

describe('decisions as data', () => {
  it('with a letter: decide holds the outcome pending; the letter applies it (goto / end / revise)', () => {
    const sop = compile(OFFICE());
    const decide = find(sop, 'decide');
    expect(decide.roles).toEqual(['kabid', 'umum']);
    let s = act(sop, at('putus'), 'kabid', 'decide', { decision: 'approve' });
    expect(s).toMatchObject({ step: 'putus', pendingDecision: 'approve' });
    expect(checkAction(sop, s, actor('kabid'), 'decide')).toMatchObject({ code: 'ACTION_NOT_ALLOWED_NOW' });
    s = act(sop, s, 'umum', 'send_letter');
    expect(s).toMatchObject({ status: 'active', step: 'kerja', pendingDecision: null });

    s = act(sop, act(sop, at('putus'), 'kabid', 'decide', { decision: 'reject' }), 'umum', 'send_letter');
    expect(s).toMatchObject({ status: 'rejected' });

    s = act(sop, act(sop, at('putus'), 'kabid', 'decide', { decision: 'return' }), 'umum', 'send_letter');
    expect(s).toMatchObject({ status: 'revision', step: 'putus' });
    expect(rolesWaitedFor(sop, s)).toEqual(['opd']);
    s = act(sop, s, 'opd', 'resubmit', { changes: 'x' });
    expect(s).toMatchObject({ status: 'active', step: 'kaji' });
    expect(nextStepKeys(sop, at('putus')).sort()).toEqual(['kaji', 'kerja']);
  });

  it('the letter tells the OPD how it went, by outcome', () => {
    const sop = compile(OFFICE());
    const news = find(sop, 'send_letter').opdNews;
    const before = { ...at('putus'), pendingDecision: 'approve' };
    expect(news?.(before, at('kerja'))?.kind).toBe('case.approved');
    expect(news?.(before, { ...at('putus'), status: 'rejected' })?.kind).toBe('case.rejected');
    expect(news?.(before, { ...at('putus'), status: 'revision' })?.kind).toBe('case.returned');
    expect(find(sop, 'decide').opdSees).toBe(false);
    expect(find(sop, 'send_letter').opdSees).toEqual(['followUpLetter']);
  });

  it('a reason is required for outcomes that do not go on, unless the definition says otherwise', () => {
    const sop = compile(OFFICE());
    const input = find(sop, 'decide').input;
    expect(input.safeParse({ decision: 'approve' }).success).toBe(true);
    const r = input.safeParse({ decision: 'reject' });
    expect(r.error?.issues[0]).toMatchObject({
      path: ['reason'],
      message: 'a reason is required to reject or return',
    });
    const relaxed = compile(
      OFFICE(
        DECISION({
          outcomes: [
            { key: 'approve', label: T('Ya'), then: { goto: 'kerja' }, reasonRequired: true },
            { key: 'reject', label: T('Tidak'), then: { end: 'rejected' }, reasonRequired: false },
          ],
        }),
      ),
    );
    const i2 = find(relaxed, 'decide').input;
    expect(i2.safeParse({ decision: 'reject' }).success).toBe(true);
    expect(i2.safeParse({ decision: 'approve' }).error?.issues[0]?.message).toBe(
      'a reason is required to approve',
    );
    // No outcome revises: no resubmission.
    expect(relaxed.actions.some((a) => a.key === 'resubmit')).toBe(false);
  });

  it('without a letter (letter: false) the decision moves the case at once', () => {
    const sop = compile(OFFICE(DECISION({ letter: false, decidedBy: ['kabid'] })));
    expect(sop.actions.filter((a) => a.step === 'putus').map((a) => a.key)).toEqual(['decide', 'resubmit']);
    expect(act(sop, at('putus'), 'kabid', 'decide', { decision: 'approve' })).toMatchObject({
      status: 'active',
      step: 'kerja',
      pendingDecision: null,
    });
    expect(act(sop, at('putus'), 'kabid', 'decide', { decision: 'reject', reason: 'x' }).status).toBe(
      'rejected',
    );
    const back = act(sop, at('putus'), 'kabid', 'decide', { decision: 'return', reason: 'x' });
    expect(back).toMatchObject({ status: 'revision', step: 'putus' });
    expect(act(sop, back, 'opd', 'resubmit', { changes: 'x' }).step).toBe('kaji');
    expect(checkAction(sop, at('putus'), actor('umum'), 'decide')).toMatchObject({
      code: 'ACTION_FORBIDDEN',
    });
    const decide = find(sop, 'decide');
    expect(decide.targets).toEqual(['kerja']);
    expect(decide.opdSees).toEqual(['decision', 'reason']);
    expect(decide.opdNews?.(at('putus'), { ...at('putus'), status: 'rejected' })?.kind).toBe('case.rejected');
  });

  it('an outcome may end the case as done', () => {
    const sop = compile(
      OFFICE(
        DECISION({ outcomes: [{ key: 'enough', label: T('Cukup'), then: { end: 'done' } }], letter: false }),
      ),
    );
    expect(act(sop, at('putus'), 'kabid', 'decide', { decision: 'enough', reason: 'x' }).status).toBe('done');
  });

  it('draws its diamond from the outcomes; branches after steps are diamonds too, numbered in order', () => {
    const sop = compile([
      step('minta', 'request', 'opd'),
      step('putus', 'decision', 'aptika', { config: DECISION() }),
      step('kaji', 'review', 'aptika'),
      step('mulai', 'start_work', 'aptika', {
        config: { team: false },
        branch: {
          question: T('Perlu rapat?', 'A meeting?'),
          field: 'notes',
          outcomes: [
            { value: 'ya', label: T('Ya'), goto: 'kerja' },
            { value: 'tidak', label: T('Tidak'), goto: 'tutup' },
          ],
        },
      }),
      step('kerja', 'report', 'aptika'),
      step('tutup', 'closing', 'aptika'),
    ]);
    expect(sop.diamonds).toEqual([
      {
        step: 'putus',
        no: 1,
        question: T('Disetujui?', 'Approved?'),
        outcomes: [
          { key: 'approve', label: T('Disetujui', 'Approved'), to: 'kerja' },
          { key: 'reject', label: T('Ditolak', 'Rejected'), to: null, end: 'rejected' },
          { key: 'return', label: T('Dikembalikan', 'Returned'), to: 'kaji', revise: true },
        ],
      },
      {
        step: 'mulai',
        no: 2,
        question: T('Perlu rapat?', 'A meeting?'),
        outcomes: [
          { key: 'ya', label: T('Ya'), to: 'kerja' },
          { key: 'tidak', label: T('Tidak'), to: 'tutup' },
        ],
      },
    ]);
  });
});

describe('branches, renames, targets', () => {
  const sop = compile([
    step('minta', 'request', 'opd'),
    step('mulai', 'start_work', 'aptika', {
      config: { website: 'link' },
      branch: {
        question: T('Website sudah ada?', 'Does the website exist?'),
        field: 'websiteExists',
        outcomes: [
          { value: true, label: T('Ya'), goto: 'ubah' },
          { value: false, label: T('Tidak'), goto: 'buat' },
        ],
      },
    }),
    step('buat', 'report', 'aptika', { next: 'tutup', actionKeys: { report: 'report_new' } }),
    step('ubah', 'report', 'aptika', {
      actionKeys: { report: 'report_update' },
      actionTitles: { report: T('Laporkan update', 'Report the update') },
    }),
    step('tutup', 'closing', 'aptika'),
  ]);

  it('the completing action follows the branch on its payload; its targets are the ways', () => {
    const start = find(sop, 'start_work');
    expect(start.targets).toEqual(['ubah', 'buat']);
    expect(act(sop, at('mulai'), 'kabid', 'start_work', { websiteExists: true }).step).toBe('ubah');
    expect(act(sop, at('mulai'), 'kabid', 'start_work', { websiteExists: false }).step).toBe('buat');
    expect(nextStepKeys(sop, at('mulai'))).toEqual(['ubah', 'buat']);
  });

  it('renames keep the block’s action name; titles may be reworded; `next` skips a step', () => {
    const a = find(sop, 'report_new');
    expect(a).toMatchObject({ block: 'report', name: 'report', step: 'buat', targets: ['tutup'] });
    expect(find(sop, 'report_update')).toMatchObject({
      name: 'report',
      title: T('Laporkan update', 'Report the update'),
    });
    expect(a.title).toEqual({ id: 'Laporkan pelaksanaan', en: 'Report the work' });
    expect(sop.actions.some((x) => x.key === 'report')).toBe(false);
    expect(act(sop, at('buat'), 'staf', 'report_new', { summary: 'x' }).step).toBe('tutup');
  });

  it('start_work with a website link: exists/website fields with their hints; the OPD sees the path', () => {
    const start = find(sop, 'start_work');
    const props = actionInputJsonSchema(start).properties as Record<string, Record<string, unknown>>;
    expect(Object.keys(props)).toEqual(['websiteExists', 'websiteId', 'teamUserIds', 'notes']);
    expect(props.websiteId).toMatchObject({
      'x-loket-picker': 'website',
      'x-loket-prefill': 'case.website.id',
      'x-loket-hiddenWhen': { field: 'websiteExists', equals: false },
    });
    expect(props.teamUserIds).toMatchObject({
      'x-loket-picker': 'staffMulti',
      'x-loket-roles': ['kabid', 'subkoor', 'staf'],
    });
    expect(start.opdSees).toEqual(['path']);
    expect(start.input.safeParse({ websiteExists: true, teamUserIds: [] }).error?.issues[0]?.message).toBe(
      'assign at least one person',
    );
  });
});

describe('document, upload, registry, report, closing', () => {
  const sop = compile([
    step('minta', 'request', 'opd'),
    step('notulen', 'document', 'aptika', {
      config: {
        doc: 'notulen',
        title: T('Notulen', 'minutes'),
        fields: [
          { key: 'summary', label: T('Ringkasan', 'Summary'), type: 'textarea', max: 100 },
          { key: 'meeting', label: T('Rapat?', 'Meeting?'), type: 'boolean' },
          {
            key: 'place',
            label: T('Tempat', 'Place'),
            type: 'text',
            requiredWhen: { field: 'meeting', equals: true },
          },
        ],
      },
    }),
    step('foto', 'upload', 'aptika', {
      config: {
        file: { field: 'photos', kinds: ['jpeg', 'png'], max: 5, purpose: 'report' },
        fields: [{ key: 'caption', label: T('Keterangan', 'Caption'), type: 'text', max: 200 }],
      },
    }),
    step('pasang', 'registry', 'aptika', { config: { effect: 'website.install' } }),
    step('lapor', 'report', 'aptika', { config: { files: false } }),
    step('tutup', 'closing', 'aptika', { roles: ['kabid'] }),
  ]);

  it('the document is saved in versions (a mark) and completes only once saved', () => {
    expect(sop.actions.filter((a) => a.step === 'notulen').map((a) => [a.key, a.name])).toEqual([
      ['save_notulen', 'save'],
      ['complete_notulen', 'complete'],
    ]);
    expect(checkAction(sop, at('notulen'), actor('staf'), 'complete_notulen')).toMatchObject({
      code: 'ACTION_NOT_ALLOWED_NOW',
      reason: 'save a minutes first',
    });
    let s = act(sop, at('notulen'), 'staf', 'save_notulen', { summary: 'x', meeting: false });
    s = act(sop, s, 'staf', 'save_notulen', { summary: 'y', meeting: false });
    expect(s).toMatchObject({ step: 'notulen', marks: { 'doc:notulen': 2 } });
    expect(act(sop, s, 'staf', 'complete_notulen').step).toBe('foto');
    const save = find(sop, 'save_notulen');
    expect(save.opdSees).toBe(false);
    expect(save.input.safeParse({ summary: 'x', meeting: true }).error?.issues[0]).toMatchObject({
      path: ['place'],
      message: 'required',
    });
    expect(save.input.safeParse({ summary: 'x'.repeat(101), meeting: false }).success).toBe(false);
    expect(save.input.safeParse({ summary: '  ', meeting: false }).error?.issues[0]?.message).toBe(
      'required',
    );
    expect(actionInputJsonSchema(save).properties).toMatchObject({
      summary: { 'x-loket-widget': 'textarea', 'x-loket-label': T('Ringkasan', 'Summary') },
      place: { 'x-loket-requiredWhen': { field: 'meeting', equals: true } },
    });
  });

  it('the upload takes its file and fields (plus notes) and completes its step', () => {
    const up = find(sop, 'complete_foto');
    expect(up.files).toEqual([
      { field: 'photos', kinds: ['jpeg', 'png'], required: true, max: 5, purpose: 'report' },
    ]);
    expect(up.input.safeParse({ caption: 'x', notes: 'y' }).success).toBe(true);
    expect(up.input.safeParse({ caption: 'x', other: 1 }).success).toBe(false);
    expect(act(sop, at('foto'), 'staf', 'complete_foto', { caption: 'x' }).step).toBe('pasang');
  });

  it('the registry effect is recorded by record_<effect>, with pickers and prefills', () => {
    const rec = find(sop, 'record_website_install');
    expect(rec).toMatchObject({ block: 'registry', name: 'record', opdSees: ['hostname', 'url'] });
    expect(actionInputJsonSchema(rec).properties).toMatchObject({
      serverId: { 'x-loket-picker': 'server', 'x-loket-prefill': 'case.website.serverId' },
      hostname: { 'x-loket-picker': 'hostname', 'x-loket-prefill': 'case.website.hostname' },
      poolId: { 'x-loket-picker': 'pool' },
      siteAnswers: { 'x-loket-widget': 'confirm' },
    });
  });

  it('the report may go without files; the closing ends the case and tells the OPD', () => {
    expect(find(sop, 'report').files).toBeUndefined();
    const s = act(sop, act(sop, at('lapor'), 'staf', 'report', { summary: 'x' }), 'kabid', 'close');
    expect(s.status).toBe('done');
    expect(find(sop, 'close').opdNews?.(at('tutup'), s)).toEqual({
      kind: 'case.done',
      title: 'Pekerjaan selesai',
    });
    expect(rolesWaitedFor(sop, s)).toEqual([]);
  });
});

describe('declared fields', () => {
  it('become zod with the API’s messages and UI hints', () => {
    const schema = fieldsObject([
      {
        key: 'kind',
        label: T('Jenis'),
        type: 'choice',
        required: true,
        choices: [{ value: 'new', label: T('Baru') }],
      },
      {
        key: 'websiteId',
        label: T('Website'),
        type: 'website',
        required: false,
        requiredWhen: { field: 'kind', equals: 'update' },
      },
      { key: 'ip', label: T('IP'), type: 'ip', required: false },
      { key: 'ok', label: T('OK'), type: 'confirm', required: true },
      { key: 'count', label: T('Jumlah'), type: 'number', required: true, min: 1, max: 8 },
    ]);
    expect(schema.safeParse({ kind: 'new', ok: true, count: 2 }).success).toBe(true);
    expect(schema.safeParse({ kind: 'new', ok: true, count: 9 }).success).toBe(false);
    expect(schema.safeParse({ kind: 'old', ok: true, count: 2 }).success).toBe(false);
    expect(schema.safeParse({ kind: 'new', ok: false, count: 2 }).success).toBe(false);
    expect(schema.safeParse({ kind: 'new', ok: true, count: 2, ip: '10.0.0.300' }).success).toBe(false);
    const js = z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, unknown> };
    expect(js.properties.websiteId).toMatchObject({ 'x-loket-picker': 'website', format: 'uuid' });
    expect(js.properties.kind).toMatchObject({ enum: ['new'], 'x-loket-widget': 'radio' });
  });
});

describe('a small SOP: request → decision without a letter → closing', () => {
  const sop = compile([
    step('minta', 'request', 'opd'),
    step('putus', 'decision', 'kepala', {
      config: {
        question: T('Dapat dilayani?', 'Can it be served?'),
        outcomes: [
          { key: 'yes', label: T('Ya', 'Yes'), then: { goto: 'tutup' } },
          { key: 'no', label: T('Tidak', 'No'), then: { end: 'rejected' } },
        ],
        letter: false,
      },
    }),
    step('tutup', 'closing', 'aptika', { roles: ['kabid'] }),
  ]);

  it('compiles: numbered steps, roles from lanes, lane units, one diamond, no resubmission', () => {
    expect(sop.steps.map((s) => [s.no, s.key, s.block, s.roles])).toEqual([
      [1, 'minta', 'request', ['opd']],
      [2, 'putus', 'decision', ['kepala']],
      [3, 'tutup', 'closing', ['kabid']],
    ]);
    expect(sop.actions.map((a) => a.key)).toEqual(['submit', 'decide', 'close']);
    expect(sop.laneUnits).toEqual({
      opd: [],
      umum: ['SEKRETARIAT'],
      kepala: ['PIMPINAN'],
      aptika: ['APTIKA'],
    });
    expect(sop.diamonds).toHaveLength(1);
    expect(sop.definition.version).toBe(1);
  });

  it('the engine walks it with each role acting, and only then', () => {
    let s = initialState(sop);
    s = act(sop, s, 'opd', 'submit');
    expect(rolesWaitedFor(sop, s)).toEqual(['kepala']);
    expect(checkAction(sop, s, actor('kabid'), 'decide')).toMatchObject({ code: 'ACTION_FORBIDDEN' });
    expect(checkAction(sop, s, actor('kepala'), 'close')).toMatchObject({ code: 'ACTION_NOT_IN_STEP' });
    s = act(sop, s, 'kepala', 'decide', { decision: 'yes' });
    expect(s).toMatchObject({ status: 'active', step: 'tutup' });
    s = act(sop, s, 'kabid', 'close');
    expect(s.status).toBe('done');
    expect(checkAction(sop, s, actor('kabid'), 'close')).toMatchObject({ code: 'CASE_CLOSED' });
    const no = act(sop, act(sop, initialState(sop), 'opd', 'submit'), 'kepala', 'decide', {
      decision: 'no',
      reason: 'r',
    });
    expect(no.status).toBe('rejected');
  });
});
