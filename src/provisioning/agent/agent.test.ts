// The web agent against real servers: a throw-away Apache (test/servers/apache.ts) and a loopback
// OpenSSH sshd (test/servers/sshd.ts) whose only authorized key is limited by a forced command to the
// fixed helper (helper.ts). The same operations run through sshWebAgent and localWebAgent; then the
// security properties: a pinned host key, the forced command whatever the client asks, hostile raw
// requests the helper refuses with nothing written, and hostile values refused before any connection.

import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import ssh2, { type Client as SshClient } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApacheServer,
  findApache,
  findOpenssl,
  makeSelfSigned,
  startApache,
} from '../../../test/servers/apache.ts';
import { findNode24, findSshd, type SshdServer, startSshd } from '../../../test/servers/sshd.ts';
import type { ApacheHost } from '../apache/site.ts';
import { targz, zipArchive } from '../deploy/hostile-archives.ts';
import { type ArchiveLimits, ArchiveRejected } from '../deploy/index.ts';
import { UnsafeValueError, type WebAgent, type WebSiteSpec } from '../types.ts';
import { hostKeyFingerprint, localWebAgent, sshWebAgent, WebAgentError, webAgentFor } from './index.ts';
import { AGENT_COMMAND, type AgentResponse, agentResponseSchema } from './protocol.ts';

/**
 * A fresh ed25519 key ssh2 itself can read. Its generator now and then emits a key with a 31-byte
 * public part (a leading zero dropped) that its own parser refuses — about 1 in 35 — so retry.
 */
function validEd25519Key(): string {
  for (;;) {
    const key = ssh2.utils.generateKeyPairSync('ed25519').private;
    const parsed = ssh2.utils.parseKey(key);
    if (!(parsed instanceof Error) && !Array.isArray(parsed)) return key;
  }
}

const haveServers =
  findSshd() !== undefined &&
  findApache() !== undefined &&
  findOpenssl() !== undefined &&
  findNode24() !== undefined;
if (!haveServers && process.env.CI === 'true') {
  throw new Error(
    'CI=true but the web agent test servers are missing: apt-get install openssh-server apache2 openssl',
  );
}
if (!haveServers) {
  console.warn('web agent tests over ssh skipped: install openssh-server, apache2 and openssl to run them');
}

const ZONE = 'example-kab.go.id';
const LIMITS: ArchiveLimits = {
  maxEntries: 100,
  maxTotalBytes: 8 * 1024 * 1024,
  maxFileBytes: 4 * 1024 * 1024,
  maxRatio: 200,
};
const MAX_ARCHIVE_BYTES = 1024 * 1024;

function hostOf(a: ApacheServer): ApacheHost {
  return {
    configFile: a.configFile,
    sitesDir: a.sitesDir,
    docrootBase: a.docrootBase,
    challengeDir: a.challengeDir,
    certDir: a.certDir,
    listenAddress: a.listenAddress,
    httpPort: a.httpPort,
    httpsPort: a.httpsPort,
    ...(a.binary ? { binary: a.binary } : {}),
  };
}

type Fetched = { status: number; headers: http.IncomingHttpHeaders; body: string; peerFingerprint?: string };

function fetchHttp(port: number, host: string, urlPath = '/'): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, headers: { Host: host }, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function fetchHttps(port: number, host: string, urlPath = '/'): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        servername: host,
        headers: { Host: host },
        agent: false,
        rejectUnauthorized: false,
      },
      (res) => {
        const peerFingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, peerFingerprint }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Every file and directory below `dirs` with a hash of each file's content (what "nothing written" compares). */
function snapshot(dirs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string) => {
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      out[p] = 'dir';
      for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    } else {
      out[p] = st.isFile() ? createHash('sha256').update(fs.readFileSync(p)).digest('hex') : 'other';
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** Runs `fn` over `items`, at most `limit` at a time; the results in the items' order. */
async function inBatches<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += limit) {
    out.push(...(await Promise.all(items.slice(i, i + limit).map(fn))));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The operations, over ssh and in-process, against a real Apache.

// Each ssh exec starts a Node process on the "server": slow on a loaded machine, hence the timeout.
describe.skipIf(!haveServers)('web agent on a real Apache', { timeout: 120_000 }, () => {
  let apache: ApacheServer;
  let sshd: SshdServer;
  let helperTmp: string;
  let scratch: string;
  const agents: Record<'ssh' | 'local', WebAgent> = {} as Record<'ssh' | 'local', WebAgent>;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-agent-test-'));
    helperTmp = path.join(scratch, 'helper-tmp');
    fs.mkdirSync(helperTmp, { mode: 0o700 });
    apache = await startApache();
    sshd = await startSshd({
      helperConfig: {
        apache: hostOf(apache),
        limits: LIMITS,
        maxArchiveBytes: MAX_ARCHIVE_BYTES,
        tmpDir: helperTmp,
      },
    });
    agents.ssh = await webAgentFor(
      {
        kind: 'ssh',
        host: sshd.host,
        port: sshd.port,
        username: sshd.username,
        hostKeySha256: sshd.hostKeySha256,
      },
      { sshPrivateKey: sshd.privateKeyPem },
      // Not used over ssh: the helper's own config file says where Apache's files are.
      { apache: { ...hostOf(apache), docrootBase: '/nonexistent/never-used' }, limits: LIMITS },
    );
    // Local: the installation's own agent configuration (LOKET_LOCAL_AGENT_CONFIG in Loket's config).
    agents.local = await webAgentFor({ kind: 'local' }, {}, { apache: hostOf(apache), limits: LIMITS });
  });

  afterAll(async () => {
    await agents.ssh?.close();
    await agents.local?.close();
    await sshd?.stop();
    await apache?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  function writeArchive(name: string, data: Buffer): string {
    const file = path.join(scratch, name);
    fs.writeFileSync(file, data);
    return file;
  }

  describe.each(['ssh', 'local'] as const)('through the %s agent', (kind) => {
    const hostname = `${kind}-site.${ZONE}`;
    const spec = (): WebSiteSpec => ({
      hostname,
      aliases: [`${kind}-alias.${ZONE}`],
      ip: null,
      docroot: path.join(apache.docrootBase, `${kind}-site`),
      tls: false,
      maintenance: false,
    });

    it('installs a site that answers for its host name (and again: unchanged)', async () => {
      const agent = agents[kind];
      expect(await agent.installSite(spec())).toBe('created');
      expect(fs.existsSync(path.join(apache.sitesDir, `${hostname}.conf`))).toBe(true);
      const r = await fetchHttp(apache.httpPort, hostname);
      expect(r.headers['x-loket-config']).toMatch(/^[0-9a-f]{16}$/);
      const other = await fetchHttp(apache.httpPort, `nobody.${ZONE}`);
      expect(other.headers['x-loket-config']).toBeUndefined();
      expect(await agent.installSite(spec())).toBe('unchanged');
    });

    it('deploys a tar.gz and a zip into the document root', async () => {
      const agent = agents[kind];
      const tgz = writeArchive(
        `${kind}.tar.gz`,
        targz([
          { name: 'site/index.html', data: `<p>${kind} targz</p>` },
          { name: 'site/css/app.css', data: 'body{}' },
        ]),
      );
      expect(await agent.deploy(tgz, 'targz', spec().docroot)).toEqual({
        files: 2,
        bytes: expect.any(Number),
      });
      let r = await fetchHttp(apache.httpPort, hostname, '/index.html');
      expect(r.status).toBe(200);
      expect(r.body).toBe(`<p>${kind} targz</p>`);
      expect((await fetchHttp(apache.httpPort, `${kind}-alias.${ZONE}`, '/css/app.css')).body).toBe('body{}');

      const zip = writeArchive(
        `${kind}.zip`,
        zipArchive([{ name: 'index.html', data: `<p>${kind} zip</p>` }]),
      );
      expect(await agent.deploy(zip, 'zip', spec().docroot)).toEqual({
        files: 1,
        bytes: `<p>${kind} zip</p>`.length,
      });
      r = await fetchHttp(apache.httpPort, hostname, '/');
      expect(r.status).toBe(200);
      expect(r.body).toBe(`<p>${kind} zip</p>`);
      // The old tree was replaced, not merged.
      expect((await fetchHttp(apache.httpPort, hostname, '/css/app.css')).status).toBe(404);
    });

    it('refuses a hostile archive with ArchiveRejected and keeps the site', async () => {
      const bad = writeArchive(`${kind}-bad.tar.gz`, targz([{ name: '../escape.html', data: 'x' }]));
      const err = await agents[kind].deploy(bad, 'targz', spec().docroot).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ArchiveRejected);
      expect((err as ArchiveRejected).code).toBe('PATH_TRAVERSAL');
      expect(fs.existsSync(path.join(apache.docrootBase, 'escape.html'))).toBe(false);
      expect((await fetchHttp(apache.httpPort, hostname, '/')).body).toBe(`<p>${kind} zip</p>`);
    });

    it('puts and removes an http-01 challenge', async () => {
      const agent = agents[kind];
      const token = `tok-${kind}_${randomBytes(6).toString('hex')}`;
      const content = `${token}.thumbprint-${kind}`;
      await agent.putChallenge(token, content);
      let r = await fetchHttp(apache.httpPort, hostname, `/.well-known/acme-challenge/${token}`);
      expect(r.status).toBe(200);
      expect(r.body).toBe(content);
      await agent.removeChallenge(token);
      await agent.removeChallenge(token); // idempotent
      r = await fetchHttp(apache.httpPort, hostname, `/.well-known/acme-challenge/${token}`);
      expect(r.status).toBe(404);
    });

    it('installs a certificate and serves the site over HTTPS with it', async () => {
      const agent = agents[kind];
      const pair = await makeSelfSigned(hostname, scratch);
      await agent.installCertificate(hostname, pair);
      await agent.installCertificate(hostname, pair); // idempotent
      expect(fs.readFileSync(path.join(apache.certDir, hostname, 'fullchain.pem'), 'utf8')).toBe(pair.cert);
      expect(fs.statSync(path.join(apache.certDir, hostname, 'privkey.pem')).mode & 0o777).toBe(0o600);
      expect(await agent.installSite({ ...spec(), tls: true })).toBe('changed');
      const r = await fetchHttps(apache.httpsPort, hostname, '/');
      expect(r.status).toBe(200);
      expect(r.body).toBe(`<p>${kind} zip</p>`);
      expect(r.peerFingerprint).toBe(new X509Certificate(pair.cert).fingerprint256);
      expect((await fetchHttp(apache.httpPort, hostname, '/')).status).toBe(301);
    });

    it('keeps the adapter errors recognisable (ApacheError, UnsafeValueError)', async () => {
      const agent = agents[kind];
      // A name another site already serves is refused by the Apache adapter.
      const taken = await agent
        .installSite({
          ...spec(),
          hostname: `${kind}-thief.${ZONE}`,
          aliases: [hostname],
          docroot: `${spec().docroot}-thief`,
        })
        .catch((e: unknown) => e);
      expect(taken).toBeInstanceOf(Error);
      expect((taken as Error).name).toBe('ApacheError');
      expect((taken as Error).message).toContain(`${hostname} is already served by`);
      // A document root outside the server's base: for ssh only the helper knows the base.
      const outside = await agent
        .deploy(writeArchive(`${kind}-o.zip`, zipArchive([{ name: 'a' }])), 'zip', '/etc/loket-x')
        .catch((e: unknown) => e);
      expect(outside).toBeInstanceOf(UnsafeValueError);
      expect((outside as UnsafeValueError).field).toBe('docroot');
      expect(fs.existsSync('/etc/loket-x')).toBe(false);
    });

    it('removes the site, its certificate and its document root (and again: absent)', async () => {
      const agent = agents[kind];
      expect(await agent.removeSite(hostname, { removeDocroot: true })).toBe('removed');
      expect(fs.existsSync(path.join(apache.sitesDir, `${hostname}.conf`))).toBe(false);
      expect(fs.existsSync(spec().docroot)).toBe(false);
      expect(fs.existsSync(path.join(apache.certDir, hostname))).toBe(false);
      const r = await fetchHttp(apache.httpPort, hostname, '/');
      expect(r.status).toBe(403);
      expect(r.headers['x-loket-config']).toBeUndefined();
      expect(await agent.removeSite(hostname, { removeDocroot: true })).toBe('absent');
    });
  });

  // -------------------------------------------------------------------------------------------------
  // Security over ssh

  describe('over ssh', () => {
    let raw: SshClient;

    beforeAll(async () => {
      raw = new ssh2.Client();
      await new Promise<void>((resolve, reject) => {
        raw.once('ready', () => resolve());
        raw.once('error', reject);
        raw.connect({
          host: sshd.host,
          port: sshd.port,
          username: sshd.username,
          privateKey: sshd.privateKeyPem,
          hostVerifier: (key: Buffer) => hostKeyFingerprint(key) === sshd.hostKeySha256,
        });
      });
    });

    afterAll(async () => {
      if (raw) {
        await new Promise<void>((resolve) => {
          raw.once('close', () => resolve());
          raw.end();
        });
      }
    });

    /** One exec with any command and any stdin, bypassing sshWebAgent's own checks. */
    function rawExec(
      command: string,
      input: Buffer | string,
    ): Promise<{ response: AgentResponse | null; stdout: string; code: number | null }> {
      return new Promise((resolve, reject) => {
        raw.exec(command, (err, stream) => {
          if (err) return reject(err);
          let stdout = '';
          let code: number | null = null;
          stream.on('data', (d: Buffer) => {
            stdout += d.toString('utf8');
          });
          stream.stderr.on('data', () => {});
          stream.on('exit', (c: number | null) => {
            code = c;
          });
          stream.on('error', () => {});
          stream.on('close', () => {
            let response: AgentResponse | null = null;
            try {
              response = agentResponseSchema.parse(JSON.parse(stdout.split('\n')[0] ?? '')) as AgentResponse;
            } catch {}
            resolve({ response, stdout, code });
          });
          stream.end(input);
        });
      });
    }

    const line = (o: unknown) => `${JSON.stringify(o)}\n`;

    it('refuses a server whose host key is not the pinned one, before authenticating', async () => {
      const accepted = (sshd.log().match(/Accepted publickey/g) ?? []).length;
      const agent = sshWebAgent(
        {
          kind: 'ssh',
          host: sshd.host,
          port: sshd.port,
          username: sshd.username,
          hostKeySha256: hostKeyFingerprint(randomBytes(51)),
        },
        sshd.privateKeyPem,
      );
      try {
        const err = await agent.putChallenge('pinned-key-test', 'pinned-key-test.x').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WebAgentError);
        expect((err as WebAgentError).code).toBe('HOST_KEY_MISMATCH');
        expect((err as Error).message).toContain('host key does not match the pinned key');
        expect((err as Error).message).toContain(`SHA256:${sshd.hostKeySha256}`);
      } finally {
        await agent.close();
      }
      expect(fs.existsSync(path.join(apache.challengeDir, 'pinned-key-test'))).toBe(false);
      expect((sshd.log().match(/Accepted publickey/g) ?? []).length).toBe(accepted);
    });

    it('refuses an archive larger than the helper accepts, and stops sending it', async () => {
      const big = writeArchive('big.zip', randomBytes(MAX_ARCHIVE_BYTES + 1));
      const docroot = path.join(apache.docrootBase, 'big');
      const err = await agents.ssh.deploy(big, 'zip', docroot).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WebAgentError);
      expect((err as WebAgentError).code).toBe('BAD_REQUEST');
      expect((err as Error).message).toContain('larger than this server accepts');
      expect(fs.existsSync(docroot)).toBe(false);
      expect(fs.readdirSync(helperTmp)).toEqual([]);
      // The connection is still usable afterwards.
      const token = `after_${randomBytes(4).toString('hex')}`;
      await agents.ssh.putChallenge(token, `${token}.x`);
      await agents.ssh.removeChallenge(token);
    });

    it('runs only the helper, whatever command the client asks for', { timeout: 120_000 }, async () => {
      const marker = path.join(scratch, 'marker-cmd');
      const victim = path.join(scratch, 'victim');
      fs.mkdirSync(victim);
      fs.writeFileSync(path.join(victim, 'keep'), 'x');
      const commands = [`touch ${marker}`, 'id', `rm -rf ${victim}`, `sh -c 'touch ${marker}'`, ''];
      const results = await inBatches(commands, 6, (command) => rawExec(command, ''));
      for (const r of results) {
        expect(r.code).toBe(1);
        expect(r.response).toEqual({
          ok: false,
          error: expect.objectContaining({
            name: 'WebAgentError',
            code: 'BAD_REQUEST',
            message: 'no request (empty input)',
          }),
        });
        expect(r.stdout).not.toContain('uid=');
      }
      // With a valid request on stdin the helper runs it — the command asked for is still ignored.
      const token = `cmd_${randomBytes(4).toString('hex')}`;
      const r = await rawExec(`touch ${marker}`, line({ op: 'putChallenge', token, content: `${token}.x` }));
      expect(r.response).toEqual({ ok: true, result: null });
      expect(r.code).toBe(0);
      expect(fs.readFileSync(path.join(apache.challengeDir, token), 'utf8')).toBe(`${token}.x`);
      expect((await rawExec(AGENT_COMMAND, line({ op: 'removeChallenge', token }))).response).toEqual({
        ok: true,
        result: null,
      });
      expect(fs.existsSync(marker)).toBe(false);
      expect(fs.existsSync(path.join(victim, 'keep'))).toBe(true);
    });

    it('refuses hostile raw requests with ok:false and writes nothing', { timeout: 180_000 }, async () => {
      // A real site, so that hostile requests have something to damage.
      const victimHost = `victim.${ZONE}`;
      const victimDocroot = path.join(apache.docrootBase, 'victim');
      expect(
        await agents.ssh.installSite({
          hostname: victimHost,
          aliases: [],
          ip: null,
          docroot: victimDocroot,
          tls: false,
          maintenance: false,
        }),
      ).toBe('created');
      const before = snapshot([
        apache.sitesDir,
        apache.docrootBase,
        apache.challengeDir,
        apache.certDir,
        helperTmp,
      ]);
      const marker = path.join(scratch, 'pwned');
      const base = apache.docrootBase;
      const site = (o: Partial<WebSiteSpec>) => ({
        op: 'installSite',
        spec: {
          hostname: `ok.${ZONE}`,
          aliases: [],
          ip: null,
          docroot: `${base}/ok`,
          tls: false,
          maintenance: false,
          ...o,
        },
      });
      const cases: { label: string; input: Buffer | string; name: string; field?: string }[] = [
        {
          label: 'newline in hostname',
          input: line(site({ hostname: `evil.${ZONE}\nAlias /leak /etc` })),
          name: 'UnsafeValueError',
          field: 'hostname',
        },
        {
          label: 'newline in alias',
          input: line(site({ aliases: [`a.${ZONE}\nAlias /leak /etc`] })),
          name: 'UnsafeValueError',
          field: 'aliases[0]',
        },
        {
          label: 'quote in hostname',
          input: line(site({ hostname: `ev"il.${ZONE}` })),
          name: 'UnsafeValueError',
          field: 'hostname',
        },
        {
          label: '../ in docroot',
          input: line(site({ docroot: `${base}/../../etc` })),
          name: 'UnsafeValueError',
          field: 'docroot',
        },
        {
          label: '../ inside docroot',
          input: line(site({ docroot: `${base}/ok/../../x` })),
          name: 'UnsafeValueError',
          field: 'docroot',
        },
        {
          label: 'docroot outside docrootBase',
          input: line(site({ docroot: '/etc/apache2' })),
          name: 'UnsafeValueError',
          field: 'docroot',
        },
        {
          label: 'docroot is docrootBase',
          input: line(site({ docroot: base })),
          name: 'UnsafeValueError',
          field: 'docroot',
        },
        {
          label: 'newline in docroot',
          input: line(site({ docroot: `${base}/x\nAlias /leak /etc` })),
          name: 'UnsafeValueError',
          field: 'docroot',
        },
        {
          label: 'hostile ip',
          input: line(site({ ip: '127.0.0.1:80>\n<VirtualHost *' })),
          name: 'UnsafeValueError',
          field: 'ip',
        },
        {
          label: '$(…) token',
          input: line({ op: 'putChallenge', token: `$(touch ${marker})`, content: 'x' }),
          name: 'UnsafeValueError',
          field: 'token',
        },
        {
          label: '../ token',
          input: line({ op: 'putChallenge', token: '../sites/evil.conf', content: 'x' }),
          name: 'UnsafeValueError',
          field: 'token',
        },
        {
          label: 'newline in content',
          input: line({ op: 'putChallenge', token: 'tok', content: 'a\nAlias /leak /etc' }),
          name: 'UnsafeValueError',
          field: 'content',
        },
        {
          label: '../ token on remove',
          input: line({ op: 'removeChallenge', token: `../sites/${victimHost}.conf` }),
          name: 'UnsafeValueError',
          field: 'token',
        },
        {
          label: 'remove with ../ docroot',
          input: line({ op: 'removeSite', hostname: victimHost, docroot: `${base}/..`, removeDocroot: true }),
          name: 'UnsafeValueError',
          field: 'docroot',
        },
        {
          label: 'remove outside docrootBase',
          input: line({ op: 'removeSite', hostname: victimHost, docroot: '/etc', removeDocroot: true }),
          name: 'UnsafeValueError',
          field: 'docroot',
        },
        {
          label: 'remove with wildcard host',
          input: line({ op: 'removeSite', hostname: '*', removeDocroot: false }),
          name: 'UnsafeValueError',
          field: 'hostname',
        },
        {
          label: 'certificate junk',
          input: line({
            op: 'installCertificate',
            hostname: victimHost,
            cert: 'SSLEngine off\nAlias /leak /etc',
            key: 'x',
          }),
          name: 'UnsafeValueError',
          field: 'cert',
        },
        {
          label: 'certificate for ../ host',
          input: line({ op: 'installCertificate', hostname: '../../sites', cert: 'x', key: 'x' }),
          name: 'UnsafeValueError',
          field: 'hostname',
        },
        {
          label: 'deploy larger than the limit',
          input: `${line({ op: 'deploy', kind: 'zip', docroot: `${base}/victim`, size: MAX_ARCHIVE_BYTES + 1 })}PK`,
          name: 'WebAgentError',
        },
        {
          label: 'deploy outside docrootBase',
          input: `${line({ op: 'deploy', kind: 'zip', docroot: '/etc/loket', size: 2 })}PK`,
          name: 'UnsafeValueError',
          field: 'docroot',
        },
        {
          label: 'deploy with ../ docroot',
          input: `${line({ op: 'deploy', kind: 'targz', docroot: `${base}/../x`, size: 2 })}xx`,
          name: 'UnsafeValueError',
          field: 'docroot',
        },
        {
          label: 'deploy shorter than announced',
          input: `${line({ op: 'deploy', kind: 'zip', docroot: `${base}/victim`, size: 100 })}PK`,
          name: 'WebAgentError',
        },
        {
          label: 'deploy longer than announced',
          input: `${line({ op: 'deploy', kind: 'zip', docroot: `${base}/victim`, size: 1 })}PKPK`,
          name: 'WebAgentError',
        },
        {
          label: 'deploy with a hostile kind',
          input: `${line({ op: 'deploy', kind: 'tar; rm -rf /', docroot: `${base}/victim`, size: 0 })}`,
          name: 'WebAgentError',
        },
        {
          label: '2 MiB JSON line',
          input: line({ op: 'putChallenge', token: 'a'.repeat(2 * 1024 * 1024), content: 'x' }),
          name: 'WebAgentError',
        },
        { label: 'non-JSON', input: 'rm -rf /\n', name: 'WebAgentError' },
        {
          label: 'JSON without a newline',
          input: JSON.stringify({ op: 'removeChallenge', token: 'abc' }),
          name: 'WebAgentError',
        },
        { label: 'invalid UTF-8', input: Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), name: 'WebAgentError' },
        {
          label: 'unknown op',
          input: line({ op: 'runCommand', command: `touch ${marker}` }),
          name: 'WebAgentError',
        },
        {
          label: 'extra key (a config of its own)',
          input: line({ op: 'removeChallenge', token: 'abc', config: '/tmp/evil.json' }),
          name: 'WebAgentError',
        },
        { label: 'array', input: line([{ op: 'removeChallenge', token: 'abc' }]), name: 'WebAgentError' },
      ];
      // Several at once (each exec starts a helper process): sshd allows 10 sessions per connection.
      const results = await inBatches(cases, 6, (c) => rawExec(AGENT_COMMAND, c.input));
      for (const [i, c] of cases.entries()) {
        const r = results[i] as Awaited<ReturnType<typeof rawExec>>;
        expect.soft(r.response?.ok, c.label).toBe(false);
        expect.soft(r.code, c.label).toBe(1);
        if (r.response && !r.response.ok) {
          expect.soft(r.response.error.name, `${c.label}: ${r.response.error.message}`).toBe(c.name);
          if (c.field) expect.soft(r.response.error.field, c.label).toBe(c.field);
          if (c.name === 'WebAgentError') expect.soft(r.response.error.code, c.label).toBe('BAD_REQUEST');
        }
      }
      expect(
        snapshot([apache.sitesDir, apache.docrootBase, apache.challengeDir, apache.certDir, helperTmp]),
      ).toEqual(before);
      expect(fs.readdirSync(helperTmp)).toEqual([]);
      expect(fs.existsSync(marker)).toBe(false);
      expect(fs.existsSync('/etc/loket')).toBe(false);
      expect((await fetchHttp(apache.httpPort, victimHost, '/leak/hostname')).status).not.toBe(200);
      expect(await agents.ssh.removeSite(victimHost, { removeDocroot: true })).toBe('removed');
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Hostile values never leave the client: refused before any connection or file.

const HOSTILE_NAMES = [
  `evil.${ZONE}\nAlias /leak /etc`,
  `evil.${ZONE}\r\n`,
  `a b.${ZONE}`,
  `$(touch /tmp/pwned).${ZONE}`,
  `\`id\`.${ZONE}`,
  `a;id.${ZONE}`,
  `it's.${ZONE}`,
  `"quoted".${ZONE}`,
  `../../etc/passwd`,
  `..`,
  `dinkës.${ZONE}`,
  `dinkes\u3002${ZONE}`,
  `dinkes.${ZONE}\u2028`,
  `nul\u0000.${ZONE}`,
  `*.${ZONE}`,
  `UPPER.${ZONE}`,
  '',
];

describe('hostile values are refused before anything is touched', () => {
  let dir: string;
  let host: ApacheHost;
  let listener: net.Server;
  let connections = 0;
  let ssh: WebAgent;
  let local: WebAgent;
  let archive: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-agent-hostile-'));
    // Nothing exists below `dir`: any directory or file an agent created would show.
    host = {
      configFile: path.join(dir, 'srv', 'httpd.conf'),
      sitesDir: path.join(dir, 'srv', 'sites'),
      docrootBase: path.join(dir, 'srv', 'www'),
      challengeDir: path.join(dir, 'srv', 'acme'),
      certDir: path.join(dir, 'srv', 'certs'),
      listenAddress: '*',
      httpPort: 1,
      httpsPort: 2,
      binary: path.join(dir, 'no-apache'),
    };
    archive = path.join(os.tmpdir(), `loket-agent-hostile-${randomBytes(4).toString('hex')}.zip`);
    fs.writeFileSync(archive, zipArchive([{ name: 'index.html', data: 'x' }]));
    listener = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
    const { port } = listener.address() as net.AddressInfo;
    ssh = sshWebAgent(
      {
        kind: 'ssh',
        host: '127.0.0.1',
        port,
        username: 'loket',
        hostKeySha256: hostKeyFingerprint(randomBytes(32)),
      },
      // Any valid key: no connection is ever made.
      validEd25519Key(),
    );
    local = localWebAgent(host, LIMITS);
  });

  afterAll(async () => {
    await ssh?.close();
    await local?.close();
    await new Promise<void>((resolve) => listener?.close(() => resolve()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (archive) fs.rmSync(archive, { force: true });
  });

  const okSpec = (base: string): WebSiteSpec => ({
    hostname: `ok.${ZONE}`,
    aliases: [],
    ip: null,
    docroot: `${base}/ok`,
    tls: false,
    maintenance: false,
  });

  /** Every operation with one hostile value in one place. */
  function attempts(agent: WebAgent, base: string): [string, () => Promise<unknown>][] {
    const list: [string, () => Promise<unknown>][] = [];
    const hostilePaths = [
      `${base}/../etc`,
      `${base}/a/../../etc`,
      `${base}/x\nAlias /leak /etc`,
      `${base}/a b`,
      `${base}/$(touch x)`,
      `${base}/a"b`,
      `${base}/it's`,
      `${base}/dinkës`,
      `${base}//x`,
      `${base}/x/`,
      'relative/www/x',
      '',
    ];
    const hostileTokens = ['a/b', '../x', '$(id)', 'a b', 'a\nb', 'tökén', "a'b", ''];
    for (const n of HOSTILE_NAMES) {
      list.push([
        `installSite hostname ${JSON.stringify(n)}`,
        () => agent.installSite({ ...okSpec(base), hostname: n }),
      ]);
      list.push([
        `installSite alias ${JSON.stringify(n)}`,
        () => agent.installSite({ ...okSpec(base), aliases: [n] }),
      ]);
      list.push([`removeSite ${JSON.stringify(n)}`, () => agent.removeSite(n, { removeDocroot: true })]);
      list.push([
        `installCertificate ${JSON.stringify(n)}`,
        () => agent.installCertificate(n, { cert: 'x', key: 'y' }),
      ]);
    }
    for (const p of hostilePaths) {
      list.push([
        `installSite docroot ${JSON.stringify(p)}`,
        () => agent.installSite({ ...okSpec(base), docroot: p }),
      ]);
      list.push([
        `removeSite docroot ${JSON.stringify(p)}`,
        () => agent.removeSite(`ok.${ZONE}`, { docroot: p, removeDocroot: true }),
      ]);
      list.push([`deploy docroot ${JSON.stringify(p)}`, () => agent.deploy(archive, 'zip', p)]);
    }
    for (const t of hostileTokens) {
      list.push([`putChallenge token ${JSON.stringify(t)}`, () => agent.putChallenge(t, 'abc.def')]);
      list.push([`removeChallenge token ${JSON.stringify(t)}`, () => agent.removeChallenge(t)]);
    }
    for (const c of ['a\nb', '$(id)', 'a b', "'", '"', 'ü', '']) {
      list.push([`putChallenge content ${JSON.stringify(c)}`, () => agent.putChallenge('token', c)]);
    }
    for (const ip of ['127.0.0.1\n', '127.0.0.1; id', 'localhost', '127.0.0.1:80', '::1]']) {
      list.push([`installSite ip ${JSON.stringify(ip)}`, () => agent.installSite({ ...okSpec(base), ip })]);
    }
    list.push([
      'installSite tls "yes"',
      () => agent.installSite({ ...okSpec(base), tls: 'yes' as unknown as boolean }),
    ]);
    list.push([
      'removeSite removeDocroot "true"',
      () => agent.removeSite(`ok.${ZONE}`, { removeDocroot: 'true' as unknown as boolean }),
    ]);
    list.push(['deploy kind', () => agent.deploy(archive, 'tar; rm -rf /' as 'zip', `${base}/ok`)]);
    list.push(['deploy relative archive', () => agent.deploy('archive.zip', 'zip', `${base}/ok`)]);
    list.push([
      'installCertificate with text around the PEM',
      () =>
        agent.installCertificate(`ok.${ZONE}`, {
          cert: 'SSLEngine off\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
          key: 'x',
        }),
    ]);
    return list;
  }

  it('through sshWebAgent: UnsafeValueError, and no connection was made', async () => {
    // The client does not know the server's docrootBase: paths must be plain and absolute; the
    // helper checks the base (see the raw requests above).
    for (const [label, attempt] of attempts(ssh, '/srv/www')) {
      const err = await attempt().catch((e: unknown) => e);
      expect.soft(err, label).toBeInstanceOf(UnsafeValueError);
    }
    expect(connections).toBe(0);
  });

  it('through localWebAgent: UnsafeValueError, and no file or directory was made', async () => {
    const outside = [`${host.docrootBase}-other/x`, '/etc/x', host.docrootBase];
    const list = [
      ...attempts(local, host.docrootBase),
      ...outside.map((p): [string, () => Promise<unknown>] => [
        `deploy outside ${p}`,
        () => local.deploy(archive, 'zip', p),
      ]),
      ...outside.map((p): [string, () => Promise<unknown>] => [
        `installSite outside ${p}`,
        () => local.installSite({ ...okSpec(host.docrootBase), docroot: p }),
      ]),
    ];
    for (const [label, attempt] of list) {
      const err = await attempt().catch((e: unknown) => e);
      expect.soft(err, label).toBeInstanceOf(UnsafeValueError);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses bad ssh access settings and keys at once', () => {
    const key = validEd25519Key();
    const good = {
      kind: 'ssh' as const,
      host: '127.0.0.1',
      port: 22,
      username: 'loket',
      hostKeySha256: hostKeyFingerprint(Buffer.from('k')),
    };
    expect(() => sshWebAgent({ ...good, host: 'server.example' }, key)).toThrow(UnsafeValueError);
    expect(() => sshWebAgent({ ...good, host: '127.0.0.1; id' }, key)).toThrow(UnsafeValueError);
    expect(() => sshWebAgent({ ...good, port: 0 }, key)).toThrow(UnsafeValueError);
    expect(() => sshWebAgent({ ...good, username: 'root\nx' }, key)).toThrow(UnsafeValueError);
    expect(() => sshWebAgent({ ...good, hostKeySha256: 'SHA256:abc' }, key)).toThrow(UnsafeValueError);
    expect(() => sshWebAgent(good, 'not a key')).toThrow(WebAgentError);
    const encrypted = ssh2.utils.generateKeyPairSync('ed25519', {
      passphrase: 'secret',
      cipher: 'aes256-ctr',
      rounds: 16,
    }).private;
    expect(() => sshWebAgent(good, encrypted)).toThrow(WebAgentError);
  });

  it('webAgentFor: ssh without a stored key is refused', async () => {
    const access = {
      kind: 'ssh' as const,
      host: '127.0.0.1',
      port: 22,
      username: 'loket',
      hostKeySha256: hostKeyFingerprint(Buffer.from('k')),
    };
    await expect(webAgentFor(access, {}, { apache: host, limits: LIMITS })).rejects.toThrow(WebAgentError);
    expect(connections).toBe(0);
  });

  it('webAgentFor: local access without the installation enabling it is refused', async () => {
    const err = await webAgentFor({ kind: 'local' }, {}, undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAgentError);
    expect((err as WebAgentError).code).toBe('LOCAL_DISABLED');
    expect(connections).toBe(0);
  });
});
