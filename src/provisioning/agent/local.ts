// The web agent in-process: the operations run on this machine through the Apache adapter and the
// deploy step. Used for `local` servers and, on a remote server, inside the fixed helper (helper.ts).
// Every value is validated here again — before any file, directory or process is touched — whatever
// the caller already checked.

import path from 'node:path';
import {
  type ApacheHost,
  installCertificate,
  installSite,
  putChallenge,
  removeChallenge,
  removeSite,
} from '../apache/site.ts';
import { validateHostFacts } from '../apache/vhost.ts';
import { type ArchiveLimits, deployArchive } from '../deploy/index.ts';
import {
  assertSafeHostname,
  assertSafeIp,
  assertSafePath,
  UnsafeValueError,
  type WebAgent,
  type WebSiteSpec,
} from '../types.ts';
import {
  assertArchiveKind,
  assertBoolean,
  assertPemText,
  assertSafeChallengeContent,
  assertSafeToken,
} from './protocol.ts';

const MAX_ALIASES = 100;

/** Validates a site spec against the server's document root base; returns a clean copy. */
export function checkSiteSpec(spec: WebSiteSpec, docrootBase: string): WebSiteSpec {
  if (spec === null || typeof spec !== 'object') throw new UnsafeValueError('spec', 'missing');
  const hostname = assertSafeHostname('hostname', spec.hostname);
  if (!Array.isArray(spec.aliases)) throw new UnsafeValueError('aliases', 'not a list');
  if (spec.aliases.length > MAX_ALIASES) throw new UnsafeValueError('aliases', `more than ${MAX_ALIASES}`);
  const aliases = spec.aliases.map((a, i) => assertSafeHostname(`aliases[${i}]`, a));
  const ip = spec.ip === null ? null : assertSafeIp('ip', spec.ip);
  const docroot = assertSafePath('docroot', spec.docroot, docrootBase);
  const tls = assertBoolean('tls', spec.tls);
  const maintenance = assertBoolean('maintenance', spec.maintenance);
  return { hostname, aliases, ip, docroot, tls, maintenance };
}

/** A local file Loket reads (the archive): an absolute path without NUL or line breaks. */
function assertLocalFile(field: string, file: unknown): string {
  if (typeof file !== 'string' || !path.isAbsolute(file) || /[\0\r\n]/.test(file) || file.length > 4095) {
    throw new UnsafeValueError(field, 'not an absolute file path');
  }
  return file;
}

function assertOpts(opts: unknown): asserts opts is { docroot?: unknown; removeDocroot: unknown } {
  if (opts === null || typeof opts !== 'object') throw new UnsafeValueError('opts', 'missing');
}

/**
 * The web agent for the machine this process runs on. `h` says where Apache's files are; `limits`
 * bound what an archive may expand to. Never throws at construction; each call validates first.
 */
export function localWebAgent(h: ApacheHost, limits: ArchiveLimits): WebAgent {
  return {
    async installSite(spec) {
      validateHostFacts(h);
      const clean = checkSiteSpec(spec, h.docrootBase);
      return installSite(h, clean);
    },

    async removeSite(hostname, opts) {
      validateHostFacts(h);
      assertSafeHostname('hostname', hostname);
      assertOpts(opts);
      const removeDocroot = assertBoolean('removeDocroot', opts.removeDocroot);
      if (opts.docroot === undefined) return removeSite(h, hostname, { removeDocroot });
      const docroot = assertSafePath('docroot', opts.docroot as string, h.docrootBase);
      return removeSite(h, hostname, { docroot, removeDocroot });
    },

    async installCertificate(hostname, pem) {
      validateHostFacts(h);
      assertSafeHostname('hostname', hostname);
      if (pem === null || typeof pem !== 'object') throw new UnsafeValueError('pem', 'missing');
      const cert = assertPemText('cert', pem.cert, 64 * 1024);
      const key = assertPemText('key', pem.key, 16 * 1024);
      await installCertificate(h, hostname, { cert, key });
    },

    async putChallenge(token, content) {
      validateHostFacts(h);
      assertSafeToken('token', token);
      assertSafeChallengeContent('content', content);
      await putChallenge(h, token, content);
    },

    async removeChallenge(token) {
      validateHostFacts(h);
      assertSafeToken('token', token);
      await removeChallenge(h, token);
    },

    async deploy(archiveFile, kind, docroot) {
      validateHostFacts(h);
      const file = assertLocalFile('archiveFile', archiveFile);
      const k = assertArchiveKind('kind', kind);
      assertSafePath('docroot', docroot, h.docrootBase);
      return deployArchive(file, k, docroot, h.docrootBase, limits);
    },

    async close() {},
  };
}
