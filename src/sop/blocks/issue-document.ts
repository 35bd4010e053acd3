import { z } from 'zod';
import { bilingual, defKey, fieldDefSchema } from '../definition.ts';
import type { BlockDef } from '../types.ts';
import {
  confirmText,
  fieldProblems,
  fieldsShape,
  prefill,
  requiredWhenIssues,
  toNext,
  widget,
} from './common.ts';

/** The official documents this block issues (src/documents), addressed to the requesting OPD. */
export const ISSUED_DOCUMENTS = ['berita_acara', 'recommendation'] as const;
export type IssuedDocument = (typeof ISSUED_DOCUMENTS)[number];

export const issueDocumentConfig = z.strictObject({
  document: z.enum(ISSUED_DOCUMENTS),
  /** The document's title: "Berita Acara Serah Terima Penempatan Server", … */
  title: bilingual,
  /** What the issuer fills in (the document's body besides what the case already knows). */
  fields: z.array(fieldDefSchema).max(20).default([]),
  /**
   * A versioned document of the case (a `document` step's `doc`) whose latest version is the body
   * of what is issued, e.g. the consultation's minutes and recommendation.
   */
  fromDraft: defKey.optional(),
});
export type IssueDocumentConfig = z.infer<typeof issueDocumentConfig>;

/** Issues a numbered official document (Berita Acara, recommendation) to the OPD; the step is then done. */
export const issueDocument: BlockDef<IssueDocumentConfig> = {
  key: 'issue_document',
  title: { id: 'Penerbitan dokumen resmi', en: 'Issuing an official document' },
  description: {
    id: 'Menerbitkan dokumen resmi bernomor (Berita Acara serah terima, rekomendasi) untuk OPD pemohon, dengan kode verifikasi.',
    en: 'Issues a numbered official document (handover Berita Acara, recommendation) to the requesting OPD, with its verification code.',
  },
  config: issueDocumentConfig,
  records: [{ id: 'Nomor dan tanggal dokumen', en: 'Document number and date' }],
  documents: [...ISSUED_DOCUMENTS],
  actionNames: ['issue'],
  actions: (cfg, at) => {
    const base = z.strictObject({
      ...fieldsShape(cfg.fields),
      documentDate: z.iso.date().meta({
        ...widget('date'),
        ...prefill('today'),
        'x-loket-label': { id: 'Tanggal dokumen', en: 'Document date' },
      }),
    });
    const input = (
      cfg.fields.some((f) => f.requiredWhen)
        ? base.superRefine((v, ctx) => {
            for (const i of requiredWhenIssues(cfg.fields, v as Record<string, unknown>)) {
              ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
            }
          })
        : base
    ).meta(
      confirmText({
        id: `${cfg.title.id} akan diterbitkan dengan nomor resmi dan dikirim kepada OPD.`,
        en: `${cfg.title.en} will be issued with an official number and sent to the OPD.`,
      }),
    );
    return [
      {
        key: `issue_${cfg.document}`,
        name: 'issue',
        title: { id: `Terbitkan ${cfg.title.id}`, en: `Issue the ${cfg.title.en}` },
        roles: at.roles,
        input,
        ...toNext(at),
        opdSees: ['documentNumber', 'documentDate', 'documentKind'],
        opdNews: () => ({ kind: 'case.document', title: `${cfg.title.id} telah diterbitkan` }),
      },
    ];
  },
  check: (cfg, at) => {
    const out = fieldProblems(cfg.fields, 'fields');
    cfg.fields.forEach((f, i) => {
      if (f.key === 'documentDate')
        out.push({ path: `fields.${i}.key`, message: 'documentDate is the block’s own field' });
    });
    if (cfg.fromDraft) {
      const doc = cfg.fromDraft;
      const before = at.sop.steps.slice(0, at.index);
      const has = before.some((s) => s.block === 'document' && (s.config as { doc?: unknown }).doc === doc);
      if (!has) out.push({ path: 'fromDraft', message: `no document step before this one keeps ${doc}` });
    }
    if (cfg.fields.length === 0 && !cfg.fromDraft) {
      out.push({ path: 'fields', message: 'the document needs fields, or a draft to issue (fromDraft)' });
    }
    if (at.next === null) out.push({ path: '', message: 'issuing a document leads to a next step' });
    return out;
  },
};
