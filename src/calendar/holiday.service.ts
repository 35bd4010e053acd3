import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import { requireAdmin } from '../auth/policy.ts';
import type { Database } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import type { Page, PageInput } from '../shared/pagination.ts';
import {
  deleteHolidayRow,
  findHoliday,
  findHolidayForUpdate,
  type HolidayFilter,
  type HolidayRow,
  insertHoliday,
  listHolidayRows,
  lockHolidayDates,
  updateHolidayRow,
} from './holiday.repository.ts';
import type { CreateHolidayInput, Holiday, UpdateHolidayInput } from './holiday.schemas.ts';

/*
 * Holidays decide every due time, so only admins change them, each change audited. Whoever changes
 * them through a service here must call `invalidateWorkCalendar(db)` after the transaction commits
 * (the routes do).
 */

export function presentHoliday(r: HolidayRow): Holiday {
  return {
    date: r.date,
    name: r.name,
    kind: r.kind,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Anyone signed in may read the holidays (OPD users see the same calendar their due times use). */
export async function listHolidays(
  db: Kysely<Database>,
  filter: HolidayFilter,
  page: PageInput,
  _ctx: Ctx,
): Promise<Page<Holiday>> {
  const { rows, total } = await listHolidayRows(db, filter, page);
  return { items: rows.map(presentHoliday), total, ...page };
}

async function assertDateFree(trx: Kysely<Database>, date: string): Promise<void> {
  await lockHolidayDates(trx);
  if (await findHoliday(trx, date)) {
    throw new AppError('HOLIDAY_EXISTS', `${date} is already a holiday`, {
      details: { fields: [{ path: 'date', message: 'already a holiday' }] },
    });
  }
}

export async function createHoliday(
  trx: Kysely<Database>,
  input: CreateHolidayInput,
  ctx: Ctx,
): Promise<Holiday> {
  requireAdmin(ctx.actor);
  await assertDateFree(trx, input.date);
  const row = presentHoliday(await insertHoliday(trx, input));
  await recordAudit(trx, ctx, {
    action: 'holiday.create',
    entityType: 'holiday',
    entityId: row.date,
    details: { after: row },
  });
  return row;
}

export async function updateHoliday(
  trx: Kysely<Database>,
  date: string,
  input: UpdateHolidayInput,
  ctx: Ctx,
): Promise<Holiday> {
  requireAdmin(ctx.actor);
  const before = await findHolidayForUpdate(trx, date);
  if (!before) throw notFound('Holiday');
  if (input.date !== undefined && input.date !== date) await assertDateFree(trx, input.date);
  const after = presentHoliday(await updateHolidayRow(trx, date, input));
  await recordAudit(trx, ctx, {
    action: 'holiday.update',
    entityType: 'holiday',
    entityId: date,
    details: { before: presentHoliday(before), after },
  });
  return after;
}

export async function deleteHoliday(trx: Kysely<Database>, date: string, ctx: Ctx): Promise<void> {
  requireAdmin(ctx.actor);
  const before = await findHolidayForUpdate(trx, date);
  if (!before) throw notFound('Holiday');
  await deleteHolidayRow(trx, date);
  await recordAudit(trx, ctx, {
    action: 'holiday.delete',
    entityType: 'holiday',
    entityId: date,
    details: { before: presentHoliday(before) },
  });
}
