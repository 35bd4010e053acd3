/** A small fetch wrapper: JSON in and out, same-origin cookies, typed errors. */

export type FieldError = { path: string; message: string };

export type ErrorDetails = {
  fields?: FieldError[];
  reasons?: string[];
  retryAfterSeconds?: number;
  [key: string]: unknown;
};

/** An error answered by the API (`{ error: { code, message, details } }`) or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails | undefined;

  constructor(status: number, code: string, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

type Query = Record<string, string | number | boolean | null | undefined>;

export type RequestOptions = {
  body?: unknown;
  query?: Query;
  /** Whether a 401 `UNAUTHENTICATED` answer sends the browser to the sign-in page (default true). */
  redirectOnUnauthenticated?: boolean;
  signal?: AbortSignal;
};

let unauthenticatedHandler: (() => void) | undefined;

/** Registers what happens when the session is gone (the app sends the user to the sign-in page). */
export function onUnauthenticated(handler: () => void): void {
  unauthenticatedHandler = handler;
}

function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function readError(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`;
  let message = response.statusText;
  let details: ErrorDetails | undefined;
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; details?: unknown };
    };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
    if (body.error?.details && typeof body.error.details === 'object') {
      details = body.error.details as ErrorDetails;
    }
  } catch {
    // Not JSON (a proxy error page, say): keep the HTTP status as the code.
  }
  if (response.status === 429 && details?.retryAfterSeconds === undefined) {
    const header = Number(response.headers.get('Retry-After'));
    if (Number.isFinite(header) && header > 0) details = { ...details, retryAfterSeconds: header };
  }
  return new ApiError(response.status, code, message, details);
}

/** Sends one request to the API and returns the parsed JSON answer (undefined for 204). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : 'Network error');
  }
  if (!response.ok) {
    const error = await readError(response);
    if (error.code === 'UNAUTHENTICATED' && options.redirectOnUnauthenticated !== false) {
      unauthenticatedHandler?.();
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export type UploadProgress = { loaded: number; total: number };

export type UploadOptions = {
  query?: Query;
  /** Called as the request body goes out (bytes sent so far of the whole multipart body). */
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
};

/**
 * Sends a multipart form with XMLHttpRequest, the one browser API that reports upload progress, and
 * answers like `request`: parsed JSON, or an `ApiError` in the API's shape.
 */
export function upload<T>(
  method: string,
  path: string,
  form: FormData,
  options: UploadOptions = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, buildUrl(path, options.query));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'text';
    if (options.onProgress) {
      const report = options.onProgress;
      xhr.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) report({ loaded: event.loaded, total: event.total });
      });
    }
    const abort = () => xhr.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    xhr.addEventListener('abort', () => reject(new DOMException('Upload aborted', 'AbortError')));
    xhr.addEventListener('error', () => reject(new ApiError(0, 'NETWORK', 'Network error')));
    xhr.addEventListener('load', () => {
      options.signal?.removeEventListener('abort', abort);
      const headers = new Headers();
      const retryAfter = xhr.getResponseHeader('Retry-After');
      if (retryAfter) headers.set('Retry-After', retryAfter);
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        } catch {
          reject(new ApiError(xhr.status, 'INVALID_RESPONSE', 'The server answer is not JSON'));
        }
        return;
      }
      const status = xhr.status >= 200 && xhr.status <= 599 ? xhr.status : 500;
      void readError(new Response(xhr.responseText, { status, statusText: xhr.statusText, headers })).then(
        (error) => {
          if (error.code === 'UNAUTHENTICATED') unauthenticatedHandler?.();
          reject(error);
        },
      );
    });
    xhr.send(form);
  });
}
