/**
 * The registry's API (src/registry/registry.schemas.ts): the answers typed from those schemas (z.infer), one function per
 * endpoint, and the query keys the registry pages share.
 */

import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as R from '../../../src/registry/registry.schemas.ts';
import { request, upload } from './client.ts';
import type { Page, Role } from './types.ts';

export const WEBSITE_STATUSES = ['planned', 'active', 'suspended', 'retired'] as const;
export type WebsiteStatus = (typeof WEBSITE_STATUSES)[number];
export const SERVER_KINDS = ['dedicated', 'shared', 'virtual'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];
export const SERVER_LOCATIONS = ['noc', 'colocation', 'cloud'] as const;
export type ServerLocation = (typeof SERVER_LOCATIONS)[number];
export const SERVER_ROLES = ['web', 'database', 'dns'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];
export const SERVER_STATUSES = ['active', 'maintenance', 'retired'] as const;
export type ServerStatus = (typeof SERVER_STATUSES)[number];
export const DB_ENGINES = ['mariadb', 'postgresql'] as const;
export type DbEngine = (typeof DB_ENGINES)[number];
export const ALLOCATION_KINDS = ['gateway', 'reserved', 'server', 'website'] as const;
export type AllocationKind = (typeof ALLOCATION_KINDS)[number];
export const ADDRESS_STATES = ['free', 'network', 'broadcast', ...ALLOCATION_KINDS, 'held'] as const;
export type AddressState = (typeof ADDRESS_STATES)[number];
export const NAME_KINDS = ['website', 'alias', 'reserved'] as const;
export type NameKind = (typeof NAME_KINDS)[number];

export const WEBSITE_SORTS = ['hostname', 'status', 'opd', 'updatedAt', 'tlsExpiresAt'] as const;
export type WebsiteSort = (typeof WEBSITE_SORTS)[number];
export const SERVER_SORTS = ['name', 'kind', 'location', 'status', 'websites', 'updatedAt'] as const;
export type ServerSort = (typeof SERVER_SORTS)[number];
export type SortDir = 'asc' | 'desc';

/** Why a change is made, and the case it belongs to: both go into the record's history. */
export type Why = { reason?: string; caseId?: string };

export type Ref = { id: string; name: string };

// ---------- Zones and names ----------

export type Zone = z.infer<typeof R.zoneOut>;

export type DnsName = z.infer<typeof R.dnsNameOut>;

export type NameCheck = z.infer<typeof R.checkNameOut>;

export type NameListQuery = { q?: string; kind?: NameKind; page?: number; pageSize?: number };

// ---------- Servers ----------

export type Server = z.infer<typeof R.serverOut>;

/** A server with its pool addresses and (a short list of) the websites on it. */
export type ServerDetail = z.infer<typeof R.serverDetailOut>;

export type ServerInput = {
  name: string;
  kind: ServerKind;
  location: ServerLocation;
  os: string | null;
  addresses: string[];
  roles: ServerRole[];
  capacityNotes: string | null;
  status: ServerStatus;
  notes: string | null;
} & Why;

export type ServerListQuery = {
  q?: string;
  kind?: ServerKind;
  location?: ServerLocation;
  role?: ServerRole;
  status?: ServerStatus;
  sort?: ServerSort;
  dir?: SortDir;
  page?: number;
  pageSize?: number;
};

// ---------- Pools and allocations ----------

export type Pool = z.infer<typeof R.poolOut>;

export type PoolInput = {
  name: string;
  cidr: string;
  gateway?: string | null;
  reserved: string[];
  notes?: string | null;
} & Why;

export type Allocation = z.infer<typeof R.allocationOut>;

export type AllocateInput = {
  kind: 'server' | 'website' | 'reserved';
  serverId?: string;
  websiteId?: string;
  address?: string;
  note?: string | null;
} & Why;

export type AddressCell = AddressMap['addresses'][number];
export type AddressMap = z.infer<typeof R.addressMapOut>;

// ---------- Websites ----------

export type WebsiteListItem = z.infer<typeof R.websiteListItemOut>;

export type Website = z.infer<typeof R.websiteOut>;

/** The editable fields, as sent (absent = unchanged, null = cleared). */
export type WebsiteFields = {
  purpose?: string;
  hostname?: string | null;
  aliases?: string[];
  serverId?: string | null;
  ipAddress?: string | null;
  cms?: string | null;
  cmsVersion?: string | null;
  template?: string | null;
  dbEngine?: DbEngine | null;
  dbServerId?: string | null;
  dbHost?: string | null;
  dbName?: string | null;
  dbUser?: string | null;
  /** Write-only: never answered back. */
  dbPassword?: string | null;
  tlsIssuer?: string | null;
  tlsExpiresAt?: string | null;
  documentRoot?: string | null;
  contactName?: string | null;
  contactNip?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  notes?: string | null;
};

export type WebsiteCreateInput = WebsiteFields & {
  opdId: string;
  purpose: string;
  status?: 'planned' | 'active';
} & Why;
export type WebsiteUpdateInput = WebsiteFields & { version: number; opdId?: string } & Why;

export type WebsiteListQuery = {
  q?: string;
  status?: WebsiteStatus;
  opdId?: string;
  serverId?: string;
  zoneId?: string;
  sort?: WebsiteSort;
  dir?: SortDir;
  page?: number;
  pageSize?: number;
};

export type StatusChangeInput = { version: number; status: WebsiteStatus; reason: string; caseId?: string };

// ---------- History ----------

export type RegistryHistoryEntry = z.infer<typeof R.historyEntryOut>;

// ---------- Import and export ----------

export type RegistryEntity = 'websites' | 'servers' | 'pools';
export type ExportFormat = 'csv' | 'xlsx';

export type RegistryImportRow = {
  line: number;
  action: 'create' | 'update' | 'unchanged' | 'error';
  key: string;
  errors: string[];
};

export type RegistryImportResult = {
  rows: RegistryImportRow[];
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
};

// ---------- Endpoints ----------

const BASE = '/api/registry';
const at = (...parts: string[]) => `${BASE}/${parts.map(encodeURIComponent).join('/')}`;

/** A list answered as a bare array or as a page (zones have no paging in the contract). */
function itemsOf<T>(answer: T[] | { items?: T[] } | undefined): T[] {
  if (Array.isArray(answer)) return answer;
  return answer?.items ?? [];
}

export const zonesApi = {
  list: async (): Promise<Zone[]> => itemsOf(await request<Zone[] | Page<Zone>>('GET', `${BASE}/zones`)),
  create: (input: { name: string; notes?: string | null; nsServerId?: string | null } & Why) =>
    request<Zone>('POST', `${BASE}/zones`, { body: input }),
  update: (
    id: string,
    input: { version: number; notes?: string | null; active?: boolean; nsServerId?: string | null } & Why,
  ) => request<Zone>('PATCH', at('zones', id), { body: input }),
  names: (zoneId: string, query: NameListQuery) =>
    request<Page<DnsName>>('GET', at('zones', zoneId, 'names'), { query }),
  reserve: (zoneId: string, input: { label: string; note?: string | null } & Why) =>
    request<DnsName>('POST', at('zones', zoneId, 'names'), { body: input }),
  unreserve: (nameId: string) => request<void>('DELETE', at('names', nameId)),
  check: (hostname: string, websiteId?: string, signal?: AbortSignal) =>
    request<NameCheck>('GET', `${BASE}/names/check`, { query: { hostname, websiteId }, signal }),
};

export const serversApi = {
  list: (query: ServerListQuery) => request<Page<Server>>('GET', `${BASE}/servers`, { query }),
  get: (id: string) => request<ServerDetail>('GET', at('servers', id)),
  create: (input: ServerInput) => request<Server>('POST', `${BASE}/servers`, { body: input }),
  update: (id: string, input: Partial<ServerInput> & { version: number }) =>
    request<Server>('PATCH', at('servers', id), { body: input }),
  history: (id: string) =>
    request<{ items: RegistryHistoryEntry[] }>('GET', at('servers', id, 'history')).then((r) => r.items),
};

export const poolsApi = {
  list: (query: { q?: string; family?: '4' | '6'; page?: number; pageSize?: number }) =>
    request<Page<Pool>>('GET', `${BASE}/pools`, { query }),
  get: (id: string) => request<Pool>('GET', at('pools', id)),
  create: (input: PoolInput) => request<Pool>('POST', `${BASE}/pools`, { body: input }),
  update: (id: string, input: { version: number; name?: string; notes?: string | null } & Why) =>
    request<Pool>('PATCH', at('pools', id), { body: input }),
  addresses: (id: string, query: { from?: string; limit?: number; usedOnly?: boolean }) =>
    request<AddressMap>('GET', at('pools', id, 'addresses'), {
      query: { from: query.from, limit: query.limit, usedOnly: query.usedOnly ? 'true' : undefined },
    }),
  allocate: (id: string, input: AllocateInput) =>
    request<Allocation>('POST', at('pools', id, 'allocations'), { body: input }),
  release: (allocationId: string, reason?: string) =>
    request<void>('DELETE', at('allocations', allocationId), { query: { reason } }),
  history: (id: string) =>
    request<{ items: RegistryHistoryEntry[] }>('GET', at('pools', id, 'history')).then((r) => r.items),
};

export const websitesApi = {
  list: (query: WebsiteListQuery) =>
    request<Page<WebsiteListItem> & { totalCapped: boolean }>('GET', `${BASE}/websites`, { query }),
  get: (id: string) => request<Website>('GET', at('websites', id)),
  create: (input: WebsiteCreateInput) => request<Website>('POST', `${BASE}/websites`, { body: input }),
  update: (id: string, input: WebsiteUpdateInput) =>
    request<Website>('PATCH', at('websites', id), { body: input }),
  changeStatus: (id: string, input: StatusChangeInput) =>
    request<Website>('POST', at('websites', id, 'status'), { body: input }),
  history: (id: string) =>
    request<{ items: RegistryHistoryEntry[] }>('GET', at('websites', id, 'history')).then((r) => r.items),
};

/** The download address of an export (the browser fetches it with the session cookie). */
export function exportUrl(entity: RegistryEntity, format: ExportFormat): string {
  return `${BASE}/export?entity=${entity}&format=${format}`;
}

export const importApi = {
  run: (entity: RegistryEntity, dryRun: boolean, file: File) => {
    const form = new FormData();
    form.append('entity', entity);
    form.append('dryRun', dryRun ? 'true' : 'false');
    // The file last: a streaming server sees the text fields first.
    form.append('file', file, file.name);
    return upload<RegistryImportResult>('POST', `${BASE}/import`, form);
  },
};

// ---------- Query keys and options ----------

export const registryKeys = {
  all: ['registry'] as const,
  zones: ['registry', 'zones'] as const,
  names: (zoneId: string, query: NameListQuery) => ['registry', 'zones', zoneId, 'names', query] as const,
  servers: (query: ServerListQuery) => ['registry', 'servers', 'list', query] as const,
  server: (id: string) => ['registry', 'servers', 'detail', id] as const,
  pools: (query: object) => ['registry', 'pools', 'list', query] as const,
  pool: (id: string) => ['registry', 'pools', 'detail', id] as const,
  addresses: (id: string, query: object) => ['registry', 'pools', 'addresses', id, query] as const,
  websites: (query: WebsiteListQuery) => ['registry', 'websites', 'list', query] as const,
  website: (id: string) => ['registry', 'websites', 'detail', id] as const,
  history: (entity: string, id: string) => ['registry', 'history', entity, id] as const,
};

export const zonesQuery = queryOptions({
  queryKey: registryKeys.zones,
  queryFn: zonesApi.list,
  staleTime: 60_000,
});

/** Every server, for selects and filters (a regency has dozens, not thousands). */
export const allServersQuery = queryOptions({
  queryKey: ['registry', 'servers', 'all'],
  queryFn: async () => {
    const items: Server[] = [];
    for (let page = 1; page <= 20; page++) {
      const answer = await serversApi.list({ page, pageSize: 100 });
      items.push(...answer.items);
      if (items.length >= answer.total || answer.items.length === 0) break;
    }
    return items;
  },
  staleTime: 60_000,
});

/** Every pool, for selects (a handful). */
export const allPoolsQuery = queryOptions({
  queryKey: ['registry', 'pools', 'all'],
  queryFn: async () => {
    const items: Pool[] = [];
    for (let page = 1; page <= 20; page++) {
      const answer = await poolsApi.list({ page, pageSize: 100 });
      items.push(...answer.items);
      if (items.length >= answer.total || answer.items.length === 0) break;
    }
    return items;
  },
  staleTime: 30_000,
});

// ---------- Who may do what (the server decides; the interface only hides what would be refused) ----------

type WithRoles = { roles: Role[]; opd: unknown };

/** DKISP staff read the whole registry; OPD users only their own websites. */
export function isRegistryReader(me: WithRoles): boolean {
  return !me.opd && !me.roles.includes('opd');
}
export function isRegistryEditor(me: WithRoles): boolean {
  return me.roles.some(
    (role) => role === 'admin' || role === 'kabid' || role === 'subkoor' || role === 'staf',
  );
}
/** Zones, pools and imports: administrators and the head of the division. */
export function isRegistryManager(me: WithRoles): boolean {
  return me.roles.some((role) => role === 'admin' || role === 'kabid');
}
