/** Turns API errors into translated messages, and validation errors into messages next to form fields. */
import type { ReactNode } from 'react';
import { ApiError, isApiError } from '../api/client.ts';
import i18n from '../i18n/index.ts';
import type { MessageKey } from './validation.ts';

/** `t` for keys built at run time (error codes from the server); unknown keys are checked with `exists`. */
const tDynamic = i18n.t.bind(i18n) as unknown as (key: string, options?: Record<string, unknown>) => string;

/** Translates a message key; any other text (a server message) is shown as it is. */
export function translateMessage(value: ReactNode): ReactNode {
  if (typeof value === 'string' && value && i18n.exists(value)) return tDynamic(value);
  return value;
}

function minutes(seconds: number | undefined): number {
  return Math.max(1, Math.ceil((seconds ?? 60) / 60));
}

/** A translated sentence for any error: known API codes, network failures, or the unexpected. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return i18n.t('errors.unknown', { code: 'CLIENT' });
  if (error.code === 'TOO_MANY_ATTEMPTS') {
    return i18n.t('errors.TOO_MANY_ATTEMPTS', { minutes: minutes(error.details?.retryAfterSeconds) });
  }
  if (error.code === 'PASSWORD_TOO_WEAK')
    return passwordWeakness(error) ?? i18n.t('errors.PASSWORD_TOO_WEAK');
  const key = `errors.${error.code}`;
  if (i18n.exists(key)) return tDynamic(key);
  if (error.status >= 500) return i18n.t('errors.INTERNAL');
  return i18n.t('errors.unknown', { code: error.code });
}

function passwordWeakness(error: ApiError): string | null {
  const reasons = Array.isArray(error.details?.reasons) ? error.details.reasons : [];
  const minLength = typeof error.details?.minLength === 'number' ? error.details.minLength : undefined;
  const texts = reasons
    .map((reason) =>
      reason === 'TOO_SHORT' && minLength ? 'password.reasons.TOO_SHORT_MIN' : `password.reasons.${reason}`,
    )
    .filter((key) => i18n.exists(key))
    .map((key) => tDynamic(key, { minLength }));
  return texts.length ? texts.join(' ') : null;
}

/** Translated messages for the API's field rules, so server-side checks read like the client's. */
const FIELD_RULES: Record<string, MessageKey> = {
  username: 'validation.username',
  code: 'validation.code',
  name: 'validation.name',
  fullName: 'validation.name',
  nip: 'validation.nip',
  email: 'validation.email',
  phone: 'validation.phone',
};

/** Error codes that belong to one field. */
const CODE_FIELDS: Record<string, string[]> = {
  USERNAME_TAKEN: ['username'],
  OPD_CODE_TAKEN: ['code'],
  UNIT_CODE_TAKEN: ['code'],
  CONFLICT: ['code', 'username'],
  PASSWORD_INCORRECT: ['currentPassword'],
  PASSWORD_TOO_WEAK: ['password', 'newPassword'],
  OPD_INACTIVE: ['opdId'],
  ROLE_RULES: ['roles'],
};

type FormLike = {
  getValues: () => object;
  setFieldError: (path: never, error: ReactNode) => void;
};

/**
 * Shows an API error on a Mantine form: field errors next to their fields, and returns the message for
 * the form as a whole (null when every problem is shown at a field).
 */
export function applyFormError(form: FormLike, error: unknown): string | null {
  if (!isApiError(error)) return errorMessage(error);
  const fields = Object.keys(form.getValues());
  const setError = form.setFieldError as (path: string, message: ReactNode) => void;

  if (error.code === 'VALIDATION_FAILED' && error.details?.fields?.length) {
    const unplaced: string[] = [];
    for (const field of error.details.fields) {
      const head = field.path.split('.')[0] ?? field.path;
      if (fields.includes(head)) {
        setError(head, FIELD_RULES[head] ?? field.message);
      } else {
        unplaced.push(field.path ? `${field.path}: ${field.message}` : field.message);
      }
    }
    return unplaced.length ? `${i18n.t('errors.VALIDATION_FAILED')} ${unplaced.join('; ')}` : null;
  }

  const target = CODE_FIELDS[error.code]?.find((field) => fields.includes(field));
  if (target) {
    setError(target, errorMessage(error));
    return null;
  }
  return errorMessage(error);
}
