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
 * The agent that runs the web operations for a server reached by `access`. For ssh access the private
 * key Loket signs in with is needed (secrets.sshPrivateKey); where Apache's files are is then the
 * helper's business (its own config file on the server). For local access the installation's own
 * agent configuration (LOKET_LOCAL_AGENT_CONFIG, `local`) says where Apache's files are and which
 * program runs — never anything stored in the registry; without it local access is refused.
 * The caller closes the agent when done.
 */
export async function webAgentFor(
  access: ServerAccess,
  secrets: { sshPrivateKey?: string },
  local: { apache: ApacheHost; limits: ArchiveLimits } | undefined,
): Promise<WebAgent> {
  if (access.kind === 'local') {
    if (!local) {
      throw new WebAgentError(
        'LOCAL_DISABLED',
        'local access is not enabled by this installation (LOKET_LOCAL_AGENT_CONFIG)',
      );
    }
    return localWebAgent(local.apache, local.limits);
  }
  if (access.kind === 'ssh') {
    if (!secrets.sshPrivateKey) {
      throw new WebAgentError('CONNECT', 'no ssh private key is stored for this server');
    }
    return sshWebAgent(access, secrets.sshPrivateKey);
  }
  throw new WebAgentError('CONNECT', 'unknown server access kind');
}
