import { z } from 'zod';
import { pageQuery } from '../shared/pagination.ts';
import { tryParseCidr, tryParseIp } from './ip.ts';
import { checkDatabaseName, checkSubdomainLabel } from './names.ts';
import {
  ALLOCATION_KINDS,
  DB_ENGINES,
  SERVER_KINDS,
  SERVER_LOCATIONS,
  SERVER_ROLES,
  SERVER_STATUSES,
  WEBSITE_STATUSES,
} from './registry.tables.ts';

// The registry's API contract: request bodies and queries (validated at the edge) and the answers.
// Names that later reach a server are checked by the pure validators in names.ts / ip.ts; the
// service checks what needs the database (zones, uniqueness, pools).

const text = (max: number) => z.string().trim().min(1, 'required').max(max);
/** Optional free text: absent leaves it unchanged; '' or null clears it. */
const clearable = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((v) => (v ? v : null))
    .optional();

/** One IPv4/IPv6 address, canonical form required (e.g. `2001:db8::1`, not `2001:0db8:0:0::1`). */
export const ipAddress = z.string().superRefine((v, ctx) => {
  const ip = tryParseIp(v);
  if (!ip) ctx.addIssue({ code: 'custom', message: 'not an IPv4 or IPv6 address' });
});

export const cidr = z.string().superRefine((v, ctx) => {
  if (!tryParseCidr(v)) ctx.addIssue({ code: 'custom', message: 'not a CIDR block such as 203.0.113.0/24' });
});

export const subdomainLabel = z.string().superRefine((v, ctx) => {
  const c = checkSubdomainLabel(v);
  if (!c.ok) ctx.addIssue({ code: 'custom', message: c.reason });
});

/** A full host name; which zone it belongs to and whether it is free is the service's question. */
export const hostname = z.string().max(253, 'longer than 253 characters');

const dbIdent = z.string().superRefine((v, ctx) => {
  const c = checkDatabaseName(v);
  if (!c.ok) ctx.addIssue({ code: 'custom', message: c.reason });
});

/** Why a change is made, and the case it belongs to: both go into the record's history. */
export const why = {
  reason: z.string().trim().max(2000).optional(),
  caseId: z.uuid().optional(),
};

const sortDir = z.enum(['asc', 'desc']).default('asc');

// ---------------------------------------------------------------------------------------------
// DNS zones and names

export const zoneName = z
  .string()
  .trim()
  .max(200)
  .regex(
    /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'a zone name in lower case, e.g. example-kab.go.id',
  );

export const createZoneBody = z.strictObject({
  name: zoneName,
  notes: clearable(2000),
  /** The name server that takes dynamic updates for this zone (provisioning). */
  nsServerId: z.uuid().nullable().optional(),
  ...why,
});
export const updateZoneBody = z.strictObject({
  version: z.number().int().min(1),
  notes: clearable(2000),
  active: z.boolean().optional(),
  nsServerId: z.uuid().nullable().optional(),
  ...why,
});

export const zoneOut = z.object({
  id: z.string(),
  name: z.string(),
  notes: z.string().nullable(),
  active: z.boolean(),
  nsServer: z.object({ id: z.string(), name: z.string() }).nullable(),
  namesInUse: z.number(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const listNamesQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  kind: z.enum(['website', 'alias', 'reserved']).optional(),
  ...pageQuery,
});

export const reserveNameBody = z.strictObject({ label: subdomainLabel, note: clearable(500), ...why });

export const dnsNameOut = z.object({
  id: z.string(),
  zoneId: z.string(),
  label: z.string(),
  hostname: z.string(),
  kind: z.enum(['website', 'alias', 'reserved']),
  website: z
    .object({ id: z.string(), status: z.enum(WEBSITE_STATUSES), opdName: z.string().nullable() })
    .nullable(),
  note: z.string().nullable(),
  /** Set while the name is held in quarantine after its website was retired. */
  heldUntil: z.string().nullable(),
  createdAt: z.string(),
});

export const checkNameQuery = z.strictObject({
  hostname,
  /** The website asking (its own names count as available). */
  websiteId: z.uuid().optional(),
});
export const checkNameOut = z.object({
  hostname: z.string(),
  available: z.boolean(),
  reason: z.string().nullable(),
  /** The managed zones a name may be placed in (for forms, also an OPD's). */
  zones: z.array(z.string()),
});

// ---------------------------------------------------------------------------------------------
// Servers

export const serverName = z
  .string()
  .trim()
  .regex(/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/, 'lower case letters, digits, dot and dash (e.g. web-01)');

const serverFields = {
  name: serverName,
  kind: z.enum(SERVER_KINDS),
  location: z.enum(SERVER_LOCATIONS),
  os: clearable(200),
  addresses: z.array(ipAddress).max(64).default([]),
  roles: z.array(z.enum(SERVER_ROLES)).max(3).default([]),
  capacityNotes: clearable(4000),
  status: z.enum(SERVER_STATUSES).default('active'),
  notes: clearable(4000),
};

export const createServerBody = z.strictObject({ ...serverFields, ...why });
export const updateServerBody = z.strictObject({
  version: z.number().int().min(1),
  name: serverFields.name.optional(),
  kind: serverFields.kind.optional(),
  location: serverFields.location.optional(),
  os: serverFields.os,
  addresses: z.array(ipAddress).max(64).optional(),
  roles: z.array(z.enum(SERVER_ROLES)).max(3).optional(),
  capacityNotes: serverFields.capacityNotes,
  status: z.enum(SERVER_STATUSES).optional(),
  notes: serverFields.notes,
  ...why,
});

export const listServersQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  kind: z.enum(SERVER_KINDS).optional(),
  location: z.enum(SERVER_LOCATIONS).optional(),
  role: z.enum(SERVER_ROLES).optional(),
  status: z.enum(SERVER_STATUSES).optional(),
  sort: z.enum(['name', 'kind', 'location', 'status', 'websites', 'updatedAt']).default('name'),
  dir: sortDir,
  ...pageQuery,
});

export const serverOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(SERVER_KINDS),
  location: z.enum(SERVER_LOCATIONS),
  os: z.string().nullable(),
  addresses: z.array(z.string()),
  roles: z.array(z.enum(SERVER_ROLES)),
  capacityNotes: z.string().nullable(),
  status: z.enum(SERVER_STATUSES),
  notes: z.string().nullable(),
  /** Websites (not retired) on this server. */
  websiteCount: z.number(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

// ---------------------------------------------------------------------------------------------
// IP pools and allocations

/**
 * A block as typed: `address/prefix` with a valid address and prefix. Host bits may be set here so
 * that the service can answer with the block's network address (`10.0.0.5/24` → use 10.0.0.0/24).
 */
export function parseBlockLoose(v: string): { version: 4 | 6; value: bigint; prefix: number } | null {
  if (typeof v !== 'string') return null;
  const slash = v.indexOf('/');
  if (slash < 0 || slash !== v.lastIndexOf('/')) return null;
  const ip = tryParseIp(v.slice(0, slash));
  const prefixText = v.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > (ip.version === 4 ? 32 : 128)) return null;
  return { version: ip.version, value: ip.value, prefix };
}

export const poolCidr = z
  .string()
  .max(100)
  .superRefine((v, ctx) => {
    if (!parseBlockLoose(v))
      ctx.addIssue({ code: 'custom', message: 'not a CIDR block such as 203.0.113.0/24 or 2001:db8::/64' });
  });

export const createPoolBody = z.strictObject({
  name: text(100),
  cidr: poolCidr,
  gateway: ipAddress.nullable().optional(),
  reserved: z.array(ipAddress).max(256).default([]),
  notes: clearable(2000),
  ...why,
});
export const updatePoolBody = z.strictObject({
  version: z.number().int().min(1),
  name: text(100).optional(),
  notes: clearable(2000),
  ...why,
});

export const listPoolsQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  family: z.enum(['4', '6']).optional(),
  ...pageQuery,
});

export const poolOut = z.object({
  id: z.string(),
  name: z.string(),
  cidr: z.string(),
  family: z.union([z.literal(4), z.literal(6)]),
  gateway: z.string().nullable(),
  firstUsable: z.string(),
  lastUsable: z.string(),
  /** Usable addresses (a decimal string: an IPv6 block can hold 2^64 and more). */
  size: z.string(),
  used: z.number(),
  free: z.string(),
  nextFree: z.string().nullable(),
  notes: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const allocationOut = z.object({
  id: z.string(),
  poolId: z.string(),
  address: z.string(),
  kind: z.enum(ALLOCATION_KINDS),
  server: z.object({ id: z.string(), name: z.string() }).nullable(),
  website: z.object({ id: z.string(), hostname: z.string().nullable() }).nullable(),
  note: z.string().nullable(),
  heldUntil: z.string().nullable(),
  createdAt: z.string(),
});

/** A server with its addresses from the pools and (a short list of) the websites on it. */
export const serverDetailOut = serverOut.extend({
  allocations: z.array(allocationOut),
  websites: z.array(
    z.object({
      id: z.string(),
      hostname: z.string().nullable(),
      status: z.enum(WEBSITE_STATUSES),
      opdName: z.string(),
    }),
  ),
  /**
   * An OPD's server (colocation, cloud; migration 0016): its owner, where it stands or how big it
   * is, and the case that recorded it. Null for DKISP's own servers.
   */
  placement: z
    .object({
      ownerOpdId: z.string().nullable(),
      rack: z.string().nullable(),
      rackPosition: z.string().nullable(),
      powerWatts: z.number().nullable(),
      vcpu: z.number().nullable(),
      memoryGb: z.number().nullable(),
      diskGb: z.number().nullable(),
      caseId: z.string().nullable(),
    })
    .nullable(),
});

/** Allocate one address: `address` picks it, otherwise the next free one is taken. */
export const allocateBody = z
  .strictObject({
    kind: z.enum(['server', 'website', 'reserved']),
    serverId: z.uuid().optional(),
    websiteId: z.uuid().optional(),
    address: ipAddress.optional(),
    note: clearable(500),
    ...why,
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'server' && !v.serverId)
      ctx.addIssue({ code: 'custom', path: ['serverId'], message: 'required' });
    if (v.kind === 'website' && !v.websiteId)
      ctx.addIssue({ code: 'custom', path: ['websiteId'], message: 'required' });
    if (v.kind !== 'server' && v.serverId)
      ctx.addIssue({ code: 'custom', path: ['serverId'], message: 'only for kind server' });
    if (v.kind !== 'website' && v.websiteId)
      ctx.addIssue({ code: 'custom', path: ['websiteId'], message: 'only for kind website' });
  });

export const releaseQuery = z.strictObject({ reason: z.string().trim().max(2000).optional() });

/** A window of the pool's address map: each address with who holds it, or free. */
export const addressMapQuery = z.strictObject({
  /** Start at this address (default: the first usable one). */
  from: ipAddress.optional(),
  limit: z.coerce.number().int().min(1).max(1024).default(256),
  /** Only the held ones (allocations), skipping free addresses. */
  usedOnly: z.enum(['true', 'false']).optional(),
});
export const addressMapOut = z.object({
  pool: poolOut,
  addresses: z.array(
    z.object({
      address: z.string(),
      state: z.enum(['free', 'network', 'broadcast', ...ALLOCATION_KINDS, 'held']),
      allocation: allocationOut.nullable(),
    }),
  ),
  /** Where the next window starts, or null at the end of the block. */
  next: z.string().nullable(),
});

// ---------------------------------------------------------------------------------------------
// Websites

const contact = {
  contactName: clearable(200),
  contactNip: z
    .string()
    .trim()
    .regex(/^([0-9]{18})?$/, 'NIP is 18 digits')
    .nullable()
    .transform((v) => (v ? v : null))
    .optional(),
  contactPhone: z
    .string()
    .trim()
    .regex(/^(\+?[0-9][0-9 -]{5,19})?$/, 'a phone number such as 0812-3456-7890')
    .nullable()
    .transform((v) => (v ? v : null))
    .optional(),
  contactEmail: z
    .union([z.email('not an e-mail address'), z.literal('')])
    .nullable()
    .transform((v) => (v ? v : null))
    .optional(),
};

const websiteEditable = {
  purpose: text(500),
  hostname: hostname.nullable().optional(),
  aliases: z.array(hostname).max(20).optional(),
  serverId: z.uuid().nullable().optional(),
  ipAddress: ipAddress.nullable().optional(),
  cms: clearable(100),
  cmsVersion: clearable(50),
  template: clearable(200),
  dbEngine: z.enum(DB_ENGINES).nullable().optional(),
  /** The registry's database server its database lives on (provisioning creates it there). */
  dbServerId: z.uuid().nullable().optional(),
  dbHost: clearable(253),
  dbName: dbIdent.nullable().optional(),
  dbUser: dbIdent.nullable().optional(),
  /** Write-only: stored encrypted, never sent back. null clears it. */
  dbPassword: z.string().min(1).max(200).nullable().optional(),
  tlsIssuer: clearable(200),
  tlsExpiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  documentRoot: z.string().max(4095).nullable().optional(),
  ...contact,
  notes: clearable(4000),
};

export const createWebsiteBody = z.strictObject({
  opdId: z.uuid(),
  status: z.enum(['planned', 'active']).default('planned'),
  ...websiteEditable,
  ...why,
});

export const updateWebsiteBody = z.strictObject({
  version: z.number().int().min(1),
  opdId: z.uuid().optional(),
  ...websiteEditable,
  purpose: websiteEditable.purpose.optional(),
  ...why,
});

export const changeStatusBody = z.strictObject({
  version: z.number().int().min(1),
  status: z.enum(WEBSITE_STATUSES),
  reason: z.string().trim().min(1, 'say why').max(2000),
  caseId: z.uuid().optional(),
});

export const listWebsitesQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  status: z.enum(WEBSITE_STATUSES).optional(),
  opdId: z.uuid().optional(),
  serverId: z.uuid().optional(),
  zoneId: z.uuid().optional(),
  sort: z.enum(['hostname', 'status', 'opd', 'updatedAt', 'tlsExpiresAt']).default('hostname'),
  dir: sortDir,
  ...pageQuery,
});

const ref = z.object({ id: z.string(), name: z.string() });

export const websiteListItemOut = z.object({
  id: z.string(),
  hostname: z.string().nullable(),
  purpose: z.string(),
  status: z.enum(WEBSITE_STATUSES),
  opd: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  server: ref.nullable(),
  ipAddress: z.string().nullable(),
  cms: z.string().nullable(),
  tlsExpiresAt: z.string().nullable(),
  updatedAt: z.string(),
});

export const websiteOut = websiteListItemOut.extend({
  label: z.string().nullable(),
  zone: ref.nullable(),
  aliases: z.array(z.object({ id: z.string(), hostname: z.string(), heldUntil: z.string().nullable() })),
  cmsVersion: z.string().nullable(),
  template: z.string().nullable(),
  database: z.object({
    engine: z.enum(DB_ENGINES).nullable(),
    server: ref.nullable(),
    host: z.string().nullable(),
    name: z.string().nullable(),
    user: z.string().nullable(),
    /** Whether a password is stored; the password itself never leaves the server. */
    passwordSet: z.boolean(),
  }),
  tls: z.object({ issuer: z.string().nullable(), expiresAt: z.string().nullable() }),
  documentRoot: z.string().nullable(),
  contact: z.object({
    name: z.string().nullable(),
    nip: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
  }),
  notes: z.string().nullable(),
  createdCase: z.object({ id: z.string(), ref: z.string() }).nullable(),
  /** While retired: until when its name and address stay held. */
  heldUntil: z.string().nullable(),
  retiredAt: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
});

/** One entry of a record's life: a change (who, when, why, before/after) or a case about it. */
export const historyEntryOut = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.enum(['change', 'case']),
  action: z.string(),
  actor: z.string().nullable(),
  reason: z.string().nullable(),
  case: z
    .object({
      id: z.string(),
      ref: z.string(),
      status: z.string().nullable(),
      /** The service the case is a request for (on the record's own case entries). */
      service: z.object({ key: z.string(), title: z.object({ id: z.string(), en: z.string() }) }).optional(),
    })
    .nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export const historyOut = z.object({ items: z.array(historyEntryOut) });

export type CreateZoneInput = z.infer<typeof createZoneBody>;
export type UpdateZoneInput = z.infer<typeof updateZoneBody>;
export type CreateServerInput = z.infer<typeof createServerBody>;
export type UpdateServerInput = z.infer<typeof updateServerBody>;
export type ListServersQuery = z.infer<typeof listServersQuery>;
export type CreatePoolInput = z.infer<typeof createPoolBody>;
export type UpdatePoolInput = z.infer<typeof updatePoolBody>;
export type AllocateInput = z.infer<typeof allocateBody>;
export type CreateWebsiteInput = z.infer<typeof createWebsiteBody>;
export type UpdateWebsiteInput = z.infer<typeof updateWebsiteBody>;
export type ChangeStatusInput = z.infer<typeof changeStatusBody>;
export type ListWebsitesQuery = z.infer<typeof listWebsitesQuery>;
export type Zone = z.infer<typeof zoneOut>;
export type DnsName = z.infer<typeof dnsNameOut>;
export type Server = z.infer<typeof serverOut>;
export type Pool = z.infer<typeof poolOut>;
export type Allocation = z.infer<typeof allocationOut>;
export type ServerDetail = z.infer<typeof serverDetailOut>;
export type ListPoolsQuery = z.infer<typeof listPoolsQuery>;
export type AddressMap = z.infer<typeof addressMapOut>;
export type Website = z.infer<typeof websiteOut>;
export type WebsiteListItem = z.infer<typeof websiteListItemOut>;
export type HistoryEntry = z.infer<typeof historyEntryOut>;
