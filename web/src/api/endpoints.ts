/** One function per API endpoint the web app uses. */
import { request, type UploadOptions, upload } from './client.ts';
import type {
  AuditEntry,
  CaseCounts,
  CaseDetail,
  CaseInput,
  CaseStatus,
  CaseSummary,
  CaseView,
  DocumentKind,
  DocumentSettings,
  DocumentSettingsInput,
  DocumentVerification,
  Holiday,
  HolidayInput,
  ImportResult,
  Me,
  NotificationPage,
  OfficialDocument,
  Opd,
  OrgInput,
  Page,
  Role,
  Service,
  StaffMember,
  TemplatePreview,
  Unit,
  User,
  UserCreateInput,
  UserUpdateInput,
  VerifyResult,
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

// ---------- Cases (docs/api.md, Cases) ----------

export type CaseListQuery = {
  view?: CaseView;
  status?: CaseStatus;
  step?: string;
  opdId?: string;
  q?: string;
  page?: number;
  pageSize?: number;
};

/** Files sent with a request: one entry per multipart field, several files per field allowed. */
export type FileFields = Record<string, File[]>;

function hasFiles(files: FileFields | undefined): files is FileFields {
  return Boolean(files && Object.values(files).some((list) => list.length > 0));
}

/** Text fields and files as one multipart body; arrays become repeated fields, booleans "true"/"false". */
export function toFormData(fields: Record<string, unknown>, files: FileFields = {}): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) form.append(key, String(item));
    } else {
      form.append(key, String(value));
    }
  }
  // Files last: a streaming server sees every text field before the first file.
  for (const [field, list] of Object.entries(files)) {
    for (const file of list) form.append(field, file, file.name);
  }
  return form;
}

const casePath = (id: string) => `/api/cases/${encodeURIComponent(id)}`;

export const servicesApi = {
  list: () => request<Service[]>('GET', '/api/services'),
};

export const casesApi = {
  /** Matches are counted up to 1000; `totalCapped` says there are more. */
  list: (query: CaseListQuery) =>
    request<Page<CaseSummary> & { totalCapped: boolean }>('GET', '/api/cases', { query }),
  counts: () => request<CaseCounts>('GET', '/api/cases/counts'),
  get: (id: string) => request<CaseDetail>('GET', casePath(id)),
  /** Creates a draft: JSON without files, multipart with them (so the upload shows progress). */
  create: (input: CaseInput, files?: FileFields, options?: UploadOptions) =>
    hasFiles(files)
      ? upload<CaseDetail>('POST', '/api/cases', toFormData(input, files), options)
      : request<CaseDetail>('POST', '/api/cases', { body: input }),
  update: (
    id: string,
    input: CaseInput & { version: number },
    files?: FileFields,
    options?: UploadOptions,
  ) =>
    hasFiles(files)
      ? upload<CaseDetail>('PATCH', casePath(id), toFormData(input, files), options)
      : request<CaseDetail>('PATCH', casePath(id), { body: input }),
  act: (
    id: string,
    action: string,
    body: Record<string, unknown> & { version: number },
    files?: FileFields,
    options?: UploadOptions,
  ) => {
    const path = `${casePath(id)}/actions/${encodeURIComponent(action)}`;
    return hasFiles(files)
      ? upload<CaseDetail>('POST', path, toFormData(body, files), options)
      : request<CaseDetail>('POST', path, { body });
  },
};

export const staffApi = {
  list: (role?: Role) => request<StaffMember[]>('GET', '/api/staff', { query: { role } }),
};

export const notificationsApi = {
  list: (query: { page?: number; pageSize?: number; unread?: boolean } = {}) =>
    request<NotificationPage>('GET', '/api/notifications', { query }),
  markRead: (body: { ids: string[] } | { all: true }) =>
    request<unknown>('POST', '/api/notifications/read', { body }),
};

const holidayPath = (date: string) => `/api/holidays/${encodeURIComponent(date)}`;

export const holidaysApi = {
  /**
   * Every holiday of a year, by date (about 25; pages of 100 are asked for, and followed should there be
   * more). Tolerant of a bare array as well as a `{ items, total }` page.
   */
  list: async (year: number): Promise<Holiday[]> => {
    const items: Holiday[] = [];
    // A year has at most 366 days, so four pages of 100 hold any year.
    for (let page = 1; page <= 4; page++) {
      const answer = await request<Holiday[] | Page<Holiday>>('GET', '/api/holidays', {
        query: { year, page, pageSize: 100 },
      });
      if (Array.isArray(answer)) return answer;
      const pageItems = answer?.items ?? [];
      items.push(...pageItems);
      if (pageItems.length === 0 || items.length >= (answer?.total ?? 0)) break;
    }
    return items;
  },
  create: (input: HolidayInput) => request<Holiday>('POST', '/api/holidays', { body: input }),
  /** Renames, re-kinds or moves (a new `date`) the holiday on `date`. */
  update: (date: string, input: Partial<HolidayInput>) =>
    request<Holiday>('PATCH', holidayPath(date), { body: input }),
  remove: (date: string) => request<void>('DELETE', holidayPath(date)),
};

// ---------- Official documents (docs/api.md, Documents and their verification) ----------

/** The kinds a user issues for a case (the follow-up letter is issued when it is sent). */
export type IssuableKind = Exclude<DocumentKind, 'sop_sheet' | 'follow_up_letter'>;

export const documentsApi = {
  ofCase: (caseId: string) => request<OfficialDocument[]>('GET', `${casePath(caseId)}/documents`),
  issue: (caseId: string, kind: IssuableKind, kakVersion?: number) =>
    request<OfficialDocument>('POST', `${casePath(caseId)}/documents`, {
      body: kind === 'kak' ? { kind, kakVersion } : { kind },
    }),
  issueSopSheet: (key: string) =>
    request<OfficialDocument>('POST', `/api/sop-sheets/${encodeURIComponent(key)}`),
};

const verifyPath = (id: string) => `/api/verify/${encodeURIComponent(id)}`;

/** Public: no session needed, and a 401 (there should be none) never sends anyone to sign in. */
export const verifyApi = {
  info: (id: string) =>
    request<DocumentVerification>('GET', verifyPath(id), { redirectOnUnauthenticated: false }),
  check: (id: string, file: File, options?: UploadOptions) =>
    upload<VerifyResult>('POST', verifyPath(id), toFormData({}, { file: [file] }), options),
};

export const documentSettingsApi = {
  get: () => request<DocumentSettings>('GET', '/api/document-settings'),
  save: (input: DocumentSettingsInput) =>
    request<DocumentSettings>('PUT', '/api/document-settings', { body: input }),
  preview: (template: string) =>
    request<TemplatePreview>('POST', '/api/document-settings/preview', { body: { template } }),
  uploadLogo: (file: File, options?: UploadOptions) =>
    upload<DocumentSettings>(
      'POST',
      '/api/document-settings/logo',
      toFormData({}, { logo: [file] }),
      options,
    ),
};
