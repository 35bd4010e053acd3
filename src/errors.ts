/**
 * One error model for the whole product: services throw `AppError(code)`, and the HTTP layer
 * maps the code to a status through the single table below.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  BAD_REQUEST: 400,
  // Uploaded files (src/storage).
  FILE_REQUIRED: 400,
  FILE_EMPTY: 400,
  FILE_NAME_INVALID: 400,
  TOO_MANY_FILES: 400,
  PASSWORD_INCORRECT: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CROSS_ORIGIN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  // Idempotency keys (src/idempotency).
  IDEMPOTENCY_IN_PROGRESS: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  USERNAME_TAKEN: 409,
  OPD_CODE_TAKEN: 409,
  UNIT_CODE_TAKEN: 409,
  LAST_ADMIN: 409,
  CANNOT_DEACTIVATE_SELF: 409,
  // Working-time calendar (src/calendar).
  HOLIDAY_EXISTS: 409,
  PAYLOAD_TOO_LARGE: 413,
  FILE_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  FILE_TYPE_NOT_ALLOWED: 415,
  PASSWORD_TOO_WEAK: 422,
  ROLE_RULES: 422,
  OPD_INACTIVE: 422,
  IMPORT_INVALID: 422,
  TOO_MANY_ATTEMPTS: 429,
  VERSION_CONFLICT: 409,
  ACTION_UNKNOWN: 404,
  ACTION_FORBIDDEN: 403,
  ACTION_NOT_IN_STEP: 409,
  ACTION_NOT_ALLOWED_NOW: 409,
  CASE_CLOSED: 409,
  /** The service is retired: it takes no new requests (running cases go on). */
  SERVICE_RETIRED: 409,
  LETTER_REQUIRED: 422,
  LETTER_DATE_IN_FUTURE: 400,
  INVALID_DATE: 400,
  REFERENCE_INVALID: 422,
  FILE_FIELD_UNEXPECTED: 400,
  TEMPLATE_UNKNOWN_FIELDS: 422,
  DOCUMENT_NOT_READY: 409,
  LOGO_INVALID: 415,
  IMAGE_TOO_LARGE: 422,
  // Registry (src/registry).
  FIELD_INVALID: 422,
  NAME_INVALID: 422,
  NAME_TAKEN: 409,
  ZONE_EXISTS: 409,
  ZONE_IN_USE: 409,
  SERVER_NAME_TAKEN: 409,
  SERVER_IN_USE: 409,
  POOL_NAME_TAKEN: 409,
  POOL_OVERLAPS: 409,
  POOL_FULL: 409,
  POOL_IN_USE: 409,
  IP_NOT_IN_POOL: 422,
  IP_NOT_USABLE: 422,
  IP_TAKEN: 409,
  STATUS_TRANSITION: 409,
  WEBSITE_RETIRED: 409,
  // Published SOPs (src/sop): a definition with problems (every one named in details.fields).
  DEFINITION_INVALID: 422,
  // Provisioning (src/provisioning): the installation has not enabled local access (LOKET_LOCAL_AGENT_CONFIG).
  LOCAL_ACCESS_DISABLED: 422,
  INTERNAL: 500,
  NOT_READY: 503,
  DB_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

/** A record that does not exist and one the actor may not see look the same from outside. */
export function notFound(what = 'Record'): AppError {
  return new AppError('NOT_FOUND', `${what} not found`);
}

export function forbidden(message = 'You are not allowed to do this'): AppError {
  return new AppError('FORBIDDEN', message);
}
