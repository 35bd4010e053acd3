import type { ColumnType, Generated, Selectable } from 'kysely';

/** One in-app notification for one user (migration 0004_notifications). */
export interface NotificationTable {
  id: Generated<string>;
  user_id: string;
  /** The case it is about; no foreign key yet (cases arrive in their own migration). */
  case_id: string | null;
  /** Machine-readable kind, e.g. `case.assigned`, `case.overdue`. */
  kind: string;
  /** Short, in Bahasa Indonesia (the UI language). */
  title: string;
  body: string;
  /** A path inside Loket (`/cases/…`), never an outside URL. */
  link: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  read_at: Date | null;
}

/** Tables of notifications. The job queue lives in pg-boss's own schema and is not typed here. */
export type NotificationTables = {
  notifications: NotificationTable;
  email_deliveries: EmailDeliveryTable;
};

/** The e-mail of one notification: claimed before sending, marked sent after (migration 0011). */
export interface EmailDeliveryTable {
  notification_id: string;
  message_id: string;
  claimed_at: ColumnType<Date, Date | undefined, never>;
  sent_at: Date | null;
}

export type NotificationRow = Selectable<NotificationTable>;
