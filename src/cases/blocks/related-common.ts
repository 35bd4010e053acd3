import { AppError } from '../../errors.ts';

// Helpers the related services' handlers share (checklist, schedule, provisioning, handover,
// issue_document and the registry's server/address/name effects).

export function fieldError(
  code: 'REFERENCE_INVALID' | 'INVALID_DATE' | 'FIELD_INVALID',
  path: string,
  message: string,
): AppError {
  return new AppError(code, `${path}: ${message}`, { details: { fields: [{ path, message }] } });
}

/** The action cannot be taken yet, and why (409). */
export function notYet(reason: string): AppError {
  return new AppError('ACTION_NOT_ALLOWED_NOW', reason);
}

/** A fact or payload value that is a string, else undefined. */
export const textOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
