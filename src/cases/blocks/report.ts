import type { Handler } from '../action-handlers.ts';

export const reportHandlers: Record<string, Handler> = {
  async report({ payload }) {
    return { outputs: { summary: payload.summary } };
  },
};
