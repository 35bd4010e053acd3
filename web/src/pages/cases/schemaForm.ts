/**
 * Reading an action's JSON Schema into form fields: which input each property gets, its starting value,
 * the client-side checks (a courtesy: the server decides), and the payload sent back.
 */
import type { CaseDetail, JsonSchema } from '../../api/types.ts';
import i18n from '../../i18n/index.ts';
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
  | 'hostname';

export type FieldSpec = {
  name: string;
  kind: FieldKind;
  schema: JsonSchema;
  required: boolean;
  options: string[];
};

export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;

/** Fields whose value is someone or something picked from a list (or checked as typed), by their name. */
const PICKERS: Record<string, FieldKind> = {
  toUserId: 'staff',
  teamUserIds: 'staffMulti',
  toUnitId: 'unit',
  websiteId: 'website',
  serverId: 'server',
  poolId: 'pool',
  hostname: 'hostname',
  // A path is one line, however long it may be.
  documentRoot: 'text',
};

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
  return [];
}

export function fieldKind(name: string, schema: JsonSchema): FieldKind {
  const picker = PICKERS[name];
  if (picker) return picker;
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
    const kind = fieldKind(name, property);
    return {
      name,
      kind,
      schema: property,
      // A box that must be ticked is required even when the schema says it only by `const`.
      required: required.has(name) || kind === 'confirm',
      options: enumOf(property),
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

/** What the registry already says about the request's website (for the installation's first values). */
export type WebsiteRecord = { serverId: string | null; ipAddress: string | null };

/** Values the user would otherwise type again: today, the OPD's own answers, the last KAK. */
function prefill(
  action: string,
  detail: CaseDetail,
  units: { id: string; code: string; name: string }[],
  record: WebsiteRecord | null,
) {
  const values: FormValues = {};
  switch (action) {
    case 'register':
      values.receivedAt = jakartaDateTimeLocal();
      values.urgency = 'biasa';
      break;
    case 'dispose': {
      // The units offered are those that can carry the next step; with one, it is the answer.
      const aptika =
        (units.length === 1 ? units[0] : undefined) ??
        units.find((unit) => unit.code.toUpperCase() === 'APTIKA') ??
        units.find((unit) => /aplikasi/i.test(unit.name));
      if (aptika) values.toUnitId = aptika.id;
      values.instruction = 'tindak_lanjuti';
      break;
    }
    case 'dispose_on':
      values.instruction = 'tindak_lanjuti';
      break;
    case 'decide': {
      const review = detail.history.filter((entry) => entry.action === 'review').at(-1);
      const recommendation = review?.payload.recommendation;
      if (typeof recommendation === 'string') values.decision = recommendation;
      break;
    }
    case 'send_letter':
      values.letterDate = jakartaToday();
      break;
    case 'start_work':
      values.websiteExists = detail.kind === 'update';
      if (detail.website) values.websiteId = detail.website.id;
      break;
    case 'record_installation': {
      const hostname = detail.website?.hostname ?? detail.websiteRef;
      if (hostname) values.hostname = hostname;
      if (record?.serverId) values.serverId = record.serverId;
      break;
    }
    case 'save_kak': {
      const latest = detail.kak.at(-1);
      if (latest) for (const [key, text] of Object.entries(latest.content)) values[key] = text;
      break;
    }
  }
  return values;
}

export function initialValues(
  fields: FieldSpec[],
  action: string,
  detail: CaseDetail,
  units: { id: string; code: string; name: string }[],
  record: WebsiteRecord | null = null,
): FormValues {
  const filled = prefill(action, detail, units, record);
  const values: FormValues = {};
  for (const field of fields) {
    const fallback = field.schema.default;
    values[field.name] =
      filled[field.name] ??
      (typeof fallback === 'string' || typeof fallback === 'boolean' ? fallback : emptyValue(field));
  }
  return values;
}

/** Fields that only apply given another answer: the existing website only when the website exists. */
export function isHidden(field: FieldSpec, values: FormValues): boolean {
  return field.name === 'websiteId' && 'websiteExists' in values && values.websiteExists !== true;
}

/** Required by the SOP although the schema cannot say so (it depends on another answer). */
export function isRequired(field: FieldSpec, values: FormValues): boolean {
  if (field.name === 'websiteId' && values.websiteExists === true) return true;
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
  // The SOP's one conditional rule, which JSON Schema cannot carry: a reason unless approving.
  if (field.name === 'reason' && 'decision' in values && values.decision !== 'approve' && isBlank(value)) {
    return i18n.t('action.reasonRequired');
  }
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
  if (field.kind === 'text' && patterns.length) {
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

/** A field's help text, when the dictionary has one. */
export function hintFor(name: string): string | null {
  const key = `action.hints.${name}`;
  return i18n.exists(key) ? (i18n.t as (key: string) => string)(key) : null;
}

/** A field's label: the dictionary's, else the field name. */
export function labelFor(name: string): string {
  const key = `action.fields.${name}`;
  return i18n.exists(key) ? (i18n.t as (key: string) => string)(key) : name;
}

/** An enum value's label: per field, else the value itself. */
export function optionLabel(field: string, value: string): string {
  const key = `action.enums.${field}.${value}`;
  return i18n.exists(key) ? (i18n.t as (key: string) => string)(key) : value.replace(/_/g, ' ');
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
