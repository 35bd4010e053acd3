// The Apache adapter: hostile input that must never reach a file or apache2 (with a recording fake
// binary, so these run everywhere), and the real thing against a private Apache from Debian's apache2
// (test/servers/apache.ts): name-based and dedicated-IP vhosts, TLS, maintenance, idempotency, the
// revert of a failed change byte for byte, a broken site file elsewhere, and removal.

import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApacheServer,
  findApache,
  findOpenssl,
  makeSelfSigned,
  startApache,
} from '../../../test/servers/apache.ts';
import { UnsafeValueError } from '../types.ts';
import {
  ApacheError,
  type ApacheHost,
  describeSite,
  installCertificate,
  installSite,
  putChallenge,
  removeChallenge,
  removeSite,
  type SiteSpec,
} from './site.ts';
import { MAINTENANCE_PAGE } from './vhost.ts';

const haveApache = findApache() !== undefined && findOpenssl() !== undefined;
if (!haveApache && process.env.CI === 'true') {
  throw new Error('CI=true but Apache is missing: apt-get install apache2 openssl');
}
if (!haveApache)
  console.warn('Apache adapter tests against apache2 skipped: install apache2 (and openssl) to run them');

const ZONE = 'example-kab.go.id';

// ---------------------------------------------------------------------------------------------------
// Hostile input (a fake apache2 that records its calls)

const HOSTILE_NAMES = [
  `x.${ZONE}\nAlias /leak /etc`,
  `x.${ZONE}\r\nAlias /leak /etc`,
  `x.${ZONE}\u2028Alias /leak /etc`,
  `x.${ZONE} Alias /leak /etc`,
  `x y.${ZONE}`,
  `"x".${ZONE}`,
  `'x'.${ZONE}`,
  `$(touch /tmp/loket-pwned).${ZONE}`,
  `\`id\`.${ZONE}`,
  `x.${ZONE};id`,
  `x.${ZONE}#`,
  `x.${ZONE}:80`,
  `*.${ZONE}`,
  '..',
  `../../etc/passwd`,
  `x/../../etc.${ZONE}`,
  `dinkés.${ZONE}`,
  `ｘ.${ZONE}`,
  `X.${ZONE}`,
  `x\u0000.${ZONE}`,
  `x\t.${ZONE}`,
  `-x.${ZONE}`,
  `x..${ZONE}`,
  '',
  `${'a'.repeat(64)}.${ZONE}`,
];

function fakeHost(): { h: ApacheHost; calls: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-apache-fake-'));
  const calls = path.join(dir, 'calls.log');
  const binary = path.join(dir, 'fake-apache2');
  fs.writeFileSync(binary, `#!/bin/sh\necho "$@" >> ${calls}\nexit 0\n`, { mode: 0o755 });
  const h: ApacheHost = {
    configFile: path.join(dir, 'httpd.conf'),
    sitesDir: path.join(dir, 'sites'),
    docrootBase: path.join(dir, 'www'),
    challengeDir: path.join(dir, 'acme'),
    certDir: path.join(dir, 'certs'),
    listenAddress: '*',
    httpPort: 1,
    httpsPort: 2,
    binary,
  };
  return { h, calls, dir };
}

/** Every file below dir, relative. */
function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

function spec(name: string, over: Partial<SiteSpec> = {}, base = '/srv/www'): SiteSpec {
  return {
    hostname: `${name}.${ZONE}`,
    aliases: [],
    ip: null,
    docroot: `${base}/${name}`,
    tls: false,
    maintenance: false,
    ...over,
  };
}

describe('Apache adapter: validation before anything is touched', () => {
  let fake: ReturnType<typeof fakeHost>;
  beforeAll(() => {
    fake = fakeHost();
  });
  afterAll(() => fs.rmSync(fake.dir, { recursive: true, force: true }));

  const expectNothingTouched = () => {
    expect(fs.existsSync(fake.calls)).toBe(false);
    expect(tree(fake.h.sitesDir)).toEqual([]);
    expect(tree(fake.h.docrootBase)).toEqual([]);
    expect(tree(fake.h.certDir)).toEqual([]);
    expect(tree(fake.h.challengeDir)).toEqual([]);
  };

  it('refuses hostile host names and aliases with UnsafeValueError; no file is written, apache2 is not run', async () => {
    const base = fake.h.docrootBase;
    for (const bad of HOSTILE_NAMES) {
      await expect(installSite(fake.h, spec('ok', { hostname: bad }, base))).rejects.toBeInstanceOf(
        UnsafeValueError,
      );
      await expect(
        installSite(fake.h, spec('ok', { aliases: [`a.${ZONE}`, bad] }, base)),
      ).rejects.toBeInstanceOf(UnsafeValueError);
      expect(() => describeSite(fake.h, spec('ok', { aliases: [bad] }, base))).toThrow(UnsafeValueError);
      await expect(removeSite(fake.h, bad, { removeDocroot: true })).rejects.toBeInstanceOf(UnsafeValueError);
      await expect(installCertificate(fake.h, bad, { cert: 'x', key: 'y' })).rejects.toBeInstanceOf(
        UnsafeValueError,
      );
    }
    expectNothingTouched();
  });

  it('refuses hostile document roots, addresses, flags, tokens and challenge contents', async () => {
    const base = fake.h.docrootBase;
    const badDocroots = [
      `${base}/../etc`,
      '/etc',
      base,
      `${base}/`,
      `${base}/a b`,
      `${base}/a\nAlias /leak /etc`,
      `${base}/$(id)`,
      `${base}/"a"`,
      `${base}/ü`,
      `${base}//a`,
      `${base}/./a`,
      `${base}/.hidden`,
      `${base}-other/a`,
      'relative/a',
    ];
    for (const docroot of badDocroots) {
      await expect(installSite(fake.h, spec('ok', { docroot }, base))).rejects.toBeInstanceOf(
        UnsafeValueError,
      );
      await expect(removeSite(fake.h, `ok.${ZONE}`, { docroot, removeDocroot: true })).rejects.toBeInstanceOf(
        UnsafeValueError,
      );
    }
    for (const ip of [
      '127.0.0.1\nListen 80',
      '127.0.0.1:80',
      '127.0.0.1 127.0.0.3',
      '999.1.1.1',
      'localhost',
      '0.0.0.0',
      '::',
      '01.2.3.4',
      'fe80::1%eth0',
      '',
    ]) {
      await expect(installSite(fake.h, spec('ok', { ip }, base))).rejects.toBeInstanceOf(UnsafeValueError);
    }
    const loose = (o: object) => spec('ok', o as Partial<SiteSpec>, base);
    for (const over of [
      { tls: 'yes' },
      { maintenance: 1 },
      { aliases: `a.${ZONE}` },
      { ip: undefined },
      { aliases: Array(101).fill(`a.${ZONE}`) },
    ]) {
      await expect(installSite(fake.h, loose(over))).rejects.toBeInstanceOf(UnsafeValueError);
    }
    for (const [field, value] of [
      ['listenAddress', '* \nAlias /leak /etc'],
      ['httpPort', 80.5],
      ['httpsPort', 1],
      ['sitesDir', '/tmp/a b'],
      ['certDir', 'relative'],
      ['binary', '/bin/sh -c id'],
    ] as const) {
      await expect(installSite({ ...fake.h, [field]: value }, spec('ok', {}, base))).rejects.toBeInstanceOf(
        UnsafeValueError,
      );
    }
    for (const token of ['../x', 'a/b', 'a.b', '', 'a'.repeat(257), 'a\n', 'ä', '.']) {
      await expect(putChallenge(fake.h, token, 'abc.def')).rejects.toBeInstanceOf(UnsafeValueError);
      await expect(removeChallenge(fake.h, token)).rejects.toBeInstanceOf(UnsafeValueError);
    }
    for (const content of ['a b', 'a\n', '<script>', '', 'x'.repeat(1025)]) {
      await expect(putChallenge(fake.h, 'tok', content)).rejects.toBeInstanceOf(UnsafeValueError);
    }
    expectNothingTouched();
  });

  it('never follows a symbolic link below docrootBase', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-apache-outside-'));
    try {
      fs.mkdirSync(fake.h.docrootBase, { recursive: true });
      fs.symlinkSync(outside, path.join(fake.h.docrootBase, 'link'));
      const s = spec('ok', { docroot: `${fake.h.docrootBase}/link/site` }, fake.h.docrootBase);
      await expect(installSite(fake.h, s)).rejects.toBeInstanceOf(UnsafeValueError);
      await expect(
        installSite(fake.h, { ...s, docroot: `${fake.h.docrootBase}/link` }),
      ).rejects.toBeInstanceOf(UnsafeValueError);
      await expect(
        removeSite(fake.h, s.hostname, { docroot: `${fake.h.docrootBase}/link`, removeDocroot: true }),
      ).rejects.toBeInstanceOf(UnsafeValueError);
      expect(fs.readdirSync(outside)).toEqual([]);
      expect(fs.existsSync(outside)).toBe(true);
      expect(fs.existsSync(fake.calls)).toBe(false);
      expect(tree(fake.h.sitesDir).filter((f) => f.endsWith('.conf') || f.includes('loket-prev'))).toEqual(
        [],
      );
    } finally {
      fs.rmSync(path.join(fake.h.docrootBase, 'link'), { force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('generated names: accepted only when every label is valid, and then every config line has a fixed shape', () => {
    const hostileish = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.stringMatching(/^[a-z0-9.-]{1,40}$/),
      fc.constantFrom(...HOSTILE_NAMES),
    );
    const base = '/srv/www';
    const h = { ...fake.h, docrootBase: base };
    const LINE_SHAPES = [
      /^# [A-Za-z :,.()0-9-]+$/,
      /^<VirtualHost (\*|[0-9.]+|\[[0-9a-f:]+\]):\d+>$/,
      /^<\/VirtualHost>$/,
      /^ {4}Server(Name|Alias) [a-z0-9]([a-z0-9.-]*[a-z0-9])?$/,
      /^ {4}DocumentRoot \/srv\/www\/[A-Za-z0-9._-]+$/,
      /^ {4}<Directory \/srv\/www\/[A-Za-z0-9._-]+>$/,
      /^ {4}Header always set X-Loket-Config [0-9a-f]{16}$/,
      /^ {8}(Options None|AllowOverride None|Require all granted)$/,
      /^ {4}<\/Directory>$/,
    ];
    fc.assert(
      fc.property(hostileish, hostileish, fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), (name, alias, seg) => {
        let config: string;
        try {
          config = describeSite(h, {
            hostname: name,
            aliases: [alias],
            ip: null,
            docroot: `${base}/${seg}`,
            tls: false,
            maintenance: false,
          }).config;
        } catch (e) {
          expect(e).toBeInstanceOf(UnsafeValueError);
          return;
        }
        const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
        for (const n of [name, alias]) expect(n.split('.').every((l) => label.test(l))).toBe(true);
        for (const line of config.trimEnd().split('\n')) {
          expect(
            LINE_SHAPES.some((re) => re.test(line)),
            line,
          ).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('renders the variants (name-based, dedicated IPv4/IPv6, TLS, maintenance) deterministically', () => {
    const h = { ...fake.h, docrootBase: '/srv/www', listenAddress: '*', httpPort: 80, httpsPort: 443 };
    const plain = describeSite(
      h,
      spec('dinkes', { aliases: [`www2.${ZONE}`, `www2.${ZONE}`, `dinkes.${ZONE}`] }),
    );
    expect(plain.file).toBe(path.join(h.sitesDir, `dinkes.${ZONE}.conf`));
    expect(plain.config).toContain('<VirtualHost *:80>');
    expect(plain.config.match(/ServerAlias/g)).toHaveLength(1);
    expect(plain.config).not.toContain(':443>');
    expect(describeSite(h, spec('dinkes', { aliases: [`www2.${ZONE}`] })).config).toBe(plain.config);

    const v6 = describeSite(h, spec('v6', { ip: '2001:DB8:0:0::1' })).config;
    expect(v6).toContain('<VirtualHost [2001:db8::1]:80>');

    const tls = describeSite(h, spec('dinkes', { tls: true })).config;
    expect(tls).toContain('<VirtualHost *:443>');
    expect(tls).toContain(`SSLCertificateFile ${h.certDir}/dinkes.${ZONE}/fullchain.pem`);
    expect(tls).toContain(`SSLCertificateKeyFile ${h.certDir}/dinkes.${ZONE}/privkey.pem`);
    expect(tls).toContain(
      `RedirectMatch 301 ^/(?!\\.well-known/acme-challenge/)(.*)$ https://dinkes.${ZONE}/$1`,
    );
    expect(describeSite({ ...h, httpsPort: 8443 }, spec('dinkes', { tls: true })).config).toContain(
      `https://dinkes.${ZONE}:8443/$1`,
    );

    const down = describeSite(h, spec('dinkes', { maintenance: true })).config;
    expect(down).toContain('RedirectMatch 503 ^/(?!\\.well-known/acme-challenge/)');
    expect(down).toContain(`ErrorDocument 503 "${MAINTENANCE_PAGE}"`);
    expect(MAINTENANCE_PAGE).not.toMatch(/["\\\n]|[^\x20-\x7e]/);
    const tags = new Set(
      [plain, { config: tls }, { config: down }].map((c) => /X-Loket-Config (\w+)/.exec(c.config)?.[1]),
    );
    expect(tags.size).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------------
// Against a real Apache

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

function get(port: number, host: string, urlPath = '/', address = '127.0.0.1'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: address, port, path: urlPath, headers: { Host: host }, agent: false },
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

function getTls(
  port: number,
  servername: string,
  urlPath = '/',
): Promise<Answer & { fingerprint256: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        servername,
        path: urlPath,
        headers: { Host: servername },
        agent: false,
        rejectUnauthorized: false,
      },
      (res) => {
        const fingerprint256 = (res.socket as import('node:tls').TLSSocket).getPeerCertificate()
          .fingerprint256;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, fingerprint256 }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const reloads = (server: ApacheServer) => (server.log().match(/SIGUSR1 received/g) ?? []).length;

describe.skipIf(!haveApache)('Apache adapter against apache2', () => {
  let server: ApacheServer;
  let h: ApacheHost;
  const site = (name: string, over: Partial<SiteSpec> = {}) => spec(name, over, server.docrootBase);
  const page = (s: SiteSpec, text: string) => fs.writeFileSync(path.join(s.docroot, 'index.html'), text);
  const fileOf = (s: SiteSpec | string) =>
    path.join(h.sitesDir, `${typeof s === 'string' ? s : s.hostname}.conf`);
  /** A copy of the real apache2 that fails one action, as a config error would. */
  const failingBinary = (on: '-t' | 'graceful') => {
    const p = path.join(server.dir, `apache2-failing-${on.replace('-', '')}`);
    fs.writeFileSync(
      p,
      `#!/bin/sh\nfor a in "$@"; do if [ "$a" = "${on}" ]; then echo "AH00526: Syntax error (injected by the test on ${on})" >&2; exit 1; fi; done\nexec ${server.binary} "$@"\n`,
      { mode: 0o755 },
    );
    return { ...h, binary: p };
  };

  beforeAll(async () => {
    server = await startApache();
    h = server;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('two name-based sites answer with their own pages; an unknown name gets the default 403', async () => {
    const dinkes = site('dinkes');
    const disdik = site('disdik', { aliases: [`sekolah.${ZONE}`] });
    expect(await installSite(h, dinkes)).toBe('created');
    expect(await installSite(h, disdik)).toBe('created');
    expect(fs.statSync(dinkes.docroot).mode & 0o777).toBe(0o755);
    page(dinkes, 'halaman dinkes');
    page(disdik, 'halaman disdik');
    expect(await get(h.httpPort, dinkes.hostname)).toMatchObject({ status: 200, body: 'halaman dinkes' });
    expect(await get(h.httpPort, disdik.hostname)).toMatchObject({ status: 200, body: 'halaman disdik' });
    expect(await get(h.httpPort, `sekolah.${ZONE}`)).toMatchObject({ status: 200, body: 'halaman disdik' });
    expect((await get(h.httpPort, `unknown.${ZONE}`)).status).toBe(403);
    expect(fs.readFileSync(fileOf(dinkes), 'utf8')).toBe(describeSite(h, dinkes).config);
  });

  it('the same spec again is unchanged and does not reload; a changed spec is changed and served', async () => {
    const dinkes = site('dinkes');
    const before = reloads(server);
    const bytes = fs.readFileSync(fileOf(dinkes));
    expect(await installSite(h, dinkes)).toBe('unchanged');
    expect(await installSite(h, dinkes)).toBe('unchanged');
    expect(reloads(server)).toBe(before);
    expect(fs.readFileSync(fileOf(dinkes)).equals(bytes)).toBe(true);

    expect(await installSite(h, site('dinkes', { aliases: [`kesehatan.${ZONE}`] }))).toBe('changed');
    expect(reloads(server)).toBe(before + 1);
    expect(await get(h.httpPort, `kesehatan.${ZONE}`)).toMatchObject({ status: 200, body: 'halaman dinkes' });
    expect(fs.existsSync(`${fileOf(dinkes)}.loket-prev`)).toBe(false);
  });

  it('a dedicated-IP vhost owns its address; on the shared address its name is unknown', async () => {
    const bappeda = site('bappeda', { ip: server.dedicatedIp });
    expect(await installSite(h, bappeda)).toBe('created');
    page(bappeda, 'halaman bappeda');
    expect(fs.readFileSync(fileOf(bappeda), 'utf8')).toContain(`<VirtualHost 127.0.0.2:${h.httpPort}>`);
    expect(await get(h.httpPort, bappeda.hostname, '/', server.dedicatedIp)).toMatchObject({
      status: 200,
      body: 'halaman bappeda',
    });
    expect(await get(h.httpPort, `whatever.${ZONE}`, '/', server.dedicatedIp)).toMatchObject({
      status: 200,
      body: 'halaman bappeda',
    });
    expect((await get(h.httpPort, bappeda.hostname)).status).toBe(403);
    // Name-based sites are not reachable through the dedicated address's vhost.
    expect((await get(h.httpPort, `dinkes.${ZONE}`, '/', server.dedicatedIp)).body).toBe('halaman bappeda');
  });

  it('TLS: the installed certificate is served, HTTP redirects to HTTPS except the ACME path, renewal reloads', async () => {
    const dinkes = site('dinkes', { aliases: [`kesehatan.${ZONE}`], tls: true });
    const bytes = fs.readFileSync(fileOf(dinkes));
    // No certificate yet: refused before anything is written.
    await expect(installSite(h, dinkes)).rejects.toBeInstanceOf(ApacheError);
    expect(fs.readFileSync(fileOf(dinkes)).equals(bytes)).toBe(true);

    const pair = await makeSelfSigned(dinkes.hostname, server.dir);
    const other = await makeSelfSigned(dinkes.hostname, server.dir);
    // A key that does not belong to the certificate would stop Apache at the next reload: refused.
    await expect(
      installCertificate(h, dinkes.hostname, { cert: pair.cert, key: other.key }),
    ).rejects.toBeInstanceOf(UnsafeValueError);
    await expect(
      installCertificate(h, dinkes.hostname, { cert: 'garbage', key: pair.key }),
    ).rejects.toBeInstanceOf(UnsafeValueError);
    expect(fs.existsSync(path.join(h.certDir, dinkes.hostname))).toBe(false);

    await installCertificate(h, dinkes.hostname, pair);
    await installCertificate(h, dinkes.hostname, pair); // idempotent
    const keyFile = path.join(h.certDir, dinkes.hostname, 'privkey.pem');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(h.certDir, dinkes.hostname)).sort()).toEqual([
      'fullchain.pem',
      'privkey.pem',
    ]);

    expect(await installSite(h, dinkes)).toBe('changed');
    const tlsAnswer = await getTls(h.httpsPort, dinkes.hostname);
    expect(tlsAnswer).toMatchObject({ status: 200, body: 'halaman dinkes' });
    expect(tlsAnswer.fingerprint256).toBe(new X509Certificate(pair.cert).fingerprint256);
    // An unknown name over HTTPS lands on the default vhost (its own certificate, 403).
    const unknown = await getTls(h.httpsPort, `unknown.${ZONE}`);
    expect(unknown.status).toBe(403);
    expect(unknown.fingerprint256).not.toBe(tlsAnswer.fingerprint256);

    const redirect = await get(h.httpPort, dinkes.hostname, '/a/b%20c?x=1&y=2');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe(`https://${dinkes.hostname}:${h.httpsPort}/a/b%20c?x=1&y=2`);

    await putChallenge(h, 'tok-EN_1', 'tok-EN_1.thumbprint_-');
    const challenge = await get(h.httpPort, dinkes.hostname, '/.well-known/acme-challenge/tok-EN_1');
    expect(challenge).toMatchObject({ status: 200, body: 'tok-EN_1.thumbprint_-' });
    await removeChallenge(h, 'tok-EN_1');
    await removeChallenge(h, 'tok-EN_1');
    expect((await get(h.httpPort, dinkes.hostname, '/.well-known/acme-challenge/tok-EN_1')).status).toBe(404);

    // Renewal: a new pair for the same host is served after installCertificate alone.
    await installCertificate(h, dinkes.hostname, other);
    expect((await getTls(h.httpsPort, dinkes.hostname)).fingerprint256).toBe(
      new X509Certificate(other.cert).fingerprint256,
    );
  });

  it('a renewal killed half-way never reaches Apache as a mixed pair; a killed reload is redone', async () => {
    const host = `dinkes.${ZONE}`;
    const certFile = path.join(h.certDir, host, 'fullchain.pem');
    const keyFile = path.join(h.certDir, host, 'privkey.pem');
    const fingerprint = async () => (await getTls(h.httpsPort, host)).fingerprint256;
    const served = await fingerprint();

    // Killed between the two renames: the new key is in place, the new certificate still aside.
    // Reloaded like this, Apache would stop (AH02565); the next change finishes the pair first.
    const third = await makeSelfSigned(host, server.dir);
    fs.writeFileSync(keyFile, third.key, { mode: 0o600 });
    fs.writeFileSync(`${certFile}.loket-new`, third.cert);
    expect(await installSite(h, site('disdik', { aliases: [`sekolah.${ZONE}`, `pendidikan.${ZONE}`] }))).toBe(
      'changed',
    );
    expect(await fingerprint()).toBe(new X509Certificate(third.cert).fingerprint256);
    expect(fs.readdirSync(path.join(h.certDir, host)).sort()).toEqual(['fullchain.pem', 'privkey.pem']);

    // Killed while writing the new files: they are dropped, the installed pair stays.
    fs.writeFileSync(`${certFile}.loket-new`, '-----BEGIN CERTIFICATE-----\nMIIB');
    fs.writeFileSync(`${keyFile}.loket-new`, '');
    expect(await installSite(h, site('disdik', { aliases: [`sekolah.${ZONE}`] }))).toBe('changed');
    expect(await fingerprint()).toBe(new X509Certificate(third.cert).fingerprint256);
    expect(fs.readdirSync(path.join(h.certDir, host)).sort()).toEqual(['fullchain.pem', 'privkey.pem']);

    // Killed after writing, before the reload: installing the same pair again reloads.
    const fourth = await makeSelfSigned(host, server.dir);
    fs.writeFileSync(keyFile, fourth.key, { mode: 0o600 });
    fs.writeFileSync(certFile, fourth.cert);
    expect(await fingerprint()).toBe(new X509Certificate(third.cert).fingerprint256);
    await installCertificate(h, host, fourth);
    expect(await fingerprint()).toBe(new X509Certificate(fourth.cert).fingerprint256);
    expect(served).not.toBe(new X509Certificate(fourth.cert).fingerprint256);
  });

  it('maintenance: 503 with the bilingual page, except the ACME path; and back', async () => {
    const disdik = site('disdik', { aliases: [`sekolah.${ZONE}`] });
    expect(await installSite(h, { ...disdik, maintenance: true })).toBe('changed');
    for (const name of [disdik.hostname, `sekolah.${ZONE}`]) {
      for (const p of ['/', '/index.html', '/x/y?z=1']) {
        const a = await get(h.httpPort, name, p);
        expect(a.status).toBe(503);
        expect(a.body).toContain('Situs sedang dalam pemeliharaan');
        expect(a.body).toContain('Site under maintenance');
        expect(a.body).not.toContain('halaman disdik');
        expect(a.headers['retry-after']).toBe('3600');
      }
    }
    await putChallenge(h, 'maint', 'maint.abc');
    expect(await get(h.httpPort, disdik.hostname, '/.well-known/acme-challenge/maint')).toMatchObject({
      status: 200,
      body: 'maint.abc',
    });
    await removeChallenge(h, 'maint');

    // With TLS, the HTTPS vhost is the one under maintenance.
    const dinkes = site('dinkes', { aliases: [`kesehatan.${ZONE}`], tls: true });
    expect(await installSite(h, { ...dinkes, maintenance: true })).toBe('changed');
    expect((await getTls(h.httpsPort, dinkes.hostname)).status).toBe(503);
    expect((await get(h.httpPort, dinkes.hostname)).status).toBe(301);
    expect(await installSite(h, dinkes)).toBe('changed');

    expect(await installSite(h, disdik)).toBe('changed');
    expect(await get(h.httpPort, disdik.hostname)).toMatchObject({ status: 200, body: 'halaman disdik' });
  });

  it('a hostile alias never reaches Apache: refused, nothing written, no reload, /etc not served', async () => {
    const before = reloads(server);
    const files = fs.readdirSync(h.sitesDir).sort();
    const hostile = site('leak', { aliases: [`x.${ZONE}\nAlias /leak /etc`] });
    await expect(installSite(h, hostile)).rejects.toBeInstanceOf(UnsafeValueError);
    expect(fs.readdirSync(h.sitesDir).sort()).toEqual(files);
    expect(fs.existsSync(hostile.docroot)).toBe(false);
    expect(reloads(server)).toBe(before);
    const leak = await get(h.httpPort, `x.${ZONE}`, '/leak/hostname');
    expect(leak.status).toBe(403);
    expect((await get(h.httpPort, `dinkes.${ZONE}`, '/leak/hostname')).status).not.toBe(200);
  });

  it('a name another site already serves is refused before anything is written', async () => {
    const files = fs.readdirSync(h.sitesDir).sort();
    const thief = site('thief', { aliases: [`sekolah.${ZONE}`] });
    await expect(installSite(h, thief)).rejects.toThrow(/sekolah\.example-kab\.go\.id is already served/);
    expect(fs.readdirSync(h.sitesDir).sort()).toEqual(files);
    expect(await get(h.httpPort, `sekolah.${ZONE}`)).toMatchObject({ status: 200, body: 'halaman disdik' });
  });

  it('a broken site file elsewhere: another install fails the configtest, is undone, and every site keeps serving', async () => {
    const disdik = site('disdik', { aliases: [`sekolah.${ZONE}`] });
    const good = fs.readFileSync(fileOf(disdik));
    fs.writeFileSync(fileOf(disdik), 'garbage that is not apache configuration\n');
    const dishub = site('dishub');
    const err = await installSite(h, dishub).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApacheError);
    expect((err as ApacheError).output).toContain(fileOf(disdik));
    expect((err as ApacheError).message).toMatch(/Invalid command 'garbage'/);
    expect(fs.existsSync(fileOf(dishub))).toBe(false);
    expect(fs.existsSync(`${fileOf(dishub)}.loket-prev`)).toBe(false);
    // The running configuration still serves everything (the reload after the restore was refused).
    expect(await get(h.httpPort, disdik.hostname)).toMatchObject({ status: 200, body: 'halaman disdik' });
    expect((await getTls(h.httpsPort, `dinkes.${ZONE}`)).body).toBe('halaman dinkes');
    expect((await get(h.httpPort, `bappeda.${ZONE}`, '/', server.dedicatedIp)).body).toBe('halaman bappeda');
    expect((await get(h.httpPort, dishub.hostname)).status).toBe(403);

    // Re-installing the broken site repairs it; then the other install goes through.
    expect(await installSite(h, disdik)).toBe('changed');
    expect(fs.readFileSync(fileOf(disdik)).equals(good)).toBe(true);
    expect(await installSite(h, dishub)).toBe('created');
    page(dishub, 'halaman dishub');
    expect(await get(h.httpPort, dishub.hostname)).toMatchObject({ status: 200, body: 'halaman dishub' });
  });

  it('a failing configtest or reload restores the previous file byte for byte (or removes a new one)', async () => {
    const dishub = site('dishub');
    const bytes = fs.readFileSync(fileOf(dishub));
    for (const on of ['-t', 'graceful'] as const) {
      const failing = failingBinary(on);
      const err = await installSite(failing, { ...dishub, aliases: [`perhubungan.${ZONE}`] }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApacheError);
      expect((err as ApacheError).output).toContain(`injected by the test on ${on}`);
      expect(fs.readFileSync(fileOf(dishub)).equals(bytes)).toBe(true);
      expect(fs.existsSync(`${fileOf(dishub)}.loket-prev`)).toBe(false);

      const fresh = site(`baru-${on.replace('-', '')}`);
      await expect(installSite(failing, fresh)).rejects.toBeInstanceOf(ApacheError);
      expect(fs.existsSync(fileOf(fresh))).toBe(false);
      expect(fs.existsSync(`${fileOf(fresh)}.loket-prev`)).toBe(false);
    }
    expect(await get(h.httpPort, dishub.hostname)).toMatchObject({ status: 200, body: 'halaman dishub' });
    expect((await get(h.httpPort, `perhubungan.${ZONE}`)).status).toBe(403);
    expect(await installSite(h, dishub)).toBe('unchanged');
  });

  it('resumes changes a killed run left behind: a file written but not reloaded, and a pending .loket-prev', async () => {
    const dishub = site('dishub', { aliases: [`perhubungan.${ZONE}`] });
    // Killed after writing, before the reload: the file is right, the server does not run it.
    fs.writeFileSync(fileOf(dishub), describeSite(h, dishub).config);
    expect((await get(h.httpPort, `perhubungan.${ZONE}`)).status).toBe(403);
    expect(await installSite(h, dishub)).toBe('changed');
    expect(await get(h.httpPort, `perhubungan.${ZONE}`)).toMatchObject({
      status: 200,
      body: 'halaman dishub',
    });

    // Killed in the middle of a change: the previous version is still in .loket-prev.
    const back = site('dishub');
    const live = fs.readFileSync(fileOf(dishub));
    fs.writeFileSync(`${fileOf(dishub)}.loket-prev`, live);
    fs.writeFileSync(fileOf(dishub), describeSite(h, back).config);
    expect(await installSite(h, back)).toBe('changed');
    expect(fs.existsSync(`${fileOf(dishub)}.loket-prev`)).toBe(false);
    expect((await get(h.httpPort, `perhubungan.${ZONE}`)).status).toBe(403);
  });

  it('concurrent installs are serialised and all succeed', async () => {
    const names = ['paralel-a', 'paralel-b', 'paralel-c'];
    const results = await Promise.all(names.map((n) => installSite(h, site(n))));
    expect(results).toEqual(['created', 'created', 'created']);
    for (const n of names) {
      page(site(n), `halaman ${n}`);
      expect(await get(h.httpPort, `${n}.${ZONE}`)).toMatchObject({ status: 200, body: `halaman ${n}` });
    }
    expect(fs.existsSync(path.join(h.sitesDir, '.loket.lock'))).toBe(false);
  });

  it('removeSite: the name falls back to the default 403; vhost, certificate and document root are gone', async () => {
    const dinkes = site('dinkes');
    // A document root another site uses is never removed.
    fs.writeFileSync(
      fileOf(`shared.${ZONE}`),
      `<VirtualHost *:${h.httpPort}>\n    ServerName shared.${ZONE}\n    DocumentRoot ${dinkes.docroot}\n</VirtualHost>\n`,
    );
    await expect(removeSite(h, dinkes.hostname, { removeDocroot: true })).rejects.toThrow(/still used by/);
    fs.rmSync(fileOf(`shared.${ZONE}`));
    expect(fs.existsSync(fileOf(dinkes))).toBe(true);

    expect(await removeSite(h, dinkes.hostname, { removeDocroot: true })).toBe('removed');
    expect((await get(h.httpPort, dinkes.hostname)).status).toBe(403);
    expect((await get(h.httpPort, `kesehatan.${ZONE}`)).status).toBe(403);
    expect((await getTls(h.httpsPort, dinkes.hostname)).status).toBe(403);
    expect(fs.existsSync(fileOf(dinkes))).toBe(false);
    expect(fs.existsSync(path.join(h.certDir, dinkes.hostname))).toBe(false);
    expect(fs.existsSync(dinkes.docroot)).toBe(false);
    expect(await removeSite(h, dinkes.hostname, { docroot: dinkes.docroot, removeDocroot: true })).toBe(
      'absent',
    );

    // Keeping the document root; the other sites still answer.
    const dishub = site('dishub');
    expect(await removeSite(h, dishub.hostname, { removeDocroot: false })).toBe('removed');
    expect(fs.readFileSync(path.join(dishub.docroot, 'index.html'), 'utf8')).toBe('halaman dishub');
    expect((await get(h.httpPort, dishub.hostname)).status).toBe(403);
    expect(await get(h.httpPort, `disdik.${ZONE}`)).toMatchObject({ status: 200, body: 'halaman disdik' });
    expect(fs.readdirSync(h.sitesDir).filter((f) => f.includes('.loket-'))).toEqual([]);
  });
});
