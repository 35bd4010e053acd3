import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_WORKING_HOURS, parseWorkingHours } from './calendar/working-hours.ts';
import { isValidTimeZone, type WeeklyHours } from './calendar/working-time.ts';
import { type AgentConfig, readAgentConfigFile } from './provisioning/agent/agent-config.ts';
import { DEFAULT_RESERVED_LABELS } from './registry/names.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  LOKET_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  LOKET_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOKET_ADMIN_USERNAME: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'must be 3–64 lower-case letters, digits, dot, dash or underscore')
    .default('admin'),
  LOKET_ADMIN_PASSWORD: z.string().optional(),
  LOKET_PASSWORD_MIN_LENGTH: int(8, 128).default(12),
  LOKET_SESSION_IDLE_MINUTES: int(1, 24 * 60).default(30),
  LOKET_SESSION_ABSOLUTE_HOURS: int(1, 24 * 30).default(12),
  LOKET_LOGIN_MAX_FAILURES: int(1, 1000).default(5),
  LOKET_LOGIN_MAX_FAILURES_PER_ADDRESS: int(1, 10000).default(5),
  LOKET_LOGIN_WINDOW_MINUTES: int(1, 24 * 60).default(15),
  LOKET_LOGIN_RATE_PER_MINUTE: int(1, 100_000).default(30),
  LOKET_TRUST_PROXY: bool.default(false),
  LOKET_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  LOKET_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url())),
  LOKET_BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  LOKET_WEB_DIR: z.string().optional(),
  // Case numbering (src/cases): the agenda book's number; tokens {nomor}, {nomor4}, {tahun}, {bulan}, {bulan_romawi}.
  LOKET_AGENDA_PATTERN: z
    .string()
    .min(1)
    .max(100)
    .refine((p) => p.includes('{nomor'), 'must contain {nomor} or {nomor4}')
    .default('{nomor4}/BU/{tahun}'),
  // Uploaded files (src/storage): largest letter/attachment/report file, largest source archive.
  LOKET_UPLOAD_MAX_BYTES: int(1024, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
  LOKET_ARCHIVE_MAX_BYTES: int(1024, 10 * 1024 * 1024 * 1024).default(200 * 1024 * 1024),
  // Notifications (src/notifications): e-mail goes out through SMTP only while LOKET_SMTP_URL is
  // set (smtp://user:pass@host:587, STARTTLS when offered; smtps://…:465 for TLS from the start).
  LOKET_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/\s]+/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  LOKET_MAIL_FROM: z
    .string()
    .trim()
    .max(200)
    .regex(
      /^([^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/,
      'must be an address, e.g. Loket <loket@example.go.id>',
    )
    .optional(),
  LOKET_PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s):// URL' }).optional(),
  // Working-time calendar (src/calendar): the zone and weekly hours SOP standard times count in.
  LOKET_TIMEZONE: z
    .string()
    .default('Asia/Jakarta')
    .refine(isValidTimeZone, 'must be an IANA time zone name, e.g. Asia/Jakarta or Asia/Makassar'),
  LOKET_WORKING_HOURS: z
    .string()
    .transform((spec, ctx) => {
      const parsed = parseWorkingHours(spec);
      if (parsed.ok) return parsed.hours;
      for (const message of parsed.problems) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    })
    .prefault(DEFAULT_WORKING_HOURS),
  // Registry (src/registry): the key that encrypts stored database passwords (32 bytes, base64);
  // unset, a key is generated once into <data dir>/secret.key.
  LOKET_SECRET_KEY: z
    .string()
    .refine((v) => /^[A-Za-z0-9+/]{43}=$/.test(v), 'must be 32 bytes in base64 (openssl rand -base64 32)')
    .optional(),
  LOKET_RESERVED_LABELS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'each reserved label in lower case, e.g. www'),
      ),
    )
    .optional(),
  LOKET_RETIRE_QUARANTINE_DAYS: int(0, 3650).default(30),
  /** true: a website's address may lie outside every registered pool, or be loopback/link-local (tests on one machine). */
  LOKET_ALLOW_UNPOOLED_ADDRESSES: bool.default(false),
  // Provisioning (src/provisioning): ACME for TLS (unset: sites are installed without TLS).
  LOKET_ACME_DIRECTORY_URL: z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).optional(),
  LOKET_ACME_EMAIL: z.email('must be an e-mail address').optional(),
  /** PEM file of an extra CA for the ACME directory's own HTTPS (a test CA such as pebble). */
  LOKET_ACME_CA_FILE: z.string().min(1).optional(),
  /** PEM file of extra CAs the "site answers" check trusts (e.g. pebble's root in tests). */
  LOKET_TLS_TRUST_FILE: z.string().min(1).optional(),
  LOKET_DEPLOY_MAX_ENTRIES: int(1, 1_000_000).default(20_000),
  LOKET_DEPLOY_MAX_BYTES: int(1024, 100 * 1024 * 1024 * 1024).default(1024 * 1024 * 1024),
  LOKET_DEPLOY_MAX_RATIO: int(2, 100_000).default(200),
  LOKET_PROVISION_LEASE_SECONDS: int(2, 3600).default(60),
  LOKET_DOCROOT_BASE: z
    .string()
    .regex(/^\/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$/, 'an absolute directory such as /var/www')
    .default('/var/www'),
  /**
   * Local access (the web operations on Loket's own host) is off unless this names the local
   * agent's configuration file: the same format as the ssh helper's agent.json.
   */
  LOKET_LOCAL_AGENT_CONFIG: z
    .string()
    .regex(/^\/[A-Za-z0-9._/-]+$/, 'an absolute, plain file path such as /etc/loket/local-agent.json')
    .optional(),
});

export type Config = {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOKET_LOG_LEVEL'];
  admin: { username: string; password: string | undefined };
  passwordPolicy: { minLength: number };
  session: { idleMinutes: number; absoluteHours: number };
  loginThrottle: { maxFailures: number; maxFailuresPerAddress: number; windowMinutes: number };
  /** Sign-in requests per minute per address, whatever their outcome (password hashing costs CPU). */
  loginRatePerMinute: number;
  trustProxy: boolean;
  cookieSecure: 'auto' | 'true' | 'false';
  allowedOrigins: string[];
  bodyLimitBytes: number;
  webDir: string;
  /** Pattern of agenda numbers (see LOKET_AGENDA_PATTERN). */
  agendaPattern: string;
  // Uploaded files (src/storage): stored under `<dataDir>/files`, received into `<dataDir>/tmp`.
  /** Largest letter, attachment or report file, in bytes. */
  uploadMaxBytes: number;
  /** Largest website source archive (ZIP, tar.gz), in bytes. */
  archiveMaxBytes: number;
  // Notifications (src/notifications): e-mail is off while `smtpUrl` is unset; `publicUrl` (no
  // trailing slash) turns in-app links into full links in e-mails.
  mail: { smtpUrl: string | undefined; from: string | undefined; publicUrl: string | undefined };
  // Working-time calendar (src/calendar); holidays come from the database.
  calendar: { timeZone: string; hours: WeeklyHours };
  // Registry (src/registry).
  registry: {
    /** base64 key for stored secrets; when undefined it lives in `<dataDir>/secret.key`. */
    secretKey: string | undefined;
    reservedLabels: readonly string[];
    /** Days a retired website's name and address stay held before anyone may take them. */
    quarantineDays: number;
    /** Every website's document root lies below this directory. */
    docrootBase: string;
    /**
     * A website's address may lie outside the registered IP pools, and may be loopback or link-local
     * (LOKET_ALLOW_UNPOOLED_ADDRESSES; off by default).
     */
    allowUnpooledAddresses: boolean;
  };
  // Provisioning (src/provisioning).
  provisioning: {
    acme: { directoryUrl: string; email: string; caFile: string | undefined } | undefined;
    tlsTrustFile: string | undefined;
    archive: { maxEntries: number; maxTotalBytes: number; maxRatio: number };
    /** How long a worker's claim on a run lasts without renewal (a killed worker's run resumes after it). */
    leaseSeconds: number;
    /**
     * The web agent for `local` access, from LOKET_LOCAL_AGENT_CONFIG: where Apache's files are on
     * this host and which program runs. Undefined: local access is off.
     */
    localAgent: AgentConfig | undefined;
  };
};

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads the configuration from environment variables, once, at start. Every problem is listed
 * together so an operator fixes them in one go; an empty string counts as unset.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  ) as Record<string, string>;
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.LOKET_ADMIN_PASSWORD !== undefined && e.LOKET_ADMIN_PASSWORD.length < e.LOKET_PASSWORD_MIN_LENGTH) {
    problems.push(`LOKET_ADMIN_PASSWORD: must be at least ${e.LOKET_PASSWORD_MIN_LENGTH} characters`);
  }
  // Notifications: a mail server needs a sender address it will accept.
  if (e.LOKET_SMTP_URL !== undefined && e.LOKET_MAIL_FROM === undefined) {
    problems.push('LOKET_MAIL_FROM: required when LOKET_SMTP_URL is set');
  }
  if ((e.LOKET_ACME_DIRECTORY_URL === undefined) !== (e.LOKET_ACME_EMAIL === undefined)) {
    problems.push('LOKET_ACME_DIRECTORY_URL and LOKET_ACME_EMAIL: set both, or neither');
  }
  const dataDir = path.resolve(e.LOKET_DATA_DIR);
  let localAgent: AgentConfig | undefined;
  if (e.LOKET_LOCAL_AGENT_CONFIG !== undefined) {
    try {
      localAgent = readAgentConfigFile(e.LOKET_LOCAL_AGENT_CONFIG, {
        protectedDirs: [
          { label: "Loket's data directory", dir: dataDir },
          { label: "Loket's installation", dir: path.resolve(import.meta.dirname, '..') },
        ],
        extraDocrootBases: [e.LOKET_DOCROOT_BASE],
      });
    } catch (err) {
      problems.push(`LOKET_LOCAL_AGENT_CONFIG (${e.LOKET_LOCAL_AGENT_CONFIG}): ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOKET_LOG_LEVEL,
    admin: { username: e.LOKET_ADMIN_USERNAME, password: e.LOKET_ADMIN_PASSWORD },
    passwordPolicy: { minLength: e.LOKET_PASSWORD_MIN_LENGTH },
    session: { idleMinutes: e.LOKET_SESSION_IDLE_MINUTES, absoluteHours: e.LOKET_SESSION_ABSOLUTE_HOURS },
    loginThrottle: {
      maxFailures: e.LOKET_LOGIN_MAX_FAILURES,
      maxFailuresPerAddress: e.LOKET_LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMinutes: e.LOKET_LOGIN_WINDOW_MINUTES,
    },
    loginRatePerMinute: e.LOKET_LOGIN_RATE_PER_MINUTE,
    trustProxy: e.LOKET_TRUST_PROXY,
    cookieSecure: e.LOKET_COOKIE_SECURE,
    allowedOrigins: e.LOKET_ALLOWED_ORIGINS.map((o) => new URL(o).origin),
    bodyLimitBytes: e.LOKET_BODY_LIMIT_BYTES,
    agendaPattern: e.LOKET_AGENDA_PATTERN,
    webDir: path.resolve(e.LOKET_WEB_DIR ?? path.join(import.meta.dirname, '..', 'web', 'dist')),
    // Uploaded files (src/storage).
    uploadMaxBytes: e.LOKET_UPLOAD_MAX_BYTES,
    archiveMaxBytes: e.LOKET_ARCHIVE_MAX_BYTES,
    // Notifications (src/notifications).
    mail: {
      smtpUrl: e.LOKET_SMTP_URL,
      from: e.LOKET_MAIL_FROM,
      publicUrl: e.LOKET_PUBLIC_URL?.replace(/\/+$/, ''),
    },
    // Working-time calendar (src/calendar).
    calendar: { timeZone: e.LOKET_TIMEZONE, hours: e.LOKET_WORKING_HOURS },
    // Registry (src/registry).
    registry: {
      secretKey: e.LOKET_SECRET_KEY,
      reservedLabels: e.LOKET_RESERVED_LABELS ?? DEFAULT_RESERVED_LABELS,
      quarantineDays: e.LOKET_RETIRE_QUARANTINE_DAYS,
      docrootBase: e.LOKET_DOCROOT_BASE,
      allowUnpooledAddresses: e.LOKET_ALLOW_UNPOOLED_ADDRESSES,
    },
    // Provisioning (src/provisioning).
    provisioning: {
      acme:
        e.LOKET_ACME_DIRECTORY_URL && e.LOKET_ACME_EMAIL
          ? {
              directoryUrl: e.LOKET_ACME_DIRECTORY_URL,
              email: e.LOKET_ACME_EMAIL,
              caFile: e.LOKET_ACME_CA_FILE,
            }
          : undefined,
      tlsTrustFile: e.LOKET_TLS_TRUST_FILE,
      archive: {
        maxEntries: e.LOKET_DEPLOY_MAX_ENTRIES,
        maxTotalBytes: e.LOKET_DEPLOY_MAX_BYTES,
        maxRatio: e.LOKET_DEPLOY_MAX_RATIO,
      },
      leaseSeconds: e.LOKET_PROVISION_LEASE_SECONDS,
      localAgent,
    },
  };
}
