import { z } from 'zod';
import { RESERVED_REQUEST_KEYS } from '../sop/blocks/request.ts';
import { type FieldDef, fieldDefSchema } from '../sop/definition.ts';
import type { SopDef } from '../sop/types.ts';

// What an OPD sends to file a request (`POST /api/cases`) and to edit its draft (`PATCH`): the
// fields every DKISP SOP has (the letter's subject, number and date, a description), plus the facts
// the SOP's first step — a `request` block — declares in its config `fields` (FieldDef[]), flattened
// at the top level. The website SOP declares kind, websiteId and requestedHostname, so its body is
// the one the API has always taken. Compiled once per SOP version; served as JSON Schema (with the
// `x-loket-*` UI hints) for the forms and the catalogue.

const textOf = (max: number) => z.string().trim().min(1, 'required').max(max);

/** The request's fields every SOP has (cases columns). */
export const requestFields = {
  subject: textOf(500),
  letterNumber: textOf(100),
  letterDate: z.iso.date('use YYYY-MM-DD'),
  description: textOf(20_000),
};

/** The service a request is for when it names none (the API's first and for long only SOP). */
export const DEFAULT_SERVICE = 'website';

const factFieldsCache = new WeakMap<SopDef, readonly FieldDef[]>();

/** The facts an SOP's request declares: its first step's `request` block `fields` (none otherwise). */
export function requestFieldsOf(sop: SopDef): readonly FieldDef[] {
  const cached = factFieldsCache.get(sop);
  if (cached) return cached;
  const first = sop.definition.steps[0];
  const parsed =
    first?.block === 'request'
      ? z.array(fieldDefSchema).default([]).safeParse(first.config.fields)
      : { success: true as const, data: [] };
  // A published definition was validated (the request block refuses reserved keys); one that was
  // not is a programming error, not a request's.
  if (!parsed.success) throw new Error(`SOP ${sop.key} v${sop.version}: invalid request fields`);
  const clash = parsed.data.find((f) => RESERVED_REQUEST_KEYS.includes(f.key));
  if (clash) throw new Error(`SOP ${sop.key} v${sop.version}: request field ${clash.key} is reserved`);
  factFieldsCache.set(sop, parsed.data);
  return parsed.data;
}

/** Types whose form value is text: an empty text means "not given" for an optional one. */
const TEXTUAL: ReadonlySet<FieldDef['type']> = new Set([
  'text',
  'textarea',
  'date',
  'datetime',
  'choice',
  'staff',
  'unit',
  'server',
  'pool',
  'website',
  'hostname',
  'ip',
]);
const PICKERS: ReadonlySet<FieldDef['type']> = new Set([
  'staff',
  'staffMulti',
  'unit',
  'server',
  'pool',
  'website',
  'hostname',
  'ip',
]);
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The value of one declared fact, when it is given (its UI hints attached). */
function factValue(f: FieldDef, optional: boolean): { schema: z.ZodType; hints: Record<string, unknown> } {
  const max = f.max;
  // An optional text is trimmed and then may be empty (left out), as the API always took it.
  const text = (n: number) => (optional ? z.string().trim().max(n) : textOf(n));
  const uuid = (what: string) => z.uuid(`pick one of your ${what}`);
  switch (f.type) {
    case 'text':
      return { schema: text(max ?? 1000), hints: {} };
    case 'textarea':
      return { schema: text(max ?? 20_000), hints: { 'x-loket-widget': 'textarea' } };
    case 'number': {
      let n = z.number().int();
      if (f.min !== undefined) n = n.min(f.min);
      if (max !== undefined) n = n.max(max);
      return { schema: n, hints: {} };
    }
    case 'date':
      return { schema: z.iso.date('use YYYY-MM-DD'), hints: { 'x-loket-widget': 'date' } };
    case 'datetime':
      return { schema: z.iso.datetime({ offset: true }), hints: { 'x-loket-widget': 'datetime' } };
    case 'boolean':
      return { schema: z.boolean(), hints: { 'x-loket-widget': 'switch' } };
    case 'choice': {
      const values = (f.choices ?? []).map((c) => c.value);
      // The choices' labels travel with the schema (`x-loket-choices`), for the request form.
      return {
        schema: z.enum(values as [string, ...string[]]),
        hints: { 'x-loket-widget': 'radio', 'x-loket-choices': f.choices ?? [] },
      };
    }
    case 'confirm':
      return { schema: z.literal(true, 'required'), hints: { 'x-loket-widget': 'confirm' } };
    case 'staff':
      return { schema: z.uuid('pick a person'), hints: { 'x-loket-picker': 'staff' } };
    case 'staffMulti':
      return {
        schema: z
          .array(z.uuid('pick a person'))
          .min(1, 'pick at least one person')
          .max(max ?? 20),
        hints: { 'x-loket-picker': 'staffMulti' },
      };
    case 'unit':
      return { schema: z.uuid('pick a unit'), hints: { 'x-loket-picker': 'unit' } };
    case 'server':
      return { schema: z.uuid('pick a server'), hints: { 'x-loket-picker': 'server' } };
    case 'pool':
      return { schema: z.uuid('pick an address pool'), hints: { 'x-loket-picker': 'pool' } };
    case 'website':
      return { schema: uuid('websites'), hints: { 'x-loket-picker': 'website' } };
    case 'hostname':
      return { schema: text(max ?? 253), hints: { 'x-loket-picker': 'hostname' } };
    case 'ip':
      return {
        schema: z.union([z.ipv4(), z.ipv6()], 'an IPv4 or IPv6 address'),
        hints: { 'x-loket-picker': 'ip' },
      };
  }
}

/**
 * One declared fact as the request body takes it. A required one must be given; an optional one
 * (or one required only when another field has a value) may be left out, and for text-like types
 * an empty text counts as left out (as HTML forms send it).
 */
export function factSchema(f: FieldDef): z.ZodType {
  const required = f.required && !f.requiredWhen;
  const { schema, hints } = factValue(f, !required);
  const meta: Record<string, unknown> = { ...hints, 'x-loket-label': f.label };
  if (f.help) meta['x-loket-help'] = f.help;
  if (f.requiredWhen) meta['x-loket-requiredWhen'] = f.requiredWhen;
  if (required) return schema.meta(meta);
  const optional = TEXTUAL.has(f.type)
    ? z.union([schema, z.literal('')]).transform((v) => (v === '' ? undefined : v))
    : schema;
  return optional.optional().meta(meta);
}

/** What a required-when field missing is told. */
function missingMessage(f: FieldDef): string {
  return PICKERS.has(f.type) ? `pick the ${lowerFirst(f.label.en).replace(/^the /, '')}` : 'required';
}

/**
 * Required-when rules, and a field required only when another has a value belongs to that case
 * only: when the other has another value, what was sent for it is not kept (a website picked for
 * an update is forgotten when the request becomes one for a new website).
 */
function applyConditions(fields: readonly FieldDef[]) {
  return {
    check(v: Record<string, unknown>, ctx: z.RefinementCtx) {
      for (const f of fields) {
        const when = f.requiredWhen;
        if (!when || v[when.field] !== when.equals) continue;
        if (v[f.key] === undefined || v[f.key] === null) {
          ctx.addIssue({ code: 'custom', path: [f.key], message: missingMessage(f) });
        }
      }
    },
    keep(v: Record<string, unknown>): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const when = f.requiredWhen;
        if (when && v[when.field] !== when.equals) continue;
        if (v[f.key] !== undefined && v[f.key] !== null) out[f.key] = v[f.key];
      }
      return out;
    },
  };
}

export type RequestInput = {
  service: string;
  subject: string;
  letterNumber: string;
  letterDate: string;
  description: string;
  /** The declared facts, validated (registry ones not checked yet). */
  facts: Record<string, unknown>;
};

export type DraftPatch = {
  version: number;
  subject?: string | undefined;
  letterNumber?: string | undefined;
  letterDate?: string | undefined;
  description?: string | undefined;
  /** Declared facts sent: a value, or null to clear an optional one. */
  facts: Record<string, unknown>;
};

type Compiled = {
  create: z.ZodType<RequestInput>;
  update: z.ZodType<DraftPatch>;
  facts: z.ZodType<Record<string, unknown>>;
  factsShape: Record<string, z.ZodType>;
};
const compiled = new WeakMap<SopDef, Compiled>();

function compile(sop: SopDef): Compiled {
  const hit = compiled.get(sop);
  if (hit) return hit;
  const fields = requestFieldsOf(sop);
  const factsShape = Object.fromEntries(fields.map((f) => [f.key, factSchema(f)]));
  const cond = applyConditions(fields);
  const split = (v: Record<string, unknown>): RequestInput => ({
    service: sop.key,
    subject: v.subject as string,
    letterNumber: v.letterNumber as string,
    letterDate: v.letterDate as string,
    description: v.description as string,
    facts: cond.keep(v),
  });
  const create = z
    .strictObject({ service: z.string().optional(), ...requestFields, ...factsShape })
    .superRefine(cond.check)
    .transform(split);
  const facts = z.strictObject(factsShape).superRefine(cond.check).transform(cond.keep);
  const updateFacts = Object.fromEntries(
    fields.map((f) => {
      const s = factSchema(f);
      // On a draft every fact may be left as it is; an optional one is cleared with null or ''.
      if (f.required && !f.requiredWhen) return [f.key, s.optional()];
      const clear = TEXTUAL.has(f.type)
        ? z
            .union([s, z.null()])
            .transform((v) => (v === undefined ? null : v))
            .optional()
        : s.nullable().optional();
      return [f.key, clear];
    }),
  );
  const update = z
    .strictObject({
      version: z.coerce.number().int().min(1),
      subject: requestFields.subject.optional(),
      letterNumber: requestFields.letterNumber.optional(),
      letterDate: requestFields.letterDate.optional(),
      description: requestFields.description.optional(),
      ...updateFacts,
    })
    .transform((v): DraftPatch => {
      const all = v as Record<string, unknown>;
      const sent: Record<string, unknown> = {};
      for (const f of fields) if (all[f.key] !== undefined) sent[f.key] = all[f.key];
      return {
        version: v.version,
        subject: v.subject,
        letterNumber: v.letterNumber,
        letterDate: v.letterDate,
        description: v.description,
        facts: sent,
      };
    });
  const c = { create, update, facts, factsShape } as Compiled;
  compiled.set(sop, c);
  return c;
}

/** The create body of this SOP's requests (zod): common fields, `service`, and the declared facts. */
export function requestSchemaOf(sop: SopDef): z.ZodType<RequestInput> {
  return compile(sop).create;
}

/** The draft edit body of this SOP's requests: `version`, and any common field or fact to change. */
export function draftPatchSchemaOf(sop: SopDef): z.ZodType<DraftPatch> {
  return compile(sop).update;
}

/** The declared facts alone, with their conditions: what a draft's facts must satisfy. */
export function factsSchemaOf(sop: SopDef): z.ZodType<Record<string, unknown>> {
  return compile(sop).facts;
}

const jsonCache = new WeakMap<SopDef, { facts: Record<string, unknown>; body: Record<string, unknown> }>();

function jsonOf(sop: SopDef) {
  const hit = jsonCache.get(sop);
  if (hit) return hit;
  const opts = { io: 'input', unrepresentable: 'any' } as const;
  const j = {
    facts: z.toJSONSchema(z.strictObject(compile(sop).factsShape), opts) as Record<string, unknown>,
    body: z.toJSONSchema(compile(sop).create, opts) as Record<string, unknown>,
  };
  jsonCache.set(sop, j);
  return j;
}

/** JSON Schema of the facts fields of the create body (the catalogue's `requestInput`). */
export function requestInputJsonSchema(sop: SopDef): Record<string, unknown> {
  return jsonOf(sop).facts;
}

/** JSON Schema of the whole create body (multipart text fields are typed by it). */
export function requestBodyJsonSchema(sop: SopDef): Record<string, unknown> {
  return jsonOf(sop).body;
}
