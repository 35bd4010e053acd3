import { z } from 'zod';
import { boolQuery, pageQuery } from '../shared/pagination.ts';

export const orgCode = z
  .string()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9._-]{1,31}$/, 'use 2–32 capital letters, digits, dot, dash or underscore');
export const orgName = z.string().trim().min(2, 'at least 2 characters').max(200, 'at most 200 characters');

export const createOrgBody = z.strictObject({
  code: orgCode,
  name: orgName,
  active: z.boolean().default(true),
});
export const updateOrgBody = z
  .strictObject({ code: orgCode.optional(), name: orgName.optional(), active: z.boolean().optional() })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export const listOrgsQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  active: boolQuery.optional(),
  ...pageQuery,
});
export const importOpdsBody = z.strictObject({
  csv: z.string().max(2_000_000),
  dryRun: z.boolean().default(true),
});

export const orgOut = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type CreateOrgInput = z.infer<typeof createOrgBody>;
export type UpdateOrgInput = z.infer<typeof updateOrgBody>;
export type Org = z.infer<typeof orgOut>;
