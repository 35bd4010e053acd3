/**
 * SOP standard times (docs/api.md, Cases): the administrator changes them as a new SOP version, and issues the
 * SOP sheet of the current version.
 */
import { request } from './client.ts';
import type { StandardTime } from './types.ts';

export type StandardTimesChange = { times: Record<string, StandardTime>; note?: string };

/** The issued SOP sheet (a `Document`; only what this page reads). */
export type IssuedSopSheet = { id: string; title: string; version: number; url: string };

const servicePath = (key: string) => `/api/services/${encodeURIComponent(key)}`;

export const sopTimesApi = {
  /** A new SOP version with these steps' times: new cases and the SOP sheet use it, running cases keep theirs. */
  change: (key: string, change: StandardTimesChange) =>
    request<{ key: string; version: number }>('PUT', `${servicePath(key)}/standard-times`, { body: change }),
  /** Issues the SOP sheet of the current version (201 `Document`, its `url` the PDF). */
  issueSheet: (key: string) => request<IssuedSopSheet>('POST', `/api/sop-sheets/${encodeURIComponent(key)}`),
};
