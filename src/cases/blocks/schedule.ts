import { scheduleMark } from '../../sop/blocks/schedule.ts';
import { assertStaff, type HandlerArgs, type HandlerResult } from '../action-handlers.ts';
import { fieldError, notYet, textOf } from './related-common.ts';

/** What the case keeps of a step's schedule, in `facts.schedules[step]`. */
export type ScheduleFact = {
  at: string;
  place: string;
  staffAttendees: string[];
  opdAttendees: string | null;
  round: number;
};

function schedulesOf(facts: Record<string, unknown>): Record<string, ScheduleFact> {
  const s = facts.schedules;
  return s && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, ScheduleFact>) : {};
}

/** A little slack for a clock that is a few minutes off. */
const SLACK_MS = 5 * 60_000;

export const SCHEDULE_HANDLERS = {
  /** Sets (or sets again) the date, place and attendees; the OPD is told. */
  async schedule({ trx, c, payload, step, now }: HandlerArgs): Promise<HandlerResult> {
    const at = new Date(payload.at as string);
    if (at.getTime() < now.getTime() - SLACK_MS)
      throw fieldError('INVALID_DATE', 'at', 'cannot be in the past');
    const staff = [...new Set((payload.staffAttendees as string[] | undefined) ?? [])];
    if (staff.length) await assertStaff(trx, staff, ['kepala', 'kabid', 'subkoor', 'staf'], 'staffAttendees');
    const round = (c.marks[scheduleMark(step.key)] ?? 0) + 1;
    const fact: ScheduleFact = {
      at: at.toISOString(),
      place: payload.place as string,
      staffAttendees: staff,
      opdAttendees: textOf(payload.opdAttendees) ?? null,
      round,
    };
    return {
      facts: { schedules: { ...schedulesOf(c.facts), [step.key]: fact } },
      outputs: { ...fact, rescheduled: round > 1, notes: payload.notes ?? null },
    };
  },

  /** Records that it took place — not before the time it was set for. */
  async held({ c, payload, step, now }: HandlerArgs): Promise<HandlerResult> {
    const s = schedulesOf(c.facts)[step.key];
    if (!s) throw notYet('schedule it first');
    if (new Date(s.at).getTime() > now.getTime() + SLACK_MS) {
      throw notYet(`it is scheduled for ${s.at}: record it once it has taken place`);
    }
    return { outputs: { scheduledAt: s.at, heldAt: now.toISOString(), notes: payload.notes } };
  },
};
