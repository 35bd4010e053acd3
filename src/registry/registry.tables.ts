import type { ColumnType, Generated, Selectable } from 'kysely';

type Created = ColumnType<Date, Date | undefined, never>;
type Updated = ColumnType<Date, Date | undefined, Date>;
/** numeric(39,0) travels as text: IPv6 addresses need 128 bits. */
type Num = ColumnType<string, string | bigint, string | bigint>;

export const SERVER_KINDS = ['dedicated', 'shared', 'virtual'] as const;
export const SERVER_LOCATIONS = ['noc', 'colocation', 'cloud'] as const;
export const SERVER_ROLES = ['web', 'database', 'dns'] as const;
export const SERVER_STATUSES = ['active', 'maintenance', 'retired'] as const;
export const WEBSITE_STATUSES = ['planned', 'active', 'suspended', 'retired'] as const;
export const DB_ENGINES = ['mariadb', 'postgresql'] as const;
export const ALLOCATION_KINDS = ['gateway', 'reserved', 'server', 'website'] as const;

export type ServerKind = (typeof SERVER_KINDS)[number];
export type ServerLocation = (typeof SERVER_LOCATIONS)[number];
export type ServerRole = (typeof SERVER_ROLES)[number];
export type ServerStatus = (typeof SERVER_STATUSES)[number];
export type WebsiteStatus = (typeof WEBSITE_STATUSES)[number];
export type DbEngine = (typeof DB_ENGINES)[number];
export type AllocationKind = (typeof ALLOCATION_KINDS)[number];

export interface DnsZoneTable {
  id: Generated<string>;
  name: string;
  notes: string | null;
  active: Generated<boolean>;
  /** The name server that takes dynamic updates for this zone. */
  ns_server_id: ColumnType<string | null, string | null | undefined, string | null>;
  version: Generated<number>;
  created_at: Created;
  updated_at: Updated;
}

export interface ServerTable {
  id: Generated<string>;
  name: string;
  kind: ServerKind;
  location: ServerLocation;
  os: string | null;
  addresses: ColumnType<string[], string[] | undefined, string[]>;
  roles: ColumnType<ServerRole[], ServerRole[] | undefined, ServerRole[]>;
  capacity_notes: string | null;
  status: ColumnType<ServerStatus, ServerStatus | undefined, ServerStatus>;
  notes: string | null;
  /** How Loket reaches it (src/provisioning/types.ts ServerAccess); default local. */
  access: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** What runs on it, per role (apache, dns, database), without secrets. */
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** A colocated or cloud server belongs to an OPD (migration 0016); DKISP's own have none. */
  owner_opd_id: ColumnType<string | null, string | null | undefined, string | null>;
  rack: ColumnType<string | null, string | null | undefined, string | null>;
  rack_position: ColumnType<string | null, string | null | undefined, string | null>;
  power_watts: ColumnType<number | null, number | null | undefined, number | null>;
  vcpu: ColumnType<number | null, number | null | undefined, number | null>;
  memory_gb: ColumnType<number | null, number | null | undefined, number | null>;
  disk_gb: ColumnType<number | null, number | null | undefined, number | null>;
  created_case_id: ColumnType<string | null, string | null | undefined, string | null>;
  version: Generated<number>;
  created_at: Created;
  updated_at: Updated;
}

export interface IpPoolTable {
  id: Generated<string>;
  name: string;
  cidr: string;
  family: 4 | 6;
  gateway: string | null;
  first_n: Num;
  last_n: Num;
  next_hint: Num;
  notes: string | null;
  version: Generated<number>;
  created_at: Created;
  updated_at: Updated;
}

export interface WebsiteTable {
  id: Generated<string>;
  opd_id: string;
  zone_id: string | null;
  label: string | null;
  hostname: string | null;
  purpose: string;
  status: ColumnType<WebsiteStatus, WebsiteStatus | undefined, WebsiteStatus>;
  server_id: string | null;
  /** The database server its database lives on. */
  db_server_id: ColumnType<string | null, string | null | undefined, string | null>;
  ip_address: string | null;
  cms: string | null;
  cms_version: string | null;
  template: string | null;
  db_engine: DbEngine | null;
  db_host: string | null;
  db_name: string | null;
  db_user: string | null;
  db_password_enc: string | null;
  tls_issuer: string | null;
  tls_expires_at: Date | null;
  document_root: string | null;
  contact_name: string | null;
  contact_nip: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  notes: string | null;
  created_case_id: string | null;
  retired_at: Date | null;
  version: Generated<number>;
  created_at: Created;
  updated_at: Updated;
  search: ColumnType<string, never, never>;
}

export interface DnsNameTable {
  id: Generated<string>;
  zone_id: string;
  label: string;
  kind: 'website' | 'alias' | 'reserved';
  website_id: string | null;
  note: string | null;
  held_until: Date | null;
  created_at: Created;
}

export interface IpAllocationTable {
  id: Generated<string>;
  pool_id: string;
  address: string;
  n: Num;
  kind: AllocationKind;
  server_id: string | null;
  website_id: string | null;
  note: string | null;
  held_until: Date | null;
  created_at: Created;
}

export interface ServerSecretTable {
  server_id: string;
  name: 'dns_key' | 'db_admin_password' | 'ssh_private_key';
  sealed: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface RegistryTables {
  server_secrets: ServerSecretTable;
  dns_zones: DnsZoneTable;
  servers: ServerTable;
  ip_pools: IpPoolTable;
  websites: WebsiteTable;
  dns_names: DnsNameTable;
  ip_allocations: IpAllocationTable;
}

export type DnsZoneRow = Selectable<DnsZoneTable>;
export type ServerRow = Selectable<ServerTable>;
export type IpPoolRow = Selectable<IpPoolTable>;
export type WebsiteRow = Selectable<WebsiteTable>;
export type DnsNameRow = Selectable<DnsNameTable>;
export type IpAllocationRow = Selectable<IpAllocationTable>;
