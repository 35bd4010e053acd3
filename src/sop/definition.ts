import { z } from 'zod';
import { ROLES } from '../db/schema.ts';

// An SOP definition as data (docs/adr/0015-sops-as-data.md): the JSON document an administrator
// exports, edits, imports and publishes. `GET /api/services/:key` answers exactly this shape and
// `PUT /api/services/:key` accepts it. This file is the *syntax*; what makes a definition sound
// (known blocks, reachable steps, a lane per step, …) is checked by `validate-definition.ts`, which
// names every problem at once. Nothing here depends on a particular SOP.

/** A key: a step, lane, outcome or service (`website`, `hosting_subdomain`, `pengkajian`, …). */
export const defKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lowercase letters, digits and _, starting with a letter (≤ 40)');

/** A payload field's name, as the API and the forms use it (camelCase). */
export const fieldKey = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'letters and digits, starting with a lowercase letter (≤ 40)');

/** Text in both languages of the UI: Bahasa Indonesia first, English. */
export const bilingual = z.strictObject({
  id: z.string().trim().min(1, 'required').max(500),
  en: z.string().trim().min(1, 'required').max(500),
});
export type Bilingual = z.infer<typeof bilingual>;

const line = z.string().trim().min(1, 'required').max(1000);
const lines = (max: number) => z.array(line).max(max).default([]);

/** A step's standard time ("waktu" in the SOP table): working minutes or working days. */
export const standardTimeSchema = z.union([
  z.strictObject({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  }),
  z.strictObject({ workingDays: z.number().int().min(1).max(90) }),
]);
export type StandardTime = z.infer<typeof standardTimeSchema>;

/**
 * What kind of value a declared field takes, and so which input the web shows for it. The pickers
 * (`staff`, `server`, `pool`, `website`, `hostname`, `unit`) are checked on the server against the
 * registry / the users, never trusted from the client.
 */
export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'date',
  'datetime',
  'boolean',
  'choice',
  'confirm',
  'staff',
  'staffMulti',
  'unit',
  'server',
  'pool',
  'website',
  'hostname',
  'ip',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * A field a definition declares for a block that takes free-form data: the request's own facts, a
 * versioned document's sections, a checklist's items, a specification, a schedule's agenda, …
 * Compiled to a zod schema (so validation is the same code as for built-in fields) and served to
 * the web as JSON Schema with the UI hints below (`x-loket-*`).
 */
export const fieldDefSchema = z.strictObject({
  key: fieldKey,
  label: bilingual,
  type: z.enum(FIELD_TYPES),
  required: z.boolean().default(true),
  /** Text: the longest length; number: the largest value. */
  max: z.number().int().min(1).max(100_000).optional(),
  /** Number: the smallest value. */
  min: z.number().int().min(0).max(100_000).optional(),
  /** For `choice`: the values offered. */
  choices: z
    .array(z.strictObject({ value: defKey, label: bilingual }))
    .max(50)
    .optional(),
  help: bilingual.optional(),
  /** Required only when another field of the same form has this value (e.g. the website to update). */
  requiredWhen: z
    .strictObject({ field: fieldKey, equals: z.union([z.string().max(100), z.boolean()]) })
    .optional(),
});
export type FieldDef = z.infer<typeof fieldDefSchema>;

/** A swimlane of the SOP chart: who executes the steps in it. */
export const laneSchema = z.strictObject({
  key: defKey,
  title: bilingual,
  /** Roles that act in this lane (a step may narrow them). */
  roles: z.array(z.enum(ROLES)).min(1, 'a lane needs at least one role').max(ROLES.length),
  /**
   * DKISP units (by code) that work in this lane: a disposition may hand the case only to a unit of
   * the lane of the step it hands it to. Empty for the OPD's lane.
   */
  units: z.array(z.string().trim().min(1).max(30)).max(20).default([]),
});
export type LaneDef = z.infer<typeof laneSchema>;

/** A branch after a step, taken on the value one field of the step's completing action has. */
export const branchSchema = z.strictObject({
  /** The diamond's question on the chart, e.g. "Website sudah ada?". */
  question: bilingual,
  /** The field of the completing action whose value picks the way. */
  field: fieldKey,
  outcomes: z
    .array(
      z.strictObject({
        value: z.union([z.string().max(100), z.boolean()]),
        label: bilingual,
        /** The step this way leads to. */
        goto: defKey,
      }),
    )
    .min(2, 'a branch has at least two ways')
    .max(10),
});
export type BranchDef = z.infer<typeof branchSchema>;

/** One row of the SOP table, carried out by one block of the catalogue. */
export const stepSchema = z.strictObject({
  key: defKey,
  title: bilingual,
  /** A short label for lists, badges and the stepper (Registrasi, Disposisi, …). */
  short: bilingual.optional(),
  lane: defKey,
  /** Roles that act at this step; by default the lane's. */
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length).optional(),
  /** The block (from the catalogue, `GET /api/sop-blocks`) that carries the step out. */
  block: defKey,
  /** The block's settings, validated by the block's own schema. */
  config: z.record(z.string(), z.unknown()).default({}),
  standardTime: standardTimeSchema,
  /** The SOP table's "kelengkapan" (inputs) and "output" (hasil) columns. */
  inputs: lines(20),
  outputs: lines(20),
  notes: z.string().trim().max(4000).optional(),
  /** Where the step leads when it is done; by default the next step in the list. */
  next: defKey.optional(),
  /** A diamond after the step ("Website sudah ada?"): the way depends on a field of its action. */
  branch: branchSchema.optional(),
  /**
   * Renames of the block's actions, `{ blockActionName: apiKey }` — keeps an SOP's API keys stable
   * (the website SOP's `save_kak`, `complete_build`, …).
   */
  actionKeys: z.record(z.string().max(40), z.string().regex(/^[a-z_]{1,40}$/)).optional(),
  /**
   * The titles of the block's actions as this SOP words them, `{ blockActionName: {id, en} }`
   * (the website SOP's "Serahkan hasil pembuatan"); by default the block's own.
   */
  actionTitles: z.record(z.string().max(40), bilingual).optional(),
});
export type StepDefinition = z.infer<typeof stepSchema>;

/** The whole SOP: what `PUT /api/services/:key` takes and `GET /api/services/:key` gives. */
export const sopDefinitionSchema = z.strictObject({
  key: defKey,
  /**
   * The version this document was read from (as GET gives it). On PUT it is optional: when given
   * it must still be the current version (someone else may have published meanwhile → 409).
   */
  version: z.number().int().min(1).optional(),
  title: bilingual,
  /** What the service is for, for the catalogue the OPD reads. */
  purpose: bilingual.optional(),
  /** What an OPD must bring (persyaratan), for the catalogue. */
  requirements: lines(30),
  /** Case numbers: `{refPrefix}-{year}-{nnnnn}`, e.g. WEB-2026-00014. */
  refPrefix: z.string().regex(/^[A-Z]{2,6}$/, '2–6 capital letters'),
  lanes: z.array(laneSchema).min(1).max(10),
  steps: z.array(stepSchema).min(2, 'an SOP has at least two steps').max(40),
  /** The SOP sheet's side boxes. */
  related: lines(20),
  equipment: lines(20),
  warnings: lines(20),
  records: lines(20),
});
export type SopDefinition = z.infer<typeof sopDefinitionSchema>;
/** What a definition looks like before defaults are applied (what a client sends). */
export type SopDefinitionInput = z.input<typeof sopDefinitionSchema>;

/** A problem found in a definition: where (a JSON path such as `steps.3.lane`) and what. */
export type DefinitionProblem = { path: string; message: string };
