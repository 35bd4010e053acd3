import type { BlockDef } from '../types.ts';
import { closing } from './closing.ts';
import { decision } from './decision.ts';
import { disposition } from './disposition.ts';
import { document } from './document.ts';
import { registration } from './registration.ts';
import { registry } from './registry.ts';
import { report } from './report.ts';
import { request } from './request.ts';
import { review } from './review.ts';
import { startWork } from './start-work.ts';
import { upload } from './upload.ts';

/** The block catalogue (docs/sop-blocks.md): every kind of step an SOP may be built from. */
// biome-ignore lint/suspicious/noExplicitAny: each block has its own config type
export const BLOCKS: Record<string, BlockDef<any>> = {
  request,
  registration,
  disposition,
  review,
  decision,
  start_work: startWork,
  document,
  upload,
  registry,
  report,
  closing,
};
