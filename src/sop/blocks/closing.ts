import { z } from 'zod';
import type { BlockDef } from '../types.ts';
import { notesOnly } from './common.ts';

export const closingConfig = z.strictObject({});

/** The work is done: the case is closed. */
export const closing: BlockDef<z.infer<typeof closingConfig>> = {
  key: 'closing',
  title: { id: 'Selesai', en: 'Closing' },
  description: {
    id: 'Pekerjaan dinyatakan selesai dan permohonan ditutup; OPD diberi tahu.',
    en: 'The work is declared done and the request closed; the OPD is told.',
  },
  config: closingConfig,
  records: [{ id: 'Tanggal selesai', en: 'Date closed' }],
  documents: [],
  terminal: true,
  actionNames: ['close'],
  actions: (_cfg, at) => [
    {
      key: 'close',
      name: 'close',
      title: { id: 'Tutup permohonan (pekerjaan selesai)', en: 'Close the request (work completed)' },
      roles: at.roles,
      input: notesOnly(),
      effect: () => ({ kind: 'finish', status: 'done' }),
      targets: [],
      opdSees: [],
      opdNews: () => ({ kind: 'case.done', title: 'Pekerjaan selesai' }),
    },
  ],
};
