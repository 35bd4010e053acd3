import { z } from 'zod';
import type { Role } from '../../db/schema.ts';
import type { Bilingual, BranchDef, FieldDef } from '../definition.ts';
import type { BlockContext, Effect } from '../types.ts';

// Helpers the blocks share: text fields with the messages the API has always given, the UI hints
// (design: `x-loket-*` keys in an action's JSON Schema), and declared fields (FieldDef) as zod.

export const text = (max: number) => z.string().trim().min(1, 'required').max(max);
export const optionalText = (max: number) => z.string().trim().max(max).optional();
export const noPayload = () => z.strictObject({});
export const notesOnly = () => z.strictObject({ notes: optionalText(4000).meta(widget('textarea')) });

/** The disposition sheet's instructions (Permendagri tata naskah dinas). */
export const INSTRUCTIONS = [
  'tindak_lanjuti',
  'pelajari',
  'koordinasikan',
  'siapkan_jawaban',
  'untuk_diketahui',
  'proses_sesuai_ketentuan',
] as const;
/** How urgent an incoming letter is (sifat surat). */
export const URGENCIES = ['biasa', 'penting', 'segera', 'sangat_segera'] as const;

// ---- UI hints (docs/sop-blocks.md, design §9) ----

export type Picker = 'staff' | 'staffMulti' | 'unit' | 'server' | 'pool' | 'website' | 'hostname' | 'ip';
export type Prefill =
  | 'today'
  | 'now'
  | 'case.website.id'
  | 'case.website.hostname'
  | 'case.website.serverId'
  | 'case.websiteRef'
  | 'case.team';
export type Widget = 'textarea' | 'confirm' | 'datetime' | 'date' | 'radio' | 'switch';

export const picker = (p: Picker, roles?: readonly Role[]) => ({
  'x-loket-picker': p,
  ...(roles ? { 'x-loket-roles': [...roles] } : {}),
});
export const prefill = (p: Prefill) => ({ 'x-loket-prefill': p });
export const widget = (w: Widget) => ({ 'x-loket-widget': w });
export const confirmText = (t: Bilingual) => ({ 'x-loket-confirm': t });
export const hiddenWhen = (field: string, equals: string | boolean) => ({
  'x-loket-hiddenWhen': { field, equals },
});

// ---- declared fields ----

const STAFF_ROLES: readonly Role[] = ['kabid', 'subkoor', 'staf'];

function fieldBase(f: FieldDef): z.ZodType {
  const max = f.max;
  switch (f.type) {
    case 'text':
      return text(max ?? 1000);
    case 'textarea':
      return text(max ?? 10_000).meta(widget('textarea'));
    case 'number': {
      let n = z.number().int();
      if (f.min !== undefined) n = n.min(f.min);
      if (max !== undefined) n = n.max(max);
      return n;
    }
    case 'date':
      return z.iso.date().meta(widget('date'));
    case 'datetime':
      return z.iso.datetime({ offset: true }).meta(widget('datetime'));
    case 'boolean':
      return z.boolean().meta(widget('switch'));
    case 'choice': {
      const values = (f.choices ?? []).map((c) => c.value);
      return z.enum(values as [string, ...string[]]).meta(widget('radio'));
    }
    case 'confirm':
      return z.literal(true, 'required').meta(widget('confirm'));
    case 'staff':
      return z.uuid().meta(picker('staff', STAFF_ROLES));
    case 'staffMulti':
      return z
        .array(z.uuid())
        .min(1, 'pick at least one person')
        .max(max ?? 20)
        .meta(picker('staffMulti', STAFF_ROLES));
    case 'unit':
      return z.uuid().meta(picker('unit'));
    case 'server':
      return z.uuid().meta(picker('server'));
    case 'pool':
      return z.uuid().meta(picker('pool'));
    case 'website':
      return z.uuid().meta(picker('website'));
    case 'hostname':
      return z
        .string()
        .trim()
        .min(1, 'required')
        .max(max ?? 253)
        .meta(picker('hostname'));
    case 'ip':
      return z.union([z.ipv4(), z.ipv6()]).meta(picker('ip'));
  }
}

/** One declared field as zod, with its label/help/condition as UI hints. */
export function fieldSchema(f: FieldDef): z.ZodType {
  const base = fieldBase(f);
  const optional = !f.required || f.requiredWhen !== undefined;
  const meta: Record<string, unknown> = { 'x-loket-label': f.label };
  if (f.help) meta['x-loket-help'] = f.help;
  if (f.requiredWhen) meta['x-loket-requiredWhen'] = f.requiredWhen;
  return (optional ? base.optional() : base).meta(meta);
}

/** The shape of a form of declared fields (for `z.strictObject`). */
export function fieldsShape(fields: readonly FieldDef[]): Record<string, z.ZodType> {
  return Object.fromEntries(fields.map((f) => [f.key, fieldSchema(f)]));
}

/** Declared fields' `requiredWhen` conditions, checked on a parsed payload. */
export function requiredWhenIssues(
  fields: readonly FieldDef[],
  v: Record<string, unknown>,
): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  for (const f of fields) {
    if (!f.requiredWhen) continue;
    const empty = v[f.key] === undefined || v[f.key] === '';
    if (empty && v[f.requiredWhen.field] === f.requiredWhen.equals) {
      out.push({ path: [f.key], message: 'required' });
    }
  }
  return out;
}

/** A strict object of declared fields (plus `extra`), with their `requiredWhen` conditions. */
export function fieldsObject(fields: readonly FieldDef[], extra: Record<string, z.ZodType> = {}): z.ZodType {
  const obj = z.strictObject({ ...fieldsShape(fields), ...extra });
  if (!fields.some((f) => f.requiredWhen)) return obj;
  return obj.superRefine((v, ctx) => {
    for (const i of requiredWhenIssues(fields, v as Record<string, unknown>)) {
      ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
    }
  });
}

/** The problems of a list of declared fields (duplicate keys, choices without values, …). */
export function fieldProblems(fields: readonly FieldDef[], at: string): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (seen.has(f.key)) out.push({ path: `${at}.${i}.key`, message: `duplicate field ${f.key}` });
    seen.add(f.key);
    if (f.type === 'choice' && !(f.choices && f.choices.length > 0)) {
      out.push({ path: `${at}.${i}.choices`, message: 'a choice needs at least one value' });
    }
    if (f.requiredWhen && !fields.some((g) => g.key === f.requiredWhen?.field)) {
      out.push({ path: `${at}.${i}.requiredWhen.field`, message: `no field ${f.requiredWhen.field}` });
    }
  });
  return out;
}

// ---- moves ----

/** The plain "done" move of a step: on to `next`, or nowhere for the last step. */
export function toNext(at: BlockContext): { effect: () => Effect; targets: string[] } {
  const next = at.next;
  if (next === null) return { effect: () => ({ kind: 'stay' }), targets: [] };
  return { effect: () => ({ kind: 'advance', to: next }), targets: [next] };
}

/** Where a branch leads for a payload (compile wires this onto a step's completing action). */
export function branchTarget(branch: BranchDef, payload: Record<string, unknown>): string | null {
  const way = branch.outcomes.find((o) => o.value === payload[branch.field]);
  return way ? way.goto : null;
}

/** The lane's roles that are DKISP staff (the people a step's team or a picker may name). */
export function staffRoles(roles: readonly Role[]): Role[] {
  return roles.filter((r) => r !== 'opd' && r !== 'admin');
}
