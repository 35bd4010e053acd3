// Provisioning step 5: a TLS certificate by ACME http-01 (RFC 8555) through acme-client, tested
// against pebble (test/servers/pebble.ts).
//
// Every name is validated (assertSafeHostname) before anything is sent, and so is every token the
// CA hands back before it reaches the challenger (it becomes a file name on the web server).
//
// Trusting an extra CA for the directory's own HTTPS (pebble): acme-client sends every request
// through one shared axios instance (`acme.axios`) and has no per-client TLS option. Loket installs
// ONE request interceptor on that instance which takes the agents from an AsyncLocalStorage scope
// opened by obtainCertificate() for that call only: requests made by this call (and only these)
// use its own agents, which trust `caCertPem` when given (and only then replace the default
// roots); other callers of acme-client, other concurrent calls with another CA or none, and the
// process's default trust store are unaffected. (NODE_EXTRA_CA_CERTS would only work at process
// start and would widen trust for the whole process.)
//
// acme-client retries a request without an answer (refused, TLS failure) 5 times with growing
// pauses, then loses the cause ("Cannot read properties of undefined (reading 'config')"). The
// per-call agents remember the last socket error, so the AcmeError names the real cause.

import { AsyncLocalStorage } from 'node:async_hooks';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type acmeClient from 'acme-client';
import { assertSafeHostname, UnsafeValueError } from '../types.ts';

export type AcmeConfig = {
  directoryUrl: string;
  email: string;
  /** account key PEM; created with createAccountKey() once and stored sealed by the caller */
  accountKeyPem: string;
  /** extra CA to trust for the directory's own HTTPS (pebble); production leaves it unset */
  caCertPem?: string;
  /** pebble: skip acme-client's own pre-check that uses the system resolver */
  skipChallengeVerification?: boolean;
};

export type Challenger = {
  put(token: string, keyAuthorization: string): Promise<void>;
  remove(token: string): Promise<void>;
};

/** An ACME operation failed (the CA refused, a challenge was invalid, the directory was unreachable). */
export class AcmeError extends Error {
  /** Where it failed: 'account', 'order', 'challenge', 'finalize', 'download', 'cleanup'. */
  readonly stage: string;
  constructor(stage: string, message: string) {
    super(message);
    this.name = 'AcmeError';
    this.stage = stage;
  }
}

/** Let's Encrypt's limit of names per certificate. */
const MAX_NAMES = 100;
/** RFC 8555 §8.3: a token is base64url; bounded so it is always a harmless file name. */
const TOKEN_RE = /^[A-Za-z0-9_-]{16,256}$/;
/** Each HTTP request to the CA gives up after this long (acme-client itself sets no timeout). */
const REQUEST_TIMEOUT_MS = 30_000;

type Scope = { httpsAgent: https.Agent; httpAgent: http.Agent; lastSocketError: Error | undefined };
const scope = new AsyncLocalStorage<Scope>();
let interceptorInstalled = false;

// acme-client is loaded on first use, not at start (docs/adr/0012-memory-and-start-up.md).
let acme: typeof acmeClient;
async function loadAcme(): Promise<void> {
  acme ??= (await import('acme-client')).default;
}

function installInterceptor(): void {
  if (interceptorInstalled) return;
  interceptorInstalled = true;
  acme.axios.interceptors.request.use((config) => {
    const s = scope.getStore();
    if (s) {
      config.httpsAgent = s.httpsAgent;
      config.httpAgent = s.httpAgent;
      if (!config.timeout) config.timeout = REQUEST_TIMEOUT_MS;
    }
    return config;
  });
}

/** Makes the agent record its sockets' errors in the call's scope. */
function recording<A extends http.Agent>(agent: A, s: Scope): A {
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = create(options, callback);
    socket?.on('error', (e: Error) => {
      s.lastSocketError = e;
    });
    return socket;
  };
  return agent;
}

/** A new ACME account key (ECDSA P-256, PKCS#8 PEM). Create once; the caller stores it sealed. */
export async function createAccountKey(): Promise<string> {
  await loadAcme();
  return (await acme.crypto.createPrivateEcdsaKey('P-256')).toString('utf8');
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** https, or plain http only to a loopback address (tests); no credentials in the URL. */
function assertSafeDirectoryUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UnsafeValueError('directoryUrl', 'not a URL');
  }
  if (u.username || u.password) throw new UnsafeValueError('directoryUrl', 'contains credentials');
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
    throw new UnsafeValueError('directoryUrl', 'must be https (plain http only to a loopback address)');
  }
  return u.toString();
}

function assertSafeEmail(email: string): string {
  if (typeof email !== 'string' || email.length > 254)
    throw new UnsafeValueError('email', 'not an e-mail address');
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  if (at < 1 || !/^[A-Za-z0-9._%+-]{1,64}$/.test(local))
    throw new UnsafeValueError('email', 'not an e-mail address');
  const domain = email.slice(at + 1).toLowerCase();
  assertSafeHostname('email', domain);
  if (!domain.includes('.')) throw new UnsafeValueError('email', 'not an e-mail address');
  return `${local}@${domain}`;
}

function assertPrivateKey(field: string, pem: string): void {
  try {
    if (typeof pem !== 'string') throw new Error('not a string');
    createPrivateKey(pem);
  } catch {
    // Never echo key material.
    throw new UnsafeValueError(field, 'not a PEM private key');
  }
}

function assertCertificate(field: string, pem: string): void {
  try {
    if (typeof pem !== 'string') throw new Error('not a string');
    new X509Certificate(pem);
  } catch {
    throw new UnsafeValueError(field, 'not a PEM certificate');
  }
}

/** The validated, de-duplicated names (the hostname first). Throws before anything is sent. */
function validNames(names: { hostname: string; aliases: string[] }): string[] {
  if (typeof names !== 'object' || names === null) throw new UnsafeValueError('names', 'missing');
  const hostname = assertSafeHostname('hostname', names.hostname);
  if (!Array.isArray(names.aliases)) throw new UnsafeValueError('aliases', 'not a list');
  const aliases = names.aliases.map((a, i) => assertSafeHostname(`aliases[${i}]`, a));
  const all = [...new Set([hostname, ...aliases])];
  if (all.length > MAX_NAMES) throw new UnsafeValueError('aliases', `more than ${MAX_NAMES} names`);
  return all;
}

/** The error's message, or the socket error behind acme-client's "no response" TypeError. */
function cause(e: unknown, s: Scope): string {
  if (e instanceof TypeError && /reading 'config'/.test(e.message)) {
    return s.lastSocketError
      ? `no answer from the CA: ${message(s.lastSocketError)}`
      : 'no answer from the CA (timed out or connection closed)';
  }
  return message(e);
}

function message(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // One line, bounded: it ends up in a step record.
  return m.replace(/\s+/g, ' ').slice(0, 500);
}

/**
 * Orders a certificate for hostname (+ aliases) by http-01, serving tokens through the challenger;
 * returns the chain, a fresh private key, issuer and expiry. Validates names first
 * (assertSafeHostname). Cleans up tokens on success and failure.
 *
 * Idempotent in effect: running it again orders (and returns) a new certificate for the same
 * names with the same account; the account is looked up by its key (newAccount returns the
 * existing one). Errors other than unsafe input are {@link AcmeError}s naming the stage.
 */
export async function obtainCertificate(
  c: AcmeConfig,
  names: { hostname: string; aliases: string[] },
  ch: Challenger,
): Promise<{ certPem: string; keyPem: string; issuer: string; notAfter: Date; notBefore: Date }> {
  // 1. Validate everything before any socket is opened.
  const all = validNames(names);
  if (typeof c !== 'object' || c === null) throw new UnsafeValueError('config', 'missing');
  const directoryUrl = assertSafeDirectoryUrl(c.directoryUrl);
  const email = assertSafeEmail(c.email);
  assertPrivateKey('accountKeyPem', c.accountKeyPem);
  if (c.caCertPem !== undefined) assertCertificate('caCertPem', c.caCertPem);

  await loadAcme();
  installInterceptor();
  const s: Scope = {
    httpsAgent: new https.Agent(c.caCertPem ? { ca: c.caCertPem, keepAlive: true } : { keepAlive: true }),
    httpAgent: new http.Agent({ keepAlive: true }),
    lastSocketError: undefined,
  };
  recording(s.httpsAgent, s);
  recording(s.httpAgent, s);
  try {
    return await scope.run(s, () =>
      order(s, directoryUrl, email, c.accountKeyPem, all, ch, c.skipChallengeVerification === true),
    );
  } finally {
    s.httpsAgent.destroy();
    s.httpAgent.destroy();
  }
}

async function order(
  s: Scope,
  directoryUrl: string,
  email: string,
  accountKeyPem: string,
  all: string[],
  ch: Challenger,
  skipChallengeVerification: boolean,
): Promise<{ certPem: string; keyPem: string; issuer: string; notAfter: Date; notBefore: Date }> {
  const hostname = all[0] as string;
  const client = new acme.Client({
    directoryUrl,
    accountKey: accountKeyPem,
    // Poll the CA's status from 1 s up (acme-client's default starts at 5 s).
    backoffAttempts: 10,
    backoffMin: 1000,
    backoffMax: 10_000,
  });

  const stage = async <T>(name: string, what: string, fn: () => Promise<T>): Promise<T> => {
    s.lastSocketError = undefined;
    try {
      return await fn();
    } catch (e) {
      if (e instanceof AcmeError || e instanceof UnsafeValueError) throw e;
      throw new AcmeError(name, `ACME ${what} failed: ${cause(e, s)}`);
    }
  };

  await stage('account', `account registration at ${directoryUrl}`, () =>
    client.createAccount({ termsOfServiceAgreed: true, contact: [`mailto:${email}`] }),
  );
  const ord = await stage('order', `order for ${all.join(', ')}`, () =>
    client.createOrder({ identifiers: all.map((value) => ({ type: 'dns', value })) }),
  );
  const authzs = await stage('order', `authorizations for ${all.join(', ')}`, () =>
    client.getAuthorizations(ord),
  );

  // 2. Challenges: put every token, tell the CA, wait for every authorization to settle, and
  //    remove every token put — whatever happened.
  const put: string[] = [];
  let failure: AcmeError | undefined;
  try {
    const pending: { name: string; challenge: (typeof authzs)[number]['challenges'][number] }[] = [];
    for (const authz of authzs) {
      if (authz.status === 'valid') continue; // reused by the CA: nothing to prove
      const name = authz.identifier.value;
      if (!all.includes(name)) {
        throw new AcmeError(
          'challenge',
          `ACME CA sent an authorization for a name not ordered: ${JSON.stringify(String(name).slice(0, 80))}`,
        );
      }
      const challenge = authz.challenges.find((x) => x.type === 'http-01');
      if (!challenge) throw new AcmeError('challenge', `ACME CA offers no http-01 challenge for ${name}`);
      if (typeof challenge.token !== 'string' || !TOKEN_RE.test(challenge.token)) {
        throw new AcmeError('challenge', `ACME CA sent an unsafe http-01 token for ${name}`);
      }
      const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
      await stage('challenge', `serving the http-01 token for ${name}`, async () => {
        put.push(challenge.token);
        await ch.put(challenge.token, keyAuthorization);
      });
      if (!skipChallengeVerification) {
        await stage('challenge', `pre-check of the http-01 token for ${name}`, () =>
          client.verifyChallenge(authz, challenge),
        );
      }
      await stage('challenge', `http-01 challenge for ${name}`, () => client.completeChallenge(challenge));
      pending.push({ name, challenge });
    }
    // Wait for all (even after one failed): a token must stay until the CA has finished with it.
    const results = await Promise.allSettled(pending.map((p) => client.waitForValidStatus(p.challenge)));
    const failed = results
      .map((r, i) => (r.status === 'rejected' ? `${pending[i]?.name}: ${cause(r.reason, s)}` : undefined))
      .filter((x) => x !== undefined);
    if (failed.length > 0) {
      throw new AcmeError('challenge', `ACME http-01 validation failed for ${failed.join('; ')}`);
    }
  } catch (e) {
    failure =
      e instanceof AcmeError
        ? e
        : new AcmeError('challenge', `ACME http-01 challenges failed: ${cause(e, s)}`);
    // Tidy up at the CA: authorizations still pending are deactivated (best effort).
    await Promise.allSettled(
      authzs.filter((a) => a.status === 'pending').map((a) => client.deactivateAuthorization(a)),
    );
  }
  const cleanupErrors: string[] = [];
  for (const token of put) {
    try {
      await ch.remove(token);
    } catch (e) {
      cleanupErrors.push(`${token}: ${message(e)}`);
    }
  }
  if (failure !== undefined) {
    if (cleanupErrors.length > 0) {
      failure.message += ` (and removing the challenge tokens failed: ${cleanupErrors.join('; ')})`;
    }
    throw failure;
  }
  if (cleanupErrors.length > 0) {
    throw new AcmeError('cleanup', `ACME challenge tokens could not be removed: ${cleanupErrors.join('; ')}`);
  }

  // 3. A fresh key and CSR; finalize; download the chain.
  const [key, csr] = await acme.crypto.createCsr(
    // A common name is limited to 64 characters; the SANs carry every name anyway.
    hostname.length <= 64 ? { commonName: hostname, altNames: [...all] } : { altNames: [...all] },
    await acme.crypto.createPrivateRsaKey(2048),
  );
  const finalized = await stage('finalize', `finalizing the order for ${all.join(', ')}`, () =>
    client.finalizeOrder(ord, csr),
  );
  const certPem = await stage('download', 'downloading the certificate', () =>
    client.getCertificate(finalized),
  );
  const facts = certificateFacts(certPem);
  const missing = all.filter((n) => !facts.subjectAltNames.includes(n));
  if (missing.length > 0) {
    throw new AcmeError('download', `ACME certificate does not cover ${missing.join(', ')}`);
  }
  return {
    certPem,
    keyPem: key.toString('utf8'),
    issuer: facts.issuer,
    notAfter: facts.notAfter,
    notBefore: facts.notBefore,
  };
}

const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/** Reads issuer and validity from a PEM chain (node:crypto X509Certificate). */
export function certificateFacts(certPem: string): {
  issuer: string;
  notAfter: Date;
  notBefore: Date;
  subjectAltNames: string[];
} {
  const first = typeof certPem === 'string' ? certPem.match(PEM_CERT_RE)?.[0] : undefined;
  if (!first) throw new Error('no PEM certificate found');
  const x = new X509Certificate(first);
  return {
    // e.g. "C=US, O=Let's Encrypt, CN=R11"
    issuer: x.issuer.split('\n').join(', '),
    notAfter: x.validToDate,
    notBefore: x.validFromDate,
    subjectAltNames: dnsNames(x.subjectAltName),
  };
}

/** The DNS names of a subjectAltName string ("DNS:a, DNS:b, IP Address:…"), lower case. */
function dnsNames(san: string | undefined): string[] {
  if (!san) return [];
  const out: string[] = [];
  // Node quotes values containing separators as JSON strings: DNS:"a, b".
  const re = /DNS:("(?:[^"\\]|\\.)*"|[^,]*)(?:,\s*|$)/g;
  for (const m of san.matchAll(re)) {
    const raw = m[1] ?? '';
    let v = raw;
    if (raw.startsWith('"')) {
      try {
        v = JSON.parse(raw) as string;
      } catch {
        continue;
      }
    }
    out.push(v.toLowerCase());
  }
  return out;
}
