import { z } from 'zod';
import type { BlockDef } from '../types.ts';
import { text, toNext, widget } from './common.ts';

export const reportConfig = z.strictObject({
  /** May documentation files (PDF, photos) go with the report? */
  files: z.boolean().default(true),
});

/** The team reports the work done, with its documentation. */
export const report: BlockDef<z.infer<typeof reportConfig>> = {
  key: 'report',
  title: { id: 'Laporan pelaksanaan', en: 'Report' },
  description: {
    id: 'Pelaksana melaporkan pekerjaan yang telah dilakukan beserta dokumentasinya.',
    en: 'The team reports the work done, with its documentation.',
  },
  config: reportConfig,
  records: [{ id: 'Laporan dan dokumentasi', en: 'Report and documentation' }],
  documents: [],
  actionNames: ['report'],
  actions: (cfg, at) => [
    {
      key: 'report',
      name: 'report',
      title: { id: 'Laporkan pelaksanaan', en: 'Report the work' },
      roles: at.roles,
      input: z.strictObject({ summary: text(10_000).meta(widget('textarea')) }),
      ...(cfg.files
        ? {
            files: [
              {
                field: 'documentation',
                kinds: ['pdf', 'jpeg', 'png'],
                required: false,
                max: 10,
                purpose: 'report',
              } as const,
            ],
          }
        : {}),
      ...toNext(at),
      opdSees: [],
    },
  ],
};
