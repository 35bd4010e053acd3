import { z } from 'zod';
import { fieldsShape } from './blocks/common.ts';
import { stepConfig } from './compile.ts';
import type { FieldDef } from './definition.ts';
import type { SopDef } from './types.ts';

/** The request's own fields (the first step's `request` config `fields`), as the case routes take them. */
export function requestFields(sop: SopDef): readonly FieldDef[] {
  const first = sop.steps[0];
  if (!first) return [];
  return stepConfig<{ fields?: FieldDef[] }>(sop, first.key).fields ?? [];
}

const cache = new WeakMap<SopDef, Record<string, unknown>>();

/**
 * JSON Schema of the fields a request for this service takes besides the generic ones (subject,
 * letter number and date, description), with the UI hints (`x-loket-*`) the web builds its form from.
 */
export function requestInputSchema(sop: SopDef): Record<string, unknown> {
  let js = cache.get(sop);
  if (!js) {
    js = z.toJSONSchema(z.strictObject(fieldsShape(requestFields(sop))), {
      io: 'input',
      unrepresentable: 'any',
    }) as Record<string, unknown>;
    cache.set(sop, js);
  }
  return js;
}
