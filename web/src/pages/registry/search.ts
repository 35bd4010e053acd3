/** The registry pages' URL search parameters: what the router accepts, everything else dropped. */
import {
  NAME_KINDS,
  type NameKind,
  SERVER_KINDS,
  SERVER_LOCATIONS,
  SERVER_SORTS,
  SERVER_STATUSES,
  type ServerKind,
  type ServerLocation,
  type ServerSort,
  type ServerStatus,
  type SortDir,
  WEBSITE_SORTS,
  WEBSITE_STATUSES,
  type WebsiteSort,
  type WebsiteStatus,
} from '../../api/registry.ts';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 100) : undefined;
}

function page(value: unknown): number | undefined {
  const number = Number(value);
  return Number.isInteger(number) && number > 1 && number <= 100_000 ? number : undefined;
}

function oneOf<T extends string>(list: readonly T[], value: unknown): T | undefined {
  return list.find((item) => item === value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function uuid(value: unknown): string | undefined {
  return typeof value === 'string' && UUID.test(value) ? value : undefined;
}

function dir(value: unknown): SortDir | undefined {
  return value === 'asc' || value === 'desc' ? value : undefined;
}

export type WebsiteSearch = {
  q?: string;
  status?: WebsiteStatus;
  opdId?: string;
  serverId?: string;
  sort?: WebsiteSort;
  dir?: SortDir;
  page?: number;
};

export function websiteSearch(search: Record<string, unknown>): WebsiteSearch {
  return {
    q: text(search.q),
    status: oneOf(WEBSITE_STATUSES, search.status),
    opdId: uuid(search.opdId),
    serverId: uuid(search.serverId),
    sort: oneOf(WEBSITE_SORTS, search.sort),
    dir: dir(search.dir),
    page: page(search.page),
  };
}

export type ServerSearch = {
  q?: string;
  kind?: ServerKind;
  location?: ServerLocation;
  status?: ServerStatus;
  sort?: ServerSort;
  dir?: SortDir;
  page?: number;
};

export function serverSearch(search: Record<string, unknown>): ServerSearch {
  return {
    q: text(search.q),
    kind: oneOf(SERVER_KINDS, search.kind),
    location: oneOf(SERVER_LOCATIONS, search.location),
    status: oneOf(SERVER_STATUSES, search.status),
    sort: oneOf(SERVER_SORTS, search.sort),
    dir: dir(search.dir),
    page: page(search.page),
  };
}

export type PoolListSearch = { q?: string; page?: number };

export function poolListSearch(search: Record<string, unknown>): PoolListSearch {
  return { q: text(search.q), page: page(search.page) };
}

/** The pool page: where the address window starts, and whether only held addresses are listed. */
export type PoolSearch = { from?: string; used?: boolean };

export function poolSearch(search: Record<string, unknown>): PoolSearch {
  const from =
    typeof search.from === 'string' && /^[0-9a-fA-F:.]{2,45}$/.test(search.from) ? search.from : undefined;
  return { from, used: search.used === true || search.used === 'true' ? true : undefined };
}

export type ZoneSearch = { q?: string; kind?: NameKind; page?: number };

export function zoneSearch(search: Record<string, unknown>): ZoneSearch {
  return { q: text(search.q), kind: oneOf(NAME_KINDS, search.kind), page: page(search.page) };
}
