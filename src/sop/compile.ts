import type { Role } from '../db/schema.ts';
import { branchTarget } from './blocks/common.ts';
import { BLOCKS } from './blocks/index.ts';
import type { SopDefinition } from './definition.ts';
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

/**
 * The runtime SOP of a definition at a version. Throws an Error naming the first problem when the
 * definition is unsound (callers validate it first and name every problem).
 */
export function compileDefinition(def: SopDefinition, version: number): SopDef {
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
