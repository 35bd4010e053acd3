import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { invalidateWorkCalendar } from '../../calendar/calendar.loader.ts';
import {
  createHolidayBody,
  dateParams,
  holidayOut,
  listHolidaysQuery,
  updateHolidayBody,
} from '../../calendar/holiday.schemas.ts';
import { createHoliday, deleteHoliday, listHolidays, updateHoliday } from '../../calendar/holiday.service.ts';
import { ctxOf } from '../plugins/auth.ts';
import { errorOut, pageOut, privateErrors, type RouteDeps, typed } from './shared.ts';

/** Holidays (libur nasional, cuti bersama, local): read by anyone signed in, changed by admins. */
export function holidayRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = typed(app);
  const errors = { ...privateErrors, 409: errorOut };

  r.get(
    '/api/holidays',
    {
      schema: {
        tags: ['holidays'],
        summary: 'Holidays, by date; `year` narrows to one calendar year',
        querystring: listHolidaysQuery,
        response: { 200: pageOut(holidayOut), ...privateErrors },
      },
    },
    async (request) => {
      const { page, pageSize, ...filter } = request.query;
      return listHolidays(db, filter, { page, pageSize }, ctxOf(request));
    },
  );
  r.post(
    '/api/holidays',
    { schema: { tags: ['holidays'], body: createHolidayBody, response: { 201: holidayOut, ...errors } } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const holiday = await db.transaction().execute((trx) => createHoliday(trx, request.body, ctx));
      invalidateWorkCalendar(db);
      return reply.status(201).send(holiday);
    },
  );
  r.patch(
    '/api/holidays/:date',
    {
      schema: {
        tags: ['holidays'],
        summary: 'Rename, re-kind or move a holiday to another date',
        params: dateParams,
        body: updateHolidayBody,
        response: { 200: holidayOut, ...errors },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const holiday = await db
        .transaction()
        .execute((trx) => updateHoliday(trx, request.params.date, request.body, ctx));
      invalidateWorkCalendar(db);
      return holiday;
    },
  );
  r.delete(
    '/api/holidays/:date',
    {
      schema: { tags: ['holidays'], params: dateParams, response: { 204: z.null(), ...privateErrors } },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      await db.transaction().execute((trx) => deleteHoliday(trx, request.params.date, ctx));
      invalidateWorkCalendar(db);
      return reply.status(204).send(null);
    },
  );
}
