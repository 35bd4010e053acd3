/**
 * Client-side checks that mirror the API's field rules (docs/api.md). Each returns an i18n key, so the
 * message follows the language when the user switches it; the server stays the authority.
 */
import type { Role } from '../api/types.ts';

export type MessageKey = `validation.${string}` | `password.${string}` | `errors.${string}`;

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
const CODE = /^[A-Z0-9][A-Z0-9._-]{1,31}$/;
const NIP = /^\d{18}$/;
const PHONE = /^\+?[0-9 -]{6,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function required(value: string): MessageKey | null {
  return value.trim() ? null : 'validation.required';
}

export function username(value: string): MessageKey | null {
  if (!value.trim()) return 'validation.required';
  return USERNAME.test(value) ? null : 'validation.username';
}

export function orgCode(value: string): MessageKey | null {
  if (!value.trim()) return 'validation.required';
  return CODE.test(value) ? null : 'validation.code';
}

export function name(value: string): MessageKey | null {
  const length = value.trim().length;
  if (length === 0) return 'validation.required';
  return length >= 2 && length <= 200 ? null : 'validation.name';
}

export function optionalNip(value: string): MessageKey | null {
  return !value.trim() || NIP.test(value.trim()) ? null : 'validation.nip';
}

export function optionalEmail(value: string): MessageKey | null {
  return !value.trim() || EMAIL.test(value.trim()) ? null : 'validation.email';
}

export function optionalPhone(value: string): MessageKey | null {
  const trimmed = value.trim();
  return !trimmed || (PHONE.test(trimmed) && trimmed.length <= 20) ? null : 'validation.phone';
}

export function roles(value: Role[]): MessageKey | null {
  if (value.length === 0) return 'validation.rolesRequired';
  if (value.includes('opd') && value.length > 1) return 'validation.opdExclusive';
  return null;
}

/** Empty text fields become null so the API clears them. */
export function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed ? trimmed : null;
}
