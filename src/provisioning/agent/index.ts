// The web agent for a server: in-process for `local` access, the fixed helper over ssh otherwise.

import type { ApacheHost } from '../apache/site.ts';
import type { ArchiveLimits } from '../deploy/index.ts';
import type { ServerAccess, WebAgent } from '../types.ts';
import { localWebAgent } from './local.ts';
import { WebAgentError } from './protocol.ts';
import { sshWebAgent } from './ssh.ts';

export { checkSiteSpec, localWebAgent } from './local.ts';
export {
  AGENT_COMMAND,
  type AgentRequest,
  type AgentResponse,
  agentRequestSchema,
  agentResponseSchema,
  WebAgentError,
  type WebAgentErrorCode,
} from './protocol.ts';
export { errorFromResponse, hostKeyFingerprint, type SshAccess, sshWebAgent } from './ssh.ts';

/**
 * The agent that runs the web operations for `server`. For ssh access the private key Loket signs in
 * with is needed (secrets.sshPrivateKey); `server.apache` and `limits` are then the helper's business
 * (its own config file on the server) and not used here. The caller closes the agent when done.
 */
export async function webAgentFor(
  server: { access: ServerAccess; apache: ApacheHost },
  secrets: { sshPrivateKey?: string },
  limits: ArchiveLimits,
): Promise<WebAgent> {
  const access = server.access;
  if (access.kind === 'local') return localWebAgent(server.apache, limits);
  if (access.kind === 'ssh') {
    if (!secrets.sshPrivateKey) {
      throw new WebAgentError('CONNECT', 'no ssh private key is stored for this server');
    }
    return sshWebAgent(access, secrets.sshPrivateKey);
  }
  throw new WebAgentError('CONNECT', 'unknown server access kind');
}
