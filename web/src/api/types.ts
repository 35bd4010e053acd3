/** Types of the Loket HTTP API, as documented in docs/api.md. */

export const ROLES = ['opd', 'umum', 'kepala', 'kabid', 'subkoor', 'staf', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type OrgRef = { id: string; code: string; name: string };

export type Me = {
  id: string;
  username: string;
  fullName: string;
  nip: string | null;
  email: string | null;
  phone: string | null;
  roles: Role[];
  opd: OrgRef | null;
  unit: OrgRef | null;
};

export type User = Me & { active: boolean; createdAt: string; updatedAt: string; lastLoginAt: string | null };

export type Opd = {
  id: string;
  code: string;
  name: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
};

/** DKISP work units (Bagian Umum, Bidang Aplikasi Informatika, …). */
export type Unit = Opd;

export type AuditEntry = {
  id: string;
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
};

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

export type ImportAction = 'create' | 'update' | 'unchanged' | 'error';

export type ImportRow = {
  line: number;
  code: string;
  name: string;
  active: boolean;
  action: ImportAction;
  errors: string[];
};

export type ImportResult = {
  rows: ImportRow[];
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
};

export type UserCreateInput = {
  username: string;
  fullName: string;
  nip?: string | null;
  email?: string | null;
  phone?: string | null;
  roles: Role[];
  opdId?: string | null;
  unitId?: string | null;
  password: string;
};

export type UserUpdateInput = {
  fullName?: string;
  nip?: string | null;
  email?: string | null;
  phone?: string | null;
  roles?: Role[];
  opdId?: string | null;
  unitId?: string | null;
  active?: boolean;
};

export type OrgInput = { code?: string; name?: string; active?: boolean };
