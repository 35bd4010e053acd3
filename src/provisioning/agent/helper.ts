// The fixed helper a web server runs for Loket: the ssh forced command of Loket's key, e.g. in
// ~/.ssh/authorized_keys of the account Loket signs in as:
//
//   restrict,command="/usr/local/bin/node /opt/loket/src/provisioning/agent/helper.ts --config /etc/loket/agent.json" ssh-ed25519 AAAA… loket
//
// It reads ONE request from stdin (protocol.ts: a JSON line of at most 1 MiB; for `deploy` then exactly
// `size` bytes of the archive, which go to a private temporary file), validates it — shape with the
// protocol's schemas, every value against the registry's rules in local.ts — runs it through the
// in-process agent, writes ONE JSON response line to stdout and exits 0 (ok) or 1 (refused/failed).
//
// It trusts nothing from the client: where Apache's files are, the archive limits and the largest
// archive come from the config file named on its own command line (fixed in authorized_keys), never
// from the request. The command the client asked ssh to run (SSH_ORIGINAL_COMMAND) is ignored.
//
// Config file (JSON), the same format as Loket's own LOKET_LOCAL_AGENT_CONFIG (agent-config.ts):
//   { "apache": { configFile, sitesDir, docrootBase, challengeDir, certDir, listenAddress, httpPort,
//                 httpsPort, binary? },                                    (binary: a fixed list, default /usr/sbin/apache2)
//     "limits": { maxEntries, maxTotalBytes, maxFileBytes, maxRatio }?,   (default: DEFAULT_ARCHIVE_LIMITS)
//     "maxArchiveBytes": number?,                                          (default 256 MiB)
//     "tmpDir": "/absolute/dir"? }                                         (default: the OS temp dir)

import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ApacheHost } from '../apache/site.ts';
import { validateHostFacts } from '../apache/vhost.ts';
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from '../deploy/index.ts';
import { assertSafePath } from '../types.ts';
import { DEFAULT_MAX_ARCHIVE_BYTES, parseAgentConfig } from './agent-config.ts';
import { localWebAgent } from './local.ts';
import {
  type AgentRequest,
  type AgentResponse,
  agentRequestSchema,
  errorResponse,
  MAX_REQUEST_LINE_BYTES,
  WebAgentError,
} from './protocol.ts';

export { DEFAULT_MAX_ARCHIVE_BYTES };

export type HelperConfig = {
  apache: ApacheHost;
  limits: ArchiveLimits;
  maxArchiveBytes: number;
  tmpDir: string;
};

/**
 * Reads and validates the helper's config file (its path from argv only), with the same rules as
 * the local agent's LOKET_LOCAL_AGENT_CONFIG (agent-config.ts): the program one of a fixed list,
 * no configuration inside the document root base.
 */
export async function loadHelperConfig(file: string): Promise<HelperConfig> {
  if (!path.isAbsolute(file)) throw new WebAgentError('HELPER_CONFIG', 'the config path is not absolute');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new WebAgentError('HELPER_CONFIG', `cannot read the helper config: ${(e as Error).message}`);
  }
  let c: ReturnType<typeof parseAgentConfig>;
  try {
    c = parseAgentConfig(text);
    validateHostFacts(c.apache);
  } catch (e) {
    throw new WebAgentError('HELPER_CONFIG', `invalid helper config: ${(e as Error).message}`);
  }
  return { ...c, limits: c.limits ?? DEFAULT_ARCHIVE_LIMITS };
}

function badRequest(message: string): WebAgentError {
  return new WebAgentError('BAD_REQUEST', message);
}

/**
 * Reads from a stream chunk by chunk, so the request line and the archive bytes after it come from the
 * same input without reading more than needed.
 */
class InputReader {
  readonly #it: AsyncIterator<Buffer | string>;
  #pending: Buffer = Buffer.alloc(0);
  #ended = false;
  constructor(input: Readable) {
    this.#it = input[Symbol.asyncIterator]();
  }

  /** The next chunk (what is left over first), or null at end of input. */
  async next(): Promise<Buffer | null> {
    if (this.#pending.length > 0) {
      const p = this.#pending;
      this.#pending = Buffer.alloc(0);
      return p;
    }
    if (this.#ended) return null;
    const r = await this.#it.next();
    if (r.done) {
      this.#ended = true;
      return null;
    }
    return typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
  }

  unshift(b: Buffer): void {
    this.#pending = b.length > 0 ? Buffer.concat([b, this.#pending]) : this.#pending;
  }

  /** The first line (without "\n"), refused beyond `max` bytes or at end of input without "\n". */
  async line(max: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = await this.next();
      if (chunk === null) {
        throw badRequest(
          length === 0 ? 'no request (empty input)' : 'the request line does not end with a newline',
        );
      }
      const nl = chunk.indexOf(0x0a);
      if (nl >= 0) {
        if (length + nl > max) throw badRequest(`the request line is longer than ${max} bytes`);
        parts.push(chunk.subarray(0, nl));
        this.unshift(chunk.subarray(nl + 1));
        return Buffer.concat(parts);
      }
      length += chunk.length;
      if (length > max) throw badRequest(`the request line is longer than ${max} bytes`);
      parts.push(chunk);
    }
  }

  /** Stops reading (the rest of the input is not needed). */
  async close(): Promise<void> {
    await this.#it.return?.();
  }
}

/** Parses the request line: UTF-8, JSON, then the protocol's shape. */
export function parseRequestLine(line: Buffer): AgentRequest {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(line);
  } catch {
    throw badRequest('the request line is not UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest('the request line is not JSON');
  }
  const parsed = agentRequestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw badRequest(
      `not a protocol request at ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** Receives exactly `size` bytes (and then the end of input) into a new private file. */
async function receiveArchive(reader: InputReader, size: number, file: string): Promise<void> {
  const fh = await fs.open(file, 'wx', 0o600);
  try {
    let received = 0;
    for (;;) {
      const chunk = await reader.next();
      if (chunk === null) break;
      if (received + chunk.length > size)
        throw badRequest(`more archive bytes than the announced size ${size}`);
      await fh.write(chunk);
      received += chunk.length;
    }
    if (received !== size) throw badRequest(`the archive ended after ${received} of ${size} bytes`);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Runs one request read from `input` with the server's own config. Never throws: errors are responses. */
export async function handleRequest(input: Readable, config: HelperConfig): Promise<AgentResponse> {
  const reader = new InputReader(input);
  let tmp: string | null = null;
  try {
    const req = parseRequestLine(await reader.line(MAX_REQUEST_LINE_BYTES));
    const agent = localWebAgent(config.apache, config.limits);
    switch (req.op) {
      case 'installSite':
        return { ok: true, result: await agent.installSite(req.spec) };
      case 'removeSite': {
        const opts =
          req.docroot === undefined
            ? { removeDocroot: req.removeDocroot }
            : { docroot: req.docroot, removeDocroot: req.removeDocroot };
        return { ok: true, result: await agent.removeSite(req.hostname, opts) };
      }
      case 'installCertificate':
        await agent.installCertificate(req.hostname, { cert: req.cert, key: req.key });
        return { ok: true, result: null };
      case 'putChallenge':
        await agent.putChallenge(req.token, req.content);
        return { ok: true, result: null };
      case 'removeChallenge':
        await agent.removeChallenge(req.token);
        return { ok: true, result: null };
      case 'deploy': {
        // Everything that can be refused is refused before a byte of the archive is stored.
        if (req.size > config.maxArchiveBytes) {
          throw badRequest(
            `the archive (${req.size} bytes) is larger than this server accepts (${config.maxArchiveBytes})`,
          );
        }
        assertSafePath('docroot', req.docroot, config.apache.docrootBase);
        tmp = await fs.mkdtemp(path.join(config.tmpDir, 'loket-agent-'));
        await fs.chmod(tmp, 0o700);
        const file = path.join(tmp, req.kind === 'zip' ? 'archive.zip' : 'archive.tar.gz');
        await receiveArchive(reader, req.size, file);
        return { ok: true, result: await agent.deploy(file, req.kind, req.docroot) };
      }
      default:
        throw badRequest('unknown operation');
    }
  } catch (e) {
    return errorResponse(e);
  } finally {
    if (tmp !== null) await fs.rm(tmp, { recursive: true, force: true });
    await reader.close().catch(() => {});
  }
}

/** The program: `helper.ts --config <file>`; everything else on the command line is refused. */
export async function main(argv: string[], input: Readable, output: NodeJS.WritableStream): Promise<number> {
  let response: AgentResponse;
  if (argv.length !== 2 || argv[0] !== '--config' || typeof argv[1] !== 'string') {
    response = errorResponse(new WebAgentError('HELPER_CONFIG', 'usage: helper.ts --config <file>'));
  } else {
    try {
      const config = await loadHelperConfig(argv[1]);
      response = await handleRequest(input, config);
    } catch (e) {
      response = errorResponse(e);
    }
  }
  const line = `${JSON.stringify(response)}\n`;
  await new Promise<void>((resolve) => output.write(line, () => resolve()));
  return response.ok ? 0 : 1;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2), process.stdin, process.stdout).then(
    (code) => process.exit(code),
    () => process.exit(1),
  );
}
