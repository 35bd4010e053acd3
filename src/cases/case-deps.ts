import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Jobs } from '../jobs/jobs.ts';
import type { RegistryDeps } from '../registry/registry-deps.ts';
import type { Ctx } from '../shared/context.ts';
import type { FileStore } from '../storage/file-store.ts';
import type { UploadedFile } from '../storage/upload.ts';
import type { SopClock } from './clock.ts';

/** A file received with a request, already checked by content and waiting in a temp file. */
export type IncomingFile = UploadedFile;

/** Where case files are kept (outside any served directory). */
export type CaseFileStore = Pick<FileStore, 'put' | 'remove'>;

/** Everything outside the database that case services need. */
export type CaseDeps = {
  clock: SopClock;
  store: CaseFileStore;
  /** IANA zone of the office: "today" and the agenda year are counted there. */
  timeZone: string;
  /** Agenda number pattern: {nomor}, {nomor4}, {tahun}, {bulan}, {bulan_romawi}. */
  agendaPattern: string;
  /** Runs after an action, in its transaction (e.g. issuing the follow-up letter's PDF). */
  afterAction?:
    | ((trx: Kysely<Database>, v: { caseId: string; action: string }, ctx: Ctx) => Promise<void>)
    | undefined;
  /**
   * Issues an official document of a case (documents module), numbered and verifiable, in the
   * caller's transaction: the `issue_document` block's Berita Acara and recommendation.
   */
  issueDocument?:
    | ((
        trx: Kysely<Database>,
        v: {
          kind: 'berita_acara' | 'recommendation';
          caseId: string;
          title: string;
          /** Read by name by the documents module (date, items, firstPartyName, findings, …). */
          fields: Record<string, string>;
          labels: Record<string, string>;
          subjectKey: string;
        },
        ctx: Ctx,
      ) => Promise<{ id: string; number: string }>)
    | undefined;
  /** Durable jobs; notifications are also e-mailed through them when present. */
  jobs?: Pick<Jobs, 'send'> | undefined;
  /** The registry: requests name their website, the start of work and installation write to it. */
  registry: RegistryDeps;
};

/** The calendar day of an instant in the office's zone, as YYYY-MM-DD. */
export function localDate(t: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(t);
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/**
 * Fills a numbering pattern such as `{nomor4}/BU/{bulan_romawi}/{tahun}` or, for letters,
 * `{klasifikasi}/{nomor4}/{unit}/{tahun}`.
 */
export function formatNumber(
  pattern: string,
  n: number,
  day: string,
  extra: { klasifikasi?: string; unit?: string } = {},
): string {
  const [year, month] = day.split('-');
  const m = Number(month);
  return pattern
    .replaceAll('{klasifikasi}', extra.klasifikasi ?? '')
    .replaceAll('{unit}', extra.unit ?? '')
    .replaceAll('{nomor4}', String(n).padStart(4, '0'))
    .replaceAll('{nomor}', String(n))
    .replaceAll('{tahun}', year ?? '')
    .replaceAll('{bulan_romawi}', ROMAN[m - 1] ?? '')
    .replaceAll('{bulan}', String(m).padStart(2, '0'));
}
