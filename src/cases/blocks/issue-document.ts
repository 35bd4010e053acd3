import type { IssueDocumentConfig } from '../../sop/blocks/issue-document.ts';
import { stepConfig } from '../../sop/compile.ts';
import type { HandlerArgs, HandlerResult } from '../action-handlers.ts';
import { mergeCaseFacts } from '../case.repository.ts';
import { localDate } from '../case-deps.ts';
import { latestCaseDraft } from './related.repository.ts';
import { fieldError, notYet } from './related-common.ts';

/** What the case keeps of an issued document, in `facts.issued[kind]` (the documents module renders it). */
export type IssuedFact = {
  /** The document's number and id once issued (the documents module numbers it). */
  number: string | null;
  documentId: string | null;
  date: string;
  title: { id: string; en: string };
  /** The issuer's fields, as declared by the step. */
  fields: Record<string, unknown>;
  /** The body taken from the case's versioned document (`fromDraft`), when the step names one. */
  draft: { doc: string; version: number; content: Record<string, unknown> } | null;
};

export const ISSUE_DOCUMENT_HANDLERS = {
  /**
   * Keeps what the document says on the case (`facts.issued[kind]`), then has the documents module
   * number and issue the PDF in the same transaction; the number is recorded with it.
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
    const { documentDate: _date, ...fields } = payload;
    const fact: IssuedFact = { date: day, title: cfg.title, fields, draft, number: null, documentId: null };
    const issued =
      c.facts.issued && typeof c.facts.issued === 'object' ? (c.facts.issued as Record<string, unknown>) : {};
    const facts = { issued: { ...issued, [cfg.document]: fact } };
    // The PDF is rendered from the case's facts: they are written first, in this transaction.
    await mergeCaseFacts(trx, c.id, facts);
    if (!deps.issueDocument) throw new Error('the documents module is not wired into the case services');
    const document = await deps.issueDocument(trx, { kind: cfg.document, caseId: c.id }, ctx);
    const done: IssuedFact = { ...fact, number: document.number, documentId: document.id };
    const issuedFacts = { issued: { ...issued, [cfg.document]: done } };
    return {
      facts: issuedFacts,
      outputs: {
        documentKind: cfg.document,
        documentNumber: document.number,
        documentDate: day,
        documentId: document.id,
        ...fields,
        ...(draft ? { draftVersion: draft.version } : {}),
      },
    };
  },
};
