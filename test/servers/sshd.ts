import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './postgres.ts';

const run = promisify(execFile);

const SSHD = '/usr/sbin/sshd';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The fixed helper the forced command runs. */
export const HELPER = path.join(REPO, 'src', 'provisioning', 'agent', 'helper.ts');

/** Debian's OpenSSH server and ssh-keygen (package openssh-server), or undefined. */
export function findSshd(): string | undefined {
  return fs.existsSync(SSHD) && fs.existsSync(SSH_KEYGEN) ? SSHD : undefined;
}

/** A Node that runs TypeScript directly (24: the npm package `node`, else this process when new enough). */
export function findNode24(): string | undefined {
  const pkg = path.join(REPO, 'node_modules', 'node', 'bin', 'node');
  if (fs.existsSync(pkg)) return pkg;
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 24 ? process.execPath : undefined;
}

export type SshdServer = {
  host: '127.0.0.1';
  port: number;
  /** base64 SHA-256 of the host key blob, as `ssh-keygen -l` prints it after "SHA256:". */
  hostKeySha256: string;
  /** The client key (OpenSSH PEM) whose only use is the forced command. */
  privateKeyPem: string;
  username: string;
  /** The helper's config file named in the forced command. */
  helperConfigFile: string;
  /** The temporary directory (config, keys, pid). */
  dir: string;
  /** What sshd wrote to stderr so far (LogLevel VERBOSE). */
  log(): string;
  stop(): Promise<void>;
};

const PLAIN_PATH = /^\/[A-Za-z0-9._/-]+$/;

async function keygen(file: string): Promise<void> {
  await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'loket-test', '-f', file]);
}

/** The SHA256 fingerprint of a public key file, from ssh-keygen itself (independent of the client's code). */
async function fingerprint(pubFile: string): Promise<string> {
  const { stdout } = await run(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', pubFile]);
  const m = /SHA256:([A-Za-z0-9+/]{43})/.exec(stdout);
  if (!m?.[1]) throw new Error(`unexpected ssh-keygen -l output: ${stdout}`);
  return m[1];
}

async function startOnce(sshd: string, node: string, helperConfig: unknown): Promise<SshdServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-sshd-'));
  try {
    const port = await freePort();
    const username = os.userInfo().username;
    const hostKey = path.join(dir, 'host_ed25519');
    const clientKey = path.join(dir, 'client_ed25519');
    await keygen(hostKey);
    await keygen(clientKey);
    const helperConfigFile = path.join(dir, 'agent.json');
    fs.writeFileSync(helperConfigFile, JSON.stringify(helperConfig, null, 2), { mode: 0o600 });
    for (const p of [node, HELPER, helperConfigFile]) {
      if (!PLAIN_PATH.test(p)) throw new Error(`path not usable in a forced command: ${p}`);
    }
    const pub = fs.readFileSync(`${clientKey}.pub`, 'utf8').trim();
    const authorizedKeys = path.join(dir, 'authorized_keys');
    fs.writeFileSync(
      authorizedKeys,
      `restrict,command="${node} ${HELPER} --config ${helperConfigFile}" ${pub}\n`,
      { mode: 0o600 },
    );
    const conf = path.join(dir, 'sshd_config');
    fs.writeFileSync(
      conf,
      [
        `ListenAddress 127.0.0.1:${port}`,
        `HostKey ${hostKey}`,
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${authorizedKeys}`,
        'AuthenticationMethods publickey',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        `AllowUsers ${username}`,
        'UseDNS no',
        'PrintMotd no',
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
    // sshd (as root) insists on its privilege separation directory; Debian's service creates it.
    if (process.getuid?.() === 0 && !fs.existsSync('/run/sshd')) fs.mkdirSync('/run/sshd', { mode: 0o755 });

    const child: ChildProcess = spawn(sshd, ['-f', conf, '-D', '-e'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' },
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
      await new Promise<void>((resolve, reject) => {
        const onData = () => {
          if (output.includes(`Server listening on 127.0.0.1 port ${port}`)) {
            cleanup();
            resolve();
          }
        };
        const onExit = (code: number | null) => {
          cleanup();
          reject(new Error(`sshd exited (${code}) before it was listening:\n${output}`));
        };
        const cleanup = () => {
          child.stderr?.off('data', onData);
          child.off('exit', onExit);
        };
        child.stderr?.on('data', onData);
        child.once('exit', onExit);
        onData();
      });
    } catch (e) {
      await stop();
      throw e;
    }
    return {
      host: '127.0.0.1',
      port,
      hostKeySha256: await fingerprint(`${hostKey}.pub`),
      privateKeyPem: fs.readFileSync(clientKey, 'utf8'),
      username,
      helperConfigFile,
      dir,
      log: () => output,
      stop,
    };
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Starts a throw-away OpenSSH `sshd` on 127.0.0.1:<free port> with its own ed25519 host key, key
 * authentication only, and one authorized client key limited by `restrict,command="…"` to the web
 * agent's helper (src/provisioning/agent/helper.ts run by Node 24) with `helperConfig` written as its
 * config file. Everything lives in a mkdtemp directory removed by stop().
 */
export async function startSshd(o: { helperConfig: unknown }): Promise<SshdServer> {
  const sshd = findSshd();
  if (!sshd) throw new Error('sshd not found (apt-get install openssh-server)');
  const node = findNode24();
  if (!node) throw new Error('Node 24 not found (the npm package `node` in node_modules)');
  // The free port is only free until sshd binds it: another process may win the race; try again.
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(sshd, node, o.helperConfig);
    } catch (e) {
      last = e;
      if (!/address already in use|cannot bind/i.test(String(e))) throw e;
    }
  }
  throw last;
}
