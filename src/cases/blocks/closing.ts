import type { Handler } from '../action-handlers.ts';

export const closingHandlers: Record<string, Handler> = {
  async close({ payload, now }) {
    return { patch: { closed_at: now }, outputs: { notes: payload.notes ?? null } };
  },
};
