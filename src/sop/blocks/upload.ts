import { z } from 'zod';
import { type DefinitionProblem, fieldDefSchema } from '../definition.ts';
import type { BlockDef } from '../types.ts';
import { fieldProblems, fieldsObject, optionalText, toNext, widget } from './common.ts';

export const uploadConfig = z.strictObject({
  /** The file the step hands over (multipart field), checked by content. */
  file: z.strictObject({
    field: z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/),
    kinds: z.array(z.enum(['pdf', 'jpeg', 'png', 'zip', 'targz'])).min(1),
    required: z.boolean().default(true),
    max: z.number().int().min(1).max(20).default(1),
    purpose: z.enum(['attachment', 'source', 'report']).default('attachment'),
  }),
  /** What is recorded with it. */
  fields: z.array(fieldDefSchema).max(20).default([]),
  /** `website.build`: the build (CMS, template) is recorded on the case's website in the registry. */
  registry: z.enum(['none', 'website.build']).default('none'),
});
export type UploadConfig = z.infer<typeof uploadConfig>;

/** Fields the `website.build` registry effect reads. */
const BUILD_FIELDS = ['template', 'cms'] as const;

/** An artefact is handed over: a source archive, photos, a signed record, with its details. */
export const upload: BlockDef<UploadConfig> = {
  key: 'upload',
  title: { id: 'Unggah hasil kerja', en: 'Artefact upload' },
  description: {
    id: 'Hasil kerja diserahkan sebagai berkas (arsip sumber, foto, berita acara bertanda tangan) beserta keterangannya.',
    en: 'A piece of work is handed over as a file (source archive, photos, a signed record) with its details.',
  },
  config: uploadConfig,
  records: [{ id: 'Berkas yang diunggah dan keterangannya', en: 'The uploaded file and its details' }],
  documents: [],
  actionNames: ['complete'],
  actions: (cfg, at) => [
    {
      key: `complete_${at.step.key}`,
      name: 'complete',
      title: { id: 'Serahkan hasil', en: 'Hand over the result' },
      roles: at.roles,
      input: fieldsObject(cfg.fields, { notes: optionalText(4000).meta(widget('textarea')) }),
      files: [cfg.file],
      ...toNext(at),
      opdSees: [],
    },
  ],
  check: (cfg) => {
    const problems: DefinitionProblem[] = fieldProblems(cfg.fields, 'fields');
    if (cfg.fields.some((f) => f.key === 'notes')) {
      problems.push({ path: 'fields', message: 'notes is always asked; do not declare it' });
    }
    if (cfg.registry === 'website.build') {
      for (const k of BUILD_FIELDS) {
        if (!cfg.fields.some((f) => f.key === k && f.type === 'text')) {
          problems.push({ path: 'fields', message: `website.build needs a text field ${k}` });
        }
      }
    }
    return problems;
  },
};
