import type { ColumnType } from 'kysely';

export const HOLIDAY_KINDS = ['national', 'cuti_bersama', 'local'] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];

/**
 * A day off for everybody: a national holiday (libur nasional), a collective leave day (cuti
 * bersama) or a regional one (local). `date` is a PostgreSQL `date`; the repository always reads it
 * back as `YYYY-MM-DD` text (`to_char`), never as a driver-parsed `Date`, so never `selectAll()` it.
 */
export interface HolidayTable {
  date: ColumnType<string, string, string>;
  name: string;
  kind: HolidayKind;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** Tables of the working-time calendar (migration 0003_calendar). */
export type CalendarTables = {
  holidays: HolidayTable;
};
