import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { recordChange } from '../registry/history.ts';
import type { RegistryDeps } from '../registry/registry-deps.ts';
import { open, seal } from '../registry/secret-box.ts';
import type { Ctx } from '../shared/context.ts';
import { certificateFacts, createAccountKey, obtainCertificate } from './acme/acme.ts';
import { webAgentFor } from './agent/index.ts';
import {
  type DbAdmin,
  dropSiteDatabase,
  ensureSiteDatabase,
  generateDbPassword,
  lockSiteUser,
  unlockSiteUser,
} from './database/index.ts';
import { readArchive } from './deploy/index.ts';
import { addRecord, type DnsTarget, queryRecords, removeRecord } from './dns/client.ts';
import type { RunParams, StepKey } from './plan.ts';
import { loadProvisioningServer, localAccessDisabled, readServerSecret } from './server-config.ts';
import type { WebAgent } from './types.ts';

// What each step does on the servers. Every step is idempotent: a run killed in the middle of a
// step executes that step again from the start, and it ends in the same state without duplicates.

export type StepContext = {
  db: Kysely<Database>;
  config: Config;
  registry: RegistryDeps;
  /** The stored archive's path on this machine. */
  archivePath: (storageKey: string) => string;
  ctx: Ctx;
  caseId: string | null;
  /** Tests only: runs before each step's work (e.g. to kill the worker at a chosen point). */
  beforeStep?: ((key: StepKey) => Promise<void>) | undefined;
};

export type StepResult = Record<string, unknown> & { skipped?: string };

class StepFailed extends Error {}

async function webAgent(s: StepContext, p: RunParams): Promise<WebAgent> {
  const server = await loadProvisioningServer(s.db, p.web.serverId);
  if (!server?.access) throw new StepFailed(`The server ${p.web.serverName} has no valid access settings`);
  const limits = {
    ...s.config.provisioning.archive,
    maxFileBytes: s.config.provisioning.archive.maxTotalBytes,
  };
  if (server.access.kind === 'local') {
    // Loket's own host: only the installation's agent configuration says what runs (ADR 0008).
    const local = s.config.provisioning.localAgent;
    if (!local) throw new StepFailed(localAccessDisabled(p.web.serverName).message);
    return webAgentFor(server.access, {}, { apache: local.apache, limits: local.limits ?? limits });
  }
  if (!server.settings.apache) throw new StepFailed(`The server ${p.web.serverName} has no Apache settings`);
  const sshPrivateKey = await readServerSecret(s.db, server.id, 'ssh_private_key', s.registry);
  return webAgentFor(server.access, sshPrivateKey ? { sshPrivateKey } : {}, undefined);
}

async function withAgent<T>(s: StepContext, p: RunParams, fn: (a: WebAgent) => Promise<T>): Promise<T> {
  const agent = await webAgent(s, p);
  try {
    return await fn(agent);
  } finally {
    await agent.close();
  }
}

async function dnsTarget(s: StepContext, p: RunParams): Promise<DnsTarget> {
  if (!p.dns) throw new StepFailed('No name server');
  const server = await loadProvisioningServer(s.db, p.dns.serverId);
  const dns = server?.settings.dns;
  const secret = await readServerSecret(s.db, p.dns.serverId, 'dns_key', s.registry);
  if (!dns || !secret)
    throw new StepFailed(`The name server ${p.dns.serverName} has no TSIG key or settings`);
  return { host: dns.host, port: dns.port, keyName: dns.keyName, keySecret: Buffer.from(secret, 'base64') };
}

async function dbAdmin(s: StepContext, p: RunParams): Promise<DbAdmin> {
  if (!p.database) throw new StepFailed('No database');
  const server = await loadProvisioningServer(s.db, p.database.serverId);
  const d = server?.settings.database;
  if (!d) throw new StepFailed(`The database server ${p.database.serverName} has no admin settings`);
  const password = (await readServerSecret(s.db, p.database.serverId, 'db_admin_password', s.registry)) ?? '';
  return {
    engine: d.engine,
    host: d.host,
    port: d.port,
    user: d.adminUser,
    password,
    ...(d.maintenanceDb ? { database: d.maintenanceDb } : {}),
  };
}

/** Writes facts learned by a step into the website's record, with a history entry. */
async function updateWebsiteFacts(
  s: StepContext,
  websiteId: string,
  action: string,
  set: Record<string, unknown>,
  shown: Record<string, unknown>,
): Promise<void> {
  await s.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('websites')
      .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', websiteId)
      .execute();
    await recordChange(trx, s.ctx, {
      entity: 'website',
      id: websiteId,
      action,
      caseId: s.caseId,
      after: shown,
    });
  });
}

/** The index page the archive will serve, to recognise the deployed site by its content. */
async function expectedIndex(s: StepContext, p: RunParams): Promise<string | null> {
  if (!p.archive) return null;
  const limits = {
    ...s.config.provisioning.archive,
    maxFileBytes: s.config.provisioning.archive.maxTotalBytes,
  };
  let best: { depth: number; data: Buffer } | null = null;
  for await (const e of readArchive(s.archivePath(p.archive.storageKey), p.archive.kind, limits)) {
    if (e.type !== 'file' || !e.data) continue;
    const parts = e.path.split('/');
    if (parts.at(-1) !== 'index.html') continue;
    if (!best || parts.length < best.depth) best = { depth: parts.length, data: e.data };
  }
  return best ? crypto.createHash('sha256').update(best.data).digest('hex') : null;
}

function trustedCAs(config: Config): string[] | undefined {
  if (!config.provisioning.tlsTrustFile) return undefined;
  return [...tls.rootCertificates, fs.readFileSync(config.provisioning.tlsTrustFile, 'utf8')];
}

/** One request to the site on its own address, with its name: status and the body's SHA-256. */
function fetchSite(
  p: RunParams,
  secure: boolean,
  config: Config,
): Promise<{ status: number; sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const options = {
      host: p.ip,
      port: secure ? p.check.httpsPort : p.check.httpPort,
      path: '/',
      method: 'GET',
      headers: { host: p.hostname, 'user-agent': 'Loket-check' },
      timeout: 10_000,
    };
    const onResponse = (res: http.IncomingMessage) => {
      const hash = crypto.createHash('sha256');
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes <= 10 * 1024 * 1024) hash.update(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, sha256: hash.digest('hex'), bytes }));
      res.on('error', reject);
    };
    const req = secure
      ? https.request(
          { ...options, servername: p.hostname, ca: trustedCAs(config), rejectUnauthorized: true },
          onResponse,
        )
      : http.request(options, onResponse);
    req.on('timeout', () => req.destroy(new Error('the site did not answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

async function acmeAccountKey(s: StepContext): Promise<string> {
  const row = await s.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'acme_account')
    .executeTakeFirst();
  const sealed = (row?.value as { sealed?: string } | undefined)?.sealed;
  if (sealed) return open(s.registry.secretKey, sealed, 'settings:acme_account');
  const key = await createAccountKey();
  await s.db
    .insertInto('settings')
    .values({
      key: 'acme_account',
      value: JSON.stringify({ sealed: seal(s.registry.secretKey, key, 'settings:acme_account') }),
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  // Another worker may have won the race: use whatever is stored.
  return acmeAccountKey(s);
}

/** Whether the site is served over HTTPS now: TLS planned and a certificate already installed. */
async function servesTls(s: StepContext, p: RunParams): Promise<boolean> {
  if (!p.site.tls) return false;
  const w = await s.db
    .selectFrom('websites')
    .select('tls_expires_at')
    .where('id', '=', p.websiteId)
    .executeTakeFirst();
  return Boolean(w?.tls_expires_at);
}

export async function executeStep(
  s: StepContext,
  key: StepKey,
  p: RunParams,
  kindOfRun: string,
): Promise<StepResult> {
  await s.beforeStep?.(key);
  switch (key) {
    case 'dns': {
      if (!p.dns) return { skipped: 'no name server for the zone' };
      const t = await dnsTarget(s, p);
      const records: Record<string, string> = {};
      for (const r of p.dns.records) {
        records[r.name] = await addRecord(t, r);
        const seen = await queryRecords(t, r.name, r.type);
        const want = r.type === 'CNAME' ? r.value.replace(/\.$/, '') : r.value;
        if (!seen.map((v) => v.replace(/\.$/, '')).includes(want)) {
          throw new StepFailed(
            `${r.name}: the name server does not answer ${r.type} ${r.value} after the update`,
          );
        }
      }
      return { records };
    }
    case 'dns_remove': {
      if (!p.dns) return { skipped: 'no name server for the zone' };
      const t = await dnsTarget(s, p);
      const records: Record<string, string> = {};
      for (const r of p.dns.records) records[r.name] = await removeRecord(t, r);
      return { records };
    }
    case 'vhost':
      return {
        vhost: await withAgent(s, p, (a) => a.installSite({ ...p.site, tls: false, maintenance: false })),
      };
    case 'maintenance_on':
    case 'maintenance_off': {
      const secure = await servesTls(s, p);
      return {
        vhost: await withAgent(s, p, (a) =>
          a.installSite({ ...p.site, tls: secure, maintenance: key === 'maintenance_on' }),
        ),
      };
    }
    case 'site_remove':
      return {
        site: await withAgent(s, p, (a) =>
          a.removeSite(p.hostname, { docroot: p.site.docroot, removeDocroot: true }),
        ),
      };
    case 'database': {
      if (!p.database) return { skipped: 'the website has no database' };
      const admin = await dbAdmin(s, p);
      const w = await s.db
        .selectFrom('websites')
        .select(['db_password_enc'])
        .where('id', '=', p.websiteId)
        .executeTakeFirst();
      const context = `website:${p.websiteId}:db`;
      const password = w?.db_password_enc
        ? open(s.registry.secretKey, w.db_password_enc, context)
        : generateDbPassword();
      const state = await ensureSiteDatabase(admin, {
        name: p.database.name,
        user: p.database.user,
        password,
      });
      await updateWebsiteFacts(
        s,
        p.websiteId,
        'provision.database',
        {
          db_name: p.database.name,
          db_user: p.database.user,
          db_host: admin.host,
          db_server_id: p.database.serverId,
          db_password_enc: seal(s.registry.secretKey, password, context),
        },
        {
          database: {
            engine: p.database.engine,
            name: p.database.name,
            user: p.database.user,
            server: p.database.serverName,
            passwordSet: true,
          },
        },
      );
      return { database: state, name: p.database.name, user: p.database.user };
    }
    case 'db_lock':
    case 'db_unlock': {
      if (!p.database) return { skipped: 'the website has no database' };
      const admin = await dbAdmin(s, p);
      if (key === 'db_lock') await lockSiteUser(admin, p.database.user);
      else await unlockSiteUser(admin, p.database.user);
      return { user: p.database.user, locked: key === 'db_lock' };
    }
    case 'db_drop': {
      if (!p.database) return { skipped: 'the website has no database' };
      return {
        database: await dropSiteDatabase(await dbAdmin(s, p), {
          name: p.database.name,
          user: p.database.user,
        }),
      };
    }
    case 'deploy': {
      if (!p.archive) return { skipped: 'no source archive' };
      const archive = p.archive;
      const r = await withAgent(s, p, (a) =>
        a.deploy(s.archivePath(archive.storageKey), archive.kind, p.site.docroot),
      );
      return { files: r.files, bytes: r.bytes, from: archive.displayName };
    }
    case 'tls': {
      const acme = s.config.provisioning.acme;
      if (!acme || !p.site.tls) return { skipped: 'ACME is not configured' };
      const accountKeyPem = await acmeAccountKey(s);
      const cert = await withAgent(s, p, async (a) => {
        const issued = await obtainCertificate(
          {
            directoryUrl: acme.directoryUrl,
            email: acme.email,
            accountKeyPem,
            ...(acme.caFile
              ? { caCertPem: fs.readFileSync(acme.caFile, 'utf8'), skipChallengeVerification: true }
              : {}),
          },
          { hostname: p.hostname, aliases: p.aliases },
          {
            put: (token, content) => a.putChallenge(token, content),
            remove: (token) => a.removeChallenge(token),
          },
        );
        await a.installCertificate(p.hostname, { cert: issued.certPem, key: issued.keyPem });
        await a.installSite({ ...p.site, tls: true, maintenance: false });
        return issued;
      });
      const facts = certificateFacts(cert.certPem);
      await updateWebsiteFacts(
        s,
        p.websiteId,
        'provision.tls',
        { tls_issuer: facts.issuer.slice(0, 200), tls_expires_at: facts.notAfter },
        { tls: { issuer: facts.issuer, expiresAt: facts.notAfter.toISOString() } },
      );
      return { issuer: facts.issuer, notAfter: facts.notAfter.toISOString() };
    }
    case 'check': {
      const secure = await servesTls(s, p);
      const got = await fetchSite(p, secure, s.config);
      if (kindOfRun === 'suspend') {
        if (got.status !== 503)
          throw new StepFailed(`Expected the maintenance page (503), got ${got.status}`);
        return { status: got.status, url: `${secure ? 'https' : 'http'}://${p.hostname}/` };
      }
      // Hosting without a build (a hosting account the OPD fills itself) has an empty document root:
      // its virtual host answers 403/404 until content is uploaded, and that is the site answering.
      const emptyDocroot = !p.archive && (got.status === 403 || got.status === 404);
      if ((got.status < 200 || got.status >= 300) && !emptyDocroot) {
        throw new StepFailed(`The site answered ${got.status}`);
      }
      const expected = await expectedIndex(s, p);
      if (expected && expected !== got.sha256) {
        throw new StepFailed('The site answered, but not with the deployed index.html');
      }
      return {
        status: got.status,
        url: `${secure ? 'https' : 'http'}://${p.hostname}/`,
        bytes: got.bytes,
        matched: Boolean(expected),
        ...(emptyDocroot ? { emptyDocroot: true } : {}),
      };
    }
  }
}
