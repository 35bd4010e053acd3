import { z } from 'zod';
import { bilingual, defKey, fieldDefSchema } from '../definition.ts';
import type { BlockDef } from '../types.ts';
import { fieldProblems, fieldsObject, notesOnly, toNext } from './common.ts';

export const documentConfig = z.strictObject({
  /** The document's key on the case (`kak`): its versions are kept as drafts of this name. */
  doc: defKey,
  title: bilingual,
  /** Its sections. */
  fields: z.array(fieldDefSchema).min(1, 'a document has at least one field').max(40),
});
export type DocumentConfig = z.infer<typeof documentConfig>;

/** The mark counting a document's saved versions. */
export const docMark = (doc: string) => `doc:${doc}`;

/**
 * A versioned working document (like the KAK): saved as often as needed, each save a new version;
 * the step is completed once at least one version exists.
 */
export const document: BlockDef<DocumentConfig> = {
  key: 'document',
  title: { id: 'Dokumen berversi', en: 'Versioned document' },
  description: {
    id: 'Tim menyusun dokumen kerja (mis. KAK); setiap simpan menjadi versi baru. Langkah selesai bila ada minimal satu versi.',
    en: 'The team drafts a working document (e.g. the KAK); each save is a new version. The step completes once a version exists.',
  },
  config: documentConfig,
  records: [{ id: 'Versi-versi dokumen', en: 'The document’s versions' }],
  documents: [],
  actionNames: ['save', 'complete'],
  actions: (cfg, at) => {
    const mark = docMark(cfg.doc);
    return [
      {
        key: `save_${cfg.doc}`,
        name: 'save',
        title: { id: `Simpan ${cfg.title.id} (versi baru)`, en: `Save the ${cfg.title.en} (new version)` },
        roles: at.roles,
        input: fieldsObject(cfg.fields),
        effect: () => ({ kind: 'stay' }),
        apply: (s) => ({ marks: { ...s.marks, [mark]: (s.marks[mark] ?? 0) + 1 } }),
        targets: [],
        opdSees: false,
      },
      {
        key: `complete_${cfg.doc}`,
        name: 'complete',
        title: { id: `Selesaikan ${cfg.title.id}`, en: `Complete the ${cfg.title.en}` },
        roles: at.roles,
        input: notesOnly(),
        guard: (s) => ((s.marks[mark] ?? 0) > 0 ? null : `save a ${cfg.title.en} first`),
        ...toNext(at),
        opdSees: [],
      },
    ];
  },
  check: (cfg) => fieldProblems(cfg.fields, 'fields'),
};
