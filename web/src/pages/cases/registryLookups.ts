/**
 * The few registry lists and checks the request pages read (src/registry/registry.schemas.ts): the OPD's
 * websites, the web servers and IP pools for the installation, one website's record, and the host name
 * check. Only the fields these pages use are typed here; the registry pages have the full shapes.
 */
import { queryOptions } from '@tanstack/react-query';
import { request } from '../../api/client.ts';
import type { CaseWebsiteStatus, Page } from '../../api/types.ts';

export type RegistryWebsite = {
  id: string;
  hostname: string | null;
  purpose: string;
  status: CaseWebsiteStatus;
  opd: { id: string; code: string; name: string };
  server: { id: string; name: string } | null;
  ipAddress: string | null;
};

export type RegistryServer = {
  id: string;
  name: string;
  kind: 'dedicated' | 'shared' | 'virtual';
  location: 'noc' | 'colocation' | 'cloud';
  addresses: string[];
  status: 'active' | 'maintenance' | 'retired';
  websiteCount: number;
};

export type RegistryPool = {
  id: string;
  name: string;
  cidr: string;
  /** Usable addresses still free, a decimal string. */
  free: string;
  nextFree: string | null;
};

export type NameCheckAnswer = {
  hostname: string;
  available: boolean;
  reason: string | null;
  /** The managed zones (the server lists them with every answer). */
  zones: string[];
};

const BASE = '/api/registry';

export const registryLookups = {
  /** Websites the user may see (an OPD user: its own), optionally of one OPD; one page of 100. */
  websites: (opdId?: string) =>
    request<Page<RegistryWebsite>>('GET', `${BASE}/websites`, { query: { opdId, pageSize: 100 } }),
  website: (id: string) => request<RegistryWebsite>('GET', `${BASE}/websites/${encodeURIComponent(id)}`),
  webServers: () =>
    request<Page<RegistryServer>>('GET', `${BASE}/servers`, {
      query: { status: 'active', role: 'web', pageSize: 100 },
    }),
  pools: () => request<Page<RegistryPool>>('GET', `${BASE}/pools`, { query: { pageSize: 100 } }),
  checkName: (hostname: string, websiteId: string | undefined, signal?: AbortSignal) =>
    request<NameCheckAnswer>('GET', `${BASE}/names/check`, { query: { hostname, websiteId }, signal }),
};

/** Every list below lives under the registry's key, so the registry pages' changes refresh them too. */
export const lookupKeys = {
  websites: (opdId: string | null) => ['registry', 'websites', 'case-choices', opdId] as const,
  website: (id: string) => ['registry', 'websites', 'case-record', id] as const,
  webServers: ['registry', 'servers', 'case-web-servers'] as const,
  pools: ['registry', 'pools', 'case-pools'] as const,
  name: (hostname: string, websiteId: string | null) =>
    ['registry', 'name-check', hostname, websiteId] as const,
};

/** Websites a request may be about: not retired (a retired website cannot be updated). */
export const websiteChoicesQuery = (opdId: string | null) =>
  queryOptions({
    queryKey: lookupKeys.websites(opdId),
    queryFn: async () =>
      (await registryLookups.websites(opdId ?? undefined)).items.filter((w) => w.status !== 'retired'),
    staleTime: 30_000,
    retry: false,
  });

export const websiteRecordQuery = (id: string) =>
  queryOptions({
    queryKey: lookupKeys.website(id),
    queryFn: () => registryLookups.website(id),
    staleTime: 10_000,
    retry: false,
  });

export const webServersQuery = queryOptions({
  queryKey: lookupKeys.webServers,
  queryFn: async () => (await registryLookups.webServers()).items,
  staleTime: 30_000,
  retry: false,
});

export const poolChoicesQuery = queryOptions({
  queryKey: lookupKeys.pools,
  queryFn: async () => (await registryLookups.pools()).items,
  staleTime: 10_000,
  retry: false,
});

/** Colours of a website's state, the same as the registry pages use. */
export const WEBSITE_STATUS_COLORS: Record<CaseWebsiteStatus, string> = {
  planned: 'blue',
  active: 'teal',
  suspended: 'orange',
  retired: 'gray',
};
