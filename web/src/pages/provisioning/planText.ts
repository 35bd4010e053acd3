/**
 * Provisioning's words in the user's language. The server answers plans and results in English
 * (src/provisioning/plan.ts, steps.ts): known phrases are translated here, anything else is shown as it
 * came, so a new phrase on the server never disappears from the screen.
 */
import type { StepTitle } from '../../api/provisioning.ts';
import i18n, { currentLanguage } from '../../i18n/index.ts';
import { formatBytes } from '../../lib/duration.ts';
import { formatDateTime } from '../../lib/format.ts';

/** `t` for keys built at run time; unknown keys are checked with `exists` first. */
const tDynamic = i18n.t.bind(i18n) as unknown as (key: string, options?: Record<string, unknown>) => string;

export function localTitle(title: StepTitle): string {
  return currentLanguage() === 'en' ? title.en : title.id;
}

/** Why a step will not run. */
export function skipText(reason: string): string {
  const r = reason.toLowerCase();
  if (r.includes('no name server')) return i18n.t('provisioning.reasons.noNameServer');
  if (r.includes('has no database')) return i18n.t('provisioning.reasons.noDatabase');
  if (r.includes('no source archive')) return i18n.t('provisioning.reasons.noArchive');
  if (r.includes('acme is not configured')) return i18n.t('provisioning.reasons.noAcme');
  return reason;
}

/** A warning of the plan. */
export function warningText(warning: string): string {
  let m = /^The zone (\S+) has no name server/.exec(warning);
  if (m) return i18n.t('provisioning.warnings.zoneNoNameServer', { zone: m[1] });
  m = /^The alias (\S+) is in a zone without the same name server/.exec(warning);
  if (m) return i18n.t('provisioning.warnings.aliasOtherZone', { alias: m[1] });
  if (/names a database engine but no database server/.test(warning))
    return i18n.t('provisioning.warnings.databaseNoServer');
  if (/^No source archive/.test(warning)) return i18n.t('provisioning.warnings.noArchive');
  return warning;
}

const PLAIN_KINDS: Record<string, string> = {
  'virtual host': 'virtualHost',
  'document root': 'documentRoot',
  'apache2 -t, graceful reload': 'configtest',
  'database user (generated password, stored encrypted)': 'databaseUser',
  certificate: 'certificatePlain',
  'HTTPS virtual host': 'httpsVhost',
  'the site answers': 'siteAnswers',
  'maintenance page (503)': 'maintenance',
  'site served again': 'servedAgain',
  'lock account': 'lockAccount',
  'unlock account': 'unlockAccount',
  'database and user': 'databaseAndUser',
};

/** What a planned change is about ("virtual host", "DNS A", "files from situs.zip (…)"). */
export function changeKindText(kind: string): string {
  const plain = PLAIN_KINDS[kind];
  if (plain) return tDynamic(`provisioning.changeKinds.${plain}`);
  let m = /^(mariadb|postgresql) database$/.exec(kind);
  if (m) return i18n.t('provisioning.changeKinds.database', { engine: m[1] });
  m = /^files from (.+) \(([^()]+)\)$/.exec(kind);
  if (m) return i18n.t('provisioning.changeKinds.files', { name: m[1], ref: m[2] });
  m = /^certificate \(ACME http-01, (.+)\)$/.exec(kind);
  if (m) return i18n.t('provisioning.changeKinds.certificate', { host: m[1] });
  return kind;
}

/** A change's target: paths, names and records stay as they are; a few descriptions are words. */
export function changeTargetText(target: string): string {
  if (target === 'name-based') return i18n.t('provisioning.changeKinds.nameBased');
  let m = /^(\S+) \(dedicated\)$/.exec(target);
  if (m) return i18n.t('provisioning.changeKinds.dedicated', { ip: m[1] });
  m = /^(https?:\/\/\S+) at (\S+)$/.exec(target);
  if (m) return i18n.t('provisioning.changeKinds.siteAnswersAt', { url: m[1], ip: m[2] });
  return target;
}

/** "created", "exists", "removed", … in the user's language. */
export function stateText(state: unknown): string {
  const s = String(state);
  const key = `provisioning.facts.states.${s}`;
  return i18n.exists(key) ? tDynamic(key) : s;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * A step's recorded result as short sentences: the DNS records created or found, files deployed,
 * certificate expiry, what the site answered.
 */
export function resultFacts(result: Record<string, unknown> | null): string[] {
  if (!result) return [];
  if (typeof result.skipped === 'string') {
    return [i18n.t('provisioning.facts.skipped', { reason: skipText(result.skipped) })];
  }
  const facts: string[] = [];
  const used = new Set<string>();
  const take = (...names: string[]) => {
    for (const name of names) used.add(name);
  };
  if (result.records && typeof result.records === 'object') {
    take('records');
    for (const [name, state] of Object.entries(result.records as Record<string, unknown>)) {
      facts.push(i18n.t('provisioning.facts.record', { name, state: stateText(state) }));
    }
  }
  if (typeof result.vhost === 'string') {
    take('vhost');
    facts.push(i18n.t('provisioning.facts.vhost', { state: stateText(result.vhost) }));
  }
  if (typeof result.database === 'string') {
    if (typeof result.name === 'string' && typeof result.user === 'string') {
      take('database', 'name', 'user');
      facts.push(
        i18n.t('provisioning.facts.database', {
          name: result.name,
          user: result.user,
          state: stateText(result.database),
        }),
      );
    } else {
      take('database');
      facts.push(i18n.t('provisioning.facts.databaseState', { state: stateText(result.database) }));
    }
  }
  if (typeof result.files === 'number') {
    take('files', 'bytes', 'from');
    facts.push(
      i18n.t('provisioning.facts.files', {
        count: result.files,
        size: formatBytes(typeof result.bytes === 'number' ? result.bytes : 0),
        from: typeof result.from === 'string' ? result.from : '—',
      }),
    );
  }
  if (typeof result.notAfter === 'string') {
    take('notAfter', 'issuer');
    facts.push(
      i18n.t('provisioning.facts.certificate', {
        issuer: typeof result.issuer === 'string' ? result.issuer : '—',
        date: formatDateTime(result.notAfter),
      }),
    );
  }
  if (typeof result.status === 'number' && typeof result.url === 'string') {
    take('status', 'url', 'bytes', 'matched');
    facts.push(i18n.t('provisioning.facts.answered', { status: result.status, url: result.url }));
    if (result.matched === true) facts.push(i18n.t('provisioning.facts.matched'));
  }
  if (typeof result.site === 'string') {
    take('site');
    facts.push(i18n.t('provisioning.facts.site', { state: stateText(result.site) }));
  }
  if (typeof result.locked === 'boolean' && typeof result.user === 'string') {
    take('locked', 'user');
    facts.push(
      i18n.t(result.locked ? 'provisioning.facts.locked' : 'provisioning.facts.unlocked', {
        user: result.user,
      }),
    );
  }
  // Whatever else the server recorded, as it is.
  for (const [name, value] of Object.entries(result)) {
    if (!used.has(name) && value !== null && value !== undefined) facts.push(`${name}: ${text(value)}`);
  }
  return facts;
}

/** "< 1 dtk", "42 dtk", "3 mnt 5 dtk". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return i18n.t('provisioning.duration.lessThanSecond');
  const total = Math.round(ms / 1000);
  if (total < 60) return i18n.t('provisioning.duration.seconds', { count: total });
  return i18n.t('provisioning.duration.minutes', { minutes: Math.floor(total / 60), seconds: total % 60 });
}

export type PlanBlock = {
  /** What is missing, in the user's language. */
  message: string;
  /** Where to fix it. */
  fix: 'website' | 'server' | null;
};

/**
 * Why a plan cannot be made (a 409 STATUS_TRANSITION from the server): what is missing and where to
 * fix it — the website's record, or the server's provisioning settings.
 */
export function planBlock(code: string, message: string, fields: { path: string }[] | undefined): PlanBlock {
  const path = fields?.[0]?.path;
  if (code === 'LOCAL_ACCESS_DISABLED') {
    return { message: i18n.t('provisioning.blocked.localDisabled'), fix: 'server' };
  }
  if (code === 'STATUS_TRANSITION' && path) {
    if (path === 'serverId' && /apache settings/i.test(message)) {
      return { message: i18n.t('provisioning.blocked.apache'), fix: 'server' };
    }
    if (path === 'hostname' || path === 'ipAddress' || path === 'serverId' || path === 'dbServerId') {
      return { message: tDynamic(`provisioning.blocked.${path}`), fix: 'website' };
    }
  }
  if (code === 'STATUS_TRANSITION') return { message: i18n.t('provisioning.blocked.status'), fix: null };
  return { message, fix: null };
}
