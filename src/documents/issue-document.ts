import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import { isDkisp } from '../auth/policy.ts';
import { type CaseDetailRow, findCaseDetail } from '../cases/case.repository.ts';
import type { CaseDetail } from '../cases/case.schemas.ts';
import { assertCanSee } from '../cases/case-access.ts';
import { decisionReleased } from '../cases/case-audience.ts';
import type { CaseDeps } from '../cases/case-deps.ts';
import { websiteOfCase } from '../cases/case-facts.ts';
import { presentDetail } from '../cases/case-presenter.ts';
import type { Database } from '../db/schema.ts';
import { AppError, forbidden, notFound } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import { currentSop } from '../sop/catalogue.ts';
import type { SopDef } from '../sop/types.ts';
import type { FileStore } from '../storage/file-store.ts';
import { type DocumentRow, insertDocument, latestVersion } from './document.repository.ts';
import type { DocumentKind } from './document.tables.ts';
import { type DocumentSettings, fillTemplate, readDocumentSettings } from './document-settings.ts';
import { LOGO_LIMITS, usableLogo } from './logo.ts';
import * as render from './render/index.ts';
import { oneLine } from './render/layout.ts';
import type { Letterhead, StepLine, VerifyMark } from './render/types.ts';

export type DocumentDeps = CaseDeps & {
  files: FileStore;
  tmpDir: string;
  /** Loket's public address: the QR code opens `<publicUrl>/verifikasi/<id>`. */
  publicUrl: string;
};

const TITLES: Record<DocumentKind, string> = {
  disposition_sheet: 'Lembar Disposisi',
  follow_up_letter: 'Surat Tindak Lanjut',
  kak: 'Kerangka Acuan Kerja',
  report: 'Laporan Pelaksanaan',
  case_summary: 'Ringkasan Permohonan',
  sop_sheet: 'Standar Operasional Prosedur',
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
const LANES: Record<string, string> = {
  opd: 'OPD',
  umum: 'Bagian Umum',
  kepala: 'Kepala DKISP',
  aptika: 'Bidang Aplikasi Informatika',
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
async function letterheadOf(s: DocumentSettings, store: FileStore): Promise<Letterhead> {
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

function stepLines(d: CaseDetail): StepLine[] {
  return d.steps.map((s) => ({
    no: s.no,
    title: s.title.id,
    executor: LANES[s.lane] ?? s.lane,
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

function timeText(t: SopDef['steps'][number]['standardTime']): string {
  return 'workingDays' in t ? `${t.workingDays} Hari` : `${t.minutes} Menit`;
}

/** The SOP sheet's data from a definition (also used by the benchmark and tests). */
export function sopSheetData(sop: SopDef, letterhead: Letterhead, verify: VerifyMark | null) {
  return {
    letterhead,
    title: sop.title.id,
    version: sop.version,
    lanes: (['opd', 'umum', 'kepala', 'aptika'] as const).map((key) => ({
      key,
      label: LANES[key] as string,
    })),
    steps: sop.steps.map((s) => ({
      no: s.no,
      activity: s.title.id,
      lane: s.lane,
      ...(s.key === 'keputusan'
        ? { decision: 'Disetujui?', decisionNo: 1 }
        : s.key === 'mulai'
          ? { decision: 'Website sudah ada?' }
          : {}),
      inputs: [...s.inputs],
      time: timeText(s.standardTime),
      outputs: [...s.outputs],
    })),
    related: [...sop.related],
    equipment: [...sop.equipment],
    warnings: [...sop.warnings],
    records: [...sop.records],
    verify,
  };
}

type Built = { bytes: Buffer; title: string; number: string | null; publicInfo: Record<string, unknown> };

async function build(
  kind: DocumentKind,
  c: CaseDetailRow | null,
  detail: CaseDetail | null,
  subjectKey: string,
  settings: DocumentSettings,
  letterhead: Letterhead,
  verify: VerifyMark,
): Promise<Built> {
  const info = (extra: Record<string, unknown> = {}) => ({
    ...(c ? { caseRef: c.ref, opd: c.opd_name } : {}),
    ...extra,
  });
  if (kind === 'sop_sheet') {
    const sop = currentSop(subjectKey);
    return {
      bytes: await render.renderSopSheet(sopSheetData(sop, letterhead, verify)),
      title: `${TITLES.sop_sheet}: ${sop.title.id} (versi ${sop.version})`,
      number: null,
      publicInfo: { sop: sop.key, sopVersion: sop.version },
    };
  }
  if (!c || !detail) throw notFound('Case');
  switch (kind) {
    case 'disposition_sheet': {
      if (!c.agenda_number || !c.received_at)
        throw new AppError('DOCUMENT_NOT_READY', 'The letter is not registered yet');
      return {
        bytes: await render.renderDispositionSheet({
          letterhead,
          agendaNumber: c.agenda_number,
          receivedAt: c.received_at,
          letterNumber: oneLine(c.letter_number),
          letterDate: c.letter_date,
          sender: oneLine(c.opd_name),
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
        title: `${TITLES.disposition_sheet} ${c.agenda_number}`,
        number: null,
        publicInfo: info({ agendaNumber: c.agenda_number }),
      };
    }
    case 'follow_up_letter': {
      // A decision taken after the last letter (a new round after a revision) waits for its own letter.
      if (!c.decision || !c.tl_number || !c.tl_date || !decisionReleased(c)) {
        throw new AppError('DOCUMENT_NOT_READY', 'No follow-up letter has been sent for this case');
      }
      const values = {
        opd: c.opd_name,
        perihal: c.subject,
        nomor_surat: c.letter_number,
        tanggal_surat: render.formatDate(c.letter_date),
        nomor_agenda: c.agenda_number ?? '',
        nomor_registrasi: c.ref,
        alasan: c.decision_reason ?? '',
        website: websiteOfCase(c).websiteRef ?? '',
      };
      return {
        bytes: await render.renderFollowUpLetter({
          letterhead,
          number: c.tl_number,
          date: c.tl_date,
          place: settings.place,
          // Until 0014 decisions were these three; the documents part of issue 11 reads outcomes.
          variant: c.decision as 'approve' | 'reject' | 'return',
          addressee: `Kepala ${oneLine(c.opd_name)}`,
          addresseePlace: settings.place,
          subject: `Tindak lanjut ${oneLine(c.subject)}`,
          paragraphs: fillTemplate(settings.templates[c.decision as 'approve' | 'reject' | 'return'], values),
          signer: settings.signer,
          verify,
        }),
        title: `${TITLES.follow_up_letter} ${c.tl_number}`,
        number: c.tl_number,
        publicInfo: info({ number: c.tl_number, date: c.tl_date }),
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
          opd: oneLine(c.opd_name),
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
      const reportStep = detail.steps.find((s) => s.key === 'laporan' && s.endedAt);
      if (!reportStep) throw new AppError('DOCUMENT_NOT_READY', 'The work has not been reported yet');
      const install = (detail.steps.find((s) => s.key === 'instalasi')?.outputs.record_installation ??
        {}) as Record<string, unknown>;
      const facts: [string, string][] = [
        ['Server', oneLine(String(install.server ?? ''))],
        ['IP publik', oneLine(String(install.publicIp ?? ''))],
        ['Sub domain', oneLine(String(install.hostname ?? install.subdomain ?? ''))],
        ['Alamat', oneLine(String(install.url ?? ''))],
        ['Konfigurasi jaringan', String(install.networkConfig ?? '')],
      ];
      const summary = String(
        (reportStep.outputs.report as Record<string, unknown> | undefined)?.summary ?? '',
      );
      return {
        bytes: await render.renderReport({
          letterhead,
          caseRef: c.ref,
          subject: oneLine(c.subject),
          opd: oneLine(c.opd_name),
          summary,
          facts,
          documentation: detail.files
            .filter((f) => f.purpose === 'report')
            .map((f) => oneLine(f.displayName)),
          steps: stepLines(detail),
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
          opd: oneLine(c.opd_name),
          status: c.status,
          steps: stepLines(detail),
          verify,
        }),
        title: `${TITLES.case_summary} ${c.ref}`,
        number: null,
        publicInfo: info(),
      };
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
 * Issues an official document: renders it from the case (or the SOP) with its verification mark,
 * stores the exact bytes, and records id, SHA-256, version and what it replaces. A document of the
 * same kind and subject issued before is not changed: the new one is its next version.
 */
export async function issueDocument(
  trx: Kysely<Database>,
  input: { kind: DocumentKind; caseId: string | null; subjectKey?: string },
  ctx: Ctx,
  deps: DocumentDeps,
): Promise<DocumentRow> {
  assertMayIssue(input.kind, ctx);
  let c: CaseDetailRow | null = null;
  let detail: CaseDetail | null = null;
  if (input.kind !== 'sop_sheet') {
    if (!input.caseId) throw new AppError('VALIDATION_FAILED', 'caseId is required');
    const row = await findCaseDetail(trx, input.caseId);
    if (!row) throw notFound('Case');
    assertCanSee(ctx.actor, row);
    c = row;
    detail = presentDetail(row, ctx.actor, deps.clock);
  }
  const subjectKey = input.kind === 'sop_sheet' ? (input.subjectKey ?? 'website') : (input.subjectKey ?? '');
  const caseId = input.kind === 'sop_sheet' ? null : input.caseId;
  const settings = await readDocumentSettings(trx);
  const letterhead = await letterheadOf(settings, deps.files);
  const id = crypto.randomUUID();
  const verify = { documentId: id, url: `${deps.publicUrl}/verifikasi/${id}` };
  const built = await build(input.kind, c, detail, subjectKey, settings, letterhead, verify);
  const previous = await latestVersion(trx, caseId, input.kind, subjectKey);
  const sha256 = (await import('node:crypto')).createHash('sha256').update(built.bytes).digest('hex');
  fs.mkdirSync(deps.tmpDir, { recursive: true, mode: 0o700 });
  const temp = path.join(deps.tmpDir, `upload-${crypto.randomUUID().replaceAll('-', '')}.part`);
  fs.writeFileSync(temp, built.bytes, { mode: 0o600 });
  const { key } = await deps.files.put(temp);
  try {
    await insertDocument(trx, {
      id,
      case_id: caseId,
      kind: input.kind,
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
        kind: input.kind,
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
  const doc = await trx
    .selectFrom('documents as d')
    .innerJoin('users as u', 'u.id', 'd.issued_by')
    .selectAll('d')
    .select(['u.full_name as issuer_name', 'u.roles as issuer_roles'])
    .where('d.id', '=', id)
    .executeTakeFirstOrThrow();
  return doc;
}
