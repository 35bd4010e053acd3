// The Apache virtual host text for one website: validation of everything that reaches the file, then a
// pure rendering from the validated values only. No templating of unvalidated text, no free text from a
// user: every line below is either fixed text or built from a host name / path / address / port that
// passed the registry's rules (src/provisioning/types.ts) in validateSite().
//
// Shape of a site file (<sitesDir>/<hostname>.conf):
//   - an HTTP vhost (always): the site, or — with TLS — a 301 to HTTPS for everything except the ACME
//     http-01 path /.well-known/acme-challenge/ (served from the shared challenge directory by the
//     main config's Alias, which every vhost inherits);
//   - an HTTPS vhost when `tls`: the certificate from <certDir>/<hostname>/{fullchain.pem,privkey.pem};
//   - maintenance (suspension): the vhost that would show the site answers every request except the
//     ACME path with 503 and a fixed bilingual page. Done with mod_alias only: `RedirectMatch 503` with a
//     negative look-ahead for the ACME path, and `ErrorDocument 503 "<inline page>"` (a fixed ASCII
//     string, so no extra file and no recursion through an ErrorDocument URL that would itself be 503).
//   - `Header always set X-Loket-Config <tag>`: a short hash of the file's own text. site.ts asks the
//     server for it after a graceful reload to know the new configuration is the one answering.
// Modules the site files use: core, mod_alias, mod_headers, mod_authz_core, mod_ssl (TLS only).

import { createHash } from 'node:crypto';
import path from 'node:path';
import { formatIp, parseIp } from '../../registry/ip.ts';
import { assertSafeHostname, assertSafeIp, assertSafePath, UnsafeValueError } from '../types.ts';

/** The server-side facts the vhost text depends on (a subset of ApacheHost in site.ts). */
export type VhostHostFacts = {
  configFile: string;
  sitesDir: string;
  docrootBase: string;
  challengeDir: string;
  certDir: string;
  listenAddress: string;
  httpPort: number;
  httpsPort: number;
  binary?: string;
};

export type VhostSiteInput = {
  hostname: string;
  aliases: string[];
  ip: string | null;
  docroot: string;
  tls: boolean;
  maintenance: boolean;
};

declare const validated: unique symbol;

/** Values that passed validateSite(); the only input renderVhost() accepts. */
export type ValidatedSite = {
  readonly [validated]: true;
  readonly hostname: string;
  /** Distinct, without the host name itself, in the caller's order. */
  readonly aliases: readonly string[];
  /** The `<VirtualHost>` address part without the port: `*`, an IPv4 address or `[ipv6]`. */
  readonly vhostAddress: string;
  /** Canonical dedicated IP (or null for name-based). */
  readonly ip: string | null;
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly docroot: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly tls: boolean;
  readonly maintenance: boolean;
};

/** More aliases than this are refused (each is one `ServerAlias` line). */
export const MAX_ALIASES = 100;

/** The response header that carries the site file's tag. */
export const CONFIG_TAG_HEADER = 'X-Loket-Config';

/** The ACME http-01 path every vhost serves from the shared challenge directory. */
export const ACME_PATH = '/.well-known/acme-challenge/';

/**
 * The maintenance page (inline `ErrorDocument 503`). Fixed ASCII text — Apache sends inline error
 * documents as ISO-8859-1 — without double quotes (it sits inside a quoted directive argument).
 */
export const MAINTENANCE_PAGE =
  "<!doctype html><html lang='id'><head><title>Situs sedang dalam pemeliharaan / Site under maintenance</title>" +
  "<meta name='viewport' content='width=device-width'></head>" +
  "<body style='font-family:sans-serif;max-width:40em;margin:4em auto;padding:0 1em'>" +
  '<h1>Situs sedang dalam pemeliharaan</h1><p>Silakan kembali lagi nanti.</p>' +
  "<h2 lang='en'>Site under maintenance</h2><p lang='en'>Please come back later.</p></body></html>";

function assertPort(field: string, port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UnsafeValueError(field, 'not a port number (an integer 1–65535)');
  }
  return port;
}

/** An absolute, normalised path made only of safe segments (so it needs no quoting in a config). */
function assertAbsolutePath(field: string, p: unknown): string {
  if (typeof p !== 'string') throw new UnsafeValueError(field, 'not a path');
  return assertSafePath(field, p, '/');
}

/** Validates the server facts (paths, listen address, ports). Throws UnsafeValueError. */
export function validateHostFacts(h: VhostHostFacts): void {
  if (h === null || typeof h !== 'object') throw new UnsafeValueError('host', 'missing');
  assertAbsolutePath('configFile', h.configFile);
  assertAbsolutePath('sitesDir', h.sitesDir);
  assertAbsolutePath('docrootBase', h.docrootBase);
  assertAbsolutePath('challengeDir', h.challengeDir);
  assertAbsolutePath('certDir', h.certDir);
  if (h.binary !== undefined) assertAbsolutePath('binary', h.binary);
  if (h.listenAddress !== '*') assertSafeIp('listenAddress', h.listenAddress);
  assertPort('httpPort', h.httpPort);
  assertPort('httpsPort', h.httpsPort);
  if (h.httpPort === h.httpsPort) throw new UnsafeValueError('httpsPort', 'the same port as httpPort');
}

/** The `<VirtualHost>` address of an IP: IPv4 as is, IPv6 in brackets; canonical text. */
function vhostAddressOf(ip: string): string {
  const a = parseIp(ip);
  const text = formatIp(a);
  return a.version === 6 ? `[${text}]` : text;
}

export function siteFileOf(h: Pick<VhostHostFacts, 'sitesDir'>, hostname: string): string {
  return path.join(h.sitesDir, `${hostname}.conf`);
}

export function certPathsOf(
  h: Pick<VhostHostFacts, 'certDir'>,
  hostname: string,
): { dir: string; certFile: string; keyFile: string } {
  const dir = path.join(h.certDir, hostname);
  return { dir, certFile: path.join(dir, 'fullchain.pem'), keyFile: path.join(dir, 'privkey.pem') };
}

/**
 * Validates a site against the server facts FIRST: the host name and every alias as host names, the
 * document root strictly below docrootBase, the dedicated IP as an address, the flags as booleans.
 * Throws UnsafeValueError naming the field; returns the only values the renderer may use.
 */
export function validateSite(h: VhostHostFacts, s: VhostSiteInput): ValidatedSite {
  validateHostFacts(h);
  if (s === null || typeof s !== 'object') throw new UnsafeValueError('site', 'missing');
  const hostname = assertSafeHostname('hostname', s.hostname);
  if (!Array.isArray(s.aliases)) throw new UnsafeValueError('aliases', 'not a list');
  if (s.aliases.length > MAX_ALIASES) throw new UnsafeValueError('aliases', `more than ${MAX_ALIASES}`);
  const aliases: string[] = [];
  s.aliases.forEach((a, i) => {
    assertSafeHostname(`aliases[${i}]`, a);
    if (a !== hostname && !aliases.includes(a)) aliases.push(a);
  });
  let ip: string | null = null;
  if (s.ip !== null) {
    if (s.ip === undefined) throw new UnsafeValueError('ip', 'missing (null for name-based)');
    assertSafeIp('ip', s.ip);
    const parsed = parseIp(s.ip);
    if (parsed.value === 0n)
      throw new UnsafeValueError('ip', 'the unspecified address is not a dedicated address');
    ip = formatIp(parsed);
  }
  if (typeof s.docroot !== 'string') throw new UnsafeValueError('docroot', 'not a path');
  const docroot = assertSafePath('docroot', s.docroot, h.docrootBase);
  if (typeof s.tls !== 'boolean') throw new UnsafeValueError('tls', 'not true or false');
  if (typeof s.maintenance !== 'boolean') throw new UnsafeValueError('maintenance', 'not true or false');
  const { certFile, keyFile } = certPathsOf(h, hostname);
  return {
    hostname,
    aliases,
    vhostAddress:
      ip !== null ? vhostAddressOf(ip) : h.listenAddress === '*' ? '*' : vhostAddressOf(h.listenAddress),
    ip,
    httpPort: h.httpPort,
    httpsPort: h.httpsPort,
    docroot,
    certFile,
    keyFile,
    tls: s.tls,
    maintenance: s.maintenance,
  } as unknown as ValidatedSite;
}

/** The regular expression (PCRE) for "every path except the ACME challenge path". */
const NOT_ACME = '^/(?!\\.well-known/acme-challenge/)';

function render(v: ValidatedSite, tag: string): string {
  const names = [`    ServerName ${v.hostname}`, ...v.aliases.map((a) => `    ServerAlias ${a}`)];
  const common = [
    ...names,
    `    DocumentRoot ${v.docroot}`,
    `    Header always set ${CONFIG_TAG_HEADER} ${tag}`,
    `    <Directory ${v.docroot}>`,
    '        Options None',
    '        AllowOverride None',
    '        Require all granted',
    '    </Directory>',
  ];
  const maintenance = [
    '    # Maintenance: every request except the ACME challenge path answers 503 with a fixed page.',
    `    RedirectMatch 503 ${NOT_ACME}`,
    `    ErrorDocument 503 "${MAINTENANCE_PAGE}"`,
    '    Header always set Retry-After 3600',
    '    Header always set Cache-Control no-store',
  ];
  const httpsBase = v.httpsPort === 443 ? `https://${v.hostname}` : `https://${v.hostname}:${v.httpsPort}`;
  const lines = [
    '# Managed by Loket: do not edit by hand, changes are overwritten.',
    '# Dikelola oleh Loket: jangan diubah manual, perubahan akan ditimpa.',
    `# Site: ${v.hostname}${v.ip !== null ? ` (dedicated address ${v.ip})` : ''}`,
    `<VirtualHost ${v.vhostAddress}:${v.httpPort}>`,
    ...common,
  ];
  if (v.tls) {
    lines.push(
      '    # HTTP goes to HTTPS, except the ACME challenge path.',
      `    RedirectMatch 301 ${NOT_ACME}(.*)$ ${httpsBase}/$1`,
    );
  } else if (v.maintenance) {
    lines.push(...maintenance);
  }
  lines.push('</VirtualHost>');
  if (v.tls) {
    lines.push(
      `<VirtualHost ${v.vhostAddress}:${v.httpsPort}>`,
      ...common,
      '    SSLEngine on',
      `    SSLCertificateFile ${v.certFile}`,
      `    SSLCertificateKeyFile ${v.keyFile}`,
    );
    if (v.maintenance) lines.push(...maintenance);
    lines.push('</VirtualHost>');
  }
  return `${lines.join('\n')}\n`;
}

/** The tag of a config text: 16 hex digits of SHA-256 over the text rendered with a zero tag. */
function tagOf(zeroTagged: string): string {
  return createHash('sha256').update(zeroTagged).digest('hex').slice(0, 16);
}

/** Renders the site file. Pure: the same validated site always gives the same text. */
export function renderVhost(v: ValidatedSite): string {
  return render(v, tagOf(render(v, '0'.repeat(16))));
}

/** The tag written into a site file's text, or null. */
export function configTagOf(config: string): string | null {
  const m = new RegExp(`^ {4}Header always set ${CONFIG_TAG_HEADER} ([0-9a-f]{16})$`, 'm').exec(config);
  return m ? (m[1] ?? null) : null;
}

/** The DocumentRoot a site file names (first vhost), or null. */
export function docrootOf(config: string): string | null {
  const m = /^ {4}DocumentRoot (\S+)$/m.exec(config);
  return m ? (m[1] ?? null) : null;
}

/** The address of the first `<VirtualHost>` in a site file (`*`, IPv4, or IPv6 without brackets), or null. */
export function vhostAddressOfConfig(config: string): string | null {
  const m = /^<VirtualHost (\*|[0-9.]+|\[[0-9a-f:.]+\]):\d+>$/m.exec(config);
  if (!m?.[1]) return null;
  return m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
}

/** Every name (ServerName / ServerAlias) a config text serves, lower-cased. Tolerates any text. */
export function namesOf(config: string): string[] {
  const out: string[] = [];
  for (const m of config.matchAll(/^[ \t]*Server(?:Name|Alias)[ \t]+(.*)$/gim)) {
    for (const n of (m[1] ?? '').split(/[ \t]+/)) {
      if (n !== '') out.push(n.toLowerCase().replace(/:\d+$/, ''));
    }
  }
  return out;
}
