import { z } from 'zod';
import { pageQuery } from '../shared/pagination.ts';
import { HOLIDAY_KINDS } from './calendar.tables.ts';
import { isIsoDate } from './working-time.ts';

/** A civil date `YYYY-MM-DD` that exists (no 2026-02-30), years 1900–2999. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  .refine(isIsoDate, 'not a real date')
  .refine((s) => s >= '1900-01-01' && s <= '2999-12-31', 'year must be 1900–2999');
export const holidayName = z
  .string()
  .trim()
  .min(2, 'at least 2 characters')
  .max(200, 'at most 200 characters');
export const holidayKind = z.enum(HOLIDAY_KINDS);

export const dateParams = z.strictObject({ date: isoDate });

export const createHolidayBody = z.strictObject({ date: isoDate, name: holidayName, kind: holidayKind });
export const updateHolidayBody = z
  .strictObject({ date: isoDate.optional(), name: holidayName.optional(), kind: holidayKind.optional() })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export const listHolidaysQuery = z.strictObject({
  year: z.coerce.number().int().min(1900).max(2999).optional(),
  kind: holidayKind.optional(),
  ...pageQuery,
});

export const holidayOut = z.object({
  date: z.string(),
  name: z.string(),
  kind: holidayKind,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type CreateHolidayInput = z.infer<typeof createHolidayBody>;
export type UpdateHolidayInput = z.infer<typeof updateHolidayBody>;
export type Holiday = z.infer<typeof holidayOut>;
