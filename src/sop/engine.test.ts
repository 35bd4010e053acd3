// biome-ignore-all lint/suspicious/noThenProperty: a decision outcome's `then` is the definition's own word (src/sop/blocks/decision.ts)
import { describe, expect, it } from 'vitest';
import type { Role } from '../db/schema.ts';
import { compileDefinition } from './compile.ts';
import { sopDefinitionSchema } from './definition.ts';
import websiteJson from './definitions/website.json' with { type: 'json' };
import {
  actionInputJsonSchema,
  applyAction,
  availableActions,
  checkAction,
  type EngineActor,
  initialState,
  nextStepKeys,
  rolesWaitedFor,
  stepOf,
  unitsFor,
} from './engine.ts';
import type { CaseState } from './types.ts';

/** The website SOP, compiled from its definition (src/sop/definitions/website.json). */
const SOP = compileDefinition(sopDefinitionSchema.parse(websiteJson), 1);

const ROLES: Role[] = ['opd', 'umum', 'kepala', 'kabid', 'subkoor', 'staf', 'admin'];
const actor = (role: Role, ownsCase = true): EngineActor => ({
  roles: [role],
  ownsCase: role === 'opd' && ownsCase,
});

function act(state: CaseState, role: Role, key: string, payload: Record<string, unknown> = {}): CaseState {
  const c = checkAction(SOP, state, actor(role), key);
  if (!c.ok) throw new Error(`${role} ${key}: ${c.code} ${c.reason}`);
  return applyAction(state, c.action, payload).state;
}

/** Who may do what in a state: `role → action keys`. */
function allowed(state: CaseState): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of ROLES) {
    const keys = availableActions(SOP, state, actor(r)).map((a) => a.key);
    if (keys.length) out[r] = keys;
  }
  return out;
}

describe('the website SOP definition', () => {
  it('has the seed’s 11 steps, in order, with its standard times', () => {
    expect(SOP.steps.map((s) => s.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(SOP.steps.map((s) => s.standardTime)).toEqual([
      { minutes: 2 },
      { minutes: 3 },
      { minutes: 2 },
      { minutes: 25 },
      { minutes: 30 },
      { minutes: 15 },
      { workingDays: 3 },
      { workingDays: 7 },
      { minutes: 90 },
      { minutes: 2 },
      { minutes: 2 },
    ]);
    expect(stepOf(SOP, 'instalasi').inputs).toEqual([
      'Source code website',
      'IP publik',
      'Sub domain',
      'Konfigurasi jaringan',
    ]);
  });

  it('every action belongs to a real step, and every step but the last can be left', () => {
    const keys = new Set<string>(SOP.steps.map((s) => s.key));
    for (const a of SOP.actions) expect(keys.has(a.step), a.key).toBe(true);
    for (const s of SOP.steps)
      expect(
        SOP.actions.some((a) => a.step === s.key),
        s.key,
      ).toBe(true);
  });

  it('every action input has a JSON Schema for clients', () => {
    for (const a of SOP.actions) {
      const schema = actionInputJsonSchema(a);
      expect(schema.type, a.key).toBe('object');
    }
    const decide = actionInputJsonSchema(SOP.actions.find((a) => a.key === 'decide') as never);
    expect(decide.properties).toMatchObject({ decision: { enum: ['approve', 'reject', 'return'] } });
  });
});

describe('the engine, step by step (approved, new website)', () => {
  it('allows exactly the step’s role at every step', () => {
    let s = initialState(SOP);
    expect(s).toEqual({ status: 'draft', step: 'permohonan', pendingDecision: null, marks: {} });
    expect(allowed(s)).toEqual({ opd: ['submit'] });
    s = act(s, 'opd', 'submit');
    expect(s).toMatchObject({ status: 'active', step: 'registrasi' });
    expect(allowed(s)).toEqual({ umum: ['register'] });
    s = act(s, 'umum', 'register');
    expect(allowed(s)).toEqual({ kepala: ['dispose'] });
    s = act(s, 'kepala', 'dispose');
    expect(s.step).toBe('pengkajian');
    expect(allowed(s)).toEqual({ kabid: ['dispose_on', 'review'], subkoor: ['review'] });
    s = act(s, 'kabid', 'dispose_on');
    expect(s.step).toBe('pengkajian');
    s = act(s, 'subkoor', 'review');
    expect(s.step).toBe('keputusan');
    expect(allowed(s)).toEqual({ kabid: ['decide'] });
    expect(rolesWaitedFor(SOP, s)).toEqual(['kabid']);
    s = act(s, 'kabid', 'decide', { decision: 'approve' });
    expect(s).toMatchObject({ step: 'keputusan', pendingDecision: 'approve' });
    expect(allowed(s)).toEqual({ umum: ['send_letter'] });
    expect(rolesWaitedFor(SOP, s)).toEqual(['umum']);
    s = act(s, 'umum', 'send_letter');
    expect(s).toMatchObject({ step: 'mulai', pendingDecision: null });
    expect(allowed(s)).toEqual({ kabid: ['start_work'] });
    s = act(s, 'kabid', 'start_work');
    expect(allowed(s)).toEqual({ kabid: ['save_kak'], subkoor: ['save_kak'], staf: ['save_kak'] });
    s = act(s, 'staf', 'save_kak');
    s = act(s, 'staf', 'save_kak');
    expect(s.marks['doc:kak']).toBe(2);
    expect(allowed(s).staf).toEqual(['save_kak', 'complete_analysis']);
    s = act(s, 'staf', 'complete_analysis');
    expect(s.step).toBe('pembuatan');
    s = act(s, 'staf', 'complete_build');
    s = act(s, 'staf', 'record_installation');
    s = act(s, 'subkoor', 'report');
    expect(s.step).toBe('selesai');
    expect(allowed(s)).toEqual({ kabid: ['close'] });
    s = act(s, 'kabid', 'close');
    expect(s).toMatchObject({ status: 'done', step: 'selesai' });
    expect(allowed(s)).toEqual({});
    expect(rolesWaitedFor(SOP, s)).toEqual([]);
  });
});

describe('decisions', () => {
  const atDecision = (): CaseState => ({
    status: 'active',
    step: 'keputusan',
    pendingDecision: null,
    marks: {},
  });

  it('rejection ends the case once the follow-up letter is sent', () => {
    let s = act(atDecision(), 'kabid', 'decide', { decision: 'reject', reason: 'x' });
    s = act(s, 'umum', 'send_letter');
    expect(s).toMatchObject({ status: 'rejected' });
    expect(checkAction(SOP, s, actor('opd'), 'resubmit')).toMatchObject({ ok: false, code: 'CASE_CLOSED' });
  });

  it('return for revision pauses the case; only the owning OPD resubmits, back to review', () => {
    let s = act(atDecision(), 'kabid', 'decide', { decision: 'return', reason: 'x' });
    s = act(s, 'umum', 'send_letter');
    expect(s).toMatchObject({ status: 'revision', step: 'keputusan' });
    expect(allowed(s)).toEqual({ opd: ['resubmit'] });
    expect(rolesWaitedFor(SOP, s)).toEqual(['opd']);
    expect(checkAction(SOP, s, actor('opd', false), 'resubmit')).toMatchObject({
      ok: false,
      code: 'ACTION_FORBIDDEN',
    });
    s = act(s, 'opd', 'resubmit');
    expect(s).toMatchObject({ status: 'active', step: 'pengkajian' });
  });

  it('a decision cannot be taken twice, and no letter goes out before a decision', () => {
    expect(checkAction(SOP, atDecision(), actor('umum'), 'send_letter')).toMatchObject({
      ok: false,
      code: 'ACTION_NOT_ALLOWED_NOW',
    });
    const s = act(atDecision(), 'kabid', 'decide', { decision: 'approve' });
    expect(checkAction(SOP, s, actor('kabid'), 'decide')).toMatchObject({
      ok: false,
      code: 'ACTION_NOT_ALLOWED_NOW',
    });
  });

  it('a reason is required to reject or return, not to approve', () => {
    const decide = SOP.actions.find((a) => a.key === 'decide');
    expect(decide?.input.safeParse({ decision: 'approve' }).success).toBe(true);
    expect(decide?.input.safeParse({ decision: 'reject' }).success).toBe(false);
    expect(decide?.input.safeParse({ decision: 'return', reason: '  ' }).success).toBe(false);
    expect(nextStepKeys(SOP, atDecision()).sort()).toEqual(['mulai', 'pengkajian']);
  });
});

describe('forbidden transitions', () => {
  it('no role may act outside its step, skip a step, or act on a closed case', () => {
    const states: CaseState[] = [initialState(SOP)];
    for (const step of SOP.steps.slice(1)) {
      states.push({ status: 'active', step: step.key, pendingDecision: null, marks: { 'doc:kak': 1 } });
    }
    for (const s of states) {
      for (const a of SOP.actions) {
        for (const r of ROLES) {
          const c = checkAction(SOP, s, actor(r), a.key);
          if (c.ok) {
            expect(c.action.step, `${r} ${a.key} at ${s.step}`).toBe(s.step);
            expect(c.action.roles.includes(r), `${r} ${a.key}`).toBe(true);
          } else if (a.step !== s.step) {
            expect(['ACTION_NOT_IN_STEP'], `${r} ${a.key} at ${s.step}`).toContain(c.code);
          }
        }
      }
    }
  });

  it('an administrator holds no SOP step by being administrator', () => {
    const s: CaseState = { status: 'active', step: 'registrasi', pendingDecision: null, marks: {} };
    expect(checkAction(SOP, s, actor('admin'), 'register')).toMatchObject({
      ok: false,
      code: 'ACTION_FORBIDDEN',
    });
  });

  it('an OPD user of another OPD cannot submit or resubmit', () => {
    expect(checkAction(SOP, initialState(SOP), actor('opd', false), 'submit')).toMatchObject({
      ok: false,
      code: 'ACTION_FORBIDDEN',
    });
  });

  it('unknown actions and the analysis without a KAK are refused with a reason', () => {
    const s: CaseState = { status: 'active', step: 'analisis', pendingDecision: null, marks: {} };
    expect(checkAction(SOP, s, actor('staf'), 'teleport')).toMatchObject({
      ok: false,
      code: 'ACTION_UNKNOWN',
    });
    expect(checkAction(SOP, s, actor('staf'), 'complete_analysis')).toMatchObject({
      ok: false,
      code: 'ACTION_NOT_ALLOWED_NOW',
      reason: 'save a KAK first',
    });
  });

  it('a draft accepts nothing but its submission', () => {
    const s = initialState(SOP);
    for (const a of SOP.actions.filter((x) => x.key !== 'submit')) {
      for (const r of ROLES) expect(checkAction(SOP, s, actor(r), a.key).ok, `${r} ${a.key}`).toBe(false);
    }
  });
});

describe('a new SOP, compiled from data, walked through the engine alone', () => {
  // Not the website's: a consultation service over the same blocks, with its own lanes, keys and
  // decision. No code knows it; only the definition below does.
  const T = (id: string, en: string) => ({ id, en });
  const CONSULT = compileDefinition(
    sopDefinitionSchema.parse({
      key: 'konsultasi',
      title: T('Layanan Konsultasi Aplikasi', 'Application consultation'),
      refPrefix: 'KON',
      lanes: [
        { key: 'pemohon', title: T('OPD', 'OPD'), roles: ['opd'] },
        { key: 'tu', title: T('Tata Usaha', 'Office'), roles: ['umum'], units: ['SEKRETARIAT'] },
        { key: 'pimpinan', title: T('Kepala', 'Head'), roles: ['kepala'], units: ['PIMPINAN'] },
        {
          key: 'bidang',
          title: T('Bidang', 'Division'),
          roles: ['kabid', 'subkoor', 'staf'],
          units: ['APTIKA'],
        },
      ],
      steps: [
        {
          key: 'ajukan',
          title: T('Permohonan konsultasi', 'Consultation request'),
          lane: 'pemohon',
          block: 'request',
          config: { fields: [{ key: 'topic', label: T('Topik', 'Topic'), type: 'text', max: 200 }] },
          standardTime: { minutes: 2 },
        },
        {
          key: 'catat',
          title: T('Agenda', 'Agenda'),
          lane: 'tu',
          block: 'registration',
          standardTime: { minutes: 3 },
        },
        {
          key: 'teruskan',
          title: T('Disposisi', 'Disposition'),
          lane: 'pimpinan',
          block: 'disposition',
          standardTime: { minutes: 2 },
        },
        {
          key: 'telaah',
          title: T('Telaah', 'Review'),
          lane: 'bidang',
          block: 'review',
          standardTime: { minutes: 30 },
        },
        {
          key: 'setuju',
          title: T('Keputusan', 'Decision'),
          lane: 'bidang',
          roles: ['kabid', 'umum'],
          block: 'decision',
          config: {
            question: T('Dapat dilayani?', 'Can it be served?'),
            outcomes: [
              { key: 'layani', label: T('Dilayani', 'Served'), then: { goto: 'notulen' } },
              { key: 'lengkapi', label: T('Lengkapi', 'Complete it'), then: { revise: 'telaah' } },
              { key: 'tolak', label: T('Ditolak', 'Refused'), then: { end: 'rejected' } },
            ],
            decidedBy: ['kabid'],
            letterBy: ['umum'],
          },
          standardTime: { minutes: 30 },
        },
        {
          key: 'notulen',
          title: T('Notulen rapat', 'Meeting minutes'),
          lane: 'bidang',
          block: 'document',
          config: {
            doc: 'notulen',
            title: T('Notulen', 'minutes'),
            fields: [{ key: 'notes', label: T('Catatan', 'Notes'), type: 'textarea' }],
          },
          actionKeys: { complete: 'finish_minutes' },
          standardTime: { workingDays: 2 },
        },
        {
          key: 'berita',
          title: T('Berita acara', 'Signed record'),
          lane: 'bidang',
          block: 'upload',
          config: { file: { field: 'record', kinds: ['pdf'] } },
          standardTime: { workingDays: 1 },
        },
        {
          key: 'lapor',
          title: T('Laporan', 'Report'),
          lane: 'bidang',
          block: 'report',
          standardTime: { minutes: 10 },
        },
        {
          key: 'tutup',
          title: T('Selesai', 'Done'),
          lane: 'bidang',
          roles: ['kabid'],
          block: 'closing',
          standardTime: { minutes: 2 },
        },
      ],
    }),
    1,
  );
  const A = CONSULT;
  const go = (s: CaseState, role: Role, key: string, payload: Record<string, unknown> = {}) => {
    const c = checkAction(A, s, actor(role), key);
    if (!c.ok) throw new Error(`${role} ${key}: ${c.code} ${c.reason}`);
    expect(c.action.input.safeParse(payload).success, `${key} payload`).toBe(true);
    return applyAction(s, c.action, payload).state;
  };
  const who = (s: CaseState) => {
    const out: Record<string, string[]> = {};
    for (const r of ROLES) {
      const keys = availableActions(A, s, actor(r)).map((a) => a.key);
      if (keys.length) out[r] = keys;
    }
    return out;
  };

  it('runs from the request to its end, each role acting in turn, through a revision', () => {
    let s = initialState(A);
    expect(who(s)).toEqual({ opd: ['submit'] });
    s = go(s, 'opd', 'submit');
    expect(who(s)).toEqual({ umum: ['register'] });
    s = go(s, 'umum', 'register', {
      receivedAt: '2026-12-01T09:00:00+07:00',
      urgency: 'biasa',
      scanConfirmed: true,
    });
    expect(who(s)).toEqual({ kepala: ['dispose'] });
    const dispose = availableActions(A, s, actor('kepala'))[0];
    expect(dispose && unitsFor(A, s, dispose)).toEqual(['APTIKA']);
    s = go(s, 'kepala', 'dispose', {
      toUnitId: '00000000-0000-4000-8000-000000000001',
      instruction: 'pelajari',
    });
    s = go(s, 'subkoor', 'review', { findings: 'x', recommendation: 'lengkapi' });
    expect(who(s)).toEqual({ kabid: ['decide'] });
    s = go(s, 'kabid', 'decide', { decision: 'lengkapi', reason: 'data kurang' });
    s = go(s, 'umum', 'send_letter', { letterDate: '2026-12-01' });
    expect(s).toMatchObject({ status: 'revision', step: 'setuju' });
    expect(who(s)).toEqual({ opd: ['resubmit'] });
    s = go(s, 'opd', 'resubmit', { changes: 'dilengkapi' });
    expect(s).toMatchObject({ status: 'active', step: 'telaah' });
    s = go(s, 'kabid', 'review', { findings: 'y', recommendation: 'layani' });
    s = go(s, 'kabid', 'decide', { decision: 'layani' });
    s = go(s, 'umum', 'send_letter', { letterDate: '2026-12-01' });
    expect(s).toMatchObject({ status: 'active', step: 'notulen' });
    expect(who(s)).toEqual({ kabid: ['save_notulen'], subkoor: ['save_notulen'], staf: ['save_notulen'] });
    s = go(s, 'staf', 'save_notulen', { notes: 'rapat 1' });
    expect(who(s).staf).toEqual(['save_notulen', 'finish_minutes']);
    s = go(s, 'staf', 'finish_minutes');
    expect(who(s).staf).toEqual(['complete_berita']);
    s = go(s, 'staf', 'complete_berita');
    s = go(s, 'subkoor', 'report', { summary: 'selesai' });
    expect(who(s)).toEqual({ kabid: ['close'] });
    s = go(s, 'kabid', 'close');
    expect(s).toMatchObject({ status: 'done', step: 'tutup', marks: { 'doc:notulen': 1 } });
    expect(who(s)).toEqual({});
  });

  it('a refusal ends it once the letter is sent; the chart knows the ways', () => {
    const atDecision: CaseState = { status: 'active', step: 'setuju', pendingDecision: null, marks: {} };
    expect(nextStepKeys(A, atDecision).sort()).toEqual(['notulen', 'telaah']);
    expect(A.diamonds.map((d) => [d.step, d.no, d.outcomes.map((o) => o.to)])).toEqual([
      ['setuju', 1, ['notulen', 'telaah', null]],
    ]);
    const s = go(
      go(atDecision, 'kabid', 'decide', { decision: 'tolak', reason: 'r' }),
      'umum',
      'send_letter',
      {
        letterDate: '2026-12-01',
      },
    );
    expect(s.status).toBe('rejected');
    expect(go({ ...atDecision }, 'kabid', 'decide', { decision: 'layani' }).pendingDecision).toBe('layani');
  });
});
