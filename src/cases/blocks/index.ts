import type { Handler } from '../action-handlers.ts';
import { CHECKLIST_HANDLERS } from './checklist.ts';
import { closingHandlers } from './closing.ts';
import { decisionHandlers } from './decision.ts';
import { dispositionHandlers } from './disposition.ts';
import { documentHandlers } from './document.ts';
import { HANDOVER_HANDLERS } from './handover.ts';
import { ISSUE_DOCUMENT_HANDLERS } from './issue-document.ts';
import { PROVISIONING_HANDLERS } from './provisioning.ts';
import { registrationHandlers } from './registration.ts';
import { registryHandlers } from './registry.ts';
import { reportHandlers } from './report.ts';
import { requestHandlers } from './request.ts';
import { reviewHandlers } from './review.ts';
import { SCHEDULE_HANDLERS } from './schedule.ts';
import { startWorkHandlers } from './start-work.ts';
import { uploadHandlers } from './upload.ts';

/** The database side of every block's actions: `BLOCK_HANDLERS[block][actionName]`. */
export const BLOCK_HANDLERS: Record<string, Record<string, Handler>> = {
  request: requestHandlers,
  registration: registrationHandlers,
  disposition: dispositionHandlers,
  review: reviewHandlers,
  decision: decisionHandlers,
  start_work: startWorkHandlers,
  document: documentHandlers,
  upload: uploadHandlers,
  registry: registryHandlers,
  report: reportHandlers,
  closing: closingHandlers,
  checklist: CHECKLIST_HANDLERS,
  schedule: SCHEDULE_HANDLERS,
  provisioning: PROVISIONING_HANDLERS,
  handover: HANDOVER_HANDLERS,
  issue_document: ISSUE_DOCUMENT_HANDLERS,
};
