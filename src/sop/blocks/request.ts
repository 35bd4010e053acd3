import { z } from 'zod';
import { fieldDefSchema } from '../definition.ts';
import type { BlockDef } from '../types.ts';
import { fieldProblems, noPayload, toNext } from './common.ts';

export const requestConfig = z.strictObject({
  /** The request's own facts, asked when the OPD files it (the website SOP: kind, websiteId, …). */
  fields: z.array(fieldDefSchema).max(30).default([]),
});
export type RequestConfig = z.infer<typeof requestConfig>;

/**
 * The OPD's request letter: the draft is created and edited through the case routes (the letter,
 * the generic fields and the facts declared here); `submit` sends it to DKISP.
 */
export const request: BlockDef<RequestConfig> = {
  key: 'request',
  title: { id: 'Surat permohonan OPD', en: 'Request letter from the OPD' },
  description: {
    id: 'OPD mengisi permohonan, melampirkan surat yang ditandatangani, lalu mengirimkannya.',
    en: 'The OPD fills in the request, attaches the signed letter and submits it.',
  },
  config: requestConfig,
  records: [{ id: 'Surat permohonan dan data permohonan', en: 'The request letter and the request’s facts' }],
  documents: [],
  first: true,
  actionNames: ['submit'],
  actions: (_cfg, at) => [
    {
      key: 'submit',
      name: 'submit',
      title: { id: 'Kirim permohonan', en: 'Submit the request' },
      roles: at.roles,
      statuses: ['draft'],
      input: noPayload(),
      ...toNext(at),
      opdSees: ['letter', 'files'],
    },
  ],
  check: (cfg) => fieldProblems(cfg.fields, 'fields'),
};
