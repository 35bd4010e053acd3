/**
 * Reading an action's JSON Schema into form fields: which input each property gets, its starting value,
 * the client-side checks (a courtesy: the server decides), and the payload sent back.
 *
 * Everything particular to one SOP comes from the schema the server serves — its types and the UI
 * hints (`x-loket-*`, docs/adr/0015-sops-as-data.md) the blocks put in it. Nothing here knows a field
 * name, an action key or a service: a field's label and help fall back to the dictionary by field name
 * (the built-in fields' wording), and then to the name itself.
 */
import type { CaseDetail, JsonSchema, LocalizedText } from '../../api/types.ts';
import i18n, { currentLanguage } from '../../i18n/index.ts';
import { jakartaDateTimeLocal, jakartaLocalToIso, jakartaToday } from '../../lib/duration.ts';

export type FieldKind =
  | 'text'
  | 'textarea'
  | 'select'
  | 'radio'
  | 'confirm'
  | 'switch'
  | 'date'
  | 'datetime'
  | 'number'
  | 'tags'
  | 'staff'
  | 'staffMulti'
  | 'unit'
  | 'website'
  | 'server'
  | 'pool'
  | 'hostname'
  | 'ip';

/** A value another field must have (one of several, when `equals` is a list) for a rule to apply. */
export type FieldCondition = { field: string; equals: unknown };

export type Choice = { value: string; label: string };

export type FieldSpec = {
  name: string;
  kind: FieldKind;
  schema: JsonSchema;
  required: boolean;
  options: string[];
  /** The options' labels, when the schema gives them (`x-loket-label` or `title` on a `const`, or `x-loket-choices`). */
  choices: Choice[];
  /** For staff pickers: whom to offer (`x-loket-roles`); empty = everyone. */
  roles: string[];
  requiredWhen: FieldCondition | null;
  hiddenWhen: FieldCondition | null;
  prefill: string | null;
};

export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;

const PICKER_KINDS: Record<string, FieldKind> = {
  staff: 'staff',
  staffMulti: 'staffMulti',
  unit: 'unit',
  server: 'server',
  pool: 'pool',
  website: 'website',
  hostname: 'hostname',
  ip: 'ip',
};

const WIDGET_KINDS: Record<string, FieldKind> = {
  textarea: 'textarea',
  confirm: 'confirm',
  datetime: 'datetime',
  date: 'date',
  radio: 'radio',
  switch: 'switch',
};

/** Text in the interface's language (Bahasa Indonesia first). */
export function localizedText(text: LocalizedText): string {
  return currentLanguage() === 'en' ? text.en || text.id : text.id || text.en;
}

function bilingualOf(value: unknown): LocalizedText | null {
  if (!value || typeof value !== 'object') return null;
  const { id, en } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof en === 'string' ? { id, en } : null;
}

function conditionOf(value: unknown): FieldCondition | null {
  if (!value || typeof value !== 'object') return null;
  const { field, equals } = value as Record<string, unknown>;
  return typeof field === 'string' && equals !== undefined ? { field, equals } : null;
}

/** Does the form's answer to `condition.field` match (any of) `condition.equals`? */
export function conditionHolds(condition: FieldCondition, values: FormValues): boolean {
  const value = values[condition.field];
  const wanted = Array.isArray(condition.equals) ? condition.equals : [condition.equals];
  return wanted.some((option) => option === value || (typeof value === 'string' && String(option) === value));
}

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null');
  if (schema.type) return schema.type;
  const variants = schema.anyOf ?? schema.oneOf;
  return variants?.map(typeOf).find(Boolean);
}

function enumOf(schema: JsonSchema): string[] {
  if (schema.enum) return schema.enum.map(String);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.every((v) => v.const !== undefined)) return variants.map((v) => String(v.const));
  const choices = schema['x-loket-choices'];
  if (Array.isArray(choices)) return choices.map((choice) => String(choice.value));
  return [];
}

/** Labels of the options the schema itself carries. */
function choicesOf(schema: JsonSchema): Choice[] {
  const choices: Choice[] = [];
  const listed = schema['x-loket-choices'];
  if (Array.isArray(listed)) {
    for (const choice of listed) {
      const label = bilingualOf(choice.label);
      if (label) choices.push({ value: String(choice.value), label: localizedText(label) });
    }
  }
  for (const variant of schema.anyOf ?? schema.oneOf ?? []) {
    if (variant.const === undefined) continue;
    const label = bilingualOf(variant['x-loket-label']);
    if (label) choices.push({ value: String(variant.const), label: localizedText(label) });
    else if (typeof variant.title === 'string')
      choices.push({ value: String(variant.const), label: variant.title });
  }
  return choices;
}

export function fieldKind(schema: JsonSchema): FieldKind {
  const picker = schema['x-loket-picker'];
  if (typeof picker === 'string' && PICKER_KINDS[picker]) return PICKER_KINDS[picker];
  const widget = schema['x-loket-widget'];
  if (typeof widget === 'string' && WIDGET_KINDS[widget]) return WIDGET_KINDS[widget];
  const type = typeOf(schema);
  const options = enumOf(schema);
  if (options.length) return options.length <= 4 ? 'radio' : 'select';
  if (type === 'boolean') return schema.const === true ? 'confirm' : 'switch';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'array') return 'tags';
  if (schema.format === 'date') return 'date';
  if (schema.format === 'date-time') return 'datetime';
  return (schema.maxLength ?? 0) > 300 ? 'textarea' : 'text';
}

export function fieldsOf(schema: JsonSchema): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const kind = fieldKind(property);
    const roles = property['x-loket-roles'];
    const prefill = property['x-loket-prefill'];
    return {
      name,
      kind,
      schema: property,
      // A box that must be ticked is required even when the schema says it only by `const`.
      required: required.has(name) || kind === 'confirm',
      options: enumOf(property),
      choices: choicesOf(property),
      roles: Array.isArray(roles) ? roles.map(String) : [],
      requiredWhen: conditionOf(property['x-loket-requiredWhen']),
      hiddenWhen: conditionOf(property['x-loket-hiddenWhen']),
      prefill: typeof prefill === 'string' ? prefill : null,
    };
  });
}

function emptyValue(field: FieldSpec): FormValue {
  switch (field.kind) {
    case 'confirm':
    case 'switch':
      return false;
    case 'staffMulti':
    case 'tags':
      return [];
    default:
      return '';
  }
}

/** What the registry already says about the case's website (for prefills that read the registry). */
export type WebsiteRecord = { serverId: string | null; ipAddress: string | null };

/** Where the form's first values come from besides the case: the registry, the units offered. */
export type PrefillSources = {
  units: { id: string; code: string; name: string }[];
  record: WebsiteRecord | null;
};

/** Follows a dotted path (`facts.kind`, `website.id`) through the case's detail. */
function pathIn(root: unknown, path: string[]): unknown {
  let value: unknown = root;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The value an `x-loket-prefill` names. `today`, `now`; `case.website.serverId` (the registry's
 * record); `case.team` (the team's ids); `case.history.<action>.<field>` (the latest such action's
 * answer); otherwise `case.<path>` through the case's detail (`case.website.id`, `case.websiteRef`,
 * `case.facts.kind`, `case.drafts.kak`, …). `case.website.hostname` falls back to the address asked for.
 */
export function resolvePrefill(source: string, detail: CaseDetail, sources: PrefillSources): unknown {
  if (source === 'today') return jakartaToday();
  if (source === 'now') return jakartaDateTimeLocal();
  if (!source.startsWith('case.')) return undefined;
  const path = source.slice('case.'.length).split('.');
  if (source === 'case.website.serverId') return sources.record?.serverId ?? undefined;
  if (source === 'case.website.hostname') return detail.website?.hostname ?? detail.websiteRef ?? undefined;
  if (source === 'case.team') return detail.team.map((person) => person.id).filter(Boolean);
  if (path[0] === 'history' && path.length === 3) {
    const entry = detail.history.filter((item) => item.action === path[1]).at(-1);
    return entry?.payload[path[2] as string];
  }
  return pathIn(detail, path);
}

/** A resolved prefill as the field's input holds it. */
function asFormValue(field: FieldSpec, value: unknown): FormValue | undefined {
  if (value === undefined || value === null) {
    // "Is there one?" questions (a switch prefilled from a record) answer no when there is none.
    return field.kind === 'switch' ? false : undefined;
  }
  if (field.kind === 'switch' || field.kind === 'confirm') return Boolean(value);
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value;
  return undefined;
}

/** The latest version of a versioned list (`case.drafts.kak`): its number and content. */
export type PrefilledVersion = { version: number; content: Record<string, unknown> };

/**
 * The form's whole-form prefill: the root schema's `x-loket-prefill` naming a versioned list on the
 * case (a document's drafts); the latest version's content fills the fields of the same names.
 */
export function rootPrefill(
  schema: JsonSchema,
  detail: CaseDetail,
  sources: PrefillSources,
): PrefilledVersion | null {
  const source = schema['x-loket-prefill'];
  if (typeof source !== 'string') return null;
  let value = resolvePrefill(source, detail, sources);
  if (Array.isArray(value)) value = value.at(-1);
  if (!value || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  const content = record.content && typeof record.content === 'object' ? record.content : record;
  return {
    version: typeof record.version === 'number' ? record.version : 0,
    content: content as Record<string, unknown>,
  };
}

export function initialValues(
  fields: FieldSpec[],
  schema: JsonSchema,
  detail: CaseDetail,
  sources: PrefillSources,
): FormValues {
  const whole = rootPrefill(schema, detail, sources);
  const values: FormValues = {};
  for (const field of fields) {
    let value: FormValue | undefined;
    if (field.prefill) value = asFormValue(field, resolvePrefill(field.prefill, detail, sources));
    if (value === undefined && whole && field.name in whole.content) {
      value = asFormValue(field, whole.content[field.name]);
    }
    // The units offered are those that can carry the next step; with one, it is the answer.
    if (value === undefined && field.kind === 'unit' && sources.units.length === 1) {
      value = sources.units[0]?.id;
    }
    const fallback = field.schema.default;
    if (value === undefined && (typeof fallback === 'string' || typeof fallback === 'boolean'))
      value = fallback;
    values[field.name] = value ?? emptyValue(field);
  }
  return values;
}

/** Fields that only apply given another answer (`x-loket-hiddenWhen`). */
export function isHidden(field: FieldSpec, values: FormValues): boolean {
  return (
    field.hiddenWhen !== null && field.hiddenWhen.field in values && conditionHolds(field.hiddenWhen, values)
  );
}

/** Required by the schema, or given another answer (`x-loket-requiredWhen`). */
export function isRequired(field: FieldSpec, values: FormValues): boolean {
  if (field.requiredWhen && conditionHolds(field.requiredWhen, values)) return true;
  return field.required;
}

function isBlank(value: FormValue | null | undefined): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'string') return value.trim() === '';
  // A select that was cleared answers null.
  return value === undefined || value === null;
}

/** The client-side check of one field; a translated message or null. */
export function checkField(
  field: FieldSpec,
  value: FormValue | undefined,
  values: FormValues,
): string | null {
  const { schema } = field;
  if (isHidden(field, values)) return null;
  if (field.kind === 'confirm') return value === true ? null : i18n.t('action.mustConfirm');
  if (isBlank(value)) {
    if (!isRequired(field, values)) return null;
    if (Array.isArray(value)) return i18n.t('action.minItems', { min: schema.minItems ?? 1 });
    return i18n.t('validation.required');
  }
  if (Array.isArray(value)) {
    if (schema.minItems && value.length < schema.minItems)
      return i18n.t('action.minItems', { min: schema.minItems });
    return null;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (schema.maxLength && text.length > schema.maxLength)
    return i18n.t('action.maxLength', { max: schema.maxLength });
  if (schema.format === 'uri' && !/^https?:\/\/[^\s/]+/i.test(text)) return i18n.t('action.url');
  const patterns = [schema, ...(schema.anyOf ?? [])].map((s) => s.pattern).filter(Boolean) as string[];
  if ((field.kind === 'text' || field.kind === 'ip') && patterns.length) {
    const matches = patterns.some((pattern) => {
      try {
        return new RegExp(pattern).test(text);
      } catch {
        return true;
      }
    });
    if (!matches) return i18n.t('action.pattern');
  }
  return null;
}

/** A field's help text: the schema's `x-loket-help`, else the dictionary's by field name. */
export function hintFor(name: string, schema?: JsonSchema): string | null {
  const help = bilingualOf(schema?.['x-loket-help']);
  if (help) return localizedText(help);
  const key = `action.hints.${name}`;
  return i18n.exists(key) ? (i18n.t as (key: string) => string)(key) : null;
}

/** A field's label: the schema's `x-loket-label`, else the dictionary's by field name, else the name. */
export function labelFor(name: string, schema?: JsonSchema): string {
  const label = bilingualOf(schema?.['x-loket-label']);
  if (label) return localizedText(label);
  const key = `action.fields.${name}`;
  return i18n.exists(key) ? (i18n.t as (key: string) => string)(key) : name;
}

/** An option's label: the schema's, else the dictionary's per field, else the value itself. */
export function optionLabel(field: string, value: string, choices: Choice[] = []): string {
  const choice = choices.find((c) => c.value === value);
  if (choice) return choice.label;
  const key = `action.enums.${field}.${value}`;
  return i18n.exists(key) ? (i18n.t as (key: string) => string)(key) : value.replace(/_/g, ' ');
}

/** What the action asks before it is sent (`x-loket-confirm` on the action's schema), or null. */
export type Confirmation = { text: string; danger: boolean };

export function confirmationOf(schema: JsonSchema, values: FormValues): Confirmation | null {
  const hint = schema['x-loket-confirm'];
  const text = bilingualOf(hint);
  if (!text || !hint) return null;
  const when = conditionOf(hint.when);
  if (when && !conditionHolds(when, values)) return null;
  return { text: localizedText(text), danger: hint.danger !== false };
}

/** What is sent: trimmed text, blanks left out (the server treats a missing optional as absent). */
export function payloadOf(fields: FieldSpec[], values: FormValues): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (isHidden(field, values)) continue;
    if (field.kind === 'confirm' || field.kind === 'switch') {
      payload[field.name] = value === true;
      continue;
    }
    if (isBlank(value)) continue;
    if (Array.isArray(value)) payload[field.name] = value;
    else if (field.kind === 'number') payload[field.name] = Number(value);
    else if (field.kind === 'datetime' && typeof value === 'string')
      payload[field.name] = jakartaLocalToIso(value);
    else if (typeof value === 'string') payload[field.name] = value.trim();
  }
  return payload;
}
