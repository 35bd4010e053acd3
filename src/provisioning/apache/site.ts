// The Apache adapter: runs ON the web server (in-process for `local` access, inside the fixed helper for
// `ssh`). It writes one file per site into sitesDir, checks the whole configuration with `apache2 -t`,
// reloads with `apache2 -k graceful`, and puts the previous file back if anything fails.
//
// What the main config (configFile) must provide — test/servers/apache.ts writes one for tests:
//   - `Listen` for httpPort and httpsPort (and for every dedicated IP, unless it listens on all addresses);
//   - modules: mpm, authz_core, dir, mime, alias, headers, ssl, socache_shmcb;
//   - `<Directory />` denying everything; `Alias /.well-known/acme-challenge/ <challengeDir>/` with a
//     `<Directory <challengeDir>>` granting access (server level: every vhost inherits it);
//   - catch-all default vhosts FIRST, for `<listenAddress>:<httpPort>` and `<listenAddress>:<httpsPort>`
//     (the latter with a throw-away certificate), that deny (403) — so a name Loket does not serve,
//     or a removed site, never lands on some other site;
//   - then `IncludeOptional <sitesDir>/*.conf`.
// On Debian with /etc/apache2/apache2.conf the APACHE_* variables come from the `envvars` file next to
// the config (simple `export APACHE_…=value` lines are read; nothing is run through a shell).
//
// Safety rules kept here:
//   - every argument is validated FIRST (vhost.ts validateSite / validateHostFacts, and the checks below)
//     — before any file, directory or process is touched; config text is built only from those values;
//   - one site's change never takes the others down: `-t` before `-k graceful`; on failure the previous
//     file is restored (or the new one removed) and the server reloaded again; a graceful reload with a
//     broken configuration is refused by apache2 and the running configuration keeps serving;
//   - certificates are checked (PEM, key matches the certificate, key not encrypted) before they are
//     installed and before a TLS vhost is written: `apache2 -t` does not read certificates, and a
//     graceful reload with a mismatched pair STOPS Apache (AH02565, "Configuration Failed, exiting");
//   - a name already served by another site file is refused (it would take that site's traffic);
//   - directories are created without following symbolic links; a document root is removed only below
//     docrootBase, never through a symbolic link, and never while another site still uses it;
//   - changes are serialised by a lock file in sitesDir (several helper processes may run at once);
//   - resumable: `<hostname>.conf.loket-prev` holds the last live version while a change is under way
//     (empty = there was no file); a run that finds it finishes or reverts the interrupted change.
//     After a reload the server is asked (HTTP on loopback, header X-Loket-Config) whether it now
//     serves the new file, so 'unchanged' also means "the server runs this file".

import { execFile } from 'node:child_process';
import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import tls from 'node:tls';
import { assertSafeHostname, assertSafePath, UnsafeValueError } from '../types.ts';
import {
  ACME_PATH,
  CONFIG_TAG_HEADER,
  certPathsOf,
  configTagOf,
  docrootOf,
  namesOf,
  renderVhost,
  siteFileOf,
  validateHostFacts,
  validateSite,
  vhostAddressOfConfig,
} from './vhost.ts';

export type ApacheHost = {
  /** The main config file passed as `apache2 -f`. */
  configFile: string;
  /** Where one file per site lives: <sitesDir>/<hostname>.conf (and <hostname>.conf.loket-prev while changing). */
  sitesDir: string;
  /** Document roots must lie below this. */
  docrootBase: string;
  /** Shared http-01 challenge directory served at /.well-known/acme-challenge/ for every vhost. */
  challengeDir: string;
  /** Certificates: <certDir>/<hostname>/{fullchain.pem,privkey.pem} (0600 key). */
  certDir: string;
  /** Where the vhosts listen: '*' or an IP; plus the ports. */
  listenAddress: string;
  httpPort: number;
  httpsPort: number;
  /** The apache2 binary, default '/usr/sbin/apache2'. */
  binary?: string;
};

export type SiteSpec = {
  hostname: string;
  aliases: string[];
  /** null: name-based on the shared address; an IP: a dedicated-IP vhost (<VirtualHost ip:port>). */
  ip: string | null;
  docroot: string;
  /** Serve HTTPS with the installed certificate (and redirect HTTP to HTTPS except the ACME path). */
  tls: boolean;
  /** Show the maintenance page instead of the site (suspension). */
  maintenance: boolean;
};

/** A failure of apache2 (configtest, reload) or of the server's state; `output` is apache's own text. */
export class ApacheError extends Error {
  output: string;
  constructor(message: string, output = '') {
    super(message);
    this.name = 'ApacheError';
    this.output = output;
  }
}

const DEFAULT_BINARY = '/usr/sbin/apache2';
const PREV_SUFFIX = '.loket-prev';
const LOCK_NAME = '.loket.lock';
const LOCK_WAIT_MS = 120_000;
/** How long to wait for the server to answer with a reloaded configuration. */
const LIVE_WAIT_MS = 15_000;
const TOKEN_RE = /^[A-Za-z0-9_-]{1,256}$/;
/** http-01 content is the key authorization `<token>.<base64url thumbprint>`. */
const CHALLENGE_CONTENT_RE = /^[A-Za-z0-9_.-]{1,1024}$/;
const MAX_CERT_CHARS = 64 * 1024;
const MAX_KEY_CHARS = 16 * 1024;

// ---------------------------------------------------------------------------------------------------
// Public API

/** The file the site's config lives in and the text it would have, for the plan. */
export function describeSite(h: ApacheHost, s: SiteSpec): { file: string; config: string } {
  const v = validateSite(h, s);
  return { file: siteFileOf(h, v.hostname), config: renderVhost(v) };
}

/**
 * Writes/replaces the site's vhost, creating the docroot (0755, never following a symlink), runs
 * `apache2 -t`, graceful reload; on any failure restores the previous file (or removes the new one),
 * reloads again, and throws ApacheError with apache's message. Idempotent: same spec → 'unchanged'
 * without reload.
 */
export async function installSite(h: ApacheHost, s: SiteSpec): Promise<'created' | 'changed' | 'unchanged'> {
  const v = validateSite(h, s);
  const file = siteFileOf(h, v.hostname);
  const config = renderVhost(v);
  const tag = configTagOf(config);
  const probeAddress = v.ip ?? defaultProbeAddress(h);
  return withLock(h, async () => {
    await recoverCertificates(h);
    await assertNamesFree(h, v.hostname, [v.hostname, ...v.aliases]);
    if (v.tls) await assertInstalledPair(h, v.hostname);
    await ensureDirectoryBelow(h.docrootBase, v.docroot);

    const prevFile = file + PREV_SUFFIX;
    const current = await readTextOrNull(file);
    const prev = await readTextOrNull(prevFile);
    if (current === config && prev === null) {
      const live = await probe(h, probeAddress, v.hostname);
      if (!live.reachable || live.value === tag) return 'unchanged';
      // The file is right but the server does not run it (e.g. a job killed between write and reload).
    }
    const before = await probe(h, probeAddress, v.hostname);
    const existedBefore = prev !== null ? prev.length > 0 : current !== null;
    // The last live version stays the restore point across interrupted runs.
    if (prev === null) await writeAtomic(prevFile, current ?? '', 0o644);
    await writeAtomic(file, config, 0o644);
    await testAndReload(h, file, prevFile);
    await fs.rm(prevFile, { force: true });
    await waitUntilServed(
      `${CONFIG_TAG_HEADER} for ${v.hostname}`,
      before.reachable,
      () => probe(h, probeAddress, v.hostname),
      (t) => t === tag,
    );
    return existedBefore ? 'changed' : 'created';
  });
}

/**
 * Removes the vhost (configtest + reload), the cert dir, and — when removeDocroot — the document root
 * (only if it is below docrootBase and not a symlink). Without opts.docroot the DocumentRoot of the
 * site file is used.
 */
export async function removeSite(
  h: ApacheHost,
  hostname: string,
  opts: { docroot?: string; removeDocroot: boolean },
): Promise<'removed' | 'absent'> {
  validateHostFacts(h);
  assertSafeHostname('hostname', hostname);
  if (opts === null || typeof opts !== 'object' || typeof opts.removeDocroot !== 'boolean') {
    throw new UnsafeValueError('opts.removeDocroot', 'not true or false');
  }
  if (opts.docroot !== undefined) assertSafePath('docroot', opts.docroot, h.docrootBase);
  return withLock(h, async () => {
    await recoverCertificates(h);
    const file = siteFileOf(h, hostname);
    const prevFile = file + PREV_SUFFIX;
    const current = await readTextOrNull(file);
    const prev = await readTextOrNull(prevFile);
    const known = current ?? (prev !== null && prev.length > 0 ? prev : null);

    let docroot: string | null = null;
    if (opts.removeDocroot) {
      docroot = opts.docroot ?? (known !== null ? docrootOf(known) : null);
      if (docroot !== null) {
        assertSafePath('docroot', docroot, h.docrootBase);
        await assertNoSymlinkBelow(h.docrootBase, docroot);
        await assertDocrootUnused(h, hostname, docroot);
      }
    }

    let result: 'removed' | 'absent' = 'absent';
    if (current !== null || prev !== null) {
      const ipInFile = known !== null ? vhostAddressOfConfig(known) : null;
      const probeAddress = ipInFile !== null && ipInFile !== '*' ? ipInFile : defaultProbeAddress(h);
      const before = await probe(h, probeAddress, hostname);
      if (prev === null) await writeAtomic(prevFile, current ?? '', 0o644);
      await fs.rm(file, { force: true });
      await testAndReload(h, file, prevFile);
      await fs.rm(prevFile, { force: true });
      await waitUntilServed(
        `${CONFIG_TAG_HEADER} for ${hostname}`,
        before.reachable,
        () => probe(h, probeAddress, hostname),
        (t) => t === null,
      );
      result = known !== null ? 'removed' : 'absent';
    }

    const { dir } = certPathsOf(h, hostname);
    await fs.rm(dir, { recursive: true, force: true });
    if (docroot !== null && (await lstatOrNull(docroot)) !== null) {
      await fs.rm(docroot, { recursive: true, force: true });
    }
    return result;
  });
}

/**
 * Writes the certificate pair for a host (key 0600) atomically. Refuses (UnsafeValueError) anything
 * but PEM certificates plus an unencrypted PEM private key that matches the first certificate. When the
 * host's vhost already uses the certificate, the server is reloaded so it serves the new one.
 */
export async function installCertificate(
  h: ApacheHost,
  hostname: string,
  pem: { cert: string; key: string },
): Promise<void> {
  validateHostFacts(h);
  assertSafeHostname('hostname', hostname);
  if (pem === null || typeof pem !== 'object') throw new UnsafeValueError('pem', 'missing');
  const pair = checkPemPair(pem.cert, pem.key);
  await withLock(h, async () => {
    await recoverCertificates(h);
    const { dir, certFile, keyFile } = certPathsOf(h, hostname);
    await fs.mkdir(h.certDir, { recursive: true, mode: 0o755 });
    await ensureOwnDirectory(dir, 0o700);
    const [oldCert, oldKey] = await Promise.all([readTextOrNull(certFile), readTextOrNull(keyFile)]);
    if (oldCert !== pair.cert || oldKey !== pair.key) {
      // Both new files are complete before either is renamed into place; recoverCertificates()
      // finishes (or drops) the pair when a run is killed between the renames, so Apache never loads
      // a mixed pair.
      await writeAtomic(`${keyFile}.loket-new`, pair.key, 0o600, false);
      await writeAtomic(`${certFile}.loket-new`, pair.cert, 0o644, false);
      await fs.rename(`${keyFile}.loket-new`, keyFile);
      await fs.rename(`${certFile}.loket-new`, certFile);
    }
    // A vhost that uses the certificate serves it after a reload (also when an earlier run was killed
    // between writing and reloading: the server is asked which certificate it serves).
    const site = await readTextOrNull(siteFileOf(h, hostname));
    if (!site?.includes(`SSLCertificateFile ${certFile}\n`)) return;
    const inFile = vhostAddressOfConfig(site);
    const address = inFile !== null && inFile !== '*' ? inFile : defaultProbeAddress(h);
    const look = () => probeTls(h, address, hostname);
    const before = await look();
    if (before.reachable && before.value === pair.fingerprint256) return;
    await runApache(h, ['-t']);
    await runApache(h, ['-k', 'graceful']);
    await waitUntilServed(
      `certificate for ${hostname}`,
      before.reachable,
      look,
      (f) => f === pair.fingerprint256,
    );
  });
}

/** http-01 challenge files in the shared challenge dir. token must match ^[A-Za-z0-9_-]{1,256}$. */
export async function putChallenge(h: ApacheHost, token: string, content: string): Promise<void> {
  validateHostFacts(h);
  if (typeof token !== 'string' || !TOKEN_RE.test(token))
    throw new UnsafeValueError('token', 'not an ACME token');
  if (typeof content !== 'string' || !CHALLENGE_CONTENT_RE.test(content)) {
    throw new UnsafeValueError('content', 'not an ACME key authorization (A–Z a–z 0–9 _ - ., 1–1024)');
  }
  await fs.mkdir(h.challengeDir, { recursive: true, mode: 0o755 });
  await writeAtomic(path.join(h.challengeDir, token), content, 0o644);
}

export async function removeChallenge(h: ApacheHost, token: string): Promise<void> {
  validateHostFacts(h);
  if (typeof token !== 'string' || !TOKEN_RE.test(token))
    throw new UnsafeValueError('token', 'not an ACME token');
  await fs.rm(path.join(h.challengeDir, token), { force: true });
}

// ---------------------------------------------------------------------------------------------------
// apache2

function binaryOf(h: ApacheHost): string {
  return h.binary ?? DEFAULT_BINARY;
}

/**
 * The environment apache2 runs with: a fixed PATH and LANG, plus — for Debian's own config — the
 * `export APACHE_…=value` lines of the envvars file next to the config file (values limited to
 * path characters; `$SUFFIX` is the empty suffix of the default instance). Nothing is run by a shell.
 */
function apacheEnv(h: ApacheHost): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' };
  let text: string;
  try {
    text = fsSync.readFileSync(path.join(path.dirname(h.configFile), 'envvars'), 'utf8');
  } catch {
    return env;
  }
  const line = /^export[ \t]+(APACHE_[A-Z_]+)=((?:[A-Za-z0-9_./-]|\$SUFFIX|\$\{SUFFIX\})*)[ \t]*$/gm;
  for (const m of text.matchAll(line)) {
    if (m[1]) env[m[1]] = (m[2] ?? '').replace(/\$\{?SUFFIX\}?/g, '');
  }
  return env;
}

function runApache(h: ApacheHost, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binaryOf(h),
      ['-f', h.configFile, ...args],
      { env: apacheEnv(h), timeout: 60_000, maxBuffer: 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const output = `${stderr ?? ''}${stdout ?? ''}`.trim();
        if (!err) return resolve(output);
        const first = output.split('\n').slice(0, 4).join(' ').trim() || err.message;
        reject(new ApacheError(`apache2 ${args.join(' ')} failed: ${first}`, output || err.message));
      },
    );
  });
}

/**
 * `apache2 -t`, then `-k graceful`. On failure: the previous file goes back (or the new one is removed),
 * the server is reloaded again (refused harmlessly if the configuration is broken elsewhere) and the
 * original ApacheError is thrown, its output extended with what the restore did.
 */
async function testAndReload(h: ApacheHost, file: string, prevFile: string): Promise<void> {
  try {
    await runApache(h, ['-t']);
    await runApache(h, ['-k', 'graceful']);
  } catch (e) {
    const note = await restore(h, file, prevFile);
    if (e instanceof ApacheError) {
      e.output = `${e.output}\n${note}`.trim();
      throw e;
    }
    throw new ApacheError(`${(e as Error).message} (${note})`, note);
  }
}

async function restore(h: ApacheHost, file: string, prevFile: string): Promise<string> {
  const prev = await readTextOrNull(prevFile);
  if (prev === null) return 'nothing to restore';
  if (prev.length === 0) {
    await fs.rm(file, { force: true });
    await fs.rm(prevFile, { force: true });
  } else {
    await fs.rename(prevFile, file);
  }
  try {
    await runApache(h, ['-k', 'graceful']);
    return 'previous configuration restored and reloaded';
  } catch (e) {
    return `previous configuration restored; reload refused, the running configuration keeps serving: ${
      e instanceof ApacheError ? e.output : String(e)
    }`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Is the server running the file? (HTTP on the vhost's own address, a path no site serves content on)

function defaultProbeAddress(h: ApacheHost): string {
  return h.listenAddress === '*' ? '127.0.0.1' : h.listenAddress;
}

/** What the server showed: reachable at all, and the value looked at (a tag, a fingerprint) or null. */
type Seen = { reachable: boolean; value: string | null };

/** HTTP: the X-Loket-Config tag of the vhost answering for `hostname` (null: none, i.e. no Loket site). */
function probe(h: ApacheHost, address: string, hostname: string): Promise<Seen> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: address,
        port: h.httpPort,
        method: 'GET',
        path: `${ACME_PATH}loket-probe`,
        headers: { Host: hostname, Connection: 'close' },
        agent: false,
        timeout: 5000,
      },
      (res) => {
        const v = res.headers[CONFIG_TAG_HEADER.toLowerCase()];
        res.resume();
        resolve({ reachable: true, value: typeof v === 'string' ? v : null });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ reachable: false, value: null }));
    req.end();
  });
}

/** TLS: the SHA-256 fingerprint of the certificate served for `hostname` (SNI) on the HTTPS port. */
function probeTls(h: ApacheHost, address: string, hostname: string): Promise<Seen> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: address,
      port: h.httpsPort,
      servername: hostname,
      rejectUnauthorized: false,
    });
    const done = (seen: Seen) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(seen);
    };
    const timer = setTimeout(() => done({ reachable: false, value: null }), 5000);
    socket.once('secureConnect', () =>
      done({ reachable: true, value: socket.getPeerX509Certificate()?.fingerprint256 ?? null }),
    );
    socket.once('error', () => done({ reachable: false, value: null }));
  });
}

/**
 * Waits until `look` shows what `ok` wants after a reload. A server that answered before the reload
 * and no longer does has stopped: that is an error. One that could not be asked before (no Listen on
 * that address) is not checked.
 */
async function waitUntilServed(
  what: string,
  reachableBefore: boolean,
  look: () => Promise<Seen>,
  ok: (value: string | null) => boolean,
): Promise<void> {
  if (!reachableBefore) return;
  const deadline = Date.now() + LIVE_WAIT_MS;
  let last: Seen;
  for (;;) {
    last = await look();
    if (last.reachable && ok(last.value)) return;
    if (Date.now() > deadline) break;
    await sleep(last.reachable ? 20 : 100);
  }
  if (!last.reachable) throw new ApacheError(`Apache no longer answers after the reload (${what})`);
  throw new ApacheError(
    `Apache accepted the configuration but does not serve it (${what}: ${last.value ?? 'none'})`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Names, document roots, certificates

/** Refuses names another site file already serves (any text in those files is tolerated). */
async function assertNamesFree(h: ApacheHost, hostname: string, names: string[]): Promise<void> {
  for (const entry of await readdirOrEmpty(h.sitesDir)) {
    if (!entry.endsWith('.conf') || entry === `${hostname}.conf`) continue;
    const text = await readTextOrNull(path.join(h.sitesDir, entry));
    if (text === null) continue;
    const taken = new Set(namesOf(text));
    const clash = names.find((n) => taken.has(n));
    if (clash !== undefined) {
      throw new ApacheError(`${clash} is already served by ${path.join(h.sitesDir, entry)}`);
    }
  }
}

/** Refuses to remove a document root that another site file uses, contains or lies in. */
async function assertDocrootUnused(h: ApacheHost, hostname: string, docroot: string): Promise<void> {
  for (const entry of await readdirOrEmpty(h.sitesDir)) {
    if (!entry.endsWith('.conf') || entry === `${hostname}.conf`) continue;
    const text = await readTextOrNull(path.join(h.sitesDir, entry));
    for (const m of (text ?? '').matchAll(/^[ \t]*DocumentRoot[ \t]+"?([^"\s]+)"?/gim)) {
      const other = m[1] ?? '';
      if (other === docroot || other.startsWith(`${docroot}/`) || docroot.startsWith(`${other}/`)) {
        throw new ApacheError(
          `the document root ${docroot} is still used by ${path.join(h.sitesDir, entry)}`,
        );
      }
    }
  }
}

/** Creates `dir` (0755) and every directory between base and it, refusing any symbolic link on the way. */
async function ensureDirectoryBelow(base: string, dir: string): Promise<void> {
  await fs.mkdir(base, { recursive: true, mode: 0o755 });
  let cur = base;
  for (const segment of dir.slice(base.length + 1).split('/')) {
    cur = `${cur}/${segment}`;
    let st = await lstatOrNull(cur);
    if (st === null) {
      try {
        await fs.mkdir(cur, { mode: 0o755 });
        await fs.chmod(cur, 0o755);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      st = await fs.lstat(cur);
    }
    if (st.isSymbolicLink()) throw new UnsafeValueError('docroot', `${cur} is a symbolic link`);
    if (!st.isDirectory()) throw new UnsafeValueError('docroot', `${cur} is not a directory`);
  }
}

/** Every existing path from base (exclusive) to target (inclusive) is a real directory, not a link. */
async function assertNoSymlinkBelow(base: string, target: string): Promise<void> {
  let cur = base;
  for (const segment of target.slice(base.length + 1).split('/')) {
    cur = `${cur}/${segment}`;
    const st = await lstatOrNull(cur);
    if (st === null) return;
    if (st.isSymbolicLink()) throw new UnsafeValueError('docroot', `${cur} is a symbolic link`);
    if (!st.isDirectory()) throw new UnsafeValueError('docroot', `${cur} is not a directory`);
  }
}

/** A directory of our own: created with `mode`, or an existing real directory (never a link). */
async function ensureOwnDirectory(dir: string, mode: number): Promise<void> {
  try {
    await fs.mkdir(dir, { mode });
    await fs.chmod(dir, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = await fs.lstat(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) throw new ApacheError(`${dir} is not a directory`);
}

type PemPair = { cert: string; key: string; fingerprint256: string };

const CERT_BLOCK_RE = /-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+?-----END CERTIFICATE-----/g;
const KEY_RE = /^-----BEGIN (RSA |EC )?PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+?-----END \1?PRIVATE KEY-----$/;

/**
 * PEM certificates (leaf first, at most 10) and one unencrypted PEM private key that belongs to the
 * leaf. Returns the normalised text to write (LF line ends, nothing but the PEM blocks).
 */
export function checkPemPair(certText: unknown, keyText: unknown): PemPair {
  if (typeof certText !== 'string' || certText.length === 0 || certText.length > MAX_CERT_CHARS) {
    throw new UnsafeValueError('cert', 'not a PEM certificate chain');
  }
  if (typeof keyText !== 'string' || keyText.length === 0 || keyText.length > MAX_KEY_CHARS) {
    throw new UnsafeValueError('key', 'not a PEM private key');
  }
  const certNorm = certText.replace(/\r\n/g, '\n');
  const blocks = certNorm.match(CERT_BLOCK_RE) ?? [];
  if (blocks.length === 0 || blocks.length > 10 || certNorm.replace(CERT_BLOCK_RE, '').trim() !== '') {
    throw new UnsafeValueError('cert', 'not only PEM certificates (1–10 blocks)');
  }
  const key = keyText.replace(/\r\n/g, '\n').trim();
  if (!KEY_RE.test(key)) throw new UnsafeValueError('key', 'not one unencrypted PEM private key');
  let leaf: X509Certificate;
  try {
    const certs = blocks.map((b) => new X509Certificate(b));
    leaf = certs[0] as X509Certificate;
  } catch {
    throw new UnsafeValueError('cert', 'a certificate does not parse');
  }
  let matches: boolean;
  try {
    matches = leaf.checkPrivateKey(createPrivateKey(key));
  } catch {
    throw new UnsafeValueError('key', 'the private key does not parse');
  }
  if (!matches) throw new UnsafeValueError('key', 'the private key does not belong to the certificate');
  return { cert: `${blocks.join('\n')}\n`, key: `${key}\n`, fingerprint256: leaf.fingerprint256 };
}

/** A TLS vhost may only be written when a valid, matching pair is installed for the host. */
async function assertInstalledPair(h: ApacheHost, hostname: string): Promise<void> {
  const { certFile, keyFile } = certPathsOf(h, hostname);
  const [cert, key] = await Promise.all([readTextOrNull(certFile), readTextOrNull(keyFile)]);
  if (cert === null || key === null) {
    throw new ApacheError(`no certificate installed for ${hostname} (${certFile}, ${keyFile})`);
  }
  try {
    checkPemPair(cert, key);
  } catch (e) {
    throw new ApacheError(`the installed certificate for ${hostname} is not usable: ${(e as Error).message}`);
  }
}

/**
 * Finishes or drops certificate pairs a killed installCertificate left as `*.loket-new`: the pair that
 * would result is used only when it is valid; otherwise the new files are removed (the old pair was
 * never touched, because both new files are complete before the first rename).
 */
async function recoverCertificates(h: ApacheHost): Promise<void> {
  for (const host of await readdirOrEmpty(h.certDir)) {
    const { dir, certFile, keyFile } = certPathsOf(h, host);
    const files = await readdirOrEmpty(dir);
    if (!files.some((f) => f.endsWith('.loket-new'))) continue;
    const newCert = await readTextOrNull(`${certFile}.loket-new`);
    const newKey = await readTextOrNull(`${keyFile}.loket-new`);
    const cert = newCert ?? (await readTextOrNull(certFile));
    const key = newKey ?? (await readTextOrNull(keyFile));
    let usable = false;
    try {
      if (cert !== null && key !== null) usable = checkPemPair(cert, key) !== null;
    } catch {
      usable = false;
    }
    if (usable) {
      if (newKey !== null) await fs.rename(`${keyFile}.loket-new`, keyFile);
      if (newCert !== null) await fs.rename(`${certFile}.loket-new`, certFile);
    } else {
      await fs.rm(`${keyFile}.loket-new`, { force: true });
      await fs.rm(`${certFile}.loket-new`, { force: true });
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Lock: one change at a time per sitesDir, across processes (pid in the lock file; a dead holder's
// lock is taken over) and within this process (a promise chain, so we never wait for ourselves).

const chains = new Map<string, Promise<void>>();

async function withLock<T>(h: ApacheHost, fn: () => Promise<T>): Promise<T> {
  await fs.mkdir(h.sitesDir, { recursive: true, mode: 0o755 });
  const lockFile = path.join(h.sitesDir, LOCK_NAME);
  const before = chains.get(lockFile) ?? Promise.resolve();
  let release = () => {};
  const mine = new Promise<void>((r) => {
    release = r;
  });
  const chained = before.then(() => mine);
  chains.set(lockFile, chained);
  await before;
  try {
    await acquireFileLock(lockFile);
    try {
      return await fn();
    } finally {
      await fs.rm(lockFile, { force: true });
    }
  } finally {
    release();
    if (chains.get(lockFile) === chained) chains.delete(lockFile);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function acquireFileLock(lockFile: string): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fh = await fs.open(lockFile, 'wx', 0o600);
      try {
        await fh.writeFile(`${process.pid}\n`);
      } finally {
        await fh.close();
      }
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const text = await readTextOrNull(lockFile);
    if (text !== null) {
      const pid = Number(text.trim());
      let stale: boolean;
      if (Number.isInteger(pid) && pid > 0) {
        // Our own pid: this process holds no lock on it (the chain above), so it is a leftover.
        stale = pid === process.pid || !pidAlive(pid);
      } else {
        const st = await lstatOrNull(lockFile);
        stale = st !== null && Date.now() - st.mtimeMs > 10_000; // a writer that died before writing its pid
      }
      if (stale && (await readTextOrNull(lockFile)) === text) {
        await fs.rm(lockFile, { force: true });
        continue;
      }
    }
    if (Date.now() > deadline) throw new ApacheError(`another change holds ${lockFile}`);
    await sleep(25);
  }
}

// ---------------------------------------------------------------------------------------------------
// Files

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function readTextOrNull(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
}

async function lstatOrNull(p: string): Promise<fsSync.Stats | null> {
  try {
    return await fs.lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Writes through a fresh temporary file (O_EXCL, so never through an existing link) and, unless
 * `rename` is false (the caller renames), renames it over `file` — a reader sees the old or the new
 * text, never a part.
 */
async function writeAtomic(file: string, data: string, mode: number, rename = true): Promise<void> {
  const tmp = rename ? `${file}.loket-tmp-${randomBytes(6).toString('hex')}` : file;
  if (!rename) await fs.rm(tmp, { force: true });
  const fh = await fs.open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.chmod(mode);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  if (rename) {
    try {
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }
}
