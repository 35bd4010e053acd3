import type { BlockDef } from '../types.ts';
import { checklist } from './checklist.ts';
import { closing } from './closing.ts';
import { decision } from './decision.ts';
import { disposition } from './disposition.ts';
import { document } from './document.ts';
import { handover } from './handover.ts';
import { issueDocument } from './issue-document.ts';
import { provisioning } from './provisioning.ts';
import { registration } from './registration.ts';
import { registry } from './registry.ts';
import { report } from './report.ts';
import { request } from './request.ts';
import { review } from './review.ts';
import { schedule } from './schedule.ts';
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
  // The related services' (docs/sop-blocks.md, "Blocks of the related services").
  checklist,
  schedule,
  provisioning,
  handover,
  issue_document: issueDocument,
};
