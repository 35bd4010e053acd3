import { z } from 'zod';
import type { Role } from '../db/schema.ts';
import { branchTarget } from './blocks/common.ts';
import { BLOCKS } from './blocks/index.ts';
import type { DefinitionProblem, SopDefinition } from './definition.ts';
import type { ActionDef, BlockAction, BlockContext, Diamond, Effect, SopDef, StepDef } from './types.ts';

// Compiling a definition (data) into the engine's runtime SopDef (docs/adr/0016-sop-blocks.md):
// each step's block validates the step's config and builds the step's actions; the step's renames
// and wording are applied; diamonds are drawn from decisions and branches. Pure.

/** Where step `index` of a definition stands, as its block sees it. Throws on an unknown lane. */
export function contextOf(def: SopDefinition, index: number): BlockContext {
  const step = def.steps[index];
  if (!step) throw new Error(`steps.${index}: no such step`);
  const lane = def.lanes.find((l) => l.key === step.lane);
  if (!lane) throw new Error(`steps.${index}.lane: no lane ${step.lane}`);
  const block = BLOCKS[step.block];
  const next = block?.terminal ? null : (step.next ?? def.steps[index + 1]?.key ?? null);
  return {
    sop: def,
    step,
    index,
    next,
    roles: (step.roles ?? lane.roles) as readonly Role[],
    branch: step.branch,
  };
}

/** The step's completing action follows its branch: to the way the payload's field picks. */
function followBranch(a: BlockAction, at: BlockContext): BlockAction {
  const branch = at.branch;
  const next = at.next;
  if (!branch || next === null || !a.targets.includes(next)) return a;
  const ways = [...new Set(branch.outcomes.map((o) => o.goto))];
  const effect = (s: Parameters<ActionDef['effect']>[0], p: Record<string, unknown>): Effect => {
    const e = a.effect(s, p);
    if (e.kind !== 'advance' || e.to !== next) return e;
    const to = branchTarget(branch, p);
    return to ? { kind: 'advance', to } : e;
  };
  return { ...a, effect, targets: [...new Set([...a.targets.filter((t) => t !== next), ...ways])] };
}

const configs = new WeakMap<SopDef, Map<string, unknown>>();

/** A compiled step's block config (validated, defaults applied). */
export function stepConfig<C = Record<string, unknown>>(sop: SopDef, stepKey: string): C {
  let m = configs.get(sop);
  if (!m) {
    // A copy of a compiled SOP (e.g. a version with other standard times): read its definition.
    m = new Map();
    configs.set(sop, m);
  }
  if (!m.has(stepKey)) {
    const step = sop.definition.steps.find((s) => s.key === stepKey);
    const block = step && BLOCKS[step.block];
    if (!step || !block) throw new Error(`SOP ${sop.key} v${sop.version} has no step ${stepKey}`);
    m.set(stepKey, block.config.parse(step.config));
  }
  return m.get(stepKey) as C;
}

const at = (path: string, sub: string) => (sub ? `${path}.${sub}` : path);

/**
 * Every problem that keeps a (syntactically valid) definition from compiling, each with its path:
 * duplicate step keys, unknown lanes, blocks and steps, configs their block refuses (and the
 * block's own checks), renames of actions the block does not build, a branch on a field the step's
 * completing action does not take, a first step that does not receive the request. Whether every
 * step is reachable and every lane has a role are the definition validator's to say.
 */
export function compileProblems(def: SopDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const keys = new Set<string>();
  def.steps.forEach((step, index) => {
    const here = `steps.${index}`;
    if (keys.has(step.key)) problems.push({ path: `${here}.key`, message: `duplicate step ${step.key}` });
    keys.add(step.key);
  });
  def.steps.forEach((step, index) => {
    const here = `steps.${index}`;
    const block = BLOCKS[step.block];
    if (!def.lanes.some((l) => l.key === step.lane)) {
      problems.push({ path: `${here}.lane`, message: `no lane ${step.lane}` });
    }
    if (!block) {
      problems.push({ path: `${here}.block`, message: `unknown block ${step.block}` });
      return;
    }
    if (index === 0 && !block.first) {
      problems.push({
        path: `${here}.block`,
        message: 'the first step must receive the request (a request block)',
      });
    }
    if (index > 0 && block.first) {
      problems.push({ path: `${here}.block`, message: `${step.block} can only be the first step` });
    }
    if (step.next !== undefined && !keys.has(step.next)) {
      problems.push({ path: `${here}.next`, message: `no step ${step.next}` });
    }
    step.branch?.outcomes.forEach((o, j) => {
      if (!keys.has(o.goto))
        problems.push({ path: `${here}.branch.outcomes.${j}.goto`, message: `no step ${o.goto}` });
    });
    if (problems.some((p) => p.path === `${here}.lane`)) return;
    const parsed = block.config.safeParse(step.config);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        problems.push({ path: at(`${here}.config`, i.path.join('.')), message: i.message });
      }
      return;
    }
    const ctx = contextOf(def, index);
    const checked = block.check?.(parsed.data, ctx) ?? [];
    for (const p of checked) problems.push({ path: at(`${here}.config`, p.path), message: p.message });
    if (checked.length > 0) return;
    const built = block.actions(parsed.data, ctx);
    const names = new Set(built.map((a) => a.name));
    for (const [what, renames] of [
      ['actionKeys', step.actionKeys],
      ['actionTitles', step.actionTitles],
    ] as const) {
      for (const name of Object.keys(renames ?? {})) {
        if (!names.has(name)) {
          problems.push({ path: `${here}.${what}.${name}`, message: `this step has no action ${name}` });
        }
      }
    }
    const apiKeys = built.map((a) => step.actionKeys?.[a.name] ?? a.key);
    const twice = apiKeys.find((k, i) => apiKeys.indexOf(k) !== i);
    if (twice)
      problems.push({ path: `${here}.actionKeys`, message: `two actions of the step are called ${twice}` });
    if (step.branch) {
      const completing = built.find((a) => ctx.next !== null && a.targets.includes(ctx.next));
      const fields = completing ? Object.keys(inputProperties(completing.input)) : [];
      if (!completing) {
        problems.push({ path: `${here}.branch`, message: 'this step has no action that completes it' });
      } else if (!fields.includes(step.branch.field)) {
        problems.push({
          path: `${here}.branch.field`,
          message: `the step's ${completing.name} takes no field ${step.branch.field}`,
        });
      }
    }
  });
  return problems;
}

function inputProperties(input: z.ZodType): Record<string, unknown> {
  const js = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
  };
  return js.properties ?? {};
}

/**
 * The runtime SOP of a definition at a version. Throws an Error naming the first problem when the
 * definition is unsound (callers validate it first and name every problem: `compileProblems`).
 */
export function compileDefinition(def: SopDefinition, version: number): SopDef {
  const first = compileProblems(def)[0];
  if (first) throw new Error(`${first.path}: ${first.message}`);
  const steps: StepDef[] = [];
  const actions: ActionDef[] = [];
  const diamonds: Diamond[] = [];
  const cfgs = new Map<string, unknown>();
  def.steps.forEach((step, index) => {
    const block = BLOCKS[step.block];
    if (!block) throw new Error(`steps.${index}.block: unknown block ${step.block}`);
    const at = contextOf(def, index);
    const parsed = block.config.safeParse(step.config);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new Error(`steps.${index}.config.${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`);
    }
    const cfg = parsed.data;
    cfgs.set(step.key, cfg);
    steps.push({
      key: step.key,
      no: index + 1,
      title: step.title,
      short: step.short,
      lane: step.lane,
      roles: at.roles,
      block: step.block,
      standardTime: step.standardTime,
      inputs: step.inputs,
      outputs: step.outputs,
      notes: step.notes,
    });
    for (const built of block.actions(cfg, at)) {
      const a = followBranch(built, at);
      actions.push({
        ...a,
        key: step.actionKeys?.[a.name] ?? a.key,
        title: step.actionTitles?.[a.name] ?? a.title,
        block: block.key,
        step: step.key,
      });
    }
    const d = block.diamond?.(cfg, at);
    if (d) diamonds.push({ ...d, step: step.key, no: diamonds.length + 1 });
    if (step.branch) {
      diamonds.push({
        step: step.key,
        no: diamonds.length + 1,
        question: step.branch.question,
        outcomes: step.branch.outcomes.map((o) => ({ key: String(o.value), label: o.label, to: o.goto })),
      });
    }
  });
  const sop: SopDef = {
    key: def.key,
    version,
    title: def.title,
    purpose: def.purpose,
    requirements: def.requirements,
    refPrefix: def.refPrefix,
    lanes: def.lanes,
    steps,
    actions,
    diamonds,
    laneUnits: Object.fromEntries(def.lanes.map((l) => [l.key, l.units])),
    related: def.related,
    equipment: def.equipment,
    warnings: def.warnings,
    records: def.records,
    definition: { ...def, version },
  };
  configs.set(sop, cfgs);
  return sop;
}
