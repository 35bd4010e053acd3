/** API errors on the registry forms: each field's problem next to the field, the rest for the whole form. */
import type { ReactNode } from 'react';
import { isApiError } from '../../api/client.ts';
import i18n from '../../i18n/index.ts';
import { errorMessage } from '../../lib/errors.ts';
import { reasonText } from './rules.ts';

/** Error codes that belong to a field (the first one the form has). */
const CODE_FIELDS: Record<string, string[]> = {
  NAME_TAKEN: ['label', 'hostname', 'name'],
  NAME_INVALID: ['label', 'hostname', 'name'],
  ZONE_EXISTS: ['name'],
  SERVER_NAME_TAKEN: ['name'],
  POOL_NAME_TAKEN: ['name'],
  POOL_OVERLAPS: ['cidr'],
  IP_TAKEN: ['ipAddress', 'address', 'addresses'],
  IP_NOT_IN_POOL: ['ipAddress', 'address', 'gateway', 'reserved'],
  IP_NOT_USABLE: ['ipAddress', 'address', 'gateway', 'reserved'],
  POOL_FULL: ['poolId'],
  OPD_INACTIVE: ['opdId'],
};

/** The zod messages of registry.schemas.ts, in the user's language. */
function fieldMessage(path: string, message: string): string {
  const head = path.split('.')[0] ?? path;
  if (message === 'required' || /^Required|expected string, received undefined/i.test(message)) {
    return i18n.t('validation.required');
  }
  if (/required for an active website/.test(message)) return i18n.t('registry.rules.requiredActive');
  if (head === 'contactNip' || /NIP is 18 digits/.test(message)) return i18n.t('validation.nip');
  if (head === 'contactPhone' || /phone number/.test(message)) return i18n.t('validation.phone');
  if (head === 'contactEmail' || /e-mail/.test(message)) return i18n.t('validation.email');
  if (/not an IPv4 or IPv6 address/.test(message)) return i18n.t('registry.rules.ip');
  if (/not a CIDR block/.test(message)) return i18n.t('registry.rules.cidr');
  if (/zone name in lower case/.test(message)) return i18n.t('registry.rules.zoneName');
  if (/lower case letters, digits, dot and dash/.test(message)) return i18n.t('registry.rules.serverName');
  return reasonText(message);
}

type FormLike = { getValues: () => object; setFieldError: (path: never, error: ReactNode) => void };

/**
 * Shows an API error on a Mantine form. `aliases` maps API field names to the form's (hostname → label);
 * answers the message for the form as a whole, or null when every problem sits at a field.
 */
export function applyRegistryError(
  form: FormLike,
  error: unknown,
  aliases: Record<string, string> = {},
): string | null {
  if (!isApiError(error)) return errorMessage(error);
  const fields = Object.keys(form.getValues());
  const setError = form.setFieldError as (path: string, message: ReactNode) => void;
  const place = (apiPath: string): string | undefined => {
    const head = apiPath.split('.')[0] ?? apiPath;
    const target = aliases[head] ?? head;
    return fields.includes(target) ? target : undefined;
  };

  const list = error.details?.fields;
  if (Array.isArray(list) && list.length) {
    const unplaced: string[] = [];
    for (const field of list) {
      const target = place(field.path);
      const message = fieldMessage(field.path, field.message);
      if (target) setError(target, message);
      else unplaced.push(field.path ? `${field.path}: ${message}` : message);
    }
    return unplaced.length ? `${errorMessage(error)} ${unplaced.join('; ')}` : null;
  }

  const target = CODE_FIELDS[error.code]?.map((f) => aliases[f] ?? f).find((f) => fields.includes(f));
  if (target) {
    const specific = reasonText(error.message);
    setError(target, specific !== error.message ? specific : errorMessage(error));
    return null;
  }
  return errorMessage(error);
}

export function isVersionConflict(error: unknown): boolean {
  return isApiError(error, 'VERSION_CONFLICT');
}
