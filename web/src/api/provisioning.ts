/**
 * Provisioning's API (src/server/routes/provisioning.ts, src/provisioning/provisioning.schemas.ts,
 * src/provisioning/server-config.ts): plans and runs typed from the server's own schemas (the server
 * settings mirror server-config.ts, which is server-only code), one function per endpoint, the
 * query keys, and which runs a website's status allows.
 */
import type { z } from 'zod';
import type * as P from '../../../src/provisioning/provisioning.schemas.ts';
import { request } from './client.ts';
import type { WebsiteStatus } from './registry.ts';

export type RunKind = 'install' | 'suspend' | 'resume' | 'retire' | 'rollback';
/** What a person may start (a rollback is started from the run it undoes). */
export type StartKind = Exclude<RunKind, 'rollback'>;
export type RunStatus = 'queued' | 'running' | 'done' | 'failed';
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';
export type ChangeAction = 'create' | 'change' | 'remove' | 'check';

/** A step's title in both languages, as the server names it (src/provisioning/plan.ts). */
export type StepTitle = { id: string; en: string };

export type PlannedChange = { action: ChangeAction; kind: string; target: string; server: string };

export type PlanStep = Plan['steps'][number];

export type Plan = z.infer<typeof P.planOut>;

export type RunStep = Run['steps'][number];

export type Run = z.infer<typeof P.runOut>;

// ---------- Server access, settings and secrets ----------

export type ServerAccess =
  | { kind: 'local' }
  | { kind: 'ssh'; host: string; port: number; username: string; hostKeySha256: string };

/**
 * An ssh server's Apache as Loket describes it (the helper's agent.json on the server is what counts).
 * Which program runs and which file it reads are never settings here (ADR 0008).
 */
export type ApacheSettings = {
  sitesDir: string;
  docrootBase: string;
  challengeDir: string;
  certDir: string;
  listenAddress: string;
  httpPort: number;
  httpsPort: number;
};

/** Local access as the installation configured it (LOKET_LOCAL_AGENT_CONFIG): read-only. */
export type LocalAccess = {
  enabled: boolean;
  apache: (ApacheSettings & { configFile: string; binary: string }) | null;
};

export type DnsSettings = { host: string; port: number; keyName: string };

export const DB_ADMIN_ENGINES = ['mariadb', 'postgresql'] as const;
export type DatabaseSettings = {
  engine: (typeof DB_ADMIN_ENGINES)[number];
  host: string;
  port: number;
  adminUser: string;
  maintenanceDb?: string;
};

export type ServerSettings = {
  apache?: ApacheSettings;
  dns?: DnsSettings;
  database?: DatabaseSettings;
};

export type SecretsSet = { dnsKey: boolean; dbAdminPassword: boolean; sshPrivateKey: boolean };

export type ServerProvisioning = {
  access: Partial<ServerAccess> & Record<string, unknown>;
  settings: ServerSettings;
  secretsSet: SecretsSet;
  localAccess: LocalAccess;
};

/** Write-only: a value replaces the stored secret, null removes it, absent keeps it. */
export type SecretsInput = {
  dnsKey?: string | null;
  dbAdminPassword?: string | null;
  sshPrivateKey?: string | null;
};

export type ServerProvisioningInput = {
  access: ServerAccess;
  settings: ServerSettings;
  secrets?: SecretsInput;
  reason?: string;
};

// ---------- Endpoints ----------

const seg = encodeURIComponent;

export const provisioningApi = {
  serverSettings: (serverId: string) =>
    request<ServerProvisioning>('GET', `/api/registry/servers/${seg(serverId)}/provisioning`),
  saveServerSettings: (serverId: string, input: ServerProvisioningInput) =>
    request<ServerProvisioning>('PUT', `/api/registry/servers/${seg(serverId)}/provisioning`, {
      body: input,
    }),
  plan: (websiteId: string, kind: StartKind, caseId?: string) =>
    request<{ plan: Plan }>('GET', `/api/registry/websites/${seg(websiteId)}/provision/plan`, {
      query: { kind, caseId },
    }).then((answer) => answer.plan),
  start: (websiteId: string, kind: StartKind, caseId?: string) =>
    request<Run>('POST', `/api/registry/websites/${seg(websiteId)}/provision`, {
      body: caseId ? { kind, caseId } : { kind },
    }),
  runs: (websiteId: string) =>
    request<{ items: Run[] }>('GET', `/api/registry/websites/${seg(websiteId)}/provision-runs`).then(
      (answer) => answer.items,
    ),
  run: (runId: string) => request<Run>('GET', `/api/provision-runs/${seg(runId)}`),
  rollback: (runId: string) => request<Run>('POST', `/api/provision-runs/${seg(runId)}/rollback`),
};

export const provisioningKeys = {
  all: ['provisioning'] as const,
  serverSettings: (serverId: string) => ['provisioning', 'server', serverId] as const,
  plan: (websiteId: string, kind: StartKind, caseId: string | undefined) =>
    ['provisioning', 'plan', websiteId, kind, caseId ?? null] as const,
  runs: (websiteId: string) => ['provisioning', 'runs', websiteId] as const,
  run: (runId: string) => ['provisioning', 'run', runId] as const,
};

// ---------- Rules the interface shows (the server has the last word) ----------

/** Which runs a website in this status may be given (src/provisioning/runs.ts, assertKindAllowed). */
export function kindsFor(status: WebsiteStatus): StartKind[] {
  switch (status) {
    case 'planned':
      return ['install', 'retire'];
    case 'active':
      return ['install', 'suspend', 'retire'];
    case 'suspended':
      return ['resume', 'retire'];
    case 'retired':
      return [];
  }
}

export function isRunActive(run: Pick<Run, 'status'>): boolean {
  return run.status === 'queued' || run.status === 'running';
}

/** Only an install that is over may be undone. */
export function canRollback(run: Pick<Run, 'kind' | 'status'>): boolean {
  return run.kind === 'install' && (run.status === 'done' || run.status === 'failed');
}

/** Milliseconds between two instants, or null when either is missing. */
export function durationMs(from: string | null, to: string | null, now = Date.now()): number | null {
  if (!from) return null;
  const start = new Date(from).getTime();
  const end = to ? new Date(to).getTime() : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, end - start);
}
