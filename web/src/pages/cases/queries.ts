/** Query keys and options of the request pages, so every page reads and refreshes the same cache. */
import { type QueryClient, queryOptions } from '@tanstack/react-query';
import { isApiError, request } from '../../api/client.ts';
import {
  type CaseListQuery,
  casesApi,
  documentsApi,
  fetchAll,
  orgApi,
  servicesApi,
  staffApi,
} from '../../api/endpoints.ts';
import type { CaseDetail } from '../../api/types.ts';
import type { ServedDefinition } from '../../lib/serviceVersion.ts';

export const caseKeys = {
  all: ['cases'] as const,
  list: (query: CaseListQuery) => ['cases', 'list', query] as const,
  counts: ['cases', 'counts'] as const,
  detail: (id: string) => ['cases', 'detail', id] as const,
  documents: (id: string) => ['cases', 'documents', id] as const,
};

/** Menu badges: refreshed every minute and after every action. */
export const countsQuery = queryOptions({
  queryKey: caseKeys.counts,
  queryFn: () => casesApi.counts(),
  refetchInterval: 60_000,
  staleTime: 30_000,
  retry: false,
});

export const caseQuery = (id: string) =>
  queryOptions({
    queryKey: caseKeys.detail(id),
    queryFn: () => casesApi.get(id),
    staleTime: 5_000,
  });

/** The request's official PDFs (sending the follow-up letter issues one: refreshed after every action). */
export const caseDocumentsQuery = (id: string) =>
  queryOptions({
    queryKey: caseKeys.documents(id),
    queryFn: () => documentsApi.ofCase(id),
    staleTime: 5_000,
    retry: false,
  });

/** The SOP catalogue rarely changes: fetched once per session. */
export const servicesQuery = queryOptions({
  queryKey: ['services'],
  queryFn: () => servicesApi.list(),
  staleTime: 60 * 60_000,
});

/** One published version of a service's SOP (a request filed under an older one): it never changes. */
export const serviceVersionQuery = (key: string, version: number) =>
  queryOptions({
    queryKey: ['services', key, 'versions', version],
    queryFn: () =>
      request<ServedDefinition>(
        'GET',
        `/api/services/${encodeURIComponent(key)}/versions/${encodeURIComponent(String(version))}`,
      ),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const staffQuery = queryOptions({
  queryKey: ['staff'],
  queryFn: () => staffApi.list(),
  staleTime: 5 * 60_000,
});

export const activeUnitsQuery = queryOptions({
  queryKey: ['units', 'active-all'],
  queryFn: () => fetchAll(orgApi('units').list, { active: true }),
  staleTime: 5 * 60_000,
});

/** After a change: the request itself from the answer, and every list and count fetched again. */
export function caseChanged(queryClient: QueryClient, detail: CaseDetail): void {
  queryClient.setQueryData(caseKeys.detail(detail.id), detail);
  void queryClient.invalidateQueries({ queryKey: caseKeys.documents(detail.id) });
  void queryClient.invalidateQueries({ queryKey: ['cases', 'list'] });
  void queryClient.invalidateQueries({ queryKey: caseKeys.counts });
  void queryClient.invalidateQueries({ queryKey: ['notifications'] });
}

/** True when the server has no such route yet (an older backend): the feature hides itself. */
export function isMissingRoute(error: unknown): boolean {
  return isApiError(error) && (error.code === 'ROUTE_NOT_FOUND' || error.status === 404);
}
