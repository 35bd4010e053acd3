/**
 * The server provisioning form as plain values: read from the API's answer, checked with the rules of
 * src/provisioning/server-config.ts (so the form and the API agree), turned into the PUT body, and the
 * API's field paths (`settings.apache.sitesDir`) placed on the form's fields.
 */
import { tryParseIp } from '../../../../src/registry/ip.ts';
import { checkDocumentRootPath } from '../../../../src/registry/names.ts';
import type {
  SecretsInput,
  SecretsSet,
  ServerProvisioning,
  ServerProvisioningInput,
} from '../../api/provisioning.ts';
import type { ServerRole } from '../../api/registry.ts';

export type SettingsValues = {
  accessKind: 'local' | 'ssh';
  sshHost: string;
  sshPort: string;
  sshUser: string;
  hostKey: string;
  sshKey: string;
  sshKeyClear: boolean;

  /** Over ssh only: a local server's Apache is the installation's own (LOKET_LOCAL_AGENT_CONFIG). */
  apacheOn: boolean;
  sitesDir: string;
  docrootBase: string;
  challengeDir: string;
  certDir: string;
  listenAddress: string;
  httpPort: string;
  httpsPort: string;

  dnsOn: boolean;
  dnsHost: string;
  dnsPort: string;
  keyName: string;
  dnsKey: string;
  dnsKeyClear: boolean;

  dbOn: boolean;
  engine: 'mariadb' | 'postgresql';
  dbHost: string;
  dbPort: string;
  adminUser: string;
  maintenanceDb: string;
  dbPassword: string;
  dbPasswordClear: boolean;

  reason: string;
};

/** Debian's usual places, offered when a part is switched on. */
export const APACHE_DEFAULTS = {
  sitesDir: '/etc/apache2/sites-enabled',
  docrootBase: '/var/www',
  challengeDir: '/var/lib/loket/acme-challenge',
  certDir: '/etc/ssl/loket',
  listenAddress: '*',
  httpPort: '80',
  httpsPort: '443',
} as const;

export const DB_PORTS = { mariadb: '3306', postgresql: '5432' } as const;

const str = (v: unknown, fallback = ''): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;

export function valuesFrom(p: ServerProvisioning | undefined, roles: ServerRole[] = []): SettingsValues {
  const access = p?.access ?? {};
  const apache = p?.settings.apache;
  const dns = p?.settings.dns;
  const db = p?.settings.database;
  const engine = db?.engine === 'postgresql' ? 'postgresql' : 'mariadb';
  const fresh = !apache && !dns && !db;
  return {
    accessKind: access.kind === 'ssh' ? 'ssh' : 'local',
    sshHost: str(access.host),
    sshPort: str(access.port, '22'),
    sshUser: str(access.username),
    hostKey: str(access.hostKeySha256),
    sshKey: '',
    sshKeyClear: false,

    // What is stored is switched on; on a server with nothing stored yet, what its roles say it runs.
    apacheOn: apache !== undefined || (fresh && roles.includes('web')),
    sitesDir: apache?.sitesDir ?? APACHE_DEFAULTS.sitesDir,
    docrootBase: apache?.docrootBase ?? APACHE_DEFAULTS.docrootBase,
    challengeDir: apache?.challengeDir ?? APACHE_DEFAULTS.challengeDir,
    certDir: apache?.certDir ?? APACHE_DEFAULTS.certDir,
    listenAddress: apache?.listenAddress ?? APACHE_DEFAULTS.listenAddress,
    httpPort: str(apache?.httpPort, APACHE_DEFAULTS.httpPort),
    httpsPort: str(apache?.httpsPort, APACHE_DEFAULTS.httpsPort),

    dnsOn: dns !== undefined || (fresh && roles.includes('dns')),
    dnsHost: dns?.host ?? '',
    dnsPort: str(dns?.port, '53'),
    keyName: dns?.keyName ?? '',
    dnsKey: '',
    dnsKeyClear: false,

    dbOn: db !== undefined || (fresh && roles.includes('database')),
    engine,
    dbHost: db?.host ?? '',
    dbPort: str(db?.port, DB_PORTS[engine]),
    adminUser: db?.adminUser ?? '',
    maintenanceDb: db?.maintenanceDb ?? '',
    dbPassword: '',
    dbPasswordClear: false,

    reason: '',
  };
}

// The schemas' rules (server-config.ts), answering message keys of `provisioning.rules`.
const KEY_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const UNIX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const HOST_KEY = /^[A-Za-z0-9+/]{43}=?$/;
const DB_USER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const MAINTENANCE_DB = /^[a-z_][a-z0-9_]{0,62}$/;
const TSIG = /^[A-Za-z0-9+/]+={0,2}$/;
const PEM = /^-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----\s*$/;

export const isIp = (v: string): boolean => tryParseIp(v) !== null;
export const isPort = (v: string): boolean => /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535;
export const isDir = (v: string): boolean => checkDocumentRootPath(`${v}/x`, v).ok;

/** "SHA256:abc…" as ssh-keygen prints it, or with the "256 SHA256:… root@host (ED25519)" around it. */
export function cleanFingerprint(value: string): string {
  const m = /SHA256:([A-Za-z0-9+/]{43}=?)/.exec(value);
  return m?.[1] ?? value.trim();
}

type Errors = Partial<Record<keyof SettingsValues, string>>;

export function validateSettings(v: SettingsValues, secretsSet: SecretsSet): Errors {
  const e: Errors = {};
  const rule = (field: keyof SettingsValues, ok: boolean, key: string) => {
    if (!ok && !e[field]) e[field] = `provisioning.rules.${key}`;
  };
  const required = (field: keyof SettingsValues, value: string) => {
    if (!value.trim()) e[field] = 'validation.required';
  };

  if (v.accessKind === 'ssh') {
    required('sshHost', v.sshHost);
    rule('sshHost', isIp(v.sshHost.trim()), 'ip');
    rule('sshPort', isPort(v.sshPort.trim()), 'port');
    required('sshUser', v.sshUser);
    rule('sshUser', UNIX_USER.test(v.sshUser.trim()), 'username');
    required('hostKey', v.hostKey);
    rule('hostKey', HOST_KEY.test(cleanFingerprint(v.hostKey)), 'hostKey');
    const keyKept = secretsSet.sshPrivateKey && !v.sshKeyClear;
    if (!v.sshKey.trim() && !keyKept) e.sshKey = 'provisioning.rules.sshKeyRequired';
  }
  if (v.sshKey.trim()) {
    rule('sshKey', v.sshKey.length <= 20_000, 'sshKey');
    rule('sshKey', PEM.test(v.sshKey), 'sshKey');
  }

  if (v.apacheOn && v.accessKind === 'ssh') {
    for (const field of ['sitesDir', 'docrootBase', 'challengeDir', 'certDir'] as const) {
      required(field, v[field]);
      rule(field, isDir(v[field].trim()), 'dir');
    }
    const listen = v.listenAddress.trim();
    rule('listenAddress', listen === '' || listen === '*' || isIp(listen), 'listen');
    rule('httpPort', isPort(v.httpPort.trim()), 'port');
    rule('httpsPort', isPort(v.httpsPort.trim()), 'port');
  }

  if (v.dnsOn) {
    required('dnsHost', v.dnsHost);
    rule('dnsHost', isIp(v.dnsHost.trim()), 'ip');
    rule('dnsPort', isPort(v.dnsPort.trim()), 'port');
    required('keyName', v.keyName);
    rule('keyName', KEY_NAME.test(v.keyName.trim()), 'keyName');
  }
  if (v.dnsKey.trim()) {
    const key = v.dnsKey.trim();
    rule('dnsKey', TSIG.test(key) && key.length >= 16 && key.length <= 200, 'dnsKey');
  }

  if (v.dbOn) {
    required('dbHost', v.dbHost);
    rule('dbHost', isIp(v.dbHost.trim()), 'ip');
    rule('dbPort', isPort(v.dbPort.trim()), 'port');
    required('adminUser', v.adminUser);
    rule('adminUser', DB_USER.test(v.adminUser.trim()), 'adminUser');
    if (v.engine === 'postgresql' && v.maintenanceDb.trim()) {
      rule('maintenanceDb', MAINTENANCE_DB.test(v.maintenanceDb.trim()), 'maintenanceDb');
    }
  }
  if (v.dbPassword.length > 200) e.dbPassword = 'provisioning.rules.tooLong';
  return e;
}

/** The PUT body: only the parts switched on; a secret typed replaces, "remove" clears, empty keeps. */
export function toInput(v: SettingsValues): ServerProvisioningInput {
  const access: ServerProvisioningInput['access'] =
    v.accessKind === 'ssh'
      ? {
          kind: 'ssh',
          host: v.sshHost.trim(),
          port: Number(v.sshPort.trim()),
          username: v.sshUser.trim(),
          hostKeySha256: cleanFingerprint(v.hostKey),
        }
      : { kind: 'local' };
  const settings: ServerProvisioningInput['settings'] = {};
  // A local server's Apache is the installation's own: nothing about it is sent.
  if (v.apacheOn && v.accessKind === 'ssh') {
    settings.apache = {
      sitesDir: v.sitesDir.trim(),
      docrootBase: v.docrootBase.trim(),
      challengeDir: v.challengeDir.trim(),
      certDir: v.certDir.trim(),
      listenAddress: v.listenAddress.trim() || '*',
      httpPort: Number(v.httpPort.trim()),
      httpsPort: Number(v.httpsPort.trim()),
    };
  }
  if (v.dnsOn) {
    settings.dns = { host: v.dnsHost.trim(), port: Number(v.dnsPort.trim()), keyName: v.keyName.trim() };
  }
  if (v.dbOn) {
    settings.database = {
      engine: v.engine,
      host: v.dbHost.trim(),
      port: Number(v.dbPort.trim()),
      adminUser: v.adminUser.trim(),
      ...(v.engine === 'postgresql' && v.maintenanceDb.trim()
        ? { maintenanceDb: v.maintenanceDb.trim() }
        : {}),
    };
  }
  const secrets: SecretsInput = {};
  if (v.sshKey.trim()) secrets.sshPrivateKey = v.sshKey.endsWith('\n') ? v.sshKey : `${v.sshKey}\n`;
  else if (v.sshKeyClear) secrets.sshPrivateKey = null;
  if (v.dnsKey.trim()) secrets.dnsKey = v.dnsKey.trim();
  else if (v.dnsKeyClear) secrets.dnsKey = null;
  if (v.dbPassword) secrets.dbAdminPassword = v.dbPassword;
  else if (v.dbPasswordClear) secrets.dbAdminPassword = null;
  return {
    access,
    settings,
    secrets,
    ...(v.reason.trim() ? { reason: v.reason.trim() } : {}),
  };
}

const ACCESS_FIELDS: Record<string, keyof SettingsValues> = {
  kind: 'accessKind',
  host: 'sshHost',
  port: 'sshPort',
  username: 'sshUser',
  hostKeySha256: 'hostKey',
};
const DNS_FIELDS: Record<string, keyof SettingsValues> = {
  host: 'dnsHost',
  port: 'dnsPort',
  keyName: 'keyName',
};
const DB_FIELDS: Record<string, keyof SettingsValues> = {
  engine: 'engine',
  host: 'dbHost',
  port: 'dbPort',
  adminUser: 'adminUser',
  maintenanceDb: 'maintenanceDb',
};
const SECRET_FIELDS: Record<string, keyof SettingsValues> = {
  sshPrivateKey: 'sshKey',
  dnsKey: 'dnsKey',
  dbAdminPassword: 'dbPassword',
};
const APACHE_FIELDS = new Set<string>([
  'sitesDir',
  'docrootBase',
  'challengeDir',
  'certDir',
  'listenAddress',
  'httpPort',
  'httpsPort',
]);

/** The form field an API error path belongs to (`settings.dns.keyName` → `keyName`), or undefined. */
export function fieldOfPath(path: string): keyof SettingsValues | undefined {
  const [head, a, b] = path.split('.');
  if (head === 'access' && a) return ACCESS_FIELDS[a];
  if (head === 'secrets' && a) return SECRET_FIELDS[a];
  if (head === 'reason') return 'reason';
  if (head === 'settings' && a === 'apache' && b && APACHE_FIELDS.has(b)) return b as keyof SettingsValues;
  if (head === 'settings' && a === 'dns' && b) return DNS_FIELDS[b];
  if (head === 'settings' && a === 'database' && b) return DB_FIELDS[b];
  return undefined;
}
