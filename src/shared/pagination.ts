import { z } from 'zod';

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};

export type PageInput = { page: number; pageSize: number };
export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

export function offsetOf(p: PageInput): number {
  return (p.page - 1) * p.pageSize;
}

/** `?active=true|false` as a boolean; anything else is a validation error. */
export const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Escapes LIKE wildcards so a search for `50%` finds that text and nothing else. */
export function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
