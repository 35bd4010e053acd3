/** One function per API endpoint the web app uses. */
import { request } from './client.ts';
import type {
  AuditEntry,
  ImportResult,
  Me,
  Opd,
  OrgInput,
  Page,
  Role,
  Unit,
  User,
  UserCreateInput,
  UserUpdateInput,
} from './types.ts';

export type ListQuery = { q?: string; active?: boolean; page?: number; pageSize?: number };
export type UserListQuery = ListQuery & { role?: Role; opdId?: string };
export type AuditQuery = {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
};

export const authApi = {
  me: () => request<{ user: Me }>('GET', '/api/auth/me', { redirectOnUnauthenticated: false }),
  login: (username: string, password: string) =>
    request<{ user: Me }>('POST', '/api/auth/login', {
      body: { username, password },
      redirectOnUnauthenticated: false,
    }),
  logout: () => request<void>('POST', '/api/auth/logout', { redirectOnUnauthenticated: false }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('POST', '/api/auth/password', { body: { currentPassword, newPassword } }),
};

export const usersApi = {
  list: (query: UserListQuery) => request<Page<User>>('GET', '/api/users', { query }),
  get: (id: string) => request<User>('GET', `/api/users/${encodeURIComponent(id)}`),
  create: (input: UserCreateInput) => request<User>('POST', '/api/users', { body: input }),
  update: (id: string, input: UserUpdateInput) =>
    request<User>('PATCH', `/api/users/${encodeURIComponent(id)}`, { body: input }),
  setPassword: (id: string, password: string) =>
    request<void>('POST', `/api/users/${encodeURIComponent(id)}/password`, { body: { password } }),
};

/** OPDs and DKISP units share one shape and one set of endpoints. */
export type OrgKind = 'opds' | 'units';

export function orgApi(kind: OrgKind) {
  const base = `/api/${kind}`;
  return {
    list: (query: ListQuery) => request<Page<Opd | Unit>>('GET', base, { query }),
    create: (input: OrgInput) => request<Opd | Unit>('POST', base, { body: input }),
    update: (id: string, input: OrgInput) =>
      request<Opd | Unit>('PATCH', `${base}/${encodeURIComponent(id)}`, { body: input }),
  };
}

export const opdImportApi = {
  run: (csv: string, dryRun: boolean) =>
    request<ImportResult>('POST', '/api/opds/import', { body: { csv, dryRun } }),
};

export const auditApi = {
  list: (query: AuditQuery) => request<Page<AuditEntry>>('GET', '/api/audit', { query }),
};

/** Fetches every page of a list (OPDs and units are small: dozens, not thousands). */
export async function fetchAll<T>(
  list: (query: ListQuery) => Promise<Page<T>>,
  query: ListQuery = {},
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= 50; page++) {
    const result = await list({ ...query, page, pageSize: 100 });
    items.push(...result.items);
    if (items.length >= result.total || result.items.length === 0) break;
  }
  return items;
}
