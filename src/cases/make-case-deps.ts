import type { Kysely } from 'kysely';
import { loadWorkCalendar } from '../calendar/calendar.loader.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { issueDocument } from '../documents/issue-document.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { makeRegistryDeps } from '../registry/registry-deps.ts';
import { syncSopVersions } from '../sop/sop-versions.ts';
import type { FileStore } from '../storage/file-store.ts';
import { storageSettings } from '../storage/settings.ts';
import { calendarClock } from './calendar-clock.ts';
import { caseSource } from './case-source.ts';
import type { CaseDeps } from './case-deps.ts';

/**
 * The case services' outside world for this configuration: calendar clock, file store, jobs. `now`
 * is the app's clock (the real one unless a test or the demo seeding fixes it).
 */
export async function makeCaseDeps(
  db: Kysely<Database>,
  config: Config,
  store: FileStore,
  jobs?: Pick<Jobs, 'send'>,
  now: () => Date = () => new Date(),
): Promise<CaseDeps> {
  await syncSopVersions(db);
  const deps: CaseDeps = {
    clock: calendarClock(await loadWorkCalendar(db, config), now),
    store,
    timeZone: config.calendar.timeZone,
    agendaPattern: config.agendaPattern,
    jobs,
    registry: makeRegistryDeps(config, now),
  };
  // Sending the follow-up letter issues its PDF, numbered and verifiable, in the same transaction.
  deps.afterAction = async (trx, v, ctx) => {
    if (v.action !== 'send_letter') return;
    await issueDocument(trx, { kind: 'follow_up_letter', caseId: v.caseId }, ctx, {
      ...deps,
      files: store,
      tmpDir: storageSettings(config).tmpDir,
      publicUrl: publicUrlOf(config),
      cases: caseSource,
    });
  };
  return deps;
}

/** Loket's address as users reach it (for QR codes and e-mail links). */
export function publicUrlOf(config: Config): string {
  return (
    config.mail.publicUrl ??
    `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`
  );
}
