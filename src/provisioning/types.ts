// Provisioning: the installation step done by Loket on real servers. The shared vocabulary of the
// adapters (dns/, apache/, database/, deploy/, acme/, agent/) and the orchestrator (run.ts).
//
// Every adapter takes values that were already validated against the registry's rules
// (src/registry/names.ts) and validates them AGAIN itself before anything reaches a file, a DNS
// message or a command (`assertSafe*` below): an adapter never trusts its caller. Commands run with
// execFile and an argument array; data goes on stdin or into files — never a shell string.

import { tryParseIp } from '../registry/ip.ts';
import { checkDatabaseName, checkDocumentRootPath, checkSubdomainLabel } from '../registry/names.ts';

/** Thrown by an adapter when a value is unsafe; nothing has been sent anywhere. */
export class UnsafeValueError extends Error {
  readonly field: string;
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.name = 'UnsafeValueError';
    this.field = field;
  }
}

/** A host name made only of valid labels (each `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`), ≤ 253. */
export function assertSafeHostname(field: string, name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 253) {
    throw new UnsafeValueError(field, 'not a host name');
  }
  for (const label of name.split('.')) {
    const c = checkSubdomainLabel(label);
    if (!c.ok) throw new UnsafeValueError(field, `label "${label.slice(0, 64)}": ${c.reason}`);
  }
  return name;
}

export function assertSafeDbName(field: string, name: string): string {
  const c = checkDatabaseName(name);
  if (!c.ok) throw new UnsafeValueError(field, c.reason);
  return name;
}

export function assertSafePath(field: string, path: string, baseDir: string): string {
  const c = checkDocumentRootPath(path, baseDir);
  if (!c.ok) throw new UnsafeValueError(field, c.reason);
  return path;
}

export function assertSafeIp(field: string, address: string): string {
  if (typeof address !== 'string' || !tryParseIp(address))
    throw new UnsafeValueError(field, 'not an IP address');
  return address;
}

/** The steps of an installation, in order. */
export const INSTALL_STEPS = ['dns', 'vhost', 'database', 'deploy', 'tls', 'check'] as const;
export type InstallStepKey = (typeof INSTALL_STEPS)[number];

/** One thing a step will create, change or remove, for the plan shown before applying. */
export type PlannedChange = {
  action: 'create' | 'change' | 'remove' | 'check';
  /** e.g. "DNS A record", "file", "database", "database user", "certificate". */
  kind: string;
  /** e.g. "dinkes.example-kab.go.id. 3600 IN A 203.0.113.20", "/etc/apache2/sites/dinkes.conf". */
  target: string;
  /** Which server (registry name) it happens on. */
  server: string;
};

/** How Loket reaches a server (registry `servers.access`). */
export type ServerAccess =
  | { kind: 'local' }
  | {
      kind: 'ssh';
      /** An IP address (never a name Loket would have to resolve). */
      host: string;
      port: number;
      username: string;
      /** The pinned host key: base64 SHA-256 of the key blob, as `ssh-keygen -lf` prints after "SHA256:". */
      hostKeySha256: string;
      /** The path of the fixed helper the forced command runs (informational; the key's forced command decides). */
      helper?: string;
    };

/** A virtual host as the web agent installs it (see src/provisioning/apache/site.ts). */
export type WebSiteSpec = {
  hostname: string;
  aliases: string[];
  /** null: name-based on the shared address; an IP: a dedicated-IP virtual host. */
  ip: string | null;
  docroot: string;
  tls: boolean;
  maintenance: boolean;
};

/**
 * The fixed set of operations Loket asks of a web server. `local` runs them in-process; `ssh`
 * sends each as one JSON request to the fixed helper on the server, which validates it again.
 */
export interface WebAgent {
  installSite(spec: WebSiteSpec): Promise<'created' | 'changed' | 'unchanged'>;
  removeSite(
    hostname: string,
    opts: { docroot?: string; removeDocroot: boolean },
  ): Promise<'removed' | 'absent'>;
  installCertificate(hostname: string, pem: { cert: string; key: string }): Promise<void>;
  putChallenge(token: string, content: string): Promise<void>;
  removeChallenge(token: string): Promise<void>;
  /** Deploys a local archive file into the docroot on the server (validated entries only). */
  deploy(
    archiveFile: string,
    kind: 'zip' | 'targz',
    docroot: string,
  ): Promise<{ files: number; bytes: number }>;
  /** Releases connections. */
  close(): Promise<void>;
}
