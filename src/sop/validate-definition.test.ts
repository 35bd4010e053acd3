import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SopDefinitionInput } from './definition.ts';
import { validateDefinition } from './validate-definition.ts';

// The validator names every problem of a definition at once, each at its JSON path. Each case below
// breaks one thing in a sound definition and expects exactly that problem (among any others it
// causes), and the sound one passes.

const t = (id: string) => ({ id, en: id });
/** A decision outcome (its `then` written by key: an object with a `then` property looks like a promise to linters). */
const outcome = (key: string, then: object) => ({ key, label: t(key), ['then' as string]: then });

/** request → decision (approve → closing, reject → end) → closing. */
type Loose = Record<string, unknown> & { steps: Record<string, unknown>[]; lanes: Record<string, unknown>[] };

function sound(): Loose {
  const def: SopDefinitionInput = {
    key: 'izin',
    title: t('Layanan Izin'),
    refPrefix: 'IZN',
    lanes: [
      { key: 'opd', title: t('OPD'), roles: ['opd'] },
      { key: 'kepala', title: t('Kepala'), roles: ['kepala'] },
      { key: 'umum', title: t('Umum'), roles: ['umum'] },
    ],
    steps: [
      {
        key: 'permohonan',
        title: t('Permohonan'),
        lane: 'opd',
        block: 'request',
        config: { fields: [{ key: 'alasan', label: t('Alasan'), type: 'text' }] },
        standardTime: { minutes: 2 },
      },
      {
        key: 'keputusan',
        title: t('Keputusan'),
        lane: 'kepala',
        block: 'decision',
        config: {
          question: t('Disetujui?'),
          letter: false,
          outcomes: [outcome('approve', { goto: 'selesai' }), outcome('reject', { end: 'rejected' })],
        },
        standardTime: { minutes: 10 },
      },
      {
        key: 'selesai',
        title: t('Selesai'),
        lane: 'umum',
        block: 'closing',
        standardTime: { minutes: 5 },
      },
    ],
  };
  return def as unknown as Loose;
}

function problemsOf(def: unknown) {
  const r = validateDefinition(def);
  if (r.ok) return [];
  return r.problems;
}

function expectProblem(def: unknown, path: string, message?: RegExp) {
  const problems = problemsOf(def);
  const hit = problems.find((p) => p.path === path && (!message || message.test(p.message)));
  expect(
    hit,
    `expected a problem at ${path} ${message ?? ''}; got ${JSON.stringify(problems, null, 1)}`,
  ).toBeTruthy();
  return problems;
}

describe('validateDefinition', () => {
  it('accepts a sound definition and fills in the defaults', () => {
    const r = validateDefinition(sound());
    expect(r.ok, JSON.stringify(!r.ok && r.problems)).toBe(true);
    if (r.ok) {
      expect(r.def.related).toEqual([]);
      expect(r.def.steps[2]?.config).toEqual({});
    }
  });

  it('accepts every built-in definition as shipped (src/sop/definitions/*.json)', () => {
    const dir = new URL('./definitions/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files).toContain('website.json');
    for (const f of files) {
      const r = validateDefinition(JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
      expect(r.ok ? [] : r.problems, f).toEqual([]);
    }
  });

  it('names schema errors with their paths', () => {
    const d = sound();
    (d as Record<string, unknown>).refPrefix = 'izn';
    (d.steps[1] as Record<string, unknown>).standardTime = { hours: 1 };
    (d as Record<string, unknown>).colour = 'red';
    const problems = problemsOf(d);
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['refPrefix', 'steps.1.standardTime', '']),
    );
  });

  it('refuses what is not an object at all', () => {
    for (const bad of [null, [], 'x', 42, [sound()]]) {
      expect(validateDefinition(bad).ok).toBe(false);
    }
  });

  it('an unknown block', () => {
    const d = sound();
    d.steps[1] = { ...d.steps[1], block: 'teleport', config: {} };
    expectProblem(d, 'steps.1.block', /no block "teleport"/);
  });

  it('a block config its block refuses, under steps.N.config', () => {
    const d = sound();
    d.steps[1] = { ...d.steps[1], config: { question: t('?'), outcomes: 'all' } };
    const problems = problemsOf(d);
    expect(problems.some((p) => p.path.startsWith('steps.1.config'))).toBe(true);
  });

  it('a request field named like one every request has', () => {
    const d = sound();
    d.steps[0] = {
      ...d.steps[0],
      config: { fields: [{ key: 'subject', label: t('Perihal'), type: 'text' }] },
    };
    expectProblem(d, 'steps.0.config.fields.0.key', /every request has/);
  });

  it('duplicate step and lane keys', () => {
    const d = sound();
    d.lanes.push({ key: 'opd', title: t('OPD lagi'), roles: ['opd'] });
    d.steps.splice(2, 0, { ...d.steps[0], key: 'keputusan', block: 'closing', config: {} });
    const problems = problemsOf(d);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'lanes.3.key', message: expect.stringMatching(/duplicate lane/) }),
        expect.objectContaining({ path: 'steps.2.key', message: expect.stringMatching(/duplicate step/) }),
      ]),
    );
  });

  it('a step in an unknown lane', () => {
    const d = sound();
    d.steps[2] = { ...d.steps[2], lane: 'gudang' };
    expectProblem(d, 'steps.2.lane', /no lane "gudang"/);
  });

  it('a lane without roles, and step roles that are not roles', () => {
    const d = sound();
    d.lanes[2] = { ...d.lanes[2], roles: [] };
    d.steps[1] = { ...d.steps[1], roles: ['kepala', 'wizard'] };
    expectProblem(d, 'lanes.2.roles', /at least one role/);
    expectProblem(d, 'steps.1.roles.1');
  });

  it('targets that are no step: next, a branch goto, a decision outcome', () => {
    const d = sound();
    d.steps[0] = { ...d.steps[0], next: 'nowhere' };
    const cfg = d.steps[1]?.config as { outcomes: { then: unknown }[] };
    cfg.outcomes[0] = outcome('approve', { goto: 'atlantis' }) as unknown as { then: unknown };
    const problems = expectProblem(d, 'steps.0.next', /no step "nowhere"/);
    expect(
      problems.some((p) => p.path.startsWith('steps.1.config.outcomes.0') && /atlantis/.test(p.message)),
    ).toBe(true);
  });

  it('a branch to no step, and on a field the completing action does not take', () => {
    const d = sound();
    // registration completes with `register`; it has no field `websiteExists`.
    d.steps.splice(1, 0, {
      key: 'registrasi',
      title: t('Registrasi'),
      lane: 'umum',
      block: 'registration',
      standardTime: { minutes: 3 },
      branch: {
        question: t('Ada?'),
        field: 'websiteExists',
        outcomes: [
          { value: true, label: t('Ya'), goto: 'keputusan' },
          { value: false, label: t('Tidak'), goto: 'mars' },
        ],
      },
    });
    expectProblem(d, 'steps.1.branch.outcomes.1.goto', /no step "mars"/);
    expectProblem(d, 'steps.1.branch.field', /no field "websiteExists"/);
  });

  it('a first step that is not a request, and a request later on', () => {
    const d = sound();
    const [first, ...rest] = d.steps;
    d.steps = [...rest.slice(0, 1), first as Record<string, unknown>, ...rest.slice(1)];
    expectProblem(d, 'steps.0.block', /first step receives the request/);
    expectProblem(d, 'steps.1.block', /only the first step/);
  });

  it('a terminal block with next', () => {
    const d = sound();
    d.steps[2] = { ...d.steps[2], next: 'permohonan' };
    expectProblem(d, 'steps.2.next', /ends the case/);
  });

  it('a last step that neither ends the case nor names its next', () => {
    const d = sound();
    d.steps.push({
      key: 'arsip',
      title: t('Arsip'),
      lane: 'umum',
      block: 'registration',
      standardTime: { minutes: 3 },
    });
    // closing → (nothing leads to arsip), and arsip leads nowhere.
    expectProblem(d, 'steps.3', /last step must end the case/);
  });

  it('unreachable steps', () => {
    const d = sound();
    d.steps.splice(2, 0, {
      key: 'registrasi',
      title: t('Registrasi'),
      lane: 'umum',
      block: 'registration',
      standardTime: { minutes: 3 },
    });
    // keputusan's approve goes straight to selesai: registrasi is reached by nothing.
    expectProblem(d, 'steps.2', /unreachable/);
  });

  it('no way to end the case', () => {
    const d = sound();
    // A loop: registration ↔ disposition, never a closing.
    d.steps = [
      d.steps[0] as Record<string, unknown>,
      {
        key: 'registrasi',
        title: t('Registrasi'),
        lane: 'umum',
        block: 'registration',
        standardTime: { minutes: 3 },
      },
      {
        key: 'disposisi',
        title: t('Disposisi'),
        lane: 'kepala',
        block: 'disposition',
        standardTime: { minutes: 3 },
        next: 'registrasi',
      },
    ];
    expectProblem(d, 'steps', /no step ends the case/);
  });

  it('a decision without outcomes', () => {
    const d = sound();
    (d.steps[1]?.config as { outcomes: unknown[] }).outcomes = [];
    const problems = problemsOf(d);
    expect(problems.some((p) => p.path.startsWith('steps.1.config.outcomes'))).toBe(true);
  });

  it('action keys colliding within a step, and renames of actions the block lacks', () => {
    const d = sound();
    d.steps[1] = { ...d.steps[1], config: { ...(d.steps[1]?.config as object), letter: true } };
    d.steps[1] = { ...d.steps[1], actionKeys: { decide: 'send_letter', fly: 'away' } };
    expectProblem(
      d,
      'steps.1.actionKeys.decide',
      /two actions of this step would have the key "send_letter"/,
    );
    expectProblem(d, 'steps.1.actionKeys.fly', /no action "fly"/);
  });

  it('names every problem at once', () => {
    const d = sound();
    d.steps[0] = { ...d.steps[0], lane: 'gudang' };
    d.steps[1] = { ...d.steps[1], block: 'teleport' };
    d.steps[2] = { ...d.steps[2], next: 'permohonan' };
    (d as Record<string, unknown>).refPrefix = '1';
    const paths = problemsOf(d).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['steps.0.lane', 'steps.1.block', 'steps.2.next', 'refPrefix']),
    );
  });

  it('a step that fails its schema still names its key: targets pointing at it are no problem', () => {
    const website = JSON.parse(
      readFileSync(new URL('./definitions/website.json', import.meta.url), 'utf8'),
    ) as Loose;
    const at = (key: string) => website.steps.findIndex((s) => s.key === key);
    // The designer's user empties two titles: the steps the decision leads to and returns to.
    for (const key of ['mulai', 'pengkajian']) {
      website.steps[at(key)] = { ...website.steps[at(key)], title: { id: '', en: '' } };
    }
    const problems = problemsOf(website);
    expect(problems.map((p) => p.path).sort()).toEqual(
      [at('mulai'), at('pengkajian')].flatMap((i) => [`steps.${i}.title.id`, `steps.${i}.title.en`]).sort(),
    );
    // A broken step whose key is not a key at all does not stand for one: the target is unknown.
    website.steps[at('mulai')] = { ...website.steps[at('mulai')], key: 'Mulai!' };
    const keputusan = at('keputusan');
    expect(problemsOf(website)).toEqual(
      expect.arrayContaining([
        { path: `steps.${keputusan}.config.outcomes.0.then.goto`, message: 'no step mulai' },
      ]),
    );
    // Nor does one that is not an object; the other steps' checks still run in place.
    const d = sound();
    d.steps[2] = 'selesai' as unknown as Record<string, unknown>;
    expectProblem(d, 'steps.1.config.outcomes.0.then.goto', /no step selesai/);
  });

  it('refuses a body nested absurdly deep without walking it recursively', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const d = sound();
    d.steps[2] = { ...d.steps[2], config: { deep } };
    const problems = problemsOf(d);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toMatch(/^steps\.2\.config\.deep/);
  });
});
