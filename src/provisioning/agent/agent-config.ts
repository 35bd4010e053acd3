// The web agent's own configuration: where Apache's files are on the machine the agent runs on,
// which program checks and reloads it, and how large an archive may be. One format for both ways
// the operations run:
//
//   - on a remote web server, the ssh helper's agent.json (its path fixed in authorized_keys);
//   - on Loket's own host (`local` access), the file named by LOKET_LOCAL_AGENT_CONFIG.
//
// Both are written by whoever installs the server, never by a user of the web app or the API: no
// value stored in Loket's database decides which program runs or which files it reads (ADR 0008).
// The file is checked strictly: plain absolute paths, the program one of a short fixed list, and no
// configuration inside a document root (a deployed archive could otherwise plant the configuration
// Apache reads) — nor, on Loket's host, inside Loket's own data directory or installation.
//
//   { "apache": { configFile, sitesDir, docrootBase, challengeDir, certDir, listenAddress, httpPort,
//                 httpsPort, binary? },
//     "limits": { maxEntries, maxTotalBytes, maxFileBytes, maxRatio }?,
//     "maxArchiveBytes": number?,
//     "tmpDir": "/absolute/dir"? }

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { tryParseIp } from '../../registry/ip.ts';
import type { ApacheHost } from '../apache/site.ts';
import type { ArchiveLimits } from '../deploy/archive.ts';

/** The programs an agent may run to check and reload Apache (by their absolute path). */
export const APACHE_PROGRAMS: readonly string[] = [
  '/usr/sbin/apache2',
  '/usr/sbin/httpd',
  '/usr/local/sbin/apache2',
  '/usr/local/sbin/httpd',
  '/usr/local/apache2/bin/httpd',
];

export const DEFAULT_APACHE_PROGRAM = '/usr/sbin/apache2';
export const DEFAULT_MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

const absPath = z
  .string()
  .max(4095)
  .regex(/^\/[A-Za-z0-9._/-]*$/, 'an absolute, plain path')
  .refine((v) => !v.split('/').some((s) => s === '..' || s === '.'), 'no . or .. segments');
const port = z.number().int().min(1).max(65535);
const positive = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const agentConfigSchema = z.strictObject({
  apache: z.strictObject({
    configFile: absPath,
    sitesDir: absPath,
    docrootBase: absPath,
    challengeDir: absPath,
    certDir: absPath,
    listenAddress: z
      .string()
      .max(64)
      .refine((v) => v === '*' || tryParseIp(v) !== null, '* or an IP address'),
    httpPort: port,
    httpsPort: port,
    binary: absPath
      .refine((v) => APACHE_PROGRAMS.includes(v), `one of ${APACHE_PROGRAMS.join(', ')}`)
      .optional(),
  }),
  limits: z
    .strictObject({
      maxEntries: positive,
      maxTotalBytes: positive,
      maxFileBytes: positive,
      maxRatio: positive,
    })
    .optional(),
  maxArchiveBytes: positive.optional(),
  tmpDir: absPath.optional(),
});

export type AgentConfig = {
  apache: ApacheHost;
  /** Undefined when the file gives none (the caller's defaults apply). */
  limits: ArchiveLimits | undefined;
  maxArchiveBytes: number;
  tmpDir: string;
};

/** Directories no configuration may lie in, and no document root base may contain. */
export type ProtectedDirs = { label: string; dir: string }[];

const clean = (p: string) => path.resolve(p);
/** Whether `p` is `dir` or lies below it (lexically). */
function within(p: string, dir: string): boolean {
  const rel = path.relative(clean(dir), clean(p));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
/** The path with symbolic links resolved as far as it exists (so a link cannot hide where it points). */
function real(p: string): string {
  let head = clean(p);
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...tail.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return clean(p);
      tail.push(path.basename(head));
      head = parent;
    }
  }
}
function overlaps(a: string, b: string): boolean {
  return within(a, b) || within(real(a), real(b));
}

/**
 * The rules a sound agent configuration keeps, beyond its shape: nothing Apache reads or Loket
 * writes as configuration (config file, sites, certificates, challenges, the program, the temporary
 * directory) lies inside the document root base — where deployed archives land — and the base lies
 * inside none of them; nothing lies inside `protectedDirs`, and no document root base contains one.
 * Returns the problems as "field: reason".
 */
export function agentConfigProblems(
  apache: z.infer<typeof agentConfigSchema>['apache'],
  opts: { tmpDir?: string | undefined; protectedDirs?: ProtectedDirs; extraDocrootBases?: string[] } = {},
): string[] {
  const problems: string[] = [];
  if (apache.httpPort === apache.httpsPort) problems.push('apache.httpsPort: the same port as httpPort');
  const configured: [string, string][] = [
    ['apache.configFile', apache.configFile],
    ['apache.sitesDir', apache.sitesDir],
    ['apache.challengeDir', apache.challengeDir],
    ['apache.certDir', apache.certDir],
    ['apache.binary', apache.binary ?? DEFAULT_APACHE_PROGRAM],
    ...(opts.tmpDir !== undefined ? ([['tmpDir', opts.tmpDir]] as [string, string][]) : []),
  ];
  const bases = [apache.docrootBase, ...(opts.extraDocrootBases ?? [])];
  if (clean(apache.docrootBase) === '/') problems.push('apache.docrootBase: not the root directory');
  for (const [field, p] of configured) {
    for (const base of bases) {
      if (overlaps(p, base)) {
        problems.push(`${field}: lies inside a document root base (${base}), where deployed archives land`);
      }
    }
    if (field !== 'apache.binary' && field !== 'tmpDir' && overlaps(apache.docrootBase, p)) {
      problems.push(`apache.docrootBase: contains or lies inside ${field} (${p})`);
    }
  }
  for (const { label, dir } of opts.protectedDirs ?? []) {
    for (const [field, p] of configured) {
      if (overlaps(p, dir)) problems.push(`${field}: lies inside ${label} (${dir})`);
    }
    if (overlaps(dir, apache.docrootBase) || overlaps(apache.docrootBase, dir)) {
      problems.push(`apache.docrootBase: overlaps ${label} (${dir})`);
    }
  }
  return problems;
}

/** Parses and checks an agent configuration's text; throws an Error listing every problem. */
export function parseAgentConfig(
  text: string,
  opts: { protectedDirs?: ProtectedDirs; extraDocrootBases?: string[] } = {},
): AgentConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  }
  const c = parsed.data;
  const problems = agentConfigProblems(c.apache, { ...opts, tmpDir: c.tmpDir });
  if (problems.length > 0) throw new Error(problems.join('; '));
  return {
    apache: c.apache,
    limits: c.limits,
    maxArchiveBytes: c.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES,
    tmpDir: c.tmpDir ?? os.tmpdir(),
  };
}

/** Reads and checks an agent configuration file (synchronously: it is read once, at start). */
export function readAgentConfigFile(
  file: string,
  opts: { protectedDirs?: ProtectedDirs; extraDocrootBases?: string[] } = {},
): AgentConfig {
  if (!path.isAbsolute(file)) throw new Error('the path is not absolute');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read it: ${(e as Error).message}`);
  }
  return parseAgentConfig(text, opts);
}
