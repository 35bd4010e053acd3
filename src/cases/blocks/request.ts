import { AppError } from '../../errors.ts';
import type { Handler } from '../action-handlers.ts';
import { hasLetter } from '../case.repository.ts';

export const requestHandlers: Record<string, Handler> = {
  async submit({ trx, c, now }) {
    if (!(await hasLetter(trx, c.id))) {
      throw new AppError('LETTER_REQUIRED', 'Attach the signed request letter before submitting', {
        details: { fields: [{ path: 'letter', message: 'required' }] },
      });
    }
    return { patch: { submitted_at: now }, outputs: { letter: 'Surat' } };
  },
};
