import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { assertStoredWebsiteAddressAllowed } from '../registry/address-policy.ts';
import { parseIp } from '../registry/ip.ts';
import { findWebsiteDetail, type WebsiteDetailRow } from '../registry/website.repository.ts';
import { type DnsRecord, describeRecord } from './dns/client.ts';
import {
  type ApacheSettings,
  loadProvisioningServer,
  localAccessDisabled,
  type ProvisioningServer,
  readServerSecret,
} from './server-config.ts';
import type { PlannedChange, WebSiteSpec } from './types.ts';

// A run's parameters are resolved once, when the plan is made and shown; the run executes exactly
// what was shown (the params are stored with it), and every adapter validates them again.

export type RunKind = 'install' | 'suspend' | 'resume' | 'retire' | 'rollback';

export type StepKey =
  | 'dns'
  | 'vhost'
  | 'database'
  | 'deploy'
  | 'tls'
  | 'check'
  | 'maintenance_on'
  | 'maintenance_off'
  | 'db_lock'
  | 'db_unlock'
  | 'db_drop'
  | 'site_remove'
  | 'dns_remove';

export type RunParams = {
  websiteId: string;
  hostname: string;
  aliases: string[];
  ip: string;
  web: { serverId: string; serverName: string };
  dns: { serverId: string; serverName: string; records: DnsRecord[] } | null;
  database: {
    serverId: string;
    serverName: string;
    engine: 'mariadb' | 'postgresql';
    name: string;
    user: string;
  } | null;
  site: WebSiteSpec;
  archive: { storageKey: string; kind: 'zip' | 'targz'; displayName: string; caseRef: string } | null;
  /** Where the "site answers" check connects. */
  check: { httpPort: number; httpsPort: number };
};

export type PlanStep = {
  key: StepKey;
  title: { id: string; en: string };
  server: string | null;
  changes: PlannedChange[];
  /** Set when the step will not run, and why. */
  skip: string | null;
};

export type Plan = { kind: RunKind; hostname: string; steps: PlanStep[]; warnings: string[] };

const TITLES: Record<StepKey, { id: string; en: string }> = {
  dns: { id: 'Catatan DNS', en: 'DNS record' },
  vhost: { id: 'Virtual host Apache', en: 'Apache virtual host' },
  database: { id: 'Basis data dan pengguna', en: 'Database and user' },
  deploy: { id: 'Pasang kode sumber', en: 'Deploy the source' },
  tls: { id: 'Sertifikat TLS (ACME)', en: 'TLS certificate (ACME)' },
  check: { id: 'Periksa situs menjawab', en: 'Check the site answers' },
  maintenance_on: { id: 'Halaman pemeliharaan', en: 'Maintenance page' },
  maintenance_off: { id: 'Situs kembali aktif', en: 'Site back in service' },
  db_lock: { id: 'Kunci akun basis data', en: 'Lock the database account' },
  db_unlock: { id: 'Buka akun basis data', en: 'Unlock the database account' },
  db_drop: { id: 'Hapus basis data dan pengguna', en: 'Remove the database and user' },
  site_remove: {
    id: 'Hapus virtual host, sertifikat dan document root',
    en: 'Remove vhost, certificate and document root',
  },
  dns_remove: { id: 'Hapus catatan DNS', en: 'Remove the DNS records' },
};

export function titleOf(key: StepKey): { id: string; en: string } {
  return TITLES[key];
}

export const STEPS_OF: Record<Exclude<RunKind, 'rollback'>, StepKey[]> = {
  install: ['dns', 'vhost', 'database', 'deploy', 'tls', 'check'],
  suspend: ['maintenance_on', 'db_lock', 'check'],
  resume: ['maintenance_off', 'db_unlock', 'check'],
  retire: ['site_remove', 'db_drop', 'dns_remove'],
};

function planError(message: string, path: string): AppError {
  return new AppError('STATUS_TRANSITION', message, { details: { fields: [{ path, message }] } });
}

/** A DB identifier derived from the label: `w_` + label with dashes as underscores, ≤ 32. */
export function dbIdentFor(label: string): string {
  return `w_${label.replaceAll('-', '_')}`.slice(0, 32).replace(/_+$/, '');
}

async function zoneServer(db: Kysely<Database>, zoneName: string) {
  const zone = await db
    .selectFrom('dns_zones')
    .select(['id', 'name', 'ns_server_id'])
    .where('name', '=', zoneName)
    .executeTakeFirst();
  return zone?.ns_server_id ? await loadProvisioningServer(db, zone.ns_server_id) : undefined;
}

/**
 * The Apache a web server's steps work with, as far as Loket's plan needs it: for `local` access the
 * installation's own (LOKET_LOCAL_AGENT_CONFIG; LOCAL_ACCESS_DISABLED without it), over ssh the
 * settings stored to describe the server. Undefined when there is none.
 */
export function webServerApache(
  server: ProvisioningServer,
  config: Pick<Config, 'provisioning'>,
): Pick<ApacheSettings, 'sitesDir' | 'docrootBase' | 'httpPort' | 'httpsPort'> | undefined {
  if (server.access?.kind === 'local') {
    const local = config.provisioning.localAgent;
    if (!local) throw localAccessDisabled(server.name, 'serverId');
    return local.apache;
  }
  if (server.access?.kind === 'ssh') return server.settings.apache;
  return undefined;
}

/** Resolves everything an install (or its reverse) needs from the registry, or says what is missing. */
export async function resolveParams(
  db: Kysely<Database>,
  w: WebsiteDetailRow,
  config: Pick<Config, 'provisioning' | 'registry'>,
  opts: { caseId?: string | undefined } = {},
): Promise<{ params: RunParams; web: ProvisioningServer; sitesDir: string; warnings: string[] }> {
  const warnings: string[] = [];
  if (!w.hostname || !w.label || !w.zone_name) throw planError('The website has no address yet', 'hostname');
  if (!w.ip_address) throw planError('The website has no IP address yet', 'ipAddress');
  // The check connects to this address: one stored before the rule (or whose pool went) is refused here.
  await assertStoredWebsiteAddressAllowed(db, w.ip_address, config.registry.allowUnpooledAddresses);
  if (!w.server_id) throw planError('The website has no server yet', 'serverId');
  const web = await loadProvisioningServer(db, w.server_id);
  const apache = web ? webServerApache(web, config) : undefined;
  if (!web || !apache)
    throw planError(`The server has no Apache settings (Registri › Server › Provisioning)`, 'serverId');

  const ns = await zoneServer(db, w.zone_name);
  const family = parseIp(w.ip_address).version;
  const records: DnsRecord[] = [];
  if (ns?.settings.dns) {
    records.push({
      zone: w.zone_name,
      name: w.hostname,
      type: family === 4 ? 'A' : 'AAAA',
      value: w.ip_address,
      ttl: 3600,
    });
  } else {
    warnings.push(
      `The zone ${w.zone_name} has no name server with dynamic update settings: the DNS record is skipped`,
    );
  }
  for (const a of w.aliases) {
    const zone = a.hostname.slice(a.hostname.indexOf('.') + 1);
    const aliasNs = await zoneServer(db, zone);
    if (aliasNs?.settings.dns && aliasNs.id === ns?.id) {
      records.push({ zone, name: a.hostname, type: 'CNAME', value: w.hostname, ttl: 3600 });
    } else if (!a.heldUntil) {
      warnings.push(
        `The alias ${a.hostname} is in a zone without the same name server: its record is skipped`,
      );
    }
  }

  let database: RunParams['database'] = null;
  if (w.db_engine) {
    const dbServer = w.db_server_id ? await loadProvisioningServer(db, w.db_server_id) : undefined;
    if (!dbServer?.settings.database) {
      warnings.push(
        'The website names a database engine but no database server with admin settings: the database is skipped',
      );
    } else if (dbServer.settings.database.engine !== w.db_engine) {
      throw planError(
        `The database server runs ${dbServer.settings.database.engine}, not ${w.db_engine}`,
        'dbServerId',
      );
    } else {
      database = {
        serverId: dbServer.id,
        serverName: dbServer.name,
        engine: w.db_engine,
        name: w.db_name ?? dbIdentFor(w.label),
        user: w.db_user ?? dbIdentFor(w.label),
      };
    }
  }

  const caseId = opts.caseId ?? w.created_case_id;
  let archive: RunParams['archive'] = null;
  if (caseId) {
    const f = await db
      .selectFrom('case_files as f')
      .innerJoin('cases as c', 'c.id', 'f.case_id')
      .select(['f.storage_key', 'f.mime', 'f.display_name', 'c.ref'])
      .where('f.case_id', '=', caseId)
      .where('f.purpose', '=', 'source')
      .orderBy('f.uploaded_at', 'desc')
      .executeTakeFirst();
    if (f) {
      archive = {
        storageKey: f.storage_key,
        kind: f.mime === 'application/zip' ? 'zip' : 'targz',
        displayName: f.display_name,
        caseRef: f.ref,
      };
    }
  }
  if (!archive) warnings.push('No source archive from a build step: the document root stays as it is');

  const docroot = w.document_root ?? path.posix.join(apache.docrootBase, w.hostname);
  const params: RunParams = {
    websiteId: w.id,
    hostname: w.hostname,
    aliases: w.aliases.filter((a) => !a.heldUntil).map((a) => a.hostname),
    ip: w.ip_address,
    web: { serverId: web.id, serverName: web.name },
    dns: ns && records.length > 0 ? { serverId: ns.id, serverName: ns.name, records } : null,
    database,
    site: {
      hostname: w.hostname,
      aliases: w.aliases.filter((a) => !a.heldUntil).map((a) => a.hostname),
      ip: null,
      docroot,
      tls: config.provisioning.acme !== undefined,
      maintenance: false,
    },
    archive,
    check: { httpPort: apache.httpPort, httpsPort: apache.httpsPort },
  };
  // A dedicated server serves the site on its own address; a shared one by name.
  if (web.kind === 'dedicated') params.site.ip = w.ip_address;
  return { params, web, sitesDir: apache.sitesDir, warnings };
}

/** The plan shown before applying: every record, file and account, and on which server. */
export function describePlan(
  kind: RunKind,
  p: RunParams,
  steps: StepKey[],
  config: Pick<Config, 'provisioning'>,
  apacheSitesDir: string,
  warnings: string[],
): Plan {
  const web = p.web.serverName;
  const vhostFile = path.posix.join(apacheSitesDir, `${p.hostname}.conf`);
  const describe = (key: StepKey): PlanStep => {
    const step = (changes: PlannedChange[], server: string | null, skip: string | null = null): PlanStep => ({
      key,
      title: TITLES[key],
      server,
      changes,
      skip,
    });
    switch (key) {
      case 'dns':
        return p.dns
          ? step(
              p.dns.records.map((r) => ({
                action: 'create',
                kind: `DNS ${r.type}`,
                target: describeRecord(r),
                server: p.dns?.serverName ?? '',
              })),
              p.dns.serverName,
            )
          : step([], null, 'no name server for the zone');
      case 'dns_remove':
        return p.dns
          ? step(
              p.dns.records.map((r) => ({
                action: 'remove',
                kind: `DNS ${r.type}`,
                target: describeRecord(r),
                server: p.dns?.serverName ?? '',
              })),
              p.dns.serverName,
            )
          : step([], null, 'no name server for the zone');
      case 'vhost':
        return step(
          [
            { action: 'create', kind: 'virtual host', target: vhostFile, server: web },
            { action: 'create', kind: 'document root', target: p.site.docroot, server: web },
            {
              action: 'check',
              kind: 'apache2 -t, graceful reload',
              target: p.site.ip ? `${p.site.ip} (dedicated)` : 'name-based',
              server: web,
            },
          ],
          web,
        );
      case 'database':
        return p.database
          ? step(
              [
                {
                  action: 'create',
                  kind: `${p.database.engine} database`,
                  target: p.database.name,
                  server: p.database.serverName,
                },
                {
                  action: 'create',
                  kind: 'database user (generated password, stored encrypted)',
                  target: p.database.user,
                  server: p.database.serverName,
                },
              ],
              p.database.serverName,
            )
          : step([], null, 'the website has no database');
      case 'deploy':
        return p.archive
          ? step(
              [
                {
                  action: 'change',
                  kind: `files from ${p.archive.displayName} (${p.archive.caseRef})`,
                  target: p.site.docroot,
                  server: web,
                },
              ],
              web,
            )
          : step([], null, 'no source archive');
      case 'tls':
        return config.provisioning.acme
          ? step(
              [
                {
                  action: 'create',
                  kind: `certificate (ACME http-01, ${new URL(config.provisioning.acme.directoryUrl).host})`,
                  target: [p.hostname, ...p.aliases].join(', '),
                  server: web,
                },
                { action: 'change', kind: 'HTTPS virtual host', target: vhostFile, server: web },
              ],
              web,
            )
          : step([], null, 'ACME is not configured (LOKET_ACME_DIRECTORY_URL)');
      case 'check':
        return step(
          [
            {
              action: 'check',
              kind: 'the site answers',
              target: `${p.site.tls ? 'https' : 'http'}://${p.hostname}/ at ${p.ip}`,
              server: web,
            },
          ],
          web,
        );
      case 'maintenance_on':
        return step(
          [{ action: 'change', kind: 'maintenance page (503)', target: vhostFile, server: web }],
          web,
        );
      case 'maintenance_off':
        return step([{ action: 'change', kind: 'site served again', target: vhostFile, server: web }], web);
      case 'db_lock':
      case 'db_unlock':
      case 'db_drop':
        return p.database
          ? step(
              [
                {
                  action: key === 'db_drop' ? 'remove' : 'change',
                  kind:
                    key === 'db_lock'
                      ? 'lock account'
                      : key === 'db_unlock'
                        ? 'unlock account'
                        : 'database and user',
                  target: key === 'db_drop' ? `${p.database.name}, ${p.database.user}` : p.database.user,
                  server: p.database.serverName,
                },
              ],
              p.database.serverName,
            )
          : step([], null, 'the website has no database');
      case 'site_remove':
        return step(
          [
            { action: 'remove', kind: 'virtual host', target: vhostFile, server: web },
            { action: 'remove', kind: 'certificate', target: p.hostname, server: web },
            { action: 'remove', kind: 'document root', target: p.site.docroot, server: web },
          ],
          web,
        );
    }
  };
  return { kind, hostname: p.hostname, steps: steps.map(describe), warnings };
}

/** Loads the website for planning, or 404. */
export async function websiteForPlan(db: Kysely<Database>, id: string): Promise<WebsiteDetailRow> {
  const w = await findWebsiteDetail(db, id);
  if (!w) throw notFound('Website');
  return w;
}

export { readServerSecret };
