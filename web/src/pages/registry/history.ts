/** The history's words: action names, field names, values as people read them, and what changed. */
import i18n from '../../i18n/index.ts';
import { formatDateTime } from '../../lib/format.ts';

export const tDynamic = i18n.t.bind(i18n) as unknown as (
  key: string,
  options?: Record<string, unknown>,
) => string;

/** "website.status" → "Status diubah"; unknown actions as they are. */
export function actionName(action: string): string {
  const verb = action.includes('.') ? action.slice(action.indexOf('.') + 1) : action;
  const key = `registry.historyActions.${verb.replace(/\./g, '_')}`;
  return i18n.exists(key) ? tDynamic(key) : action;
}

export function fieldName(field: string): string {
  // Nested fields read "Basis data · Nama".
  return field
    .split('.')
    .map((part) => {
      const key = `registry.fields.${part}`;
      return i18n.exists(key) ? tDynamic(key) : part;
    })
    .join(' · ');
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value of a record as people read it (`field` tells a status from other words). */
export function readable(value: unknown, field = ''): string {
  if (value === null || value === undefined || value === '') return i18n.t('common.none');
  if (typeof value === 'boolean') return value ? i18n.t('common.yes') : i18n.t('common.no');
  if (typeof value === 'string') {
    const last = field.split('.').pop();
    if (last === 'status') {
      for (const group of ['websiteStatus', 'serverStatus']) {
        const key = `registry.${group}.${value}`;
        if (i18n.exists(key)) return tDynamic(key);
      }
    }
    if (last === 'kind') {
      for (const group of ['serverKind', 'addressState', 'nameKind']) {
        const key = `registry.${group}.${value}`;
        if (i18n.exists(key)) return tDynamic(key);
      }
    }
    if (last === 'location' && i18n.exists(`registry.serverLocation.${value}`)) {
      return tDynamic(`registry.serverLocation.${value}`);
    }
    if (ISO.test(value)) return formatDateTime(value);
    return value;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (!value.length) return i18n.t('common.none');
    const items = value.map((item) =>
      last(field) === 'roles' && typeof item === 'string' && i18n.exists(`registry.serverRole.${item}`)
        ? tDynamic(`registry.serverRole.${item}`)
        : readable(item),
    );
    return items.join(', ');
  }
  if (isPlainObject(value)) {
    // References ({ id, name } / { id, hostname }) read by their name.
    for (const key of ['name', 'hostname', 'ref', 'address']) {
      if (typeof value[key] === 'string') return value[key] as string;
    }
    return Object.entries(value)
      .filter(([key]) => key !== 'id')
      .map(([key, inner]) => `${fieldName(key)}: ${readable(inner, key)}`)
      .join('; ');
  }
  return String(value);
}

function last(field: string): string {
  return field.split('.').pop() ?? field;
}

/** Book-keeping and figures derived from other fields: not worth a line in the history. */
const SKIP = new Set([
  'id',
  'version',
  'updatedAt',
  'createdAt',
  'size',
  'used',
  'free',
  'nextFree',
  'family',
  'firstUsable',
  'lastUsable',
  'websiteCount',
  'namesInUse',
]);

/** Identifiers (poolId, allocationId, …): the record they point to is named elsewhere in the entry. */
const isIdField = (key: string) => key === 'id' || /Id$/.test(key);

/** A group of fields (database, tls, contact) rather than a reference to another record. */
function isGroup(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && !('id' in value);
}

type Change = { field: string; before: unknown; after: unknown };

/**
 * Fields whose value changed between before and after (book-keeping fields left out); groups of fields
 * are compared field by field, so a changed database name shows as "Basis data · Nama".
 */
export function changedFields(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  prefix = '',
): Change[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const out: Change[] = [];
  for (const key of keys) {
    if (SKIP.has(key) || isIdField(key)) continue;
    const a = before?.[key];
    const b = after?.[key];
    if (JSON.stringify(a ?? null) === JSON.stringify(b ?? null)) continue;
    if ((isGroup(a) || a == null) && (isGroup(b) || b == null) && (isGroup(a) || isGroup(b))) {
      out.push(...changedFields(isGroup(a) ? a : null, isGroup(b) ? b : null, `${prefix}${key}.`));
    } else {
      out.push({ field: `${prefix}${key}`, before: a, after: b });
    }
  }
  return out;
}

export function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}
