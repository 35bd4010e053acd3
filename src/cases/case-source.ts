import type { CaseSource } from '../documents/case-source.ts';
import { notFound } from '../errors.ts';
import { findCase, findCaseDetail } from './case.repository.ts';
import { assertCanSee } from './case-access.ts';
import { decisionReleased } from './case-audience.ts';
import { presentDetail } from './case-presenter.ts';

/**
 * The documents module's view of a case (src/documents/case-source.ts), implemented here so that
 * documents never import case internals.
 */
export const caseSource: CaseSource = {
  async read(db, caseId, ctx, clock) {
    const c = await findCaseDetail(db, caseId);
    if (!c) throw notFound('Case');
    assertCanSee(ctx.actor, c);
    // Until the generic case core (facts) is merged the website's facts are columns; read either.
    const row = c as unknown as Record<string, unknown>;
    const facts =
      (row.facts as Record<string, unknown> | undefined) ??
      Object.fromEntries(
        (
          [
            ['kind', row.kind],
            ['websiteId', row.website_id],
            ['websiteRef', row.website_ref],
            ['requestedHostname', row.requested_hostname],
          ] as const
        ).filter(([, v]) => v !== null && v !== undefined),
      );
    return {
      id: c.id,
      ref: c.ref,
      sopKey: c.sop_key,
      sopVersion: c.sop_version,
      opdName: c.opd_name,
      subject: c.subject,
      letterNumber: c.letter_number,
      letterDate: c.letter_date,
      agendaNumber: c.agenda_number,
      receivedAt: c.received_at,
      urgency: c.urgency,
      addressee: c.addressee,
      status: c.status,
      decision: c.decision,
      decisionReason: c.decision_reason,
      letter:
        c.decision && c.tl_number && c.tl_date && decisionReleased(c)
          ? { number: c.tl_number, date: c.tl_date }
          : null,
      facts,
      detail: presentDetail(c, ctx.actor, clock),
    };
  },
  async assertVisible(db, caseId, ctx) {
    const c = await findCase(db, caseId);
    if (!c) throw notFound('Case');
    assertCanSee(ctx.actor, c);
  },
};
