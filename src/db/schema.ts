import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CalendarTables } from '../calendar/calendar.tables.ts';
import type { CaseTables } from '../cases/case.tables.ts';
import type { DocumentTables } from '../documents/document.tables.ts';
import type { IdempotencyTables } from '../idempotency/idempotency.tables.ts';
import type { NotificationTables } from '../notifications/notification.tables.ts';
import type { ProvisioningTables } from '../provisioning/provisioning.tables.ts';
import type { RegistryTables } from '../registry/registry.tables.ts';
import type { SopTables } from '../sop/sop.tables.ts';

/** Columns the database fills in; readable as Date, writable as Date or omitted. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export const ROLES = ['opd', 'umum', 'kepala', 'kabid', 'subkoor', 'staf', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface OrgTable {
  id: Generated<string>;
  code: string;
  name: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UserTable {
  id: Generated<string>;
  username: string;
  full_name: string;
  nip: string | null;
  email: string | null;
  phone: string | null;
  roles: Role[];
  opd_id: string | null;
  unit_id: string | null;
  password_hash: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  last_login_at: Date | null;
  password_changed_at: Generated<Date>;
}

export interface SessionTable {
  /** SHA-256 (hex) of the cookie token; the token itself is never stored. */
  id: string;
  user_id: string;
  created_at: CreatedAt;
  last_seen_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginFailureTable {
  id: Generated<string>;
  username: string;
  ip: string;
  at: Generated<Date>;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Generated<Date>;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
}

export interface CoreTables {
  opds: OrgTable;
  units: OrgTable;
  users: UserTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
  audit_log: AuditLogTable;
}

/** Every table: the core ones here, and each domain's own from its `*.tables.ts`. */
export type Database = CoreTables &
  CaseTables &
  CalendarTables &
  NotificationTables &
  DocumentTables &
  RegistryTables &
  ProvisioningTables &
  IdempotencyTables &
  SopTables;

export type OrgRow = Selectable<OrgTable>;
export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type AuditRow = Selectable<AuditLogTable>;
