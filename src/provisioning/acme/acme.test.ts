// The ACME adapter against a real pebble (test/servers/pebble.ts): a certificate for a name and an
// alias by http-01, its chain checked against pebble's root and in a real TLS handshake, tokens
// removed afterwards; a failing challenge; trust for pebble's CA scoped to the call; and hostile
// names that must never reach a server.

import { createPrivateKey, X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import tls from 'node:tls';
import acme from 'acme-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findOpenssl,
  findPebble,
  type LoopbackDns,
  type PebbleServer,
  startLoopbackDns,
  startPebble,
} from '../../../test/servers/pebble.ts';
import { UnsafeValueError } from '../types.ts';
import {
  type AcmeConfig,
  AcmeError,
  type Challenger,
  certificateFacts,
  createAccountKey,
  obtainCertificate,
} from './acme.ts';

const havePebble = findPebble() !== undefined && findOpenssl() !== undefined;
if (!havePebble && process.env.CI === 'true') {
  throw new Error('CI=true but pebble is missing: apt-get install pebble openssl');
}
if (!havePebble) console.warn('ACME adapter tests skipped: install pebble (and openssl) to run them');

const HOST = 'dinkes.example-kab.test';
const ALIAS = 'www.dinkes.example-kab.test';
const PREFIX = '/.well-known/acme-challenge/';

/** A challenger backed by a map, served by the token server below; it records what it was asked. */
function mapChallenger(opts: { wrongContent?: boolean } = {}) {
  const tokens = new Map<string, string>();
  const puts: string[] = [];
  const removes: string[] = [];
  const challenger: Challenger = {
    async put(token, keyAuthorization) {
      puts.push(token);
      tokens.set(token, opts.wrongContent ? `${keyAuthorization}x` : keyAuthorization);
    },
    async remove(token) {
      removes.push(token);
      tokens.delete(token);
    },
  };
  return { tokens, puts, removes, challenger };
}

/** An HTTP server on 127.0.0.1 (free port) that counts requests and answers with `handler`. */
async function startHttp(
  handler: http.RequestListener,
): Promise<{ port: number; requests: string[]; stop(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.headers.host} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('certificateFacts', () => {
  it('refuses text without a certificate', () => {
    expect(() => certificateFacts('not a certificate')).toThrow(/no PEM certificate/);
  });
});

describe('obtainCertificate: hostile input never reaches a server', () => {
  let counter: Awaited<ReturnType<typeof startHttp>>;
  let config: AcmeConfig;

  beforeAll(async () => {
    counter = await startHttp((_req, res) => {
      res.writeHead(404).end();
    });
    config = {
      directoryUrl: `http://127.0.0.1:${counter.port}/dir`,
      email: 'tik@example-kab.test',
      accountKeyPem: await createAccountKey(),
    };
  });
  afterAll(async () => {
    await counter?.stop();
  });

  const hostile = [
    'dinkes.example-kab.test\nwww.evil.test',
    'dinkes.example-kab.test\r\n',
    'din kes.example-kab.test',
    ' dinkes.example-kab.test',
    '$(touch /tmp/pwned).example-kab.test',
    '`id`.example-kab.test',
    "dinkes'.example-kab.test",
    'dinkes".example-kab.test',
    'dinkés.example-kab.test',
    'xn--dinks-bsa.example-kab.test\u200b',
    'dinkes..example-kab.test',
    '../../etc/passwd',
    'DINKES.example-kab.test',
    'Dinkes.Example-Kab.Test',
    '*.example-kab.test',
    'dinkes.example-kab.test.',
    '-dinkes.example-kab.test',
    'dinkes\0.example-kab.test',
    '',
    `${'a'.repeat(64)}.example-kab.test`,
  ];

  it.each(hostile.map((h) => [JSON.stringify(h).slice(0, 60), h]))(
    'hostname %s → UnsafeValueError, no request, no token',
    async (_label, name) => {
      const c = mapChallenger();
      const before = counter.requests.length;
      await expect(
        obtainCertificate(config, { hostname: name, aliases: [] }, c.challenger),
      ).rejects.toBeInstanceOf(UnsafeValueError);
      await expect(
        obtainCertificate(config, { hostname: HOST, aliases: [name] }, c.challenger),
      ).rejects.toBeInstanceOf(UnsafeValueError);
      expect(counter.requests.length).toBe(before);
      expect(c.puts).toEqual([]);
    },
  );

  it('refuses non-string and non-list shapes, a bad e-mail, a plain-http remote directory, a bad key', async () => {
    const c = mapChallenger();
    const before = counter.requests.length;
    const names = { hostname: HOST, aliases: [] };
    const bad: [AcmeConfig, { hostname: string; aliases: string[] }][] = [
      [config, { hostname: 42 as unknown as string, aliases: [] }],
      [config, { hostname: HOST, aliases: 'www.example-kab.test' as unknown as string[] }],
      [config, { hostname: HOST, aliases: [null as unknown as string] }],
      [config, { hostname: HOST, aliases: Array.from({ length: 101 }, (_, i) => `a${i}.example-kab.test`) }],
      [{ ...config, email: 'tik@example-kab.test\nBcc: x@evil.test' }, names],
      [{ ...config, email: 'no-at-sign' }, names],
      [{ ...config, directoryUrl: 'http://acme.example.test/dir' }, names],
      [{ ...config, directoryUrl: 'https://user:pw@127.0.0.1/dir' }, names],
      [{ ...config, directoryUrl: 'file:///etc/passwd' }, names],
      [{ ...config, accountKeyPem: 'not a key' }, names],
      [{ ...config, caCertPem: 'not a certificate' }, names],
    ];
    for (const [cfg, n] of bad) {
      await expect(obtainCertificate(cfg, n, c.challenger)).rejects.toBeInstanceOf(UnsafeValueError);
    }
    expect(counter.requests.length).toBe(before);
    expect(c.puts).toEqual([]);
  });

  it('control: a valid name does reach the (non-ACME) directory, so the counter can see requests', async () => {
    const c = mapChallenger();
    const before = counter.requests.length;
    const err = await obtainCertificate(config, { hostname: HOST, aliases: [ALIAS] }, c.challenger).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(AcmeError);
    expect((err as AcmeError).stage).toBe('account');
    expect(counter.requests.length).toBeGreaterThan(before);
    expect(counter.requests.at(-1)).toMatch(/^GET .* \/dir$/);
  });
});

describe.skipIf(!havePebble)('obtainCertificate against pebble', () => {
  let dns: LoopbackDns;
  let tokenServer: Awaited<ReturnType<typeof startHttp>>;
  let pebble: PebbleServer;
  let config: AcmeConfig;
  /** What the token server serves: the current test's challenger map. */
  let served = new Map<string, string>();

  beforeAll(async () => {
    dns = await startLoopbackDns();
    tokenServer = await startHttp((req, res) => {
      const url = req.url ?? '';
      const content = url.startsWith(PREFIX) ? served.get(url.slice(PREFIX.length)) : undefined;
      if (content === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end(content);
    });
    pebble = await startPebble({ httpPort: tokenServer.port, dnsPort: dns.port });
    config = {
      directoryUrl: pebble.directoryUrl,
      email: 'tik@example-kab.test',
      accountKeyPem: await createAccountKey(),
      caCertPem: pebble.caCertPem,
      skipChallengeVerification: true,
    };
  });
  afterAll(async () => {
    await pebble?.stop();
    await tokenServer?.stop();
    await dns?.stop();
  });

  it('issues a certificate for the name and its alias by http-01; the chain verifies against pebble’s root', async () => {
    const c = mapChallenger();
    served = c.tokens;
    const got = await obtainCertificate(config, { hostname: HOST, aliases: [ALIAS] }, c.challenger);

    // The validator really fetched both tokens through our DNS and token server.
    expect(c.puts).toHaveLength(2);
    for (const t of c.puts) expect(tokenServer.requests.some((r) => r.endsWith(`${PREFIX}${t}`))).toBe(true);
    expect(dns.queries).toEqual(expect.arrayContaining([HOST, ALIAS]));
    // Every token removed afterwards.
    expect([...c.removes].sort()).toEqual([...c.puts].sort());
    expect(c.tokens.size).toBe(0);

    const facts = certificateFacts(got.certPem);
    expect(facts.subjectAltNames).toEqual(expect.arrayContaining([HOST, ALIAS]));
    expect(facts.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(got.notAfter).toEqual(facts.notAfter);
    expect(got.notBefore).toEqual(facts.notBefore);
    expect(got.issuer).toMatch(/Pebble Intermediate CA/);

    // The chain: leaf ← intermediate ← pebble's root (from the management interface).
    const chain = got.certPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    expect(chain.length).toBeGreaterThanOrEqual(2);
    const leaf = new X509Certificate(chain[0] as string);
    const intermediate = new X509Certificate(chain[1] as string);
    const root = new X509Certificate(pebble.rootCertPem);
    expect(leaf.checkIssued(intermediate)).toBe(true);
    expect(leaf.verify(intermediate.publicKey)).toBe(true);
    expect(intermediate.checkIssued(root)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expect(leaf.verify(root.publicKey)).toBe(false); // not signed by the root directly
    expect(leaf.checkPrivateKey(createPrivateKey(got.keyPem))).toBe(true);

    // And in a real TLS handshake, trusting only pebble's root, for both names.
    const server = https.createServer({ cert: got.certPem, key: got.keyPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const { port } = server.address() as net.AddressInfo;
      for (const servername of [HOST, ALIAS]) {
        const peer = await new Promise<X509Certificate>((resolve, reject) => {
          const s = tls.connect({ host: '127.0.0.1', port, servername, ca: pebble.rootCertPem }, () => {
            const cert = s.getPeerX509Certificate();
            s.end();
            if (cert) resolve(cert);
            else reject(new Error('no peer certificate'));
          });
          s.on('error', reject);
        });
        expect(peer.fingerprint256).toBe(leaf.fingerprint256);
      }
      // A name the certificate does not cover fails the handshake.
      const wrong = await new Promise<Error | undefined>((resolve) => {
        const s = tls.connect(
          { host: '127.0.0.1', port, servername: 'other.example-kab.test', ca: pebble.rootCertPem },
          () => {
            s.end();
            resolve(undefined);
          },
        );
        s.on('error', resolve);
      });
      expect(wrong?.message).toMatch(/does not match|altnames/i);
    } finally {
      server.close();
    }
  }, 60_000);

  it('a failing challenge (wrong content served) is rejected with a clear error, and its tokens are removed', async () => {
    const c = mapChallenger({ wrongContent: true });
    served = c.tokens;
    const name = 'dpmptsp.example-kab.test';
    const err = await obtainCertificate(config, { hostname: name, aliases: [] }, c.challenger).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(AcmeError);
    expect((err as AcmeError).stage).toBe('challenge');
    expect((err as Error).message).toMatch(
      new RegExp(`http-01 validation failed for ${name.replace(/\./g, '\\.')}`),
    );
    // pebble's own reason is passed on.
    expect((err as Error).message).toMatch(/key ?authorization|keyAuthorization|incorrect|unauthorized/i);
    expect(c.puts).toHaveLength(1);
    expect(c.removes).toEqual(c.puts);
    expect(c.tokens.size).toBe(0);
  }, 60_000);

  it('a challenger that fails to serve the token: rejected, and the token removal still attempted', async () => {
    const c = mapChallenger();
    served = c.tokens;
    const failing: Challenger = {
      put: async () => {
        throw new Error('disk full');
      },
      remove: c.challenger.remove,
    };
    const err = await obtainCertificate(
      config,
      { hostname: 'bappeda.example-kab.test', aliases: [] },
      failing,
    ).catch((e) => e);
    expect(err).toBeInstanceOf(AcmeError);
    expect((err as Error).message).toMatch(
      /serving the http-01 token for bappeda\.example-kab\.test failed: disk full/,
    );
    expect(c.removes).toHaveLength(1);
  }, 60_000);

  it('trust for pebble’s CA is scoped to the call: without caCertPem the directory is not trusted', async () => {
    const c = mapChallenger();
    served = c.tokens;
    const { caCertPem: _omit, ...untrusting } = config;
    // acme-client retries network and TLS errors 5 times with growing pauses (75 s in all); this
    // test process only: no retries.
    const settings = (acme.axios.defaults as unknown as { acmeSettings: { retryMaxAttempts: number } })
      .acmeSettings;
    const retries = settings.retryMaxAttempts;
    settings.retryMaxAttempts = 0;
    const err = await obtainCertificate(untrusting, { hostname: HOST, aliases: [] }, c.challenger)
      .catch((e) => e)
      .finally(() => {
        settings.retryMaxAttempts = retries;
      });
    expect(err).toBeInstanceOf(AcmeError);
    expect((err as AcmeError).stage).toBe('account');
    expect((err as Error).message).toMatch(/no answer from the CA: unable to verify the first certificate/);
    expect(c.puts).toEqual([]);
  }, 60_000);

  it('runs again for the same names with the same account (a re-run step gets a new certificate)', async () => {
    const c = mapChallenger();
    served = c.tokens;
    const got = await obtainCertificate(config, { hostname: HOST, aliases: [ALIAS, HOST] }, c.challenger);
    expect(certificateFacts(got.certPem).subjectAltNames.sort()).toEqual([HOST, ALIAS].sort());
    expect(c.tokens.size).toBe(0);
  }, 60_000);
});
