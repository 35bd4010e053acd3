import { z } from 'zod';
import type { BlockDef } from '../types.ts';
import { optionalText, toNext, widget } from './common.ts';

export const PROVISIONING_OPERATIONS = ['install', 'suspend', 'retire'] as const;

export const provisioningConfig = z.strictObject({
  /** The run the step needs (src/provisioning: the plan is shown first, then applied by a run). */
  operation: z.enum(PROVISIONING_OPERATIONS),
  /** Install: the case's source archive (an `upload` step's) must have been deployed by the run. */
  build: z.boolean().default(false),
});
export type ProvisioningConfig = z.infer<typeof provisioningConfig>;

const TITLES = {
  install: { id: 'Pemasangan', en: 'Installation' },
  suspend: { id: 'Penangguhan', en: 'Suspension' },
  retire: { id: 'Penghapusan', en: 'Retirement' },
} as const;

/**
 * Provisioning of the case's website (facts.websiteId) on DKISP's servers: the run — its plan shown
 * first — is started from the website's provisioning panel (`/api/registry/websites/:id/runs`, with
 * the case named); the step is completed once such a run has succeeded.
 */
export const provisioning: BlockDef<ProvisioningConfig> = {
  key: 'provisioning',
  title: { id: 'Provisioning', en: 'Provisioning' },
  description: {
    id: 'Pemasangan, penangguhan atau penghapusan website/hosting di server (DNS, virtual host, basis data, TLS) melalui run provisioning; rencana ditampilkan lebih dulu. Langkah selesai bila run berhasil.',
    en: 'Installs, suspends or retires the website/hosting on the servers (DNS, virtual host, database, TLS) through a provisioning run, its plan shown first. Done once the run has succeeded.',
  },
  config: provisioningConfig,
  records: [{ id: 'Run provisioning yang berhasil', en: 'The succeeded provisioning run' }],
  documents: [],
  actionNames: ['complete'],
  actions: (cfg, at) => [
    {
      key: `complete_${at.step.key}`,
      name: 'complete',
      title: {
        id: `Selesaikan ${TITLES[cfg.operation].id.toLowerCase()} (run provisioning berhasil)`,
        en: `Complete the ${TITLES[cfg.operation].en.toLowerCase()} (provisioning run succeeded)`,
      },
      roles: at.roles,
      input: z.strictObject({
        /** The run; by default the case's latest succeeded run of this operation. */
        runId: z.uuid().optional(),
        notes: optionalText(4000).meta(widget('textarea')),
      }),
      ...toNext(at),
      opdSees: ['hostname', 'url'],
    },
  ],
  check: (cfg, at) => {
    const out: { path: string; message: string }[] = [];
    if (cfg.build && cfg.operation !== 'install')
      out.push({ path: 'build', message: 'only an install deploys a build' });
    if (cfg.build) {
      const i = at.index;
      const upload = at.sop.steps.slice(0, i).some((s) => s.block === 'upload');
      if (!upload) out.push({ path: 'build', message: 'a build needs an upload step before this one' });
    }
    return out;
  },
};
