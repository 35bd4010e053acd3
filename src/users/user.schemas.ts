import { z } from 'zod';
import { ROLES } from '../db/schema.ts';
import { boolQuery, pageQuery } from '../shared/pagination.ts';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'use 3–64 lower-case letters, digits, dot, dash or underscore');
const fullName = z.string().trim().min(2, 'at least 2 characters').max(200, 'at most 200 characters');
const nip = z
  .string()
  .trim()
  .regex(/^\d{18}$/, 'NIP has 18 digits');
const email = z.string().trim().toLowerCase().max(254).pipe(z.email('not an e-mail address'));
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{5,19}$/, 'digits, spaces and dashes, optionally starting with +');
const roles = z
  .array(z.enum(ROLES))
  .min(1, 'choose at least one role')
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, 'a role is listed twice');

/** Optional text that may be cleared: `""` and `null` both mean "none". */
const clearable = <T extends z.ZodType<string>>(s: T) =>
  z.union([z.literal('').transform(() => null), z.null(), s]).optional();

export const createUserBody = z.strictObject({
  username: usernameSchema,
  fullName,
  nip: clearable(nip),
  email: clearable(email),
  phone: clearable(phone),
  roles,
  opdId: z.uuid().nullable().optional(),
  unitId: z.uuid().nullable().optional(),
  password: z.string().max(256),
});

export const updateUserBody = z
  .strictObject({
    fullName: fullName.optional(),
    nip: clearable(nip),
    email: clearable(email),
    phone: clearable(phone),
    roles: roles.optional(),
    opdId: z.uuid().nullable().optional(),
    unitId: z.uuid().nullable().optional(),
    active: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');

export const setPasswordBody = z.strictObject({ password: z.string().max(256) });

export const listUsersQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  role: z.enum(ROLES).optional(),
  opdId: z.uuid().optional(),
  active: boolQuery.optional(),
  ...pageQuery,
});

const orgRef = z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable();

export const meOut = z.object({
  id: z.string(),
  username: z.string(),
  fullName: z.string(),
  nip: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  roles: z.array(z.enum(ROLES)),
  opd: orgRef,
  unit: orgRef,
});

export const userOut = meOut.extend({
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

export type CreateUserInput = z.infer<typeof createUserBody>;
export type UpdateUserInput = z.infer<typeof updateUserBody>;
export type Me = z.infer<typeof meOut>;
export type User = z.infer<typeof userOut>;
