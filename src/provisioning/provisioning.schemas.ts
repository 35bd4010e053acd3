import { z } from 'zod';

const title = z.object({ id: z.string(), en: z.string() });
const stepKey = z.string();

export const planOut = z.object({
  kind: z.enum(['install', 'suspend', 'resume', 'retire', 'rollback']),
  hostname: z.string(),
  steps: z.array(
    z.object({
      key: stepKey,
      title,
      server: z.string().nullable(),
      changes: z.array(
        z.object({
          action: z.enum(['create', 'change', 'remove', 'check']),
          kind: z.string(),
          target: z.string(),
          server: z.string(),
        }),
      ),
      skip: z.string().nullable(),
    }),
  ),
  warnings: z.array(z.string()),
});

export const runOut = z.object({
  id: z.string(),
  websiteId: z.string(),
  hostname: z.string(),
  kind: z.enum(['install', 'suspend', 'resume', 'retire', 'rollback']),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  plan: planOut,
  steps: z.array(
    z.object({
      seq: z.number(),
      key: stepKey,
      title,
      status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
      attempts: z.number(),
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
      result: z.record(z.string(), z.unknown()).nullable(),
      error: z.string().nullable(),
    }),
  ),
  undoesId: z.string().nullable(),
  case: z.object({ id: z.string(), ref: z.string() }).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});

export const planQuery = z.strictObject({
  kind: z.enum(['install', 'suspend', 'resume', 'retire']).default('install'),
  caseId: z.uuid().optional(),
});

export const startRunBody = z.strictObject({
  kind: z.enum(['install', 'suspend', 'resume', 'retire']),
  caseId: z.uuid().optional(),
});
