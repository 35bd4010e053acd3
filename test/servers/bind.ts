import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertSafeHostname } from '../../src/provisioning/types.ts';
import { freePort } from './postgres.ts';

/** Debian's `named` (package bind9), or undefined. */
export function findNamed(): string | undefined {
  for (const p of ['/usr/sbin/named', '/usr/bin/named']) {
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

export type BindServer = {
  host: '127.0.0.1';
  port: number;
  keyName: string;
  keySecret: Buffer;
  /** The temporary directory (config, zone files, journals). */
  dir: string;
  /** What named wrote to stderr so far (for failing tests' messages). */
  log(): string;
  stop(): Promise<void>;
};

export type BindOptions = { zones: string[]; keyName: string; keySecretBase64: string };

function namedConf(dir: string, port: number, o: BindOptions): string {
  const zones = o.zones
    .map(
      (z) => `zone "${z}" {
  type primary;
  file "${path.join(dir, `${z}.db`)}";
  update-policy { grant ${o.keyName} zonesub A AAAA CNAME TXT; };
};`,
    )
    .join('\n');
  return `options {
  directory "${dir}";
  pid-file "${path.join(dir, 'named.pid')}";
  session-keyfile "${path.join(dir, 'session.key')}";
  managed-keys-directory "${dir}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  notify no;
  allow-transfer { none; };
};
controls { };
key "${o.keyName}" {
  algorithm hmac-sha256;
  secret "${o.keySecretBase64}";
};
${zones}
`;
}

function zoneFile(zone: string): string {
  return `$TTL 300
@ IN SOA ns1.${zone}. hostmaster.${zone}. 1 3600 600 86400 300
@ IN NS ns1.${zone}.
ns1 IN A 127.0.0.1
`;
}

/** Waits until named logs "running", or rejects when it exits first. */
function waitRunning(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = () => {
      if (/^\S+ \S+ running$/m.test(output())) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`named exited (${code}) before it was running:\n${output()}`));
    };
    const cleanup = () => {
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

async function startOnce(named: string, o: BindOptions): Promise<BindServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-bind-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'named.conf'), namedConf(dir, port, o));
  for (const z of o.zones) fs.writeFileSync(path.join(dir, `${z}.db`), zoneFile(z));
  // Foreground (-g logs to stderr), one worker thread; as root named keeps running as root, which
  // is fine for a throw-away instance in its own directory.
  const child = spawn(named, ['-c', path.join(dir, 'named.conf'), '-g', '-n', '1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitRunning(child, () => output);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    host: '127.0.0.1',
    port,
    keyName: o.keyName,
    keySecret: Buffer.from(o.keySecretBase64, 'base64'),
    dir,
    log: () => output,
    stop,
  };
}

/**
 * Starts a throw-away BIND `named` on 127.0.0.1 (UDP+TCP) on a free high port, serving `zones` as
 * primary zones (SOA, NS ns1.<zone>, ns1 A 127.0.0.1) that accept TSIG-signed (HMAC-SHA256) dynamic
 * updates of A, AAAA, CNAME and TXT records below the zone with the given key.
 */
export async function startBind(o: BindOptions): Promise<BindServer> {
  const named = findNamed();
  if (!named) throw new Error('BIND named not found (apt-get install bind9)');
  for (const z of o.zones) assertSafeHostname('zone', z);
  assertSafeHostname('keyName', o.keyName);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(o.keySecretBase64)) throw new Error('keySecretBase64 is not base64');
  // The free port is only free until named binds it: another process may win the race; try again.
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(named, o);
    } catch (e) {
      last = e;
      if (!/address in use|could not listen|unable to listen/i.test(String(e))) throw e;
    }
  }
  throw last;
}
