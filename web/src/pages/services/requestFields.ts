/**
 * A service's `requestInput` (JSON Schema of the request's own fields, `GET /api/services`) as the fields
 * of the request form. The reading is the action forms' (`../cases/schemaForm.ts`: UI hints only, never
 * a field's or a service's name); this adds the labels and the few kinds the request form draws.
 */
import type { JsonSchema } from '../../api/types.ts';
import i18n from '../../i18n/index.ts';
import {
  checkField,
  type FieldSpec,
  type FormValues,
  fieldsOf,
  isHidden as hiddenBySchema,
  hintFor,
  labelFor,
  optionLabel,
  payloadOf,
  isRequired as requiredBySchema,
} from '../cases/schemaForm.ts';

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
  /** Another picker (staff, server, pool, unit, ip) or a list: typed as text here. */
  | 'picker';

export type RequestField = {
  name: string;
  kind: RequestFieldKind;
  spec: FieldSpec;
  schema: JsonSchema & { minimum?: number; maximum?: number };
  label: string;
  help: string | null;
  required: boolean;
  options: { value: string; label: string }[];
};

export type RequestValue = string | boolean;
export type RequestValues = Record<string, RequestValue>;

const DRAWN = new Set([
  'text',
  'textarea',
  'number',
  'date',
  'datetime',
  'switch',
  'confirm',
  'radio',
  'select',
  'website',
  'hostname',
]);

function isBooleanSchema(schema: JsonSchema): boolean {
  const types = [schema.type, ...(schema.anyOf ?? schema.oneOf ?? []).map((v) => v.type)].flat();
  return types.includes('boolean');
}

export function requestFieldsOf(schema: JsonSchema | undefined): RequestField[] {
  if (!schema?.properties) return [];
  return fieldsOf(schema).map((spec) => ({
    name: spec.name,
    kind: (DRAWN.has(spec.kind) ? spec.kind : 'picker') as RequestFieldKind,
    spec,
    schema: spec.schema as RequestField['schema'],
    label: labelFor(spec.name, spec.schema),
    help: hintFor(spec.name, spec.schema),
    required: spec.required,
    options: spec.options.map((value) => ({ value, label: optionLabel(spec.name, value, spec.choices) })),
  }));
}

/** The website request's own form (kind, the website to update, the name asked for) fits a schema with both pickers. */
export function usesWebsiteRequestForm(fields: RequestField[]): boolean {
  return fields.some((f) => f.kind === 'website') && fields.some((f) => f.kind === 'hostname');
}

export function isHidden(field: RequestField, values: RequestValues): boolean {
  return hiddenBySchema(field.spec, values as FormValues);
}

export function isRequired(field: RequestField, values: RequestValues): boolean {
  return !isHidden(field, values) && requiredBySchema(field.spec, values as FormValues);
}

export function initialRequestValues(
  fields: RequestField[],
  facts: Record<string, unknown> = {},
): RequestValues {
  const values: RequestValues = {};
  for (const field of fields) {
    const start = facts[field.name] ?? field.schema.default;
    if (typeof start === 'boolean') values[field.name] = field.kind === 'radio' ? String(start) : start;
    else if (typeof start === 'string' || typeof start === 'number') values[field.name] = String(start);
    else values[field.name] = field.kind === 'switch' || field.kind === 'confirm' ? false : '';
  }
  return values;
}

export function checkRequestField(field: RequestField, values: RequestValues): string | null {
  const problem = checkField(field.spec, values[field.name], values as FormValues);
  if (problem || field.kind !== 'number') return problem;
  const text = String(values[field.name] ?? '').trim();
  if (!text) return null;
  const n = Number(text);
  if (!Number.isFinite(n)) return i18n.t('services.form.number');
  if (field.schema.minimum !== undefined && n < field.schema.minimum)
    return i18n.t('services.form.min', { min: field.schema.minimum });
  if (field.schema.maximum !== undefined && n > field.schema.maximum)
    return i18n.t('services.form.max', { max: field.schema.maximum });
  return null;
}

/** What is sent: the visible fields, trimmed, blanks left out; a yes/no asked as a choice as a boolean. */
export function requestPayload(fields: RequestField[], values: RequestValues): Record<string, unknown> {
  const payload = payloadOf(
    fields.map((f) => f.spec),
    values as FormValues,
  );
  for (const field of fields) {
    const value = payload[field.name];
    if (
      typeof value === 'string' &&
      isBooleanSchema(field.schema) &&
      (value === 'true' || value === 'false')
    ) {
      payload[field.name] = value === 'true';
    }
  }
  return payload;
}
