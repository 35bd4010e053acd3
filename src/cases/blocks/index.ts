import type { Handler } from '../action-handlers.ts';
import { closingHandlers } from './closing.ts';
import { decisionHandlers } from './decision.ts';
import { dispositionHandlers } from './disposition.ts';
import { documentHandlers } from './document.ts';
import { registrationHandlers } from './registration.ts';
import { registryHandlers } from './registry.ts';
import { reportHandlers } from './report.ts';
import { requestHandlers } from './request.ts';
import { reviewHandlers } from './review.ts';
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
};
