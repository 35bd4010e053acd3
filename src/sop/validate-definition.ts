import { z } from 'zod';
import { BLOCKS } from './blocks/index.ts';
import { RESERVED_REQUEST_KEYS } from './blocks/request.ts';
import { compileDefinition, compileProblems } from './compile.ts';
import {
  type DefinitionProblem,
  defKey,
  laneSchema,
  type SopDefinition,
  type StepDefinition,
  sopDefinitionSchema,
  stepSchema,
} from './definition.ts';
import type { BlockAction, BlockContext, BlockDef } from './types.ts';

// Is a definition sound? (docs/adr/0017-publishing-sops.md) The schema (definition.ts) says what a
// definition looks like; this says whether Loket can run it: every block known and configured, every
// step reachable from the request and able to reach an end, every target a step, every key unique.
// It names EVERY problem at once, each at a JSON path the designer can show next to its field
// (`steps.3.block`, `steps.4.config.outcomes.0.then.goto`, …). Pure: no database.

export type ValidationResult =
  | { ok: true; def: SopDefinition }
  | { ok: false; problems: DefinitionProblem[] };

/** A step key no definition can use (keys are lowercase), standing for "the step after this one". */
const PROBE = '__next__';

const pathOf = (...parts: (string | number | readonly PropertyKey[])[]): string =>
  parts
    .flatMap((p) => (Array.isArray(p) ? p : [p]))
    .map(String)
    .filter((p) => p !== '')
    .join('.');

function zodProblems(error: z.ZodError, prefix: (string | number)[] = []): DefinitionProblem[] {
  return error.issues.map((i) => ({ path: pathOf(...prefix, i.path as PropertyKey[]), message: i.message }));
}

/** The names of the fields an action's input takes (its object schema's keys). */
function inputFields(input: z.ZodType): Set<string> | null {
  try {
    const js = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, unknown>;
    };
    return new Set(Object.keys(js.properties ?? {}));
  } catch {
    return null;
  }
}

/** Where in a step's config a step key is named (a decision's `then.goto`, …), for the problem's path. */
function findKeyInConfig(
  value: unknown,
  key: string,
  at: (string | number)[] = [],
): (string | number)[] | null {
  if (value === key) return at;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findKeyInConfig(value[i], key, [...at, i]);
      if (p) return p;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = findKeyInConfig(v, key, [...at, k]);
      if (p) return p;
    }
  }
  return null;
}

type Built = {
  index: number;
  step: StepDefinition;
  block: BlockDef<unknown>;
  cfg: unknown;
  /** The actions with the step's renames applied. */
  actions: BlockAction[];
  /** Steps it can lead to. */
  targets: string[];
  /** Does the step end the case (a terminal block, or a decision outcome that ends it)? */
  ends: boolean;
};

/**
 * Checks a definition as a client sent it (anything) and answers the parsed definition (defaults
 * applied), or every problem found. A definition it accepts compiles.
 */
export function validateDefinition(input: unknown): ValidationResult {
  const tooDeep = deeperThan(input, MAX_DEPTH);
  if (tooDeep !== null) {
    return { ok: false, problems: [{ path: tooDeep, message: `nested deeper than ${MAX_DEPTH} levels` }] };
  }
  const problems: DefinitionProblem[] = [];
  const parsed = sopDefinitionSchema.safeParse(input);
  if (!parsed.success) problems.push(...zodProblems(parsed.error));

  // The rest is checked on what parsed: each lane and step on its own, so that one step's typo does
  // not hide another step's unknown block.
  const raw = (input && typeof input === 'object' && !Array.isArray(input) ? input : {}) as Record<
    string,
    unknown
  >;
  const rawLanes = Array.isArray(raw.lanes) ? raw.lanes : [];
  const rawSteps = Array.isArray(raw.steps) ? raw.steps : [];
  const lanes = parsed.success
    ? parsed.data.lanes
    : rawLanes.flatMap((l) => {
        const r = laneSchema.safeParse(l);
        return r.success ? [r.data] : [];
      });
  const stepResults = parsed.success
    ? parsed.data.steps.map((s) => ({ success: true as const, data: s }))
    : rawSteps.map((s) => stepSchema.safeParse(s));
  const allStepsParsed = stepResults.every((r) => r.success);
  /** Every step key the definition names (even of a step that has other problems). */
  const stepKeys = new Set<string>(
    rawSteps.flatMap((s) => {
      const k = (s as { key?: unknown } | null)?.key;
      return defKey.safeParse(k).success ? [k as string] : [];
    }),
  );

  // Lanes: unique keys (a lane without roles is the schema's).
  const laneByKey = new Map<string, (typeof lanes)[number]>();
  rawLanes.forEach((l, i) => {
    const k = (l as { key?: unknown } | null)?.key;
    if (typeof k !== 'string') return;
    if (laneByKey.has(k) || rawLanes.slice(0, i).some((o) => (o as { key?: unknown } | null)?.key === k)) {
      problems.push({ path: `lanes.${i}.key`, message: `duplicate lane key "${k}"` });
    }
    const lane = lanes.find((x) => x.key === k);
    if (lane && !laneByKey.has(k)) laneByKey.set(k, lane);
  });

  // Steps: unique keys.
  rawSteps.forEach((s, i) => {
    const k = (s as { key?: unknown } | null)?.key;
    if (
      typeof k === 'string' &&
      rawSteps.slice(0, i).some((o) => (o as { key?: unknown } | null)?.key === k)
    ) {
      problems.push({ path: `steps.${i}.key`, message: `duplicate step key "${k}"` });
    }
  });

  // What the blocks see of the definition (their checks look up other steps: a decision's targets,
  // the lane the next step is in, a document step before this one). When a step failed its schema
  // it is still there, as far as it can be read — its key above all — so that a typo in one step's
  // title does not make every target naming it "no step".
  const sopForContext = (
    parsed.success
      ? parsed.data
      : { ...raw, lanes, steps: stepResults.map((r, i) => (r.success ? r.data : looseStep(rawSteps[i]))) }
  ) as SopDefinition;
  const built: (Built | null)[] = stepResults.map((r, index) => {
    if (!r.success) return null;
    const step = r.data;
    const at = (...p: (string | number | readonly PropertyKey[])[]) => pathOf('steps', index, ...p);
    const lane = laneByKey.get(step.lane);
    if (!lane && !rawLanes.some((l) => (l as { key?: unknown } | null)?.key === step.lane)) {
      problems.push({ path: at('lane'), message: `no lane "${step.lane}"` });
    }
    if (step.next !== undefined && !stepKeys.has(step.next)) {
      problems.push({ path: at('next'), message: `no step "${step.next}"` });
    }
    if (step.next !== undefined && step.next === step.key) {
      problems.push({ path: at('next'), message: 'a step cannot lead to itself' });
    }
    step.branch?.outcomes.forEach((o, j) => {
      if (!stepKeys.has(o.goto)) {
        problems.push({ path: at('branch', 'outcomes', j, 'goto'), message: `no step "${o.goto}"` });
      }
    });
    if (step.branch) {
      const values = step.branch.outcomes.map((o) => o.value);
      values.forEach((v, j) => {
        if (values.indexOf(v) !== j) {
          problems.push({
            path: at('branch', 'outcomes', j, 'value'),
            message: `duplicate value ${JSON.stringify(v)}`,
          });
        }
      });
    }

    const block = BLOCKS[step.block] as BlockDef<unknown> | undefined;
    if (!block) {
      problems.push({
        path: at('block'),
        message: `no block "${step.block}" (the catalogue: ${Object.keys(BLOCKS).sort().join(', ')})`,
      });
      return null;
    }
    if (index === 0 && !block.first) {
      problems.push({
        path: at('block'),
        message: `the first step receives the request: it must be a block that can (${firstBlocks()}), not "${step.block}"`,
      });
    }
    if (index > 0 && block.first) {
      problems.push({
        path: at('block'),
        message: `"${step.block}" receives the request: only the first step may`,
      });
    }
    if (block.terminal && step.next !== undefined) {
      problems.push({ path: at('next'), message: `"${step.block}" ends the case: it has no next step` });
    }
    if (block.terminal && step.branch !== undefined) {
      problems.push({ path: at('branch'), message: `"${step.block}" ends the case: it has no branch` });
    }

    const cfg = block.config.safeParse(step.config);
    if (!cfg.success) {
      problems.push(...zodProblems(cfg.error, ['steps', index, 'config']));
      return null;
    }
    if (block.first) {
      const fields = (cfg.data as { fields?: { key: string }[] }).fields ?? [];
      fields.forEach((f, j) => {
        if (RESERVED_REQUEST_KEYS.includes(f.key)) {
          problems.push({
            path: at('config', 'fields', j, 'key'),
            message: `"${f.key}" is a field every request has: name this one otherwise`,
          });
        }
      });
    }
    const roles = step.roles ?? lane?.roles ?? [];
    const following = stepResults[index + 1];
    const next =
      step.next ??
      (following?.success
        ? following.data.key
        : ((rawSteps[index + 1] as { key?: string } | undefined)?.key ?? null));
    const ctx = (n: string | null): BlockContext => ({
      sop: sopForContext,
      step,
      index,
      next: n,
      roles,
      branch: step.branch,
    });
    let actions: BlockAction[];
    let probed: BlockAction[];
    try {
      for (const p of block.check?.(cfg.data, ctx(next)) ?? []) {
        problems.push({ path: at('config', p.path === '' ? [] : p.path.split('.')), message: p.message });
      }
      actions = block.actions(cfg.data, ctx(next));
      // Built again with a step after it that no definition can name, without the branch: the
      // actions that lead to "the next step" are the step's completing ones.
      probed = block.actions(cfg.data, { ...ctx(PROBE), branch: undefined });
    } catch (e) {
      problems.push({
        path: at('config'),
        message: `the block cannot use this step: ${(e as Error).message}`,
      });
      return null;
    }
    const completing = new Set(probed.filter((a) => a.targets.includes(PROBE)).map((a) => a.key));

    // Renames and wording: of actions the block has; keys unique within the step.
    const names = new Set(actions.map((a) => a.name));
    for (const [prop, map] of [
      ['actionKeys', step.actionKeys],
      ['actionTitles', step.actionTitles],
    ] as const) {
      for (const name of Object.keys(map ?? {})) {
        if (!names.has(name)) {
          problems.push({
            path: at(prop, name),
            message: `"${step.block}" has no action "${name}" (it has: ${[...names].join(', ')})`,
          });
        }
      }
    }
    const renamed = actions.map((a) => ({ ...a, key: step.actionKeys?.[a.name] ?? a.key }));
    for (const key of new Set(renamed.map((a) => a.key))) {
      const same = renamed.filter((a) => a.key === key);
      if (same.length < 2) continue;
      const by = same.filter((a) => step.actionKeys?.[a.name] !== undefined);
      for (const p of by.length > 0 ? by.map((a) => at('actionKeys', a.name)) : [at('actionKeys')]) {
        problems.push({ path: p, message: `two actions of this step would have the key "${key}"` });
      }
    }

    if (completing.size > 0 && next === null && step.next === undefined && !step.branch) {
      problems.push({
        path: at(),
        message: 'the last step must end the case (a closing block) or name its next step',
      });
    }
    if (step.branch) {
      if (completing.size === 0) {
        problems.push({
          path: at('branch'),
          message: `"${step.block}" has no action that completes the step to branch on`,
        });
      }
      for (const a of probed.filter((x) => completing.has(x.key))) {
        const fields = inputFields(a.input);
        if (fields && !fields.has(step.branch.field)) {
          problems.push({
            path: at('branch', 'field'),
            message: `the action "${a.key}" has no field "${step.branch.field}" (it has: ${[...fields].join(', ') || 'none'})`,
          });
        }
      }
    }

    // Where the actions lead; targets the block read from its config must be steps too.
    const targets = [...new Set(actions.flatMap((a) => a.targets))];
    for (const target of targets) {
      if (
        stepKeys.has(target) ||
        target === step.next ||
        step.branch?.outcomes.some((o) => o.goto === target)
      )
        continue;
      if (target === next && next !== null) continue;
      const inConfig = findKeyInConfig(step.config, target);
      const path = inConfig ? at('config', inConfig) : at();
      // The block's own check may have named it already.
      if (!problems.some((p) => p.path === path)) problems.push({ path, message: `no step "${target}"` });
    }
    let diamond: ReturnType<NonNullable<BlockDef['diamond']>> = null;
    try {
      diamond = block.diamond?.(cfg.data, ctx(next)) ?? null;
    } catch {
      diamond = null;
    }
    if (block.diamond && diamond && diamond.outcomes.length === 0) {
      problems.push({ path: at('config', 'outcomes'), message: 'a decision needs at least one outcome' });
    }
    const ends = Boolean(block.terminal) || Boolean(diamond?.outcomes.some((o) => o.end !== undefined));
    return { index, step, block, cfg: cfg.data, actions: renamed, targets, ends };
  });

  // The graph: from the request, every step reached, and from every step reached, a way to an end.
  if (allStepsParsed && built.every((b) => b !== null) && rawSteps.length > 0) {
    const steps = built as Built[];
    const byKey = new Map(steps.map((b) => [b.step.key, b]));
    const reached = new Set<string>();
    const queue = [steps[0]?.step.key as string];
    while (queue.length > 0) {
      const k = queue.shift() as string;
      if (reached.has(k)) continue;
      reached.add(k);
      for (const t of byKey.get(k)?.targets ?? []) if (!reached.has(t)) queue.push(t);
    }
    for (const b of steps) {
      if (!reached.has(b.step.key)) {
        problems.push({
          path: `steps.${b.index}`,
          message: `no step leads to "${b.step.key}": it is unreachable`,
        });
      }
    }
    const canEnd = new Set(steps.filter((b) => b.ends).map((b) => b.step.key));
    for (let changed = true; changed; ) {
      changed = false;
      for (const b of steps) {
        if (!canEnd.has(b.step.key) && b.targets.some((t) => canEnd.has(t))) {
          canEnd.add(b.step.key);
          changed = true;
        }
      }
    }
    if (!steps.some((b) => b.ends)) {
      problems.push({ path: 'steps', message: 'no step ends the case (e.g. a closing step)' });
    } else if (!canEnd.has(steps[0]?.step.key as string)) {
      problems.push({ path: 'steps', message: 'no way leads from the request to an end of the case' });
    } else {
      for (const b of steps) {
        if (reached.has(b.step.key) && !canEnd.has(b.step.key)) {
          problems.push({
            path: `steps.${b.index}`,
            message: `once at "${b.step.key}", the case can never end`,
          });
        }
      }
    }
  }

  // Whatever the compiler would refuse too (its own list, engine's): a problem at a path named above
  // already is not named twice.
  if (parsed.success) {
    let more: DefinitionProblem[];
    try {
      more = compileProblems(parsed.data);
    } catch (e) {
      more = [{ path: '', message: `the definition does not compile: ${(e as Error).message}` }];
    }
    for (const p of more) if (!problems.some((q) => q.path === p.path)) problems.push(p);
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems: dedupe(problems) };
  try {
    compileDefinition(parsed.data, 1);
  } catch (e) {
    return {
      ok: false,
      problems: [{ path: '', message: `the definition does not compile: ${(e as Error).message}` }],
    };
  }
  return { ok: true, def: parsed.data };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A step that failed its schema, as far as the blocks' checks can read it: its key when it is a
 * valid one (else none), its block and lane names when they are text, its config and action renames
 * when they are objects (nothing else: a check reads no other step's roles or branch). Kept at its place, so that "the steps before this one" stay right.
 */
function looseStep(raw: unknown): StepDefinition {
  const r = isRecord(raw) ? raw : {};
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    key: defKey.safeParse(r.key).success ? (r.key as string) : '',
    block: text(r.block),
    lane: text(r.lane),
    config: isRecord(r.config) ? r.config : {},
    actionKeys: isRecord(r.actionKeys) ? r.actionKeys : undefined,
    actionTitles: isRecord(r.actionTitles) ? r.actionTitles : undefined,
    next: defKey.safeParse(r.next).success ? r.next : undefined,
    title: isRecord(r.title) ? r.title : { id: '', en: '' },
  } as unknown as StepDefinition;
}

/** No definition nests this deep; a body that does is refused before anything walks it recursively. */
const MAX_DEPTH = 24;

/** The path of the first value nested deeper than `max` (iteratively: any depth is safe), or null. */
function deeperThan(value: unknown, max: number): string | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop() as { v: unknown; path: string; depth: number };
    if (!v || typeof v !== 'object') continue;
    if (depth >= max) return path;
    for (const [k, child] of Object.entries(v)) {
      stack.push({ v: child, path: path === '' ? k : `${path}.${k}`, depth: depth + 1 });
    }
  }
  return null;
}

function firstBlocks(): string {
  return Object.values(BLOCKS)
    .filter((b) => b.first)
    .map((b) => b.key)
    .join(', ');
}

function dedupe(problems: DefinitionProblem[]): DefinitionProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.path}\n${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
