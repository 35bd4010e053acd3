/** Tables of the working-time calendar (filled in by migration 0003_calendar). */
// biome-ignore lint/complexity/noBannedTypes: filled in as the calendar's tables are added
export type CalendarTables = {};
