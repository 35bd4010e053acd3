import { fieldError, type Handler, str } from '../action-handlers.ts';
import { formatNumber, localDate } from '../case-deps.ts';
import { nextNumber } from '../counter.repository.ts';

export const registrationHandlers: Record<string, Handler> = {
  async register({ trx, c, payload, deps, now }) {
    const receivedAt = new Date(str(payload.receivedAt));
    if (receivedAt.getTime() > now.getTime() + 5 * 60_000) {
      throw fieldError('INVALID_DATE', 'receivedAt', 'cannot be in the future');
    }
    const day = localDate(receivedAt, deps.timeZone);
    if (day < c.letter_date)
      throw fieldError('INVALID_DATE', 'receivedAt', 'cannot be before the letter date');
    const year = Number(day.slice(0, 4));
    const seq = await nextNumber(trx, 'agenda', year);
    const agendaNumber = formatNumber(deps.agendaPattern, seq, day);
    return {
      patch: {
        agenda_number: agendaNumber,
        agenda_year: year,
        agenda_seq: seq,
        received_at: receivedAt,
        urgency: str(payload.urgency),
        addressee: str(payload.addressee),
      },
      outputs: { agendaNumber, electronicDocument: true, dispositionSheet: true },
    };
  },
};
