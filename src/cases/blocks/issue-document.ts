import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DocumentConfig } from '../../sop/blocks/document.ts';
import type { IssueDocumentConfig } from '../../sop/blocks/issue-document.ts';
import { stepConfig } from '../../sop/compile.ts';
import type { FieldDef } from '../../sop/definition.ts';
import type { SopDef } from '../../sop/types.ts';
import type { HandlerArgs, HandlerResult } from '../action-handlers.ts';
import { type CaseRow, findActiveUsers } from '../case.repository.ts';
import { localDate } from '../case-deps.ts';
import { latestCaseDraft } from './related.repository.ts';
import { fieldError, notYet } from './related-common.ts';
import type { ScheduleFact } from './schedule.ts';

/** What the case keeps of an issued document, in `facts.issued[kind]`. */
export type IssuedFact = {
  number: string;
  documentId: string;
  date: string;
  title: { id: string; en: string };
  /** The issuer's fields, as declared by the step. */
  fields: Record<string, unknown>;
  /** The version of the case's versioned document it was issued from (`fromDraft`). */
  draft: { doc: string; version: number } | null;
};

/** A value as the document prints it. */
function printed(v: unknown): string {
  if (v === true) return 'Ya';
  if (v === false) return 'Tidak';
  if (Array.isArray(v)) return v.map(printed).join('\n');
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The declared fields of the SOP's `document` step that keeps `doc` (for their labels). */
function draftFields(sop: SopDef, doc: string): FieldDef[] {
  const step = sop.definition.steps.find(
    (s) => s.block === 'document' && (s.config as { doc?: unknown }).doc === doc,
  );
  return step ? stepConfig<DocumentConfig>(sop, step.key).fields : [];
}

/** What a Berita Acara hands over, from what the case recorded (server, rack, addresses). */
function handedOverItems(c: CaseRow): string {
  const f = c.facts;
  const s = asRecord(f.server);
  const items: string[] = [];
  if (typeof f.serverDescription === 'string') items.push(`Perangkat: ${f.serverDescription}`);
  if (typeof s.name === 'string') {
    const where = [
      s.rack ? `rak ${printed(s.rack)}` : '',
      s.rackPosition ? `posisi ${printed(s.rackPosition)}` : '',
      s.powerWatts ? `daya ${printed(s.powerWatts)} W` : '',
    ].filter(Boolean);
    items.push(`Server ${s.name}${where.length ? ` (${where.join(', ')})` : ''}`);
  }
  if (Array.isArray(f.addresses) && f.addresses.length) items.push(`Alamat IP: ${f.addresses.join(', ')}`);
  return items.join('\n');
}

/** Who attended the case's (latest) meeting: DKISP staff by name, the OPD's as named. */
async function attendeesOf(trx: Kysely<Database>, c: CaseRow): Promise<string> {
  const all = Object.values(asRecord(c.facts.schedules)) as ScheduleFact[];
  const last = all.sort((a, b) => a.at.localeCompare(b.at)).at(-1);
  if (!last) return '';
  const staff = await findActiveUsers(trx, last.staffAttendees);
  const names = last.staffAttendees
    .map((id) => staff.find((u) => u.id === id)?.full_name)
    .filter((n): n is string => Boolean(n))
    .map((n) => `${n} (DKISP)`);
  const opd = (last.opdAttendees ?? '')
    .split(/[,\n]/)
    .map((l) => l.trim())
    .filter(Boolean);
  return [...names, ...opd].join('\n');
}

export const ISSUE_DOCUMENT_HANDLERS = {
  /**
   * Issues the step's document through the documents module, numbered and verifiable, in this
   * transaction: its body from the case's versioned document (`fromDraft`), the issuer's fields and
   * what the case recorded (a Berita Acara's items, a meeting's attendees). The case keeps its
   * number in `facts.issued[kind]`.
   */
  async issue({ trx, c, payload, ctx, deps, now, sop, step }: HandlerArgs): Promise<HandlerResult> {
    const cfg = stepConfig<IssueDocumentConfig>(sop, step.key);
    const day = payload.documentDate as string;
    if (day > localDate(now, deps.timeZone))
      throw fieldError('INVALID_DATE', 'documentDate', 'cannot be in the future');
    const fields: Record<string, string> = {};
    const labels: Record<string, string> = {};
    let draft: IssuedFact['draft'] = null;
    if (cfg.fromDraft) {
      const d = await latestCaseDraft(trx, c.id, cfg.fromDraft);
      if (!d) throw notYet(`save the ${cfg.fromDraft} first`);
      draft = { doc: cfg.fromDraft, version: d.version };
      for (const [k, v] of Object.entries(asRecord(d.content))) fields[k] = printed(v);
      for (const f of draftFields(sop, cfg.fromDraft)) labels[f.key] = f.label.id;
    }
    const { documentDate: _date, ...given } = payload;
    for (const f of cfg.fields) {
      labels[f.key] = f.label.id;
      if (given[f.key] !== undefined) fields[f.key] = printed(given[f.key]);
    }
    fields.date = day;
    if (cfg.document === 'berita_acara' && !fields.items) fields.items = handedOverItems(c);
    if (cfg.document === 'recommendation' && !fields.attendees) fields.attendees = await attendeesOf(trx, c);
    if (!deps.issueDocument) throw new Error('the documents module is not wired into the case services');
    const document = await deps.issueDocument(
      trx,
      { kind: cfg.document, caseId: c.id, title: cfg.title.id, fields, labels, subjectKey: step.key },
      ctx,
    );
    const fact: IssuedFact = {
      number: document.number,
      documentId: document.id,
      date: day,
      title: cfg.title,
      fields: given,
      draft,
    };
    return {
      facts: { issued: { ...asRecord(c.facts.issued), [cfg.document]: fact } },
      outputs: {
        documentKind: cfg.document,
        documentNumber: document.number,
        documentDate: day,
        documentId: document.id,
        ...given,
        ...(draft ? { draftVersion: draft.version } : {}),
      },
    };
  },
};
