/** Tables of notifications and jobs (filled in by migration 0004_notifications). */
// biome-ignore lint/complexity/noBannedTypes: filled in as the notification tables are added
export type NotificationTables = {};
