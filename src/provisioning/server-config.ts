import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { recordChange } from '../registry/history.ts';
import { tryParseIp } from '../registry/ip.ts';
import { checkDocumentRootPath } from '../registry/names.ts';
import {
  type RegistryDeps,
  requireRegistryManager,
  requireRegistryReader,
} from '../registry/registry-deps.ts';
import { open, seal } from '../registry/secret-box.ts';
import type { Ctx } from '../shared/context.ts';
import { type AgentConfig, DEFAULT_APACHE_PROGRAM } from './agent/agent-config.ts';

// How Loket reaches a server and what runs there. Settings are data the orchestrator trusts only
// after these schemas: every path absolute and plain, every address an IP, every name a label.
//
// What a manager may set here never names a program Loket runs or a file a program reads as its
// configuration (ADR 0008). Over ssh the helper's own agent.json decides where Apache's files are and
// which program runs; for `local` access (Loket's own host) the installation's
// LOKET_LOCAL_AGENT_CONFIG does, and local access is refused while it is unset. The Apache settings
// stored for an ssh server only describe it to Loket (the plan's paths, the ports the check uses).

const ip = z.string().refine((v) => tryParseIp(v) !== null, 'an IP address');
const port = z.number().int().min(1).max(65535);
const absDir = z
  .string()
  .refine((v) => checkDocumentRootPath(`${v}/x`, v).ok, 'an absolute, plain directory path');
const keyName = z
  .string()
  .regex(
    /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'a key name such as loket-key',
  );

export const serverAccess = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local') }),
  z.strictObject({
    kind: z.literal('ssh'),
    host: ip,
    port: port.default(22),
    username: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a Unix user name'),
    hostKeySha256: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=?$/, 'the SHA256 fingerprint, as ssh-keygen -l prints it'),
  }),
]);

/**
 * An ssh server's Apache as Loket describes it (the helper's agent.json on the server is what counts).
 * There is no `configFile` or `binary`: which program runs and what it reads are never a user setting.
 */
export const apacheSettings = z.strictObject({
  sitesDir: absDir,
  docrootBase: absDir,
  challengeDir: absDir,
  certDir: absDir,
  listenAddress: z.union([z.literal('*'), ip]).default('*'),
  httpPort: port.default(80),
  httpsPort: port.default(443),
});

export const dnsSettings = z.strictObject({ host: ip, port: port.default(53), keyName });

export const databaseSettings = z.strictObject({
  engine: z.enum(['mariadb', 'postgresql']),
  host: ip,
  port,
  adminUser: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a database user name'),
  /** PostgreSQL: the maintenance database to connect to. */
  maintenanceDb: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .optional(),
});

export const serverSettings = z.strictObject({
  apache: apacheSettings.optional(),
  dns: dnsSettings.optional(),
  database: databaseSettings.optional(),
});

export const SECRET_NAMES = ['dns_key', 'db_admin_password', 'ssh_private_key'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export const putProvisioningBody = z.strictObject({
  access: serverAccess,
  settings: serverSettings,
  /** Write-only; a value replaces the stored one, null removes it, absent keeps it. */
  secrets: z
    .strictObject({
      dnsKey: z
        .string()
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'the TSIG secret in base64')
        .min(16)
        .max(200)
        .nullable()
        .optional(),
      dbAdminPassword: z.string().min(1).max(200).nullable().optional(),
      sshPrivateKey: z
        .string()
        .max(20_000)
        .regex(
          /^-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----\s*$/,
          'a PEM private key',
        )
        .nullable()
        .optional(),
    })
    .default({}),
  reason: z.string().trim().max(2000).optional(),
});

export const provisioningOut = z.object({
  access: z.record(z.string(), z.unknown()),
  settings: z.record(z.string(), z.unknown()),
  secretsSet: z.object({ dnsKey: z.boolean(), dbAdminPassword: z.boolean(), sshPrivateKey: z.boolean() }),
  /** Local access as the installation configured it (LOKET_LOCAL_AGENT_CONFIG); read-only. */
  localAccess: z.object({
    enabled: z.boolean(),
    apache: z
      .object({
        configFile: z.string(),
        binary: z.string(),
        sitesDir: z.string(),
        docrootBase: z.string(),
        challengeDir: z.string(),
        certDir: z.string(),
        listenAddress: z.string(),
        httpPort: z.number(),
        httpsPort: z.number(),
      })
      .nullable(),
  }),
});

export type ServerAccessConfig = z.infer<typeof serverAccess>;
export type ApacheSettings = z.infer<typeof apacheSettings>;
export type DnsSettings = z.infer<typeof dnsSettings>;
export type DatabaseSettings = z.infer<typeof databaseSettings>;
export type ServerSettings = z.infer<typeof serverSettings>;

/** A server as provisioning sees it: name, how to reach it, what runs there (all re-validated). */
export type ProvisioningServer = {
  id: string;
  name: string;
  status: string;
  kind: string;
  /** null: what is stored is not valid access (nothing is run for this server). */
  access: ServerAccessConfig | null;
  settings: ServerSettings;
};

/** Local access is off: the installation has not named a local agent configuration. */
export function localAccessDisabled(serverName: string, path = 'access.kind'): AppError {
  const message = `The server ${serverName} is reached locally (Loket's own host), and this installation has not enabled local access (LOKET_LOCAL_AGENT_CONFIG): give the server ssh access, or ask whoever installed Loket`;
  return new AppError('LOCAL_ACCESS_DISABLED', message, { details: { fields: [{ path, message }] } });
}

export async function loadProvisioningServer(
  db: Kysely<Database>,
  id: string,
): Promise<ProvisioningServer | undefined> {
  const row = await db
    .selectFrom('servers')
    .select(['id', 'name', 'status', 'kind', 'access', 'settings'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  // Stored values went through the same schemas; parse again so nothing unchecked is used. A local
  // server's Apache is the installation's (LOKET_LOCAL_AGENT_CONFIG): anything stored for it is not used.
  const access = serverAccess.safeParse(row.access);
  const settings = serverSettings.safeParse(row.settings);
  const parsed: ServerSettings = settings.success ? settings.data : {};
  if (access.success && access.data.kind === 'local') delete parsed.apache;
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    kind: row.kind,
    access: access.success ? access.data : null,
    settings: parsed,
  };
}

const secretContext = (serverId: string, name: SecretName) => `server:${serverId}:${name}`;

export async function readServerSecret(
  db: Kysely<Database>,
  serverId: string,
  name: SecretName,
  deps: Pick<RegistryDeps, 'secretKey'>,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('server_secrets')
    .select('sealed')
    .where('server_id', '=', serverId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? open(deps.secretKey, row.sealed, secretContext(serverId, name)) : undefined;
}

/** What of the installation's local agent a server's page shows (no secrets in it). */
export type LocalAgentView = { apache: AgentConfig['apache'] } | undefined;

function presentLocalAccess(local: LocalAgentView) {
  if (!local) return { enabled: false, apache: null };
  const a = local.apache;
  return {
    enabled: true,
    apache: {
      configFile: a.configFile,
      binary: a.binary ?? DEFAULT_APACHE_PROGRAM,
      sitesDir: a.sitesDir,
      docrootBase: a.docrootBase,
      challengeDir: a.challengeDir,
      certDir: a.certDir,
      listenAddress: a.listenAddress,
      httpPort: a.httpPort,
      httpsPort: a.httpsPort,
    },
  };
}

async function presentProvisioning(db: Kysely<Database>, id: string, local: LocalAgentView) {
  const server = await loadProvisioningServer(db, id);
  if (!server) throw notFound('Server');
  const names = new Set(
    (await db.selectFrom('server_secrets').select('name').where('server_id', '=', id).execute()).map(
      (r) => r.name,
    ),
  );
  return {
    access: (server.access ?? {}) as Record<string, unknown>,
    settings: server.settings as Record<string, unknown>,
    secretsSet: {
      dnsKey: names.has('dns_key'),
      dbAdminPassword: names.has('db_admin_password'),
      sshPrivateKey: names.has('ssh_private_key'),
    },
    localAccess: presentLocalAccess(local),
  };
}

export async function getServerProvisioning(
  db: Kysely<Database>,
  id: string,
  ctx: Ctx,
  local: LocalAgentView,
) {
  requireRegistryReader(ctx.actor);
  return presentProvisioning(db, id, local);
}

/**
 * A sealed database admin password is sent to the server it logs in to (PostgreSQL may ask for it in
 * clear): when the address, port, engine or account changes, it must be typed again, so a stored
 * secret never goes to a machine it was not given for. (The TSIG key and the ssh key only sign.)
 */
function assertSecretsFollowTheirServer(
  before: ServerSettings,
  secretsSet: { dbAdminPassword: boolean },
  input: z.infer<typeof putProvisioningBody>,
): void {
  const was = before.database;
  const now = input.settings.database;
  if (!was || !now || !secretsSet.dbAdminPassword || input.secrets.dbAdminPassword !== undefined) return;
  const moved =
    was.engine !== now.engine ||
    was.host !== now.host ||
    was.port !== now.port ||
    was.adminUser !== now.adminUser;
  if (!moved) return;
  const message = "type the administrator's password again: the database server's address or account changed";
  throw new AppError('FIELD_INVALID', `secrets.dbAdminPassword: ${message}`, {
    details: { fields: [{ path: 'secrets.dbAdminPassword', message }] },
  });
}

/** Sets how to reach a server, what runs there, and its secrets (sealed; never shown again). */
export async function putServerProvisioning(
  trx: Kysely<Database>,
  id: string,
  input: z.infer<typeof putProvisioningBody>,
  ctx: Ctx,
  deps: Pick<RegistryDeps, 'secretKey'> & { localAgent: LocalAgentView },
) {
  requireRegistryManager(ctx.actor);
  const cur = await trx
    .selectFrom('servers')
    .select(['id', 'name'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!cur) throw notFound('Server');
  if (input.access.kind === 'local' && input.settings.apache) {
    // The web operations would run on Loket's own host, with the installation's Apache.
    if (!deps.localAgent) throw localAccessDisabled(cur.name);
    const message =
      "a local server's Apache is the installation's own (LOKET_LOCAL_AGENT_CONFIG), not a setting";
    throw new AppError('FIELD_INVALID', `settings.apache: ${message}`, {
      details: { fields: [{ path: 'settings.apache', message }] },
    });
  }
  const before = await presentProvisioning(trx, id, deps.localAgent);
  assertSecretsFollowTheirServer(before.settings as ServerSettings, before.secretsSet, input);
  if (input.access.kind === 'ssh' && !before.secretsSet.sshPrivateKey && !input.secrets.sshPrivateKey) {
    throw new AppError('FIELD_INVALID', 'An ssh server needs the private key Loket signs in with', {
      details: { fields: [{ path: 'secrets.sshPrivateKey', message: 'required for ssh access' }] },
    });
  }
  await trx
    .updateTable('servers')
    .set((eb) => ({
      access: JSON.stringify(input.access),
      settings: JSON.stringify(input.settings),
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .execute();
  const map: [keyof typeof input.secrets, SecretName][] = [
    ['dnsKey', 'dns_key'],
    ['dbAdminPassword', 'db_admin_password'],
    ['sshPrivateKey', 'ssh_private_key'],
  ];
  const changedSecrets: string[] = [];
  for (const [field, name] of map) {
    const value = input.secrets[field];
    if (value === undefined) continue;
    changedSecrets.push(field);
    await trx.deleteFrom('server_secrets').where('server_id', '=', id).where('name', '=', name).execute();
    if (value !== null) {
      await trx
        .insertInto('server_secrets')
        .values({ server_id: id, name, sealed: seal(deps.secretKey, value, secretContext(id, name)) })
        .execute();
    }
  }
  const after = await presentProvisioning(trx, id, deps.localAgent);
  await recordChange(trx, ctx, {
    entity: 'server',
    id,
    action: 'provisioning',
    reason: input.reason,
    before: { access: before.access, settings: before.settings, secretsSet: before.secretsSet },
    after: {
      access: after.access,
      settings: after.settings,
      secretsSet: after.secretsSet,
      ...(changedSecrets.length ? { secretsChanged: changedSecrets } : {}),
    },
  });
  return after;
}
