/**
 * What the case page draws a request's SOP from. A request keeps the SOP version it was filed under;
 * when that is not the catalogue's current one, its chart and timeline come from the old version's
 * definition (GET /api/services/:key/versions/:version), put in the catalogue's shape here the way the
 * server compiles it (src/sop/compile.ts): steps numbered, roles from the lane, diamonds from the
 * decision steps' outcomes and the steps' branches, in step order.
 */
import type { SopDefinition } from '../../../src/sop/definition.ts';
import type { LocalizedText, Service } from '../api/types.ts';

/** A definition as GET answers it: with the version it was read from. */
export type ServedDefinition = SopDefinition & { version: number };

type Outcome = Service['diamonds'][number]['outcomes'][number];

/** A decision outcome from a `decision` step's config, as the decision block draws it. */
function decisionOutcome(raw: unknown): Outcome | null {
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as { key?: unknown; label?: unknown; then?: Record<string, unknown> };
  if (typeof o.key !== 'string' || !o.label || typeof o.label !== 'object') return null;
  const then = o.then ?? {};
  const goto = typeof then.goto === 'string' ? then.goto : null;
  const revise = typeof then.revise === 'string' ? then.revise : null;
  const end = then.end === 'rejected' || then.end === 'done' ? then.end : undefined;
  return {
    key: o.key,
    label: o.label as LocalizedText,
    to: goto ?? revise,
    ...(end ? { end } : {}),
    ...(revise ? { revise: true } : {}),
  };
}

/**
 * An old version's definition in the catalogue's shape. What a definition does not say (the request
 * form's schema, the actions' titles) is taken from `current`, the same service's current version.
 */
export function serviceOfDefinition(def: ServedDefinition, current?: Service): Service {
  const lanes = new Map(def.lanes.map((lane) => [lane.key, lane]));
  const diamonds: Service['diamonds'] = [];
  for (const step of def.steps) {
    if (step.block === 'decision') {
      const config = step.config as { question?: LocalizedText; outcomes?: unknown[] };
      const outcomes = (config.outcomes ?? []).map(decisionOutcome).filter((o) => o !== null);
      if (config.question && outcomes.length) {
        diamonds.push({ step: step.key, question: config.question, no: diamonds.length + 1, outcomes });
      }
    }
    if (step.branch) {
      diamonds.push({
        step: step.key,
        question: step.branch.question,
        no: diamonds.length + 1,
        outcomes: step.branch.outcomes.map((o) => ({ key: String(o.value), label: o.label, to: o.goto })),
      });
    }
  }
  return {
    key: def.key,
    version: def.version,
    title: def.title,
    ...(def.purpose ? { purpose: def.purpose } : {}),
    requirements: [...def.requirements],
    refPrefix: def.refPrefix,
    lanes: def.lanes.map((l) => ({ key: l.key, title: l.title, roles: [...l.roles], units: [...l.units] })),
    steps: def.steps.map((step, index) => ({
      key: step.key,
      no: index + 1,
      title: step.title,
      ...(step.short ? { short: step.short } : {}),
      lane: step.lane,
      roles: [...(step.roles ?? lanes.get(step.lane)?.roles ?? [])],
      block: step.block,
      standardTime: step.standardTime,
      inputs: [...step.inputs],
      outputs: [...step.outputs],
      ...(step.notes ? { notes: step.notes } : {}),
    })),
    diamonds,
    // The version's own wording of an action where it has one, else the current version's.
    actions: (current?.actions ?? []).map((action) => {
      const step = def.steps.find((s) => s.key === action.step);
      const name = Object.entries(step?.actionKeys ?? {}).find(([, key]) => key === action.key)?.[0];
      const title = (name ? step?.actionTitles?.[name] : undefined) ?? action.title;
      return { ...action, title };
    }),
    related: [...def.related],
    equipment: [...def.equipment],
    warnings: [...def.warnings],
    records: [...def.records],
    requestInput: current?.requestInput ?? {},
    retired: current?.retired ?? false,
  };
}

/**
 * A history entry's or a step output's action, named. The dictionary's words come first: they say
 * what happened (past tense: "Permohonan ditutup") for the office pattern's keys every SOP shares and
 * for the website SOP's own, so what its users read does not change. Any other action (a related SOP's
 * schedule, handover, …, or any key an administrator's SOP brings) is named by the SOP's own title for
 * it (at that step when known); failing both, the key.
 */
export function actionName(
  service: Pick<Service, 'actions'> | undefined,
  key: string,
  dictionary: Record<string, string>,
  language: 'id' | 'en',
  step?: string,
): string {
  const known = dictionary[key];
  if (known) return known;
  const actions = service?.actions ?? [];
  const action =
    actions.find((a) => a.key === key && (step === undefined || a.step === step)) ??
    actions.find((a) => a.key === key);
  if (action) return action.title[language] || action.title.id;
  return key;
}
