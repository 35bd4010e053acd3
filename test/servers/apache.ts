import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ApacheHost } from '../../src/provisioning/apache/site.ts';
import { freePort } from './postgres.ts';

const run = promisify(execFile);

const MODULES_DIR = '/usr/lib/apache2/modules';
/** Only what the main config and the site files use (mod_log_config is built in: loading it is an error). */
const MODULES = [
  ['mpm_event_module', 'mod_mpm_event.so'],
  ['authz_core_module', 'mod_authz_core.so'],
  ['authz_host_module', 'mod_authz_host.so'],
  ['dir_module', 'mod_dir.so'],
  ['mime_module', 'mod_mime.so'],
  ['alias_module', 'mod_alias.so'],
  ['headers_module', 'mod_headers.so'],
  ['ssl_module', 'mod_ssl.so'],
  ['socache_shmcb_module', 'mod_socache_shmcb.so'],
] as const;

/** Debian's apache2 binary (package apache2) with the modules the adapter needs, or undefined. */
export function findApache(): string | undefined {
  const bin = '/usr/sbin/apache2';
  if (!fs.existsSync(bin)) return undefined;
  if (!MODULES.every(([, so]) => fs.existsSync(path.join(MODULES_DIR, so)))) return undefined;
  return bin;
}

/** `openssl` (for test certificates), or undefined. */
export function findOpenssl(): string | undefined {
  return ['/usr/bin/openssl', '/bin/openssl'].find((p) => fs.existsSync(p));
}

export type ApacheServer = ApacheHost & {
  httpPort: number;
  httpsPort: number;
  /** A second loopback address Apache also listens on, for dedicated-IP vhosts. */
  dedicatedIp: '127.0.0.2';
  /** The temporary directory (config, run, logs, sites, www, acme, certs). */
  dir: string;
  /** Apache's error log plus what it wrote to stderr (for failing tests' messages). */
  log(): string;
  stop(): Promise<void>;
};

/** A throw-away self-signed certificate pair for `cn` (ECDSA P-256) made with openssl. */
export async function makeSelfSigned(cn: string, dir: string): Promise<{ cert: string; key: string }> {
  const openssl = findOpenssl();
  if (!openssl) throw new Error('openssl not found (apt-get install openssl)');
  if (!/^[a-z0-9.-]+$/.test(cn)) throw new Error('unsafe common name');
  const tmp = fs.mkdtempSync(path.join(dir, 'selfsigned-'));
  try {
    const keyFile = path.join(tmp, 'key.pem');
    const certFile = path.join(tmp, 'cert.pem');
    await run(openssl, [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      `subjectAltName=DNS:${cn}`,
    ]);
    return { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function mainConfig(o: {
  dir: string;
  httpPort: number;
  httpsPort: number;
  user: string | null;
  sitesDir: string;
  challengeDir: string;
}): string {
  const { dir } = o;
  const listen = ['127.0.0.1', '127.0.0.2'].flatMap((ip) => [
    `Listen ${ip}:${o.httpPort}`,
    `Listen ${ip}:${o.httpsPort}`,
  ]);
  return `# Loket test Apache (test/servers/apache.ts)
ServerRoot ${dir}
ServerName localhost
PidFile ${dir}/run/httpd.pid
DefaultRuntimeDir ${dir}/run
Mutex file:${dir}/run default
ErrorLog ${dir}/logs/error.log
LogLevel warn
${listen.join('\n')}
${MODULES.map(([name, so]) => `LoadModule ${name} ${MODULES_DIR}/${so}`).join('\n')}
${o.user ? `User ${o.user}\nGroup ${o.user}` : ''}
StartServers 1
ServerLimit 4
ThreadsPerChild 10
MinSpareThreads 10
MaxSpareThreads 30
MaxRequestWorkers 40
TypesConfig /etc/mime.types
DirectoryIndex index.html
ServerTokens Prod
SSLSessionCache shmcb:${dir}/run/ssl_scache(512000)
<Directory />
    Options None
    AllowOverride None
    Require all denied
</Directory>
# One shared http-01 directory for every vhost.
Alias /.well-known/acme-challenge/ ${o.challengeDir}/
<Directory ${o.challengeDir}>
    Options None
    AllowOverride None
    Require all granted
</Directory>
# Catch-all default vhosts, first for their address:port: unknown names get 403.
<VirtualHost *:${o.httpPort}>
    ServerName default.invalid
    DocumentRoot ${dir}/empty
    <Location />
        Require all denied
    </Location>
</VirtualHost>
<VirtualHost *:${o.httpsPort}>
    ServerName default.invalid
    DocumentRoot ${dir}/empty
    SSLEngine on
    SSLCertificateFile ${dir}/default-cert.pem
    SSLCertificateKeyFile ${dir}/default-key.pem
    <Location />
        Require all denied
    </Location>
</VirtualHost>
IncludeOptional ${o.sitesDir}/*.conf
`;
}

function userExists(name: string): boolean {
  try {
    return fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .some((l) => l.startsWith(`${name}:`));
  } catch {
    return false;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function startOnce(bin: string): Promise<ApacheServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-apache-'));
  // As root, the workers run as www-data (as on a real server): they must be able to read the tree.
  const asRoot = process.getuid?.() === 0;
  const user = asRoot && userExists('www-data') ? 'www-data' : null;
  if (user) fs.chmodSync(dir, 0o755);
  for (const d of ['run', 'logs', 'sites', 'www', 'acme', 'certs', 'empty']) {
    fs.mkdirSync(path.join(dir, d), { mode: 0o755 });
  }
  const selfSigned = await makeSelfSigned('default.invalid', dir);
  fs.writeFileSync(path.join(dir, 'default-cert.pem'), selfSigned.cert);
  fs.writeFileSync(path.join(dir, 'default-key.pem'), selfSigned.key, { mode: 0o600 });
  const httpPort = await freePort();
  let httpsPort = await freePort();
  while (httpsPort === httpPort) httpsPort = await freePort();
  const host: ApacheHost = {
    configFile: path.join(dir, 'httpd.conf'),
    sitesDir: path.join(dir, 'sites'),
    docrootBase: path.join(dir, 'www'),
    challengeDir: path.join(dir, 'acme'),
    certDir: path.join(dir, 'certs'),
    listenAddress: '*',
    httpPort,
    httpsPort,
    binary: bin,
  };
  fs.writeFileSync(
    host.configFile,
    mainConfig({ dir, httpPort, httpsPort, user, sitesDir: host.sitesDir, challengeDir: host.challengeDir }),
  );
  const errorLog = path.join(dir, 'logs', 'error.log');
  const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' };
  // In the foreground so start-up errors (a port taken) end this child instead of a detached daemon.
  const child: ChildProcess = spawn(bin, ['-f', host.configFile, '-DFOREGROUND'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => {
    output += d;
  });
  child.stderr?.on('data', (d: string) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => {
    let text = '';
    try {
      text = fs.readFileSync(errorLog, 'utf8');
    } catch {}
    return `${output}${text}`;
  };
  const pidFile = path.join(dir, 'run', 'httpd.pid');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    // `apache2 -k graceful` starts a detached server when none runs (after a test stopped this one):
    // stop that one too, through this config's own pid file.
    let pid = Number.NaN;
    try {
      pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    } catch {}
    if (Number.isInteger(pid) && pid > 0 && pid !== child.pid) {
      await run(bin, ['-f', host.configFile, '-k', 'stop'], { env, timeout: 10_000 }).catch(() => {});
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const text = log();
      await stop();
      throw new Error(`apache2 exited before it was listening:\n${text}`);
    }
    if ((await canConnect(httpPort)) && (await canConnect(httpsPort))) break;
    if (Date.now() > deadline) {
      const text = log();
      await stop();
      throw new Error(`apache2 did not listen on ${httpPort}/${httpsPort}:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { ...host, httpPort, httpsPort, dedicatedIp: '127.0.0.2', dir, log, stop };
}

/**
 * Starts a throw-away Apache (Debian's apache2) on free loopback ports: `Listen` on 127.0.0.1 and
 * 127.0.0.2 for an HTTP and an HTTPS port, a minimal main config (mpm_event, authz_core, authz_host,
 * dir, mime, alias, headers, ssl, socache_shmcb), catch-all default vhosts that deny (403), one shared
 * `Alias /.well-known/acme-challenge/`, and `IncludeOptional <sitesDir>/*.conf`. Name-based sites use
 * `listenAddress: '*'`; 127.0.0.2 is there for a dedicated-IP vhost. Everything lives in a mkdtemp
 * directory removed by stop().
 */
export async function startApache(): Promise<ApacheServer> {
  const bin = findApache();
  if (!bin) throw new Error('apache2 not found (apt-get install apache2)');
  // A free port is only free until Apache binds it: another process may win the race; try again.
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(bin);
    } catch (e) {
      last = e;
      if (!/address already in use|could not bind|make_sock/i.test(String(e))) throw e;
    }
  }
  throw last;
}

/**
 * The installation's local agent configuration for this Apache (what LOKET_LOCAL_AGENT_CONFIG names):
 * written into `dir` (outside Apache's own tree), its path returned. Local access works only with it.
 */
export function writeLocalAgentConfig(a: ApacheServer, dir: string): string {
  const file = path.join(dir, 'local-agent.json');
  const apache = {
    configFile: a.configFile,
    sitesDir: a.sitesDir,
    docrootBase: a.docrootBase,
    challengeDir: a.challengeDir,
    certDir: a.certDir,
    listenAddress: a.listenAddress,
    httpPort: a.httpPort,
    httpsPort: a.httpsPort,
    ...(a.binary ? { binary: a.binary } : {}),
  };
  fs.writeFileSync(file, JSON.stringify({ apache }, null, 2), { mode: 0o600 });
  return file;
}
