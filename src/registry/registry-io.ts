import { type Kysely, sql } from 'kysely';
import type { z } from 'zod';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import { recordChange } from './history.ts';
import { formatCidr, formatIp, tryParseCidr, tryParseIp } from './ip.ts';
import {
  allocateAddress,
  createPool,
  findPoolForAddress,
  releaseAllocation,
  updatePool,
} from './ip-pool.service.ts';
import {
  createPoolBody,
  createServerBody,
  createWebsiteBody,
  updatePoolBody,
  updateServerBody,
  updateWebsiteBody,
} from './registry.schemas.ts';
import { WEBSITE_STATUSES, type WebsiteStatus } from './registry.tables.ts';
import { type RegistryDeps, requireRegistryManager, requireRegistryReader } from './registry-deps.ts';
import { createServer, updateServer } from './server.service.ts';
import type { Table, TableRow } from './tabular.ts';
import { changeWebsiteStatus, createWebsite, updateWebsite } from './website.service.ts';

// Import and export of the registry as tables (CSV or XLSX, see tabular.ts): websites, servers and
// IP pools, one row per record, one column per field. Export reads the tables; import writes only
// through the registry services, so an imported row follows the same rules, and leaves the same
// history and audit entries, as the same change made through the API.

export const IO_ENTITIES = ['websites', 'servers', 'pools'] as const;
export type IoEntity = (typeof IO_ENTITIES)[number];

export type ImportAction = 'create' | 'update' | 'unchanged' | 'error';
export type ImportRowResult = { line: number; key: string; action: ImportAction; errors: string[] };
export type ImportResult = {
  entity: IoEntity;
  rows: ImportRowResult[];
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
};

/** One cell of a row as text, by column name. */
type Cells = Record<string, string>;

type ColumnSpec = {
  name: string;
  /** Other headers accepted for it on import (Indonesian ones among them). */
  aliases: readonly string[];
  /** The text two values are compared by (whether a row changes the record). */
  canon: (v: string) => string;
  /** An empty cell leaves the field as it is instead of clearing it. */
  emptyKeeps?: boolean;
};

// ---------------------------------------------------------------------------------------------
// Values

/** Items of a list cell: separated by spaces (commas and semicolons are accepted too). */
export function splitList(v: string): string[] {
  return v.split(/[\s,;]+/).filter((s) => s !== '');
}

const plain = (v: string) => v.trim();
const lower = (v: string) => v.trim().toLowerCase();
const upper = (v: string) => v.trim().toUpperCase();
const sortedSet = (items: string[]) => [...new Set(items)].sort().join(' ');
const hostList = (v: string) => sortedSet(splitList(v.toLowerCase()));
const wordList = (v: string) => sortedSet(splitList(v.trim().toLowerCase()));

function ipCanon(v: string): string {
  const ip = tryParseIp(v.trim());
  return ip ? formatIp(ip) : v.trim();
}
const ipList = (v: string) => sortedSet(splitList(v).map(ipCanon));

function cidrCanon(v: string): string {
  const block = tryParseCidr(v.trim());
  return block ? formatCidr(block) : v.trim();
}

/** A whole number as text without leading zeros (anything else as it is, for the service to refuse). */
function countCanon(v: string): string {
  const t = v.trim();
  return /^\d+$/.test(t) ? String(Number(t)) : t;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A time as the API takes it: ISO 8601 with an offset; a bare date is midnight UTC. */
function isoTime(v: string): string {
  const t = v.trim();
  return DATE_ONLY.test(t) ? `${t}T00:00:00.000Z` : t;
}

function timeCanon(v: string): string {
  const t = isoTime(v);
  const d = new Date(t);
  return t !== '' && !Number.isNaN(d.getTime()) ? d.toISOString() : t;
}

const col = (
  name: string,
  aliases: readonly string[] = [],
  canon: (v: string) => string = plain,
  emptyKeeps = false,
): ColumnSpec => ({ name, aliases, canon, emptyKeeps });

const WEBSITE_COLUMNS: readonly ColumnSpec[] = [
  col('hostname', ['nama_host', 'host', 'domain', 'nama_domain', 'alamat_website'], lower),
  col('aliases', ['alias', 'nama_lain'], hostList),
  col('opd_code', ['kode_opd', 'opd'], upper, true),
  col('purpose', ['tujuan', 'kegunaan', 'keperluan']),
  col('status', [], lower, true),
  col('server', ['nama_server'], lower),
  col('ip_address', ['alamat_ip', 'ip'], ipCanon),
  col('cms', []),
  col('cms_version', ['versi_cms']),
  col('template', ['templat']),
  col('db_engine', ['mesin_db', 'jenis_db', 'mesin_basis_data'], lower),
  col('db_host', ['host_db']),
  col('db_name', ['nama_db', 'nama_basis_data']),
  col('db_user', ['pengguna_db', 'user_db']),
  col('tls_issuer', ['penerbit_tls', 'penerbit_sertifikat']),
  col('tls_expires_at', ['tls_berakhir', 'tls_kedaluwarsa', 'sertifikat_berakhir'], timeCanon),
  col('document_root', ['docroot', 'direktori_dokumen']),
  col('contact_name', ['nama_kontak', 'kontak']),
  col('contact_nip', ['nip_kontak', 'nip']),
  col('contact_phone', ['telepon_kontak', 'telepon', 'no_hp', 'nomor_telepon']),
  col('contact_email', ['email_kontak', 'email', 'surel']),
  col('notes', ['catatan', 'keterangan']),
];

const SERVER_COLUMNS: readonly ColumnSpec[] = [
  col('name', ['nama', 'nama_server'], lower),
  col('kind', ['jenis'], lower, true),
  col('location', ['lokasi'], lower, true),
  col('os', ['sistem_operasi']),
  col('addresses', ['alamat', 'alamat_ip'], ipList),
  col('roles', ['peran'], wordList),
  col('capacity_notes', ['catatan_kapasitas', 'kapasitas']),
  col('status', [], lower, true),
  col('notes', ['catatan', 'keterangan']),
  col('public_ips', ['ip_publik', 'alamat_ip_publik'], ipList),
  // Where an OPD's server stands and what it is (colocation, cloud; migration 0016).
  col('owner_opd_code', ['kode_opd_pemilik', 'opd_pemilik', 'pemilik'], upper),
  col('rack', ['rak'], plain),
  col('rack_position', ['posisi_rak', 'posisi_unit', 'unit_position'], plain),
  col('power_watts', ['daya_watt', 'daya'], countCanon),
  col('vcpu', ['jumlah_vcpu'], countCanon),
  col('memory_gb', ['memori_gb', 'memori', 'ram_gb'], countCanon),
  col('disk_gb', ['disk', 'kapasitas_disk_gb'], countCanon),
];

/** The server columns kept outside the server API's body (its placement, written on its own). */
const PLACEMENT_COLUMNS = [
  'owner_opd_code',
  'rack',
  'rack_position',
  'power_watts',
  'vcpu',
  'memory_gb',
  'disk_gb',
] as const;
type PlacementColumn = (typeof PLACEMENT_COLUMNS)[number];
const isPlacement = (c: string): c is PlacementColumn => (PLACEMENT_COLUMNS as readonly string[]).includes(c);

const POOL_COLUMNS: readonly ColumnSpec[] = [
  col('name', ['nama', 'nama_pool'], plain, true),
  col('cidr', ['blok', 'blok_ip', 'blok_cidr'], cidrCanon),
  col('gateway', ['gerbang'], ipCanon),
  col('reserved', ['dicadangkan', 'cadangan'], ipList),
  col('notes', ['catatan', 'keterangan']),
];

const COLUMNS: Record<IoEntity, readonly ColumnSpec[]> = {
  websites: WEBSITE_COLUMNS,
  servers: SERVER_COLUMNS,
  pools: POOL_COLUMNS,
};

const KEY: Record<IoEntity, string> = { websites: 'hostname', servers: 'name', pools: 'cidr' };

/** The export's column names, in order. */
export function columnsOf(entity: IoEntity): string[] {
  return COLUMNS[entity].map((c) => c.name);
}

/** Where an API field's error shows in the table. */
const WEBSITE_PATHS: Record<string, string> = {
  opdId: 'opd_code',
  serverId: 'server',
  ipAddress: 'ip_address',
  cmsVersion: 'cms_version',
  dbEngine: 'db_engine',
  dbHost: 'db_host',
  dbName: 'db_name',
  dbUser: 'db_user',
  tlsIssuer: 'tls_issuer',
  tlsExpiresAt: 'tls_expires_at',
  documentRoot: 'document_root',
  contactName: 'contact_name',
  contactNip: 'contact_nip',
  contactPhone: 'contact_phone',
  contactEmail: 'contact_email',
};
const SERVER_PATHS: Record<string, string> = { capacityNotes: 'capacity_notes', serverId: 'name' };
const PATHS: Record<IoEntity, Record<string, string>> = {
  websites: WEBSITE_PATHS,
  servers: SERVER_PATHS,
  pools: {},
};

// ---------------------------------------------------------------------------------------------
// The header

function fileError(message: string): AppError {
  return new AppError('IMPORT_INVALID', message, { details: { rows: [] } });
}

function headerKey(h: string): string {
  return h
    .trim()
    .toLowerCase()
    .replace(/[\s.\-/]+/g, '_');
}

/** Headers that name a secret: refused, a password never travels in a file. */
const SECRET_HEADER = /pass|sandi|secret|rahasia|kunci/;

type Mapping = {
  /** The column each cell of a row belongs to (null: a column without a name). */
  columns: (ColumnSpec | null)[];
  present: Set<string>;
};

function mapHeader(entity: IoEntity, header: string[]): Mapping {
  const specs = COLUMNS[entity];
  const columns: (ColumnSpec | null)[] = [];
  const present = new Set<string>();
  const unknown: string[] = [];
  for (const raw of header) {
    const key = headerKey(raw);
    if (key === '') {
      columns.push(null);
      continue;
    }
    if (SECRET_HEADER.test(key)) {
      throw fileError(
        `The column "${raw}" holds passwords. Passwords are never imported (nor exported): remove the column and set each database password in Loket itself.`,
      );
    }
    const spec = specs.find((s) => s.name === key || s.aliases.includes(key));
    if (!spec) {
      unknown.push(raw);
      continue;
    }
    if (present.has(spec.name)) throw fileError(`The column "${spec.name}" appears twice`);
    present.add(spec.name);
    columns.push(spec);
  }
  if (unknown.length > 0) {
    throw fileError(
      `Unknown column(s) for ${entity}: ${unknown.join(', ')}. The columns are: ${columnsOf(entity).join(', ')}`,
    );
  }
  if (entity !== 'websites' && !present.has(KEY[entity])) {
    throw fileError(`The file needs the column "${KEY[entity]}"`);
  }
  return { columns, present };
}

type ParsedRow = { line: number; cells: Cells; errors: string[] };

function parseRow(row: TableRow, m: Mapping): ParsedRow {
  const cells: Cells = {};
  const errors: string[] = [];
  row.cells.forEach((value, i) => {
    const spec = m.columns[i];
    if (spec) cells[spec.name] = value.trim();
    else if (value.trim() !== '') {
      errors.push(
        i >= m.columns.length
          ? `column ${i + 1}: a value beyond the last named column`
          : `column ${i + 1}: a value in a column without a name`,
      );
    }
  });
  return { line: row.line, cells, errors };
}

// ---------------------------------------------------------------------------------------------
// Errors of one row

type FieldIssue = { path: string; message: string };

function fieldsOf(e: AppError): FieldIssue[] {
  const f = e.details?.fields;
  return Array.isArray(f) ? (f as FieldIssue[]).filter((x) => typeof x?.path === 'string') : [];
}

function columnOf(entity: IoEntity, path: string): string {
  const head = path.split('.')[0] ?? path;
  return PATHS[entity][head] ?? head;
}

/** A row's error as the preview shows it: the column and what is wrong, in the service's words. */
function describe(entity: IoEntity, e: AppError): string[] {
  const fields = fieldsOf(e);
  if (fields.length === 0) return [e.message];
  if (fields.length === 1) {
    const f = fields[0] as FieldIssue;
    // The error's own message says more, unless it merely repeats the field's.
    const own = e.message.startsWith(`${f.path}: `) ? e.message.slice(f.path.length + 2) : e.message;
    const text = own.length > f.message.length && !own.startsWith(f.message) ? own : f.message;
    return [`${columnOf(entity, f.path)}: ${text}`];
  }
  return fields.map((f) => `${columnOf(entity, f.path)}: ${f.message}`);
}

/** An error of one column (a reference that does not resolve, a value the table cannot hold). */
function columnError(column: string, message: string): AppError {
  return new AppError('FIELD_INVALID', `${column}: ${message}`, {
    details: { fields: [{ path: column, message }] },
  });
}

/** Runs `fn`; field errors it throws are shown on `column` (an allocation's `address`, say). */
async function onColumn<T>(column: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const fields = fieldsOf(e);
    throw new AppError(e.code, e.message, {
      details: {
        ...e.details,
        fields: (fields.length ? fields : [{ path: column, message: e.message }]).map((f) => ({
          path: column,
          message: f.message,
        })),
      },
    });
  }
}

/** Validates a request body with the API's own schema; its issues become field errors. */
function validate<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw new AppError('FIELD_INVALID', 'The row has invalid values', {
    details: {
      fields: r.error.issues.map((i) => ({
        path: i.path.map(String).join('.') || 'row',
        message: i.message,
      })),
    },
  });
}

/** A database refusal the services did not foresee (a check constraint): the row's error, not a 500. */
function databaseRefusal(e: unknown): AppError | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^2[23][0-9A-Z]{3}$/.test(code)) return null;
  const constraint = (e as { constraint?: unknown }).constraint;
  return new AppError(
    'FIELD_INVALID',
    `The database refused the row${typeof constraint === 'string' ? ` (${constraint})` : ''}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Reading the registry as rows (export, and the current state a row is compared with)

type WebsiteExportRow = {
  id: string;
  hostname: string | null;
  purpose: string;
  status: WebsiteStatus;
  opd_code: string;
  server_name: string | null;
  ip_address: string | null;
  cms: string | null;
  cms_version: string | null;
  template: string | null;
  db_engine: string | null;
  db_host: string | null;
  db_name: string | null;
  db_user: string | null;
  tls_issuer: string | null;
  tls_expires_at: Date | string | null;
  document_root: string | null;
  contact_name: string | null;
  contact_nip: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  notes: string | null;
};

const s = (v: string | null | undefined) => v ?? '';
const isoOf = (v: Date | string | null) => (v === null ? '' : new Date(v).toISOString());

/** Addresses in numeric order, IPv4 before IPv6. */
function byAddress(a: string, b: string): number {
  const x = tryParseIp(a);
  const y = tryParseIp(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  if (x.version !== y.version) return x.version - y.version;
  return x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
}

async function websiteRows(db: Kysely<Database>, ids: string[]): Promise<Cells[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('websites as w')
    .innerJoin('opds as o', 'o.id', 'w.opd_id')
    .leftJoin('servers as sv', 'sv.id', 'w.server_id')
    .select([
      'w.id',
      'w.hostname',
      'w.purpose',
      'w.status',
      'o.code as opd_code',
      'sv.name as server_name',
      'w.ip_address',
      'w.cms',
      'w.cms_version',
      'w.template',
      'w.db_engine',
      'w.db_host',
      'w.db_name',
      'w.db_user',
      'w.tls_issuer',
      'w.tls_expires_at',
      'w.document_root',
      'w.contact_name',
      'w.contact_nip',
      'w.contact_phone',
      'w.contact_email',
      'w.notes',
    ])
    .where('w.id', 'in', ids)
    .execute();
  const aliases = await db
    .selectFrom('dns_names as n')
    .innerJoin('dns_zones as z', 'z.id', 'n.zone_id')
    .select(['n.website_id', 'n.label', 'z.name as zone'])
    .where('n.kind', '=', 'alias')
    .where('n.website_id', 'in', ids)
    .execute();
  const aliasesOf = new Map<string, string[]>();
  for (const a of aliases) {
    if (!a.website_id) continue;
    const list = aliasesOf.get(a.website_id) ?? [];
    list.push(`${a.label}.${a.zone}`);
    aliasesOf.set(a.website_id, list);
  }
  const byId = new Map((rows as WebsiteExportRow[]).map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        hostname: s(r.hostname),
        aliases: (aliasesOf.get(id) ?? []).sort().join(' '),
        opd_code: r.opd_code,
        purpose: r.purpose,
        status: r.status,
        server: s(r.server_name),
        ip_address: s(r.ip_address),
        cms: s(r.cms),
        cms_version: s(r.cms_version),
        template: s(r.template),
        db_engine: s(r.db_engine),
        db_host: s(r.db_host),
        db_name: s(r.db_name),
        db_user: s(r.db_user),
        tls_issuer: s(r.tls_issuer),
        tls_expires_at: isoOf(r.tls_expires_at),
        document_root: s(r.document_root),
        contact_name: s(r.contact_name),
        contact_nip: s(r.contact_nip),
        contact_phone: s(r.contact_phone),
        contact_email: s(r.contact_email),
        notes: s(r.notes),
      },
    ];
  });
}

async function serverRows(db: Kysely<Database>, ids: string[]): Promise<Cells[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('servers as sv')
    .leftJoin('opds as o', 'o.id', 'sv.owner_opd_id')
    .selectAll('sv')
    .select('o.code as owner_opd_code')
    .where('sv.id', 'in', ids)
    .execute();
  const ips = await db
    .selectFrom('ip_allocations')
    .select(['server_id', 'address'])
    .where('kind', '=', 'server')
    .where('server_id', 'in', ids)
    .execute();
  const ipsOf = new Map<string, string[]>();
  for (const a of ips) {
    if (!a.server_id) continue;
    ipsOf.set(a.server_id, [...(ipsOf.get(a.server_id) ?? []), a.address]);
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        name: r.name,
        kind: r.kind,
        location: r.location,
        os: s(r.os),
        addresses: r.addresses.join(' '),
        roles: r.roles.join(' '),
        capacity_notes: s(r.capacity_notes),
        status: r.status,
        notes: s(r.notes),
        public_ips: (ipsOf.get(id) ?? []).sort(byAddress).join(' '),
        owner_opd_code: s(r.owner_opd_code),
        rack: s(r.rack),
        rack_position: s(r.rack_position),
        power_watts: r.power_watts === null ? '' : String(r.power_watts),
        vcpu: r.vcpu === null ? '' : String(r.vcpu),
        memory_gb: r.memory_gb === null ? '' : String(r.memory_gb),
        disk_gb: r.disk_gb === null ? '' : String(r.disk_gb),
      },
    ];
  });
}

async function poolRows(db: Kysely<Database>, ids: string[]): Promise<Cells[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('ip_pools').selectAll().where('id', 'in', ids).execute();
  const reserved = await db
    .selectFrom('ip_allocations')
    .select(['pool_id', 'address'])
    .where('kind', '=', 'reserved')
    .where('held_until', 'is', null)
    .where('pool_id', 'in', ids)
    .execute();
  const reservedOf = new Map<string, string[]>();
  for (const a of reserved) reservedOf.set(a.pool_id, [...(reservedOf.get(a.pool_id) ?? []), a.address]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        name: r.name,
        cidr: r.cidr,
        gateway: s(r.gateway),
        reserved: (reservedOf.get(id) ?? []).sort(byAddress).join(' '),
        notes: s(r.notes),
      },
    ];
  });
}

/** Every record's id in key order (byte order, so every database sorts alike). */
async function idsInKeyOrder(db: Kysely<Database>, entity: IoEntity): Promise<string[]> {
  if (entity === 'websites') {
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM websites ORDER BY hostname COLLATE "C" NULLS LAST, created_at, id`.execute(db);
    return rows.map((r) => r.id);
  }
  if (entity === 'servers') {
    const { rows } = await sql<{ id: string }>`SELECT id FROM servers ORDER BY name COLLATE "C", id`.execute(
      db,
    );
    return rows.map((r) => r.id);
  }
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM ip_pools ORDER BY family, first_n, cidr COLLATE "C"`.execute(db);
  return rows.map((r) => r.id);
}

const READERS: Record<IoEntity, (db: Kysely<Database>, ids: string[]) => Promise<Cells[]>> = {
  websites: websiteRows,
  servers: serverRows,
  pools: poolRows,
};

const EXPORT_BATCH = 500;

/**
 * The registry's records of one kind as a table, ordered by key, read a batch at a time as the
 * rows are pulled. Never a password: the export knows no such column.
 */
export function exportTable(
  db: Kysely<Database>,
  entity: IoEntity,
  ctx: Ctx,
): { header: string[]; rows: AsyncIterable<string[]> } {
  requireRegistryReader(ctx.actor);
  const header = columnsOf(entity);
  async function* rows(): AsyncGenerator<string[]> {
    const ids = await idsInKeyOrder(db, entity);
    for (let i = 0; i < ids.length; i += EXPORT_BATCH) {
      for (const cells of await READERS[entity](db, ids.slice(i, i + EXPORT_BATCH))) {
        yield header.map((h) => cells[h] ?? '');
      }
    }
  }
  return { header, rows: rows() };
}

// ---------------------------------------------------------------------------------------------
// Import

/** The columns of the row whose value differs from the record's (an empty "keeps" cell never does). */
function changedColumns(entity: IoEntity, row: Cells, current: Cells, present: Set<string>): Set<string> {
  const changed = new Set<string>();
  for (const spec of COLUMNS[entity]) {
    if (!present.has(spec.name) || spec.name === KEY[entity]) continue;
    const v = row[spec.name] ?? '';
    if (spec.emptyKeeps && v === '') continue;
    if (spec.canon(v) !== spec.canon(current[spec.name] ?? '')) changed.add(spec.name);
  }
  return changed;
}

/** What one import run carries along: who, why, and lookups loaded once. */
type Run = {
  ctx: Ctx;
  deps: RegistryDeps;
  reason: string;
  opds?: Map<string, string>;
  servers?: Map<string, string>;
};

/** A record a row's key matched: its id and its cells as the export shows them. */
type Existing = { id: string; cells: Cells };

type Apply = (
  trx: Kysely<Database>,
  row: Cells,
  present: Set<string>,
  run: Run,
  existing: Existing | undefined,
) => Promise<'create' | 'update'>;

const orNull = (v: string | undefined) => (v === undefined || v === '' ? null : v);

// Websites ------------------------------------------------------------------------------------

async function opdIdOf(trx: Kysely<Database>, code: string, run: Run, column = 'opd_code'): Promise<string> {
  if (!run.opds) {
    const all = await trx.selectFrom('opds').select(['id', 'code']).execute();
    run.opds = new Map(all.map((o) => [o.code.toUpperCase(), o.id]));
  }
  const id = run.opds.get(code.toUpperCase());
  if (!id) throw columnError(column, `no OPD has the code ${code}`);
  return id;
}

async function serverIdOf(trx: Kysely<Database>, name: string, run: Run): Promise<string> {
  if (!run.servers) {
    const all = await trx.selectFrom('servers').select(['id', 'name']).execute();
    run.servers = new Map(all.map((x) => [x.name, x.id]));
  }
  const id = run.servers.get(name.toLowerCase());
  if (!id) throw columnError('server', `no server is named ${name}`);
  return id;
}

/** The API body fields of the given website columns (references resolved). */
async function websiteFields(
  trx: Kysely<Database>,
  row: Cells,
  columns: Iterable<string>,
  mode: 'create' | 'update',
  run: Run,
): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {};
  for (const c of columns) {
    const v = row[c] ?? '';
    if (mode === 'create' && v === '') continue;
    switch (c) {
      case 'status':
        break;
      case 'hostname':
        body.hostname = orNull(v.toLowerCase());
        break;
      case 'aliases':
        body.aliases = [...new Set(splitList(v.toLowerCase()))];
        break;
      case 'opd_code':
        body.opdId = await opdIdOf(trx, v, run);
        break;
      case 'server':
        body.serverId = v === '' ? null : await serverIdOf(trx, v, run);
        break;
      case 'ip_address':
        body.ipAddress = orNull(v);
        break;
      case 'db_engine':
        body.dbEngine = orNull(v.toLowerCase());
        break;
      case 'tls_expires_at':
        body.tlsExpiresAt = orNull(isoTime(v));
        break;
      case 'purpose':
        body.purpose = v;
        break;
      default: {
        const field = Object.entries(WEBSITE_PATHS).find(([, column]) => column === c)?.[0] ?? c;
        body[field] = orNull(v);
      }
    }
  }
  return body;
}

function wantedStatus(v: string | undefined): WebsiteStatus | null {
  const t = (v ?? '').trim().toLowerCase();
  if (t === '') return null;
  if (!(WEBSITE_STATUSES as readonly string[]).includes(t)) {
    throw columnError('status', `one of ${WEBSITE_STATUSES.join(', ')}`);
  }
  return t as WebsiteStatus;
}

/** The steps from one status to another (planned → suspended goes through active). */
function statusSteps(from: WebsiteStatus, to: WebsiteStatus): WebsiteStatus[] {
  if (from === to) return [];
  if (from === 'planned' && to === 'suspended') return ['active', 'suspended'];
  return [to];
}

async function stepStatus(
  trx: Kysely<Database>,
  id: string,
  version: number,
  from: WebsiteStatus,
  to: WebsiteStatus,
  run: Run,
): Promise<void> {
  let v = version;
  for (const status of statusSteps(from, to)) {
    const w = await onColumn('status', () =>
      changeWebsiteStatus(trx, id, { version: v, status, reason: run.reason }, run.ctx, run.deps),
    );
    v = w.version;
  }
}

const applyWebsite: Apply = async (trx, row, present, run, existing) => {
  const status = wantedStatus(row.status);
  if (!existing) {
    if (!row.opd_code) throw columnError('opd_code', 'required');
    const fields = await websiteFields(trx, row, present, 'create', run);
    // A website is created planned or active; suspended and retired ones are then moved there.
    const canRun = Boolean(fields.hostname && fields.serverId && fields.ipAddress);
    const initial: 'planned' | 'active' =
      status === 'active' || status === 'suspended' || (status === 'retired' && canRun)
        ? 'active'
        : 'planned';
    const input = validate(createWebsiteBody, { ...fields, status: initial, reason: run.reason });
    const w = await createWebsite(trx, input, run.ctx, run.deps);
    if (status && status !== initial) await stepStatus(trx, w.id, w.version, initial, status, run);
    return 'create';
  }
  const changed = changedColumns('websites', row, existing.cells, present);
  const fields = await websiteFields(
    trx,
    row,
    [...changed].filter((c) => c !== 'status'),
    'update',
    run,
  );
  let version = await currentVersion(trx, 'websites', existing.id);
  if (Object.keys(fields).length > 0) {
    const input = validate(updateWebsiteBody, { ...fields, version, reason: run.reason });
    version = (await updateWebsite(trx, existing.id, input, run.ctx, run.deps)).version;
  }
  if (changed.has('status') && status) {
    await stepStatus(trx, existing.id, version, existing.cells.status as WebsiteStatus, status, run);
  }
  return 'update';
};

async function currentVersion(
  trx: Kysely<Database>,
  table: 'websites' | 'servers' | 'ip_pools',
  id: string,
): Promise<number> {
  const r = await trx.selectFrom(table).select('version').where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', 'The record disappeared during the import');
  return r.version;
}

// Servers -------------------------------------------------------------------------------------

function serverFields(
  row: Cells,
  columns: Iterable<string>,
  mode: 'create' | 'update',
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const c of columns) {
    const v = row[c] ?? '';
    if (mode === 'create' && v === '') continue;
    if (isPlacement(c)) continue;
    switch (c) {
      case 'public_ips':
        break;
      case 'name':
      case 'kind':
      case 'location':
      case 'status':
        body[c] = v.toLowerCase();
        break;
      case 'addresses':
        body.addresses = splitList(v);
        break;
      case 'roles':
        body.roles = [...new Set(splitList(v.toLowerCase()))];
        break;
      case 'capacity_notes':
        body.capacityNotes = orNull(v);
        break;
      default:
        body[c] = orNull(v);
    }
  }
  return body;
}

/** Canonical addresses of a list cell, each once, or a `column` error naming the bad one. */
function addressList(column: string, v: string): string[] {
  const out: string[] = [];
  for (const item of splitList(v)) {
    const ip = tryParseIp(item);
    if (!ip) throw columnError(column, `${item} is not an IPv4 or IPv6 address`);
    const text = formatIp(ip);
    if (!out.includes(text)) out.push(text);
  }
  return out;
}

async function syncServerIps(
  trx: Kysely<Database>,
  serverId: string,
  wanted: string[],
  run: Run,
): Promise<void> {
  const held = await trx
    .selectFrom('ip_allocations')
    .select(['id', 'address'])
    .where('kind', '=', 'server')
    .where('server_id', '=', serverId)
    .execute();
  for (const a of held) {
    if (!wanted.includes(a.address)) {
      await onColumn('public_ips', () => releaseAllocation(trx, a.id, { reason: run.reason }, run.ctx));
    }
  }
  for (const address of wanted) {
    if (held.some((a) => a.address === address)) continue;
    const pool = await findPoolForAddress(trx, address);
    if (!pool) throw columnError('public_ips', `${address} is in no IP pool of the registry`);
    await onColumn('public_ips', () =>
      allocateAddress(
        trx,
        pool.id,
        { kind: 'server', serverId, address, reason: run.reason },
        run.ctx,
        run.deps,
      ),
    );
  }
}

/** A placement cell's value for the table (null: empty), or a column error. */
async function placementValue(
  trx: Kysely<Database>,
  c: PlacementColumn,
  v: string,
  run: Run,
): Promise<string | number | null> {
  if (v === '') return null;
  switch (c) {
    case 'owner_opd_code':
      return opdIdOf(trx, v, run, c);
    case 'rack':
    case 'rack_position':
      if (v.length > 50) throw columnError(c, 'at most 50 characters');
      return v;
    default: {
      const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647)
        throw columnError(c, `${v} is not a whole number above 0`);
      return n;
    }
  }
}

const PLACEMENT_TABLE: Record<PlacementColumn, keyof ServerPlacementValues> = {
  owner_opd_code: 'owner_opd_id',
  rack: 'rack',
  rack_position: 'rack_position',
  power_watts: 'power_watts',
  vcpu: 'vcpu',
  memory_gb: 'memory_gb',
  disk_gb: 'disk_gb',
};
type ServerPlacementValues = {
  owner_opd_id: string | null;
  rack: string | null;
  rack_position: string | null;
  power_watts: number | null;
  vcpu: number | null;
  memory_gb: number | null;
  disk_gb: number | null;
};
const placementOut = (p: ServerPlacementValues) => ({
  ownerOpdId: p.owner_opd_id,
  rack: p.rack,
  rackPosition: p.rack_position,
  powerWatts: p.power_watts,
  vcpu: p.vcpu,
  memoryGb: p.memory_gb,
  diskGb: p.disk_gb,
});

/**
 * The server's placement (owner OPD, rack, unit position, power, virtual size) as the row's cells
 * say, for the given columns: written with a new version and a history entry ("placement", as a
 * colocation or cloud case records it), when anything differs.
 */
async function syncPlacement(
  trx: Kysely<Database>,
  serverId: string,
  row: Cells,
  columns: Iterable<string>,
  run: Run,
): Promise<void> {
  const wanted: Partial<ServerPlacementValues> = {};
  for (const c of columns) {
    if (!isPlacement(c)) continue;
    const v = (await placementValue(trx, c, (row[c] ?? '').trim(), run)) as never;
    wanted[PLACEMENT_TABLE[c]] = v;
  }
  if (Object.keys(wanted).length === 0) return;
  const before = await trx
    .selectFrom('servers')
    .select(['owner_opd_id', 'rack', 'rack_position', 'power_watts', 'vcpu', 'memory_gb', 'disk_gb'])
    .where('id', '=', serverId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const set = Object.fromEntries(
    Object.entries(wanted).filter(([k, v]) => before[k as keyof ServerPlacementValues] !== v),
  ) as Partial<ServerPlacementValues>;
  if (Object.keys(set).length === 0) return;
  await trx
    .updateTable('servers')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', serverId)
    .execute();
  await recordChange(trx, run.ctx, {
    entity: 'server',
    id: serverId,
    action: 'placement',
    reason: run.reason,
    before: placementOut(before),
    after: placementOut({ ...before, ...set }),
  });
}

const applyServer: Apply = async (trx, row, present, run, existing) => {
  const wantedIps = present.has('public_ips') ? addressList('public_ips', row.public_ips ?? '') : null;

  if (!existing) {
    const fields = serverFields(row, present, 'create');
    // Addresses are allocated to a working server; a retired one is retired after that.
    const retireAfter = fields.status === 'retired' && (wantedIps?.length ?? 0) > 0;
    const input = validate(createServerBody, {
      ...fields,
      ...(retireAfter ? { status: 'active' } : {}),
      reason: run.reason,
    });
    const server = await createServer(trx, input, run.ctx);
    if (wantedIps?.length) await syncServerIps(trx, server.id, wantedIps, run);
    if (retireAfter) {
      await updateServer(
        trx,
        server.id,
        validate(updateServerBody, { version: server.version, status: 'retired', reason: run.reason }),
        run.ctx,
      );
    }
    await syncPlacement(
      trx,
      server.id,
      row,
      [...present].filter((c) => (row[c] ?? '') !== ''),
      run,
    );
    return 'create';
  }

  const changed = changedColumns('servers', row, existing.cells, present);
  const fields = serverFields(row, changed, 'update');
  const retiring = fields.status === 'retired';
  const first = { ...fields };
  if (retiring) delete first.status;
  if (Object.keys(first).length > 0) {
    const version = await currentVersion(trx, 'servers', existing.id);
    await updateServer(
      trx,
      existing.id,
      validate(updateServerBody, { ...first, version, reason: run.reason }),
      run.ctx,
    );
  }
  if (changed.has('public_ips') && wantedIps) await syncServerIps(trx, existing.id, wantedIps, run);
  if (retiring) {
    const version = await currentVersion(trx, 'servers', existing.id);
    await updateServer(
      trx,
      existing.id,
      validate(updateServerBody, { version, status: 'retired', reason: run.reason }),
      run.ctx,
    );
  }
  await syncPlacement(trx, existing.id, row, changed, run);
  return 'update';
};

// Pools ---------------------------------------------------------------------------------------

const applyPool: Apply = async (trx, row, present, run, existing) => {
  const reserved = present.has('reserved') ? addressList('reserved', row.reserved ?? '') : [];

  if (!existing) {
    const input = validate(createPoolBody, {
      name: row.name ?? '',
      cidr: (row.cidr ?? '').trim(),
      gateway: orNull(row.gateway),
      reserved,
      notes: orNull(row.notes),
      reason: run.reason,
    });
    await createPool(trx, input, run.ctx);
    return 'create';
  }

  const current = existing.cells;
  const changed = changedColumns('pools', row, current, present);
  if (changed.has('gateway')) {
    throw columnError('gateway', `the gateway of an existing pool stays ${current.gateway || '(none)'}`);
  }
  const set: Record<string, unknown> = {};
  if (changed.has('name')) set.name = row.name ?? '';
  if (changed.has('notes')) set.notes = orNull(row.notes);
  if (Object.keys(set).length > 0) {
    const version = await currentVersion(trx, 'ip_pools', existing.id);
    await updatePool(
      trx,
      existing.id,
      validate(updatePoolBody, { ...set, version, reason: run.reason }),
      run.ctx,
    );
  }
  if (changed.has('reserved')) {
    const held = await trx
      .selectFrom('ip_allocations')
      .select(['id', 'address'])
      .where('pool_id', '=', existing.id)
      .where('kind', '=', 'reserved')
      .where('held_until', 'is', null)
      .execute();
    for (const a of held) {
      if (!reserved.includes(a.address)) {
        await onColumn('reserved', () => releaseAllocation(trx, a.id, { reason: run.reason }, run.ctx));
      }
    }
    for (const address of reserved) {
      if (held.some((a) => a.address === address)) continue;
      await onColumn('reserved', () =>
        allocateAddress(
          trx,
          existing.id,
          { kind: 'reserved', address, reason: run.reason },
          run.ctx,
          run.deps,
        ),
      );
    }
  }
  return 'update';
};

const APPLY: Record<IoEntity, Apply> = { websites: applyWebsite, servers: applyServer, pools: applyPool };

/** The key a row is matched by, as the duplicate check compares it ('' when it has none). */
function keyOf(entity: IoEntity, row: Cells): string {
  const v = row[KEY[entity]] ?? '';
  if (entity === 'pools') return cidrCanon(v);
  return v.toLowerCase();
}

/**
 * The records the file's keys match, with their cells, read in batches at the start of the
 * transaction. (No row changes another row's record: keys are unique in the file, and names and
 * addresses held by another record are refused, not taken over.)
 */
async function existingRecords(
  trx: Kysely<Database>,
  entity: IoEntity,
  keys: string[],
): Promise<Map<string, Existing>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < keys.length; i += EXPORT_BATCH) {
    const chunk = keys.slice(i, i + EXPORT_BATCH);
    if (entity === 'websites') {
      // A retired website may share its old name with a newer one: the live or newest one wins.
      const rows = await trx
        .selectFrom('websites')
        .select(['id', 'hostname'])
        .where('hostname', 'in', chunk)
        .orderBy(sql`status <> 'retired'`)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      for (const r of rows) if (r.hostname) ids.set(r.hostname, r.id);
    } else if (entity === 'servers') {
      const rows = await trx
        .selectFrom('servers')
        .select(['id', 'name'])
        .where('name', 'in', chunk)
        .execute();
      for (const r of rows) ids.set(r.name, r.id);
    } else {
      const rows = await trx
        .selectFrom('ip_pools')
        .select(['id', 'cidr'])
        .where('cidr', 'in', chunk)
        .execute();
      for (const r of rows) ids.set(r.cidr, r.id);
    }
  }
  const out = new Map<string, Existing>();
  const all = [...ids.values()];
  for (let i = 0; i < all.length; i += EXPORT_BATCH) {
    for (const cells of await READERS[entity](trx, all.slice(i, i + EXPORT_BATCH))) {
      const key = keyOf(entity, cells);
      const id = ids.get(key);
      if (id) out.set(key, { id, cells });
    }
  }
  return out;
}

/** Thrown inside the transaction to roll it back with the preview in hand. */
class RollBack extends Error {
  readonly result: ImportResult;
  constructor(result: ImportResult) {
    super('rolled back');
    this.result = result;
  }
}

/**
 * Imports a table of websites, servers or pools. The whole file runs in one transaction through
 * the services, each row inside a savepoint, so a bad row records its own errors (the service's
 * message, by column) while the others go on and see what the rows before them did. A dry run,
 * or any row in error, rolls everything back: the answer is the preview. Otherwise all rows are
 * committed together. Keys: websites by hostname (a row without one always creates), servers by
 * name, pools by CIDR; a record that exists is updated only where a cell differs.
 */
export async function importRegistry(
  db: Kysely<Database>,
  input: { entity: IoEntity; table: Table; dryRun: boolean; fileName: string },
  ctx: Ctx,
  deps: RegistryDeps,
): Promise<ImportResult> {
  requireRegistryManager(ctx.actor);
  const { entity } = input;
  const mapping = mapHeader(entity, input.table.header);
  const parsed = input.table.rows.map((r) => parseRow(r, mapping));
  if (parsed.length === 0) throw fileError('The file has no rows below the header');

  const seen = new Map<string, number>();
  for (const p of parsed) {
    const key = keyOf(entity, p.cells);
    if (key === '') {
      if (entity !== 'websites') p.errors.push(`${KEY[entity]}: required`);
      continue;
    }
    const first = seen.get(key);
    if (first !== undefined) p.errors.push(`${KEY[entity]}: ${key} repeats line ${first}`);
    else seen.set(key, p.line);
  }

  const run: Run = { ctx, deps, reason: `Impor registri (${input.fileName})` };
  const apply = APPLY[entity];
  const work = async (trx: Kysely<Database>): Promise<ImportResult> => {
    const keys = parsed.map((p) => keyOf(entity, p.cells)).filter((k) => k !== '');
    const existing = await existingRecords(trx, entity, keys);
    const rows: ImportRowResult[] = [];
    for (const p of parsed) {
      const result: ImportRowResult = {
        line: p.line,
        key: p.cells[KEY[entity]] ?? '',
        action: 'error',
        errors: p.errors,
      };
      rows.push(result);
      if (p.errors.length > 0) continue;
      const key = keyOf(entity, p.cells);
      const found = key === '' ? undefined : existing.get(key);
      if (found && changedColumns(entity, p.cells, found.cells, mapping.present).size === 0) {
        result.action = 'unchanged';
        continue;
      }
      await sql`SAVEPOINT import_row`.execute(trx);
      try {
        result.action = await apply(trx, p.cells, mapping.present, run, found);
        await sql`RELEASE SAVEPOINT import_row`.execute(trx);
      } catch (e) {
        await sql`ROLLBACK TO SAVEPOINT import_row`.execute(trx);
        await sql`RELEASE SAVEPOINT import_row`.execute(trx);
        const err = e instanceof AppError ? e : databaseRefusal(e);
        if (!err) throw e;
        result.action = 'error';
        result.errors = describe(entity, err);
      }
    }
    const count = (a: ImportAction) => rows.filter((r) => r.action === a).length;
    const result: ImportResult = {
      entity,
      rows,
      created: count('create'),
      updated: count('update'),
      unchanged: count('unchanged'),
      errors: count('error'),
    };
    if (input.dryRun || result.errors > 0) throw new RollBack(result);
    await recordAudit(trx, ctx, {
      action: 'registry.import',
      entityType: entity === 'pools' ? 'ip_pool' : entity.slice(0, -1),
      details: {
        entity,
        file: input.fileName,
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
      },
    });
    return result;
  };

  try {
    return await db.transaction().execute(work);
  } catch (e) {
    if (!(e instanceof RollBack)) throw e;
    if (input.dryRun) return e.result;
    throw new AppError('IMPORT_INVALID', `${e.result.errors} row(s) have errors; nothing was imported`, {
      details: { ...e.result },
    });
  }
}
