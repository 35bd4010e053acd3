import { readDocumentSettings } from '../../documents/document-settings.ts';
import type { IssueDocumentConfig } from '../../sop/blocks/issue-document.ts';
import { stepConfig } from '../../sop/compile.ts';
import type { HandlerArgs, HandlerResult } from '../action-handlers.ts';
import { mergeCaseFacts } from '../case.repository.ts';
import { formatNumber, localDate } from '../case-deps.ts';
import { nextNumber } from '../counter.repository.ts';
import { latestCaseDraft } from './related.repository.ts';
import { fieldError, notYet } from './related-common.ts';

/** What the case keeps of an issued document, in `facts.issued[kind]` (the documents module renders it). */
export type IssuedFact = {
  number: string;
  date: string;
  title: { id: string; en: string };
  /** The issuer's fields, as declared by the step. */
  fields: Record<string, unknown>;
  /** The body taken from the case's versioned document (`fromDraft`), when the step names one. */
  draft: { doc: string; version: number; content: Record<string, unknown> } | null;
};

export const ISSUE_DOCUMENT_HANDLERS = {
  /**
   * Numbers the document in the outgoing register (tata naskah dinas, as the follow-up letter),
   * keeps what it says on the case, and has the documents module issue the PDF in the same
   * transaction.
   */
  async issue({ trx, c, payload, ctx, deps, now, sop, step }: HandlerArgs): Promise<HandlerResult> {
    const cfg = stepConfig<IssueDocumentConfig>(sop, step.key);
    const day = payload.documentDate as string;
    if (day > localDate(now, deps.timeZone))
      throw fieldError('INVALID_DATE', 'documentDate', 'cannot be in the future');
    let draft: IssuedFact['draft'] = null;
    if (cfg.fromDraft) {
      const d = await latestCaseDraft(trx, c.id, cfg.fromDraft);
      if (!d) throw notYet(`save the ${cfg.fromDraft} first`);
      draft = { doc: cfg.fromDraft, version: d.version, content: d.content as Record<string, unknown> };
    }
    const { numbering } = await readDocumentSettings(trx);
    const seq = await nextNumber(trx, 'surat_keluar', Number(day.slice(0, 4)));
    const number = formatNumber(numbering.pattern, seq, day, {
      klasifikasi: numbering.classification,
      unit: numbering.unit,
    });
    const { documentDate: _date, ...fields } = payload;
    const fact: IssuedFact = { number, date: day, title: cfg.title, fields, draft };
    const issued =
      c.facts.issued && typeof c.facts.issued === 'object' ? (c.facts.issued as Record<string, unknown>) : {};
    const facts = { issued: { ...issued, [cfg.document]: fact } };
    // The PDF is rendered from the case's facts: they are written first, in this transaction.
    await mergeCaseFacts(trx, c.id, facts);
    if (!deps.issueDocument) throw new Error('the documents module is not wired into the case services');
    const document = await deps.issueDocument(trx, { kind: cfg.document, caseId: c.id }, ctx);
    return {
      facts,
      outputs: {
        documentKind: cfg.document,
        documentNumber: number,
        documentDate: day,
        documentId: document.id,
        ...fields,
        ...(draft ? { draftVersion: draft.version } : {}),
      },
    };
  },
};
