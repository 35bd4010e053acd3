/**
 * Reading a service's `requestInput` (JSON Schema of the request's own fields, `GET /api/services`) into form
 * fields, from the schema and its UI hints only (`x-loket-*`, docs/adr/0015-sops-as-data.md) — never by a
 * field's or a service's name.
 */
import type { JsonSchema, LocalizedText } from '../../api/types.ts';
import { localized } from '../../components/CaseBits.tsx';
import i18n from '../../i18n/index.ts';
import { jakartaLocalToIso } from '../../lib/duration.ts';

export type HintedSchema = JsonSchema & {
  'x-loket-picker'?: string;
  'x-loket-widget'?: string;
  'x-loket-label'?: LocalizedText;
  'x-loket-help'?: LocalizedText;
  'x-loket-requiredWhen'?: { field: string; equals: string | boolean };
  'x-loket-hiddenWhen'?: { field: string; equals: string | boolean };
  'x-loket-prefill'?: string;
  minimum?: number;
  maximum?: number;
};

export type RequestFieldKind =
  | 'text'
  | 'textarea'
  | 'number'
  | 'date'
  | 'datetime'
  | 'switch'
  | 'confirm'
  | 'radio'
  | 'select'
  | 'website'
  | 'hostname'
  | 'picker';

export type RequestField = {
  name: string;
  kind: RequestFieldKind;
  schema: HintedSchema;
  label: string;
  help: string | null;
  required: boolean;
  options: { value: string; label: string }[];
};

export type RequestValue = string | boolean;
export type RequestValues = Record<string, RequestValue>;

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null');
  if (schema.type) return schema.type;
  return (schema.anyOf ?? schema.oneOf)?.map(typeOf).find(Boolean);
}

function optionsOf(schema: HintedSchema): { value: string; label: string }[] {
  const variants = (schema.anyOf ?? schema.oneOf) as (HintedSchema & { const?: unknown })[] | undefined;
  if (variants?.length && variants.every((v) => v.const !== undefined)) {
    return variants.map((v) => ({
      value: String(v.const),
      label: v['x-loket-label'] ? localized(v['x-loket-label']) : (v.title ?? String(v.const)),
    }));
  }
  return (schema.enum ?? []).map((value) => ({
    value: String(value),
    label: String(value).replace(/_/g, ' '),
  }));
}

function kindOf(schema: HintedSchema): RequestFieldKind {
  const picker = schema['x-loket-picker'];
  if (picker === 'website' || picker === 'hostname') return picker;
  if (picker) return 'picker';
  const widget = schema['x-loket-widget'];
  const options = optionsOf(schema);
  if (widget === 'radio' && options.length) return 'radio';
  if (
    widget === 'textarea' ||
    widget === 'date' ||
    widget === 'datetime' ||
    widget === 'switch' ||
    widget === 'confirm'
  )
    return widget;
  if (options.length) return options.length <= 4 ? 'radio' : 'select';
  const type = typeOf(schema);
  if (type === 'boolean') return schema.const === true ? 'confirm' : 'switch';
  if (type === 'number' || type === 'integer') return 'number';
  if (schema.format === 'date') return 'date';
  if (schema.format === 'date-time') return 'datetime';
  return (schema.maxLength ?? 0) > 300 ? 'textarea' : 'text';
}

export function requestFieldsOf(schema: JsonSchema | undefined): RequestField[] {
  if (!schema?.properties) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, raw]) => {
    const property = raw as HintedSchema;
    const kind = kindOf(property);
    return {
      name,
      kind,
      schema: property,
      label: property['x-loket-label'] ? localized(property['x-loket-label']) : (property.title ?? name),
      help: property['x-loket-help'] ? localized(property['x-loket-help']) : (property.description ?? null),
      required: required.has(name) || kind === 'confirm',
      options: optionsOf(property),
    };
  });
}

/** The website request's own form (kind, the website to update, the name asked for) fits a schema with both pickers. */
export function usesWebsiteRequestForm(fields: RequestField[]): boolean {
  return fields.some((f) => f.kind === 'website') && fields.some((f) => f.kind === 'hostname');
}

function matches(
  rule: { field: string; equals: string | boolean } | undefined,
  values: RequestValues,
): boolean {
  return Boolean(rule && values[rule.field] === rule.equals);
}

export function isHidden(field: RequestField, values: RequestValues): boolean {
  return matches(field.schema['x-loket-hiddenWhen'], values);
}

export function isRequired(field: RequestField, values: RequestValues): boolean {
  if (isHidden(field, values)) return false;
  return field.required || matches(field.schema['x-loket-requiredWhen'], values);
}

export function initialRequestValues(
  fields: RequestField[],
  facts: Record<string, unknown> = {},
): RequestValues {
  const values: RequestValues = {};
  for (const field of fields) {
    const known = facts[field.name];
    const fallback = field.schema.default;
    const start = known ?? fallback;
    if (typeof start === 'boolean') values[field.name] = start;
    else if (typeof start === 'string' || typeof start === 'number') values[field.name] = String(start);
    else values[field.name] = field.kind === 'switch' || field.kind === 'confirm' ? false : '';
  }
  return values;
}

export function checkRequestField(field: RequestField, values: RequestValues): string | null {
  if (isHidden(field, values)) return null;
  const value = values[field.name];
  if (field.kind === 'confirm') return value === true ? null : i18n.t('action.mustConfirm');
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!text) return isRequired(field, values) ? i18n.t('validation.required') : null;
  if (field.schema.maxLength && text.length > field.schema.maxLength)
    return i18n.t('action.maxLength', { max: field.schema.maxLength });
  if (field.kind === 'number') {
    const n = Number(text);
    if (!Number.isFinite(n)) return i18n.t('services.form.number');
    if (field.schema.minimum !== undefined && n < field.schema.minimum)
      return i18n.t('services.form.min', { min: field.schema.minimum });
    if (field.schema.maximum !== undefined && n > field.schema.maximum)
      return i18n.t('services.form.max', { max: field.schema.maximum });
  }
  return null;
}

/** What is sent: the visible fields, trimmed, blanks left out; numbers as numbers. */
export function requestPayload(fields: RequestField[], values: RequestValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (isHidden(field, values)) continue;
    const value = values[field.name];
    if (typeof value === 'boolean') {
      out[field.name] = value;
      continue;
    }
    const text = (value ?? '').trim();
    if (!text) continue;
    if (field.kind === 'number') out[field.name] = Number(text);
    else if (field.kind === 'datetime') out[field.name] = jakartaLocalToIso(text);
    else if (typeOf(field.schema) === 'boolean') out[field.name] = text === 'true';
    else out[field.name] = text;
  }
  return out;
}
