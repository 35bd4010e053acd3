import { type ChildProcess, execFile, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './postgres.ts';

const run = promisify(execFile);

/** Debian's `pebble` (package pebble), or undefined. */
export function findPebble(): string | undefined {
  for (const p of ['/usr/bin/pebble', '/usr/local/bin/pebble']) {
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** `openssl`, which the harness needs to make pebble's own HTTPS certificate. */
export function findOpenssl(): string | undefined {
  for (const p of ['/usr/bin/openssl', '/usr/local/bin/openssl']) {
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

export type PebbleServer = {
  /** The ACME directory, e.g. https://127.0.0.1:40123/dir */
  directoryUrl: string;
  /** The CA of pebble's own HTTPS listener: trust it when talking to the directory. */
  caCertPem: string;
  /** The root that (through the intermediate) signs the certificates pebble issues. */
  rootCertPem: string;
  /** The intermediate pebble signs issued certificates with (pebble also sends it in the chain). */
  intermediateCertPem: string;
  /** What pebble wrote so far (for failing tests' messages). */
  log(): string;
  stop(): Promise<void>;
};

export type PebbleOptions = {
  /** The port on 127.0.0.1 where pebble's validator fetches http-01 tokens. */
  httpPort: number;
  /** A DNS server (UDP, 127.0.0.1) answering the test host names with 127.0.0.1. */
  dnsPort: number;
};

/**
 * Makes a throw-away CA and a server certificate for 127.0.0.1/localhost with openssl (execFile,
 * argument arrays). Debian's pebble ships no TLS pair for its own HTTPS listener.
 */
async function makeTlsPair(openssl: string, dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const f = (n: string) => path.join(dir, n);
  await run(openssl, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=Loket test pebble listener CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run(openssl, [
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  fs.writeFileSync(
    f('server.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  await run(openssl, [
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '2',
    '-extfile',
    f('server.ext'),
  ]);
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

/** GET over HTTPS trusting only `ca`; the body as text (pebble's management interface). */
function httpsGetText(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => {
        if (res.statusCode !== 200)
          reject(new Error(`GET ${url}: HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
        else resolve(body);
      });
    });
    req.on('error', reject);
  });
}

/** Waits until pebble says both listeners are up, or rejects when it exits first. */
function waitListening(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = () => {
      const out = output();
      if (/ACME directory available at:/.test(out) && /Management interface listening on:/.test(out)) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`pebble exited (${code}) before it was listening:\n${output()}`));
    };
    const cleanup = () => {
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

async function startOnce(pebble: string, openssl: string, o: PebbleOptions): Promise<PebbleServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-pebble-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const c = child;
      const killer = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  let output = '';
  try {
    const tls = await makeTlsPair(openssl, dir);
    const port = await freePort();
    const managementPort = await freePort();
    const config = {
      pebble: {
        listenAddress: `127.0.0.1:${port}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: tls.cert,
        privateKey: tls.key,
        httpPort: o.httpPort,
        // Unused (tls-alpn-01 is not used by Loket); pebble only needs a number here.
        tlsPort: o.httpPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    };
    const configFile = path.join(dir, 'pebble.json');
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
    child = spawn(pebble, ['-config', configFile, '-dnsserver', `127.0.0.1:${o.dnsPort}`], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        // Validate at once, accept every good nonce, never reuse an authorization (each order
        // really runs its http-01 challenges, so tests are deterministic).
        PEBBLE_VA_NOSLEEP: '1',
        PEBBLE_WFE_NONCEREJECT: '0',
        PEBBLE_AUTHZREUSE: '0',
      },
    });
    const c = child;
    exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.stdout?.setEncoding('utf8');
    c.stderr?.setEncoding('utf8');
    c.stdout?.on('data', (d: string) => {
      output += d;
    });
    c.stderr?.on('data', (d: string) => {
      output += d;
    });
    await waitListening(c, () => output);
    const caCertPem = fs.readFileSync(tls.ca, 'utf8');
    const mgmt = `https://127.0.0.1:${managementPort}`;
    const rootCertPem = await httpsGetText(`${mgmt}/roots/0`, caCertPem);
    const intermediateCertPem = await httpsGetText(`${mgmt}/intermediates/0`, caCertPem);
    return {
      directoryUrl: `https://127.0.0.1:${port}/dir`,
      caCertPem,
      rootCertPem,
      intermediateCertPem,
      log: () => output,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Starts a throw-away pebble (ACME test CA) on 127.0.0.1 on free high ports, in a temporary
 * directory with its own HTTPS certificate. Its http-01 validator fetches tokens from
 * `http://<name>:<httpPort>/.well-known/acme-challenge/<token>`, resolving names through the DNS
 * server on 127.0.0.1:`dnsPort` (see {@link startLoopbackDns}).
 */
export async function startPebble(o: PebbleOptions): Promise<PebbleServer> {
  const pebble = findPebble();
  if (!pebble) throw new Error('pebble not found (apt-get install pebble)');
  const openssl = findOpenssl();
  if (!openssl) throw new Error('openssl not found (apt-get install openssl)');
  for (const p of [o.httpPort, o.dnsPort]) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`not a port: ${p}`);
  }
  // A free port is only free until pebble binds it: another process may win the race; try again.
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(pebble, openssl, o);
    } catch (e) {
      last = e;
      if (!/address already in use/i.test(String(e))) throw e;
    }
  }
  throw last;
}

export type LoopbackDns = {
  port: number;
  /** The names asked for so far (lower case), for tests' assertions. */
  queries: string[];
  stop(): Promise<void>;
};

/**
 * A tiny authoritative DNS responder on 127.0.0.1 (UDP, free port) that answers every A query
 * with 127.0.0.1 and every other type with an empty NOERROR answer — so whatever name pebble is
 * asked to validate, it can only ever connect to loopback.
 */
export async function startLoopbackDns(): Promise<LoopbackDns> {
  const sock = dgram.createSocket('udp4');
  const queries: string[] = [];
  sock.on('message', (msg, rinfo) => {
    const reply = answer(msg, queries);
    if (reply) sock.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, '127.0.0.1', () => {
      sock.off('error', reject);
      resolve();
    });
  });
  return {
    port: sock.address().port,
    queries,
    stop: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}

/** The reply to one query: header, the question echoed, and (for A) one answer 127.0.0.1. */
function answer(msg: Buffer, queries: string[]): Buffer | undefined {
  if (msg.length < 12) return undefined;
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return undefined; // a response, not a query
  if (msg.readUInt16BE(4) !== 1) return undefined; // exactly one question
  // Walk the question name (plain labels; queries carry no compression pointers).
  let i = 12;
  const labels: string[] = [];
  while (i < msg.length) {
    const len = msg[i] ?? 0;
    if (len === 0) break;
    if (len > 63 || i + 1 + len > msg.length) return undefined;
    labels.push(
      msg
        .subarray(i + 1, i + 1 + len)
        .toString('latin1')
        .toLowerCase(),
    );
    i += 1 + len;
  }
  if (i + 5 > msg.length) return undefined;
  const qtype = msg.readUInt16BE(i + 1);
  const qclass = msg.readUInt16BE(i + 3);
  const question = msg.subarray(12, i + 5);
  queries.push(labels.join('.'));
  const isA = qtype === 1 && qclass === 1;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(msg.readUInt16BE(0), 0); // id
  // QR=1, opcode copied, AA=1, RD copied, RA=1, RCODE=0
  header.writeUInt16BE(0x8000 | (flags & 0x7800) | 0x0400 | (flags & 0x0100) | 0x0080, 2);
  header.writeUInt16BE(1, 4); // QDCOUNT
  header.writeUInt16BE(isA ? 1 : 0, 6); // ANCOUNT
  if (!isA) return Buffer.concat([header, question]);
  const rr = Buffer.from([
    0xc0,
    0x0c, // name: pointer to the question's name
    0x00,
    0x01, // type A
    0x00,
    0x01, // class IN
    0x00,
    0x00,
    0x00,
    0x3c, // TTL 60
    0x00,
    0x04, // RDLENGTH
    127,
    0,
    0,
    1,
  ]);
  return Buffer.concat([header, question, rr]);
}
