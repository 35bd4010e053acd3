import { findOrgById } from '../../orgs/org.repository.ts';
import { unitsFor } from '../../sop/engine.ts';
import { fieldError, type Handler, opt, str } from '../action-handlers.ts';
import { insertDisposition } from '../case.repository.ts';
import { caseState } from '../case-presenter.ts';

export const dispositionHandlers: Record<string, Handler> = {
  async dispose({ trx, c, payload, ctx, sop, action }) {
    const field = action.unitField ?? 'toUnitId';
    const unit = await findOrgById(trx, 'units', str(payload[field]));
    if (!unit?.active) throw fieldError('REFERENCE_INVALID', field, 'no such active unit');
    // Only a unit that works in the lane of the next step can carry it (the review is the
    // application division's, whatever unit a click might name).
    const carriers = unitsFor(sop, caseState(c), action);
    if (!carriers.includes(unit.code)) {
      throw fieldError(
        'REFERENCE_INVALID',
        field,
        `this unit cannot carry the next step (${carriers.join(', ')})`,
      );
    }
    await insertDisposition(trx, {
      caseId: c.id,
      fromUserId: ctx.actor.id,
      toUnitId: unit.id,
      instruction: str(payload.instruction),
      note: opt(payload.note),
      dueDate: opt(payload.dueDate),
    });
    return { outputs: { disposedTo: unit.name, instruction: payload.instruction } };
  },
};
