import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import { isDkisp } from '../auth/policy.ts';
import { type CaseDeps, formatNumber, localDate } from '../cases/case-deps.ts';
import { nextNumber } from '../cases/counter.repository.ts';
import type { Database } from '../db/schema.ts';
import { AppError, forbidden, notFound } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import { currentSop, hasSopVersion, sopVersion } from '../sop/catalogue.ts';
import type { SopDef } from '../sop/types.ts';
import type { FileStore } from '../storage/file-store.ts';
import type { CaseForDocuments, CaseSource } from './case-source.ts';
import { type DocumentRow, insertDocument, latestVersion } from './document.repository.ts';
import type { DocumentKind } from './document.tables.ts';
import { type DocumentSettings, fillTemplate, readDocumentSettings } from './document-settings.ts';
import { LOGO_LIMITS, usableLogo } from './logo.ts';
import * as render from './render/index.ts';
import { oneLine } from './render/layout.ts';
import type { CaseDocumentHead, Letterhead, StepLine, VerifyMark } from './render/types.ts';
import { sopSheetData } from './sop-sheet-data.ts';

export { sopSheetData } from './sop-sheet-data.ts';

// Official documents: rendered from a case (read through CaseSource, never from case internals)
// or from an SOP definition, stored byte for byte, numbered where they are letters, verifiable by
// their QR code. Nothing here names a particular SOP: lanes, decisions, steps and the letter's
// variant are read from the case's definition.

export type DocumentDeps = CaseDeps & {
  files: FileStore;
  tmpDir: string;
  /** Loket's public address: the QR code opens `<publicUrl>/verifikasi/<id>`. */
  publicUrl: string;
  /** How documents read a case (implemented by the cases module: src/cases/case-source.ts). */
  cases: CaseSource;
};

const TITLES: Record<DocumentKind, string> = {
  disposition_sheet: 'Lembar Disposisi',
  follow_up_letter: 'Surat Tindak Lanjut',
  kak: 'Kerangka Acuan Kerja',
  report: 'Laporan Pelaksanaan',
  case_summary: 'Ringkasan Permohonan',
  sop_sheet: 'Standar Operasional Prosedur',
  berita_acara: 'Berita Acara Serah Terima',
  recommendation: 'Rekomendasi',
};

const URGENCY: Record<string, string> = {
  biasa: 'Biasa',
  penting: 'Penting',
  segera: 'Segera',
  sangat_segera: 'Sangat Segera',
};
const INSTRUCTION: Record<string, string> = {
  tindak_lanjuti: 'Tindak lanjuti',
  pelajari: 'Pelajari',
  koordinasikan: 'Koordinasikan',
  siapkan_jawaban: 'Siapkan jawaban',
  untuk_diketahui: 'Untuk diketahui',
  proses_sesuai_ketentuan: 'Proses sesuai ketentuan',
};

/** A stored file's bytes, or null when it is longer than `max` (reading stops there). */
async function readAtMost(store: FileStore, key: string, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of store.open(key)) {
    size += (c as Buffer).length;
    if (size > max) return null;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The letterhead with its logo. A logo that is missing, unreadable or beyond `LOGO_LIMITS` (one
 * stored before uploads were checked for their pixels) is left out: the document is still issued.
 */
export async function letterheadOf(s: DocumentSettings, store: FileStore): Promise<Letterhead> {
  const bytes = s.logo ? await readAtMost(store, s.logo.key, LOGO_LIMITS.maxBytes).catch(() => null) : null;
  return { ...s.letterhead, logo: usableLogo(bytes) };
}

/** A working time in seconds as the documents word it: whole minutes rounded down, "< 1 menit" under one. */
export function workingTimeText(seconds: number): string {
  if (seconds > 0 && seconds < 60) return '< 1 menit';
  const m = Math.floor(Math.max(0, seconds) / 60);
  if (m < 60) return `${m} menit`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} jam ${m % 60} menit` : `${h} jam`;
}

/** The definition a case runs on (its own version), or null if this instance does not know it. */
function sopOfCase(c: CaseForDocuments): SopDef | null {
  return hasSopVersion(c.sopKey, c.sopVersion) ? sopVersion(c.sopKey, c.sopVersion) : null;
}

function stepLines(c: CaseForDocuments, sop: SopDef | null): StepLine[] {
  const lanes = new Map((sop?.lanes ?? []).map((l) => [l.key, l.title.id]));
  return c.detail.steps.map((s) => ({
    no: s.no,
    title: s.title.id,
    executor: lanes.get(s.lane) ?? s.lane,
    startedAt: new Date(s.startedAt),
    endedAt: s.endedAt ? new Date(s.endedAt) : null,
    actor: s.actor?.fullName ?? null,
    standard:
      'workingDays' in s.standardTime
        ? `${s.standardTime.workingDays} hari kerja`
        : `${s.standardTime.minutes} menit`,
    actual: workingTimeText(s.actualSeconds),
    late: s.late,
  }));
}

/** The templates the administrator keeps: one per kind of answer. */
export type LetterVariant = 'approve' | 'reject' | 'return';

/**
 * Which letter template a decision outcome takes. The outcome keys approve / reject / return are
 * their own templates. Any other key (an SOP may name its outcomes as it likes) takes the template
 * of what the outcome does, read from the decision's diamond in the case's definition: ending the
 * case as rejected → `reject`, returning it to the OPD for revision → `return`, anything else (on
 * to a step, or ending it done) → `approve`. An outcome the definition does not know takes
 * `reject` when the case ended rejected, else `approve`.
 */
export function letterVariant(sop: SopDef | null, outcome: string, status: string): LetterVariant {
  if (outcome === 'approve' || outcome === 'reject' || outcome === 'return') return outcome;
  const decisionSteps = new Set((sop?.steps ?? []).filter((s) => s.block === 'decision').map((s) => s.key));
  const way = (sop?.diamonds ?? [])
    .filter((d) => decisionSteps.has(d.step))
    .flatMap((d) => d.outcomes)
    .find((o) => o.key === outcome);
  if (way?.end === 'rejected') return 'reject';
  if (way?.revise) return 'return';
  if (way) return 'approve';
  return status === 'rejected' ? 'reject' : 'approve';
}

/** The letter's template values: the case's particulars and its facts (`{{fakta.<key>}}`). */
function letterValues(c: CaseForDocuments, sop: SopDef | null) {
  const websiteRef = c.facts.websiteRef;
  return {
    opd: c.opdName,
    perihal: c.subject,
    nomor_surat: c.letterNumber,
    tanggal_surat: render.formatDate(c.letterDate),
    nomor_agenda: c.agendaNumber ?? '',
    nomor_registrasi: c.ref,
    alasan: c.decisionReason ?? '',
    website: typeof websiteRef === 'string' ? websiteRef : '',
    layanan: sop?.title.id ?? '',
  };
}

/** Scalar values of recorded outputs, as label/value pairs (the report's "Data Instalasi"). */
const OUTPUT_LABELS: Record<string, string> = {
  server: 'Server',
  publicIp: 'IP publik',
  hostname: 'Sub domain',
  subdomain: 'Sub domain',
  url: 'Alamat',
  networkConfig: 'Konfigurasi jaringan',
};

/** "rackPosition" → "Rack position". */
export function labelOfKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

type Built = { bytes: Buffer; title: string; number: string | null; publicInfo: Record<string, unknown> };

async function buildSopSheet(
  key: string,
  version: number | undefined,
  letterhead: Letterhead,
  verify: VerifyMark,
): Promise<Built> {
  const sop =
    version === undefined ? currentSop(key) : hasSopVersion(key, version) ? sopVersion(key, version) : null;
  if (!sop) throw notFound('SOP version');
  return {
    bytes: await render.renderSopSheet(sopSheetData(sop, letterhead, verify)),
    title: `${TITLES.sop_sheet}: ${sop.title.id} (versi ${sop.version})`,
    number: null,
    publicInfo: { sop: sop.key, sopVersion: sop.version, service: sop.title.id },
  };
}

async function build(
  kind: DocumentKind,
  c: CaseForDocuments,
  subjectKey: string,
  settings: DocumentSettings,
  letterhead: Letterhead,
  verify: VerifyMark,
): Promise<Built> {
  const sop = sopOfCase(c);
  const detail = c.detail;
  const info = (extra: Record<string, unknown> = {}) => ({ caseRef: c.ref, opd: c.opdName, ...extra });
  switch (kind) {
    case 'disposition_sheet': {
      if (!c.agendaNumber || !c.receivedAt)
        throw new AppError('DOCUMENT_NOT_READY', 'The letter is not registered yet');
      return {
        bytes: await render.renderDispositionSheet({
          letterhead,
          agendaNumber: c.agendaNumber,
          receivedAt: c.receivedAt,
          letterNumber: oneLine(c.letterNumber),
          letterDate: c.letterDate,
          sender: oneLine(c.opdName),
          subject: oneLine(c.subject),
          urgency: URGENCY[c.urgency ?? ''] ?? c.urgency ?? '',
          addressee: oneLine(c.addressee),
          dispositions: detail.dispositions.map((d) => ({
            from: oneLine(d.from.fullName),
            to: oneLine(d.toUnit?.name ?? d.toUser?.fullName),
            instruction: INSTRUCTION[d.instruction] ?? d.instruction,
            note: d.note,
            at: new Date(d.createdAt),
            dueDate: d.dueDate,
          })),
          verify,
        }),
        title: `${TITLES.disposition_sheet} ${c.agendaNumber}`,
        number: null,
        publicInfo: info({ agendaNumber: c.agendaNumber }),
      };
    }
    case 'follow_up_letter': {
      // A decision taken after the last letter (a new round after a revision) waits for its own letter.
      if (!c.decision || !c.letter) {
        throw new AppError('DOCUMENT_NOT_READY', 'No follow-up letter has been sent for this case');
      }
      const variant = letterVariant(sop, c.decision, c.status);
      return {
        bytes: await render.renderFollowUpLetter({
          letterhead,
          number: c.letter.number,
          date: c.letter.date,
          place: settings.place,
          variant,
          addressee: `Kepala ${oneLine(c.opdName)}`,
          addresseePlace: settings.place,
          subject: `Tindak lanjut ${oneLine(c.subject)}`,
          paragraphs: fillTemplate(settings.templates[variant], letterValues(c, sop), c.facts),
          signer: settings.signer,
          verify,
        }),
        title: `${TITLES.follow_up_letter} ${c.letter.number}`,
        number: c.letter.number,
        publicInfo: info({ number: c.letter.number, date: c.letter.date }),
      };
    }
    case 'kak': {
      const k = detail.kak.find((x) => String(x.version) === subjectKey);
      if (!k) throw new AppError('DOCUMENT_NOT_READY', `There is no KAK version ${subjectKey}`);
      const v = k.content as Record<string, string>;
      return {
        bytes: await render.renderKak({
          letterhead,
          caseRef: c.ref,
          subject: oneLine(c.subject),
          opd: oneLine(c.opdName),
          version: k.version,
          sections: [
            ['Tujuan', v.goals ?? ''],
            ['Ruang Lingkup', v.scope ?? ''],
            ['Struktur Konten / Menu', v.menuStructure ?? ''],
            ['Fitur', v.features ?? ''],
            ['Pengguna Sasaran', v.targetUsers ?? ''],
            ['Jadwal', v.schedule ?? ''],
            ['Tim', v.team ?? ''],
          ],
          createdAt: new Date(k.createdAt),
          createdBy: k.createdBy.fullName,
          verify,
        }),
        title: `${TITLES.kak} versi ${k.version}`,
        number: null,
        publicInfo: info({ kakVersion: k.version }),
      };
    }
    case 'report': {
      // The step of the `report` block (the definition says which), once done; the facts are what
      // the `registry` steps recorded.
      const blockOf = new Map((sop?.steps ?? []).map((s) => [s.key, s.block]));
      const reportStep = detail.steps.find((s) => blockOf.get(s.key) === 'report' && s.endedAt);
      if (!reportStep) throw new AppError('DOCUMENT_NOT_READY', 'The work has not been reported yet');
      const recorded = detail.steps
        .filter((s) => blockOf.get(s.key) === 'registry')
        .flatMap((s) => Object.values(s.outputs))
        .filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null);
      const facts: [string, string][] = [];
      const seen = new Set<string>();
      for (const o of recorded) {
        for (const [k, v] of Object.entries(o)) {
          if (v === null || v === undefined || typeof v === 'object') continue;
          const label = OUTPUT_LABELS[k] ?? labelOfKey(k);
          if (seen.has(label)) continue;
          seen.add(label);
          facts.push([label, k === 'networkConfig' ? String(v) : oneLine(String(v))]);
        }
      }
      const summary = Object.values(reportStep.outputs)
        .map((o) => (o as Record<string, unknown> | null)?.summary)
        .find((x) => typeof x === 'string');
      return {
        bytes: await render.renderReport({
          letterhead,
          caseRef: c.ref,
          subject: oneLine(c.subject),
          opd: oneLine(c.opdName),
          summary: String(summary ?? ''),
          facts,
          documentation: detail.files
            .filter((f) => f.purpose === 'report')
            .map((f) => oneLine(f.displayName)),
          steps: stepLines(c, sop),
          signer: settings.signer,
          date: (reportStep.endedAt ?? '').slice(0, 10),
          verify,
        }),
        title: `${TITLES.report} ${c.ref}`,
        number: null,
        publicInfo: info(),
      };
    }
    case 'case_summary':
      return {
        bytes: await render.renderCaseSummary({
          letterhead,
          caseRef: c.ref,
          subject: oneLine(c.subject),
          opd: oneLine(c.opdName),
          status: c.status,
          steps: stepLines(c, sop),
          verify,
        }),
        title: `${TITLES.case_summary} ${c.ref}`,
        number: null,
        publicInfo: info(),
      };
    default:
      throw new AppError('VALIDATION_FAILED', `Documents of kind ${kind} are issued by a step of the SOP`);
  }
}

/** Who may issue which document. */
function assertMayIssue(kind: DocumentKind, ctx: Ctx): void {
  if (!isDkisp(ctx.actor)) throw forbidden('Only DKISP staff issue documents');
  const roles = ctx.actor.roles;
  const ok =
    kind === 'disposition_sheet' || kind === 'follow_up_letter'
      ? roles.some((r) => r === 'umum' || r === 'kepala' || r === 'admin')
      : kind === 'sop_sheet'
        ? roles.includes('admin') || roles.includes('kabid')
        : true;
  if (!ok) throw forbidden();
}

/**
 * Stores a rendered document: the exact bytes in the file store, its row (id, SHA-256, version and
 * what it replaces) and the audit entry, in the caller's transaction. A document of the same kind
 * and subject issued before is not changed: the new one is its next version.
 */
async function store(
  trx: Kysely<Database>,
  ctx: Ctx,
  deps: DocumentDeps,
  d: { id: string; kind: DocumentKind; caseId: string | null; subjectKey: string; built: Built },
): Promise<DocumentRow> {
  const { id, kind, caseId, subjectKey, built } = d;
  const previous = await latestVersion(trx, caseId, kind, subjectKey);
  const sha256 = (await import('node:crypto')).createHash('sha256').update(built.bytes).digest('hex');
  fs.mkdirSync(deps.tmpDir, { recursive: true, mode: 0o700 });
  const temp = path.join(deps.tmpDir, `upload-${crypto.randomUUID().replaceAll('-', '')}.part`);
  fs.writeFileSync(temp, built.bytes, { mode: 0o600 });
  const { key } = await deps.files.put(temp);
  try {
    await insertDocument(trx, {
      id,
      case_id: caseId,
      kind,
      subject_key: subjectKey,
      version: (previous?.version ?? 0) + 1,
      replaces_id: previous?.id ?? null,
      number: built.number,
      title: built.title,
      storage_key: key,
      sha256,
      size: built.bytes.length,
      issued_by: ctx.actor.id,
      public_info: JSON.stringify(built.publicInfo),
    });
    await recordAudit(trx, ctx, {
      action: 'document.issue',
      entityType: 'document',
      entityId: id,
      details: {
        kind,
        caseId,
        version: (previous?.version ?? 0) + 1,
        sha256,
        replaces: previous?.id ?? null,
      },
    });
  } catch (e) {
    await deps.files.remove(key).catch(() => {});
    throw e;
  }
  return trx
    .selectFrom('documents as d')
    .innerJoin('users as u', 'u.id', 'd.issued_by')
    .selectAll('d')
    .select(['u.full_name as issuer_name', 'u.roles as issuer_roles'])
    .where('d.id', '=', id)
    .executeTakeFirstOrThrow();
}

/**
 * Issues an official document: renders it from the case (or, for the SOP sheet, from the SOP's
 * definition — any service, its current version or the one asked for) with its verification mark,
 * and stores it (see `store`).
 */
export async function issueDocument(
  trx: Kysely<Database>,
  input: { kind: DocumentKind; caseId: string | null; subjectKey?: string; version?: number },
  ctx: Ctx,
  deps: DocumentDeps,
): Promise<DocumentRow> {
  assertMayIssue(input.kind, ctx);
  const settings = await readDocumentSettings(trx);
  const id = crypto.randomUUID();
  const verify = { documentId: id, url: `${deps.publicUrl}/verifikasi/${id}` };
  if (input.kind === 'sop_sheet') {
    if (!input.subjectKey) throw new AppError('VALIDATION_FAILED', 'The service is required');
    const letterhead = await letterheadOf(settings, deps.files);
    const built = await buildSopSheet(input.subjectKey, input.version, letterhead, verify);
    // One chain of versions per SOP version: the sheet of version 2 does not replace version 1's.
    const subjectKey = `${input.subjectKey}@${built.publicInfo.sopVersion}`;
    return store(trx, ctx, deps, { id, kind: 'sop_sheet', caseId: null, subjectKey, built });
  }
  if (!input.caseId) throw new AppError('VALIDATION_FAILED', 'caseId is required');
  const c = await deps.cases.read(trx, input.caseId, ctx, deps.clock);
  const letterhead = await letterheadOf(settings, deps.files);
  const subjectKey = input.subjectKey ?? '';
  const built = await build(input.kind, c, subjectKey, settings, letterhead, verify);
  return store(trx, ctx, deps, { id, kind: input.kind, caseId: c.id, subjectKey, built });
}

// ---------------------------------------------------------------------------------------------
// Numbered documents a step of an SOP issues to the OPD (block issue_document)

/** The kinds `issueCaseDocument` issues, with their counter and the code in their number. */
export const CASE_DOCUMENT_KINDS = {
  berita_acara: { counter: 'berita_acara', code: 'BA' },
  recommendation: { counter: 'rekomendasi', code: 'REK' },
} as const;
export type CaseDocumentKind = keyof typeof CASE_DOCUMENT_KINDS;

/**
 * The number of a document of this kind: the administrator's letter pattern (tata naskah dinas,
 * `{klasifikasi}/{nomor4}/{unit}/{tahun}`) with the kind's code before the unit
 * (`500.11/0003/BA/DKISP/2026`), or after the number when the pattern has no `{unit}`; running per
 * kind and year, never reused (a number whose transaction rolls back is given again).
 */
async function caseDocumentNumber(
  trx: Kysely<Database>,
  kind: CaseDocumentKind,
  day: string,
  settings: DocumentSettings,
): Promise<string> {
  const { counter, code } = CASE_DOCUMENT_KINDS[kind];
  const { pattern, classification, unit } = settings.numbering;
  const seq = await nextNumber(trx, counter, Number(day.slice(0, 4)));
  const n = formatNumber(pattern, seq, day, {
    klasifikasi: classification,
    unit: unit ? `${code}/${unit}` : code,
  });
  return pattern.includes('{unit}') ? n : `${n}/${code}`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const lines = (v: string | undefined) =>
  (v ?? '')
    .split('\n')
    .map((l) => l.replace(/^\s*(?:[-•*]|\d+[.)])\s+/, '').trim())
    .filter(Boolean);

/** Field keys a kind reads itself; any other field is printed in its "Keterangan" table. */
const KNOWN_FIELDS: Record<CaseDocumentKind, readonly string[]> = {
  berita_acara: [
    'date',
    'place',
    'items',
    'firstPartyName',
    'firstPartyTitle',
    'firstPartyNip',
    'secondPartyName',
    'secondPartyTitle',
    'secondPartyNip',
  ],
  recommendation: ['date', 'place', 'attendees', 'findings', 'recommendation'],
};

export type IssueCaseDocumentInput = {
  caseId: string;
  kind: CaseDocumentKind;
  /** The document's title as the SOP step names it, e.g. "Berita Acara Serah Terima Server". */
  title: string;
  /**
   * The step's fields. Read by name — both kinds: `date` (YYYY-MM-DD, default today), `place`
   * (default the settings' place); berita_acara: `items` (one a line), `firstPartyName`,
   * `firstPartyTitle`, `firstPartyNip` (default: the OPD's representative, signing by hand),
   * `secondPartyName`, `secondPartyTitle`, `secondPartyNip` (default: the settings' signer);
   * recommendation: `attendees` (one a line), `findings`, `recommendation`. Every other non-empty
   * field is printed as "label: value".
   */
  fields: Record<string, string>;
  /** Labels of the other fields (e.g. from the definition's FieldDef labels); else from the key. */
  labels?: Record<string, string>;
  /** Distinguishes two documents of one kind in one case (e.g. the step's key); default ''. */
  subjectKey?: string;
  deps: DocumentDeps;
};

/**
 * Issues a numbered Berita Acara or recommendation for a case, addressed to its OPD (who may see
 * and download it), inside the caller's transaction (the block's action): rendered with its QR
 * verification mark, stored byte for byte, audited. Issued again for the same case, kind and
 * subject, it is a new version with a new number that replaces the earlier one.
 */
export async function issueCaseDocument(
  trx: Kysely<Database>,
  ctx: Ctx,
  input: IssueCaseDocumentInput,
): Promise<{ id: string; number: string }> {
  const { kind, fields, deps } = input;
  if (!(kind in CASE_DOCUMENT_KINDS))
    throw new AppError('VALIDATION_FAILED', `Unknown document kind ${kind}`);
  if (!isDkisp(ctx.actor)) throw forbidden('Only DKISP staff issue documents');
  const c = await deps.cases.read(trx, input.caseId, ctx, deps.clock);
  const sop = sopOfCase(c);
  const settings = await readDocumentSettings(trx);
  const today = localDate(deps.clock.now(), deps.timeZone);
  const date = DAY.test(fields.date ?? '') ? (fields.date as string) : today;
  const number = await caseDocumentNumber(trx, kind, today, settings);
  const id = crypto.randomUUID();
  const verify = { documentId: id, url: `${deps.publicUrl}/verifikasi/${id}` };
  const title = oneLine(input.title) || TITLES[kind];
  const known = new Set(KNOWN_FIELDS[kind]);
  const head: CaseDocumentHead = {
    letterhead: await letterheadOf(settings, deps.files),
    number,
    date,
    place: oneLine(fields.place) || settings.place,
    title,
    caseRef: c.ref,
    service: sop?.title.id ?? c.sopKey,
    opd: oneLine(c.opdName),
    subject: oneLine(c.subject),
    facts: Object.entries(fields)
      .filter(([k, v]) => !known.has(k) && typeof v === 'string' && v.trim())
      .map(([k, v]) => [input.labels?.[k] ?? labelOfKey(k), v]),
    verify,
  };
  const bytes =
    kind === 'berita_acara'
      ? await render.renderBeritaAcara({
          ...head,
          firstParty: {
            name: oneLine(fields.firstPartyName),
            title: oneLine(fields.firstPartyTitle) || `Perwakilan ${oneLine(c.opdName)}`,
            nip: oneLine(fields.firstPartyNip) || null,
          },
          secondParty: fields.secondPartyName?.trim()
            ? {
                name: oneLine(fields.secondPartyName),
                title: oneLine(fields.secondPartyTitle) || settings.signer.title,
                nip: oneLine(fields.secondPartyNip) || null,
              }
            : settings.signer,
          items: lines(fields.items),
          witness: null,
        })
      : await render.renderRecommendation({
          ...head,
          attendees: lines(fields.attendees),
          findings: fields.findings ?? '',
          recommendation: fields.recommendation ?? '',
          signer: settings.signer,
        });
  await store(trx, ctx, deps, {
    id,
    kind,
    caseId: c.id,
    subjectKey: input.subjectKey ?? '',
    built: {
      bytes,
      title: `${title} ${number}`,
      number,
      publicInfo: {
        caseRef: c.ref,
        opd: c.opdName,
        number,
        date,
        service: sop?.title.id ?? c.sopKey,
        sopVersion: c.sopVersion,
      },
    },
  });
  return { id, number };
}
