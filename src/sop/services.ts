import { z } from 'zod';
import { requestInputJsonSchema } from '../cases/request-schema.ts';
import { ROLES } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { BLOCKS } from './blocks/index.ts';
import { allCurrentSopsWithRetired, currentSopOrNull, hasSopVersion, sopVersion } from './catalogue.ts';
import { type SopDefinition, sopDefinitionSchema } from './definition.ts';
import type { BlockDef, SopDef } from './types.ts';

// The service catalogue as the API serves it (docs/api.md "Services"): what an OPD reads before it
// files a request, the chart's steps and diamonds, and the JSON Schema of the request's own fields.

const bilingualOut = z.object({ id: z.string(), en: z.string() });
const role = z.enum(ROLES);
const standardTime = z.union([z.object({ minutes: z.number() }), z.object({ workingDays: z.number() })]);

export const serviceStepOut = z.object({
  key: z.string(),
  no: z.number(),
  title: bilingualOut,
  short: bilingualOut.optional(),
  lane: z.string(),
  roles: z.array(role),
  block: z.string(),
  standardTime,
  inputs: z.array(z.string()),
  outputs: z.array(z.string()),
  notes: z.string().optional(),
});

export const diamondOut = z.object({
  step: z.string(),
  question: bilingualOut,
  no: z.number(),
  outcomes: z.array(
    z.object({
      key: z.string(),
      label: bilingualOut,
      to: z.string().nullable(),
      end: z.enum(['rejected', 'done']).optional(),
      revise: z.boolean().optional(),
    }),
  ),
});

export const serviceOut = z.object({
  key: z.string(),
  version: z.number(),
  title: bilingualOut,
  purpose: bilingualOut.optional(),
  requirements: z.array(z.string()),
  refPrefix: z.string(),
  lanes: z.array(
    z.object({ key: z.string(), title: bilingualOut, roles: z.array(role), units: z.array(z.string()) }),
  ),
  steps: z.array(serviceStepOut),
  diamonds: z.array(diamondOut),
  /**
   * Every action of the SOP as this version words it: its API key, the step it belongs to and its
   * title — what the case page names a history entry or a step's output by.
   */
  actions: z.array(z.object({ key: z.string(), step: z.string(), title: bilingualOut })),
  related: z.array(z.string()),
  equipment: z.array(z.string()),
  warnings: z.array(z.string()),
  records: z.array(z.string()),
  /** JSON Schema of the request's own fields (besides subject, letter and description), with UI hints. */
  requestInput: z.record(z.string(), z.unknown()),
  retired: z.boolean(),
});
export type Service = z.infer<typeof serviceOut>;

/** A definition as GET answers it and PUT takes it (the version it was read from filled in). */
export const definitionOut = sopDefinitionSchema.extend({ version: z.number() });

export function presentService(s: SopDef, retired: boolean): Service {
  return {
    key: s.key,
    version: s.version,
    title: s.title,
    ...(s.purpose ? { purpose: s.purpose } : {}),
    requirements: [...s.requirements],
    refPrefix: s.refPrefix,
    lanes: s.lanes.map((l) => ({ key: l.key, title: l.title, roles: [...l.roles], units: [...l.units] })),
    steps: s.steps.map((st) => ({
      key: st.key,
      no: st.no,
      title: st.title,
      ...(st.short ? { short: st.short } : {}),
      lane: st.lane,
      roles: [...st.roles],
      block: st.block,
      standardTime: st.standardTime,
      inputs: [...st.inputs],
      outputs: [...st.outputs],
      ...(st.notes ? { notes: st.notes } : {}),
    })),
    diamonds: s.diamonds.map((d) => ({
      step: d.step,
      question: d.question,
      no: d.no,
      outcomes: d.outcomes.map((o) => ({
        key: o.key,
        label: o.label,
        to: o.to,
        ...(o.end ? { end: o.end } : {}),
        ...(o.revise ? { revise: o.revise } : {}),
      })),
    })),
    actions: s.actions.map((a) => ({ key: a.key, step: a.step, title: a.title })),
    related: [...s.related],
    equipment: [...s.equipment],
    warnings: [...s.warnings],
    records: [...s.records],
    requestInput: requestInputJsonSchema(s),
    retired,
  };
}

/** The catalogue: every service's current version; retired ones only when asked (administrators). */
export function listServices(opts: { includeRetired?: boolean } = {}): Service[] {
  return allCurrentSopsWithRetired()
    .filter((s) => opts.includeRetired || !s.retired)
    .map((s) => presentService(s.sop, s.retired));
}

/** One service's definition, current or of a given version, as PUT takes it. */
export function serviceDefinition(key: string, version?: number): SopDefinition & { version: number } {
  const sop =
    version === undefined
      ? currentSopOrNull(key)
      : hasSopVersion(key, version)
        ? sopVersion(key, version)
        : null;
  if (!sop) throw notFound(version === undefined ? 'Service' : 'Version');
  return { ...sop.definition, version: sop.version };
}

export const blockOut = z.object({
  key: z.string(),
  title: bilingualOut,
  description: bilingualOut,
  /** JSON Schema of the step's `config`. */
  config: z.record(z.string(), z.unknown()),
  records: z.array(bilingualOut),
  documents: z.array(z.string()),
  first: z.boolean(),
  terminal: z.boolean(),
  /** The actions a step of this block offers (their names inside the block, renamable by `actionKeys`). */
  actions: z.array(z.string()),
});
export type BlockOut = z.infer<typeof blockOut>;

function configSchema(b: BlockDef<unknown>): Record<string, unknown> {
  try {
    return z.toJSONSchema(b.config, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The names of a block's actions: as it declares them, else as the SOPs known use it. */
function actionNames(b: BlockDef<unknown>): string[] {
  if (b.actionNames) return [...b.actionNames];
  const names = new Set<string>();
  for (const s of allCurrentSopsWithRetired()) {
    for (const a of s.sop.actions) if (a.block === b.key) names.add(a.name);
  }
  return [...names].sort();
}

/** The block catalogue (administrators: the designer's palette). */
export function blockCatalogue(): BlockOut[] {
  return Object.values(BLOCKS)
    .map((b) => ({
      key: b.key,
      title: b.title,
      description: b.description,
      config: configSchema(b),
      records: [...b.records],
      documents: [...b.documents],
      first: Boolean(b.first),
      terminal: Boolean(b.terminal),
      actions: actionNames(b),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}
