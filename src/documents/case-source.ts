import type { Kysely } from 'kysely';
import type { CaseDetail } from '../cases/case.schemas.ts';
import type { SopClock } from '../cases/clock.ts';
import type { Database } from '../db/schema.ts';
import type { Ctx } from '../shared/context.ts';

// What the documents module reads of a case, and nothing more. Documents depend on this small
// interface (types only); the cases module implements it (src/cases/case-source.ts) and hands it
// in through DocumentDeps. So `cases → documents` is the only way the modules import each other at
// run time (the case actions issue documents), never back.

/** A case as documents read it: its particulars, its facts and its detail as `ctx` sees it. */
export type CaseForDocuments = {
  id: string;
  ref: string;
  sopKey: string;
  sopVersion: number;
  opdName: string;
  subject: string;
  letterNumber: string;
  /** YYYY-MM-DD */
  letterDate: string;
  agendaNumber: string | null;
  receivedAt: Date | null;
  urgency: string | null;
  addressee: string | null;
  status: string;
  /** The decision outcome's key (approve, reject, return, or any key the SOP's decision step has). */
  decision: string | null;
  decisionReason: string | null;
  /** The follow-up letter of the current decision, once it is sent. */
  letter: { number: string; date: string } | null;
  /** What the request's SOP keeps besides (website: kind, websiteId, websiteRef, requestedHostname). */
  facts: Record<string, unknown>;
  detail: CaseDetail;
};

export type CaseSource = {
  /** The case as `ctx` sees it; NOT_FOUND when it does not exist or `ctx` may not see it. */
  read(db: Kysely<Database>, caseId: string, ctx: Ctx, clock: SopClock): Promise<CaseForDocuments>;
  /** NOT_FOUND unless the case exists and `ctx` may see it. */
  assertVisible(db: Kysely<Database>, caseId: string, ctx: Ctx): Promise<void>;
};
