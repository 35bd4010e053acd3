/** The signed-in user, cached by TanStack Query under one key. */
import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { authApi } from './api/endpoints.ts';
import type { Me, Role } from './api/types.ts';

export const meQuery = queryOptions({
  queryKey: ['me'] as const,
  queryFn: async () => (await authApi.me()).user,
  staleTime: 5 * 60_000,
  retry: false,
});

export function useMe(): Me {
  return useSuspenseQuery(meQuery).data;
}

export function hasRole(user: Me, role: Role): boolean {
  return user.roles.includes(role);
}

/** Only same-site paths are followed after sign-in, never another origin. */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/masuk')) return '/';
  return next;
}
