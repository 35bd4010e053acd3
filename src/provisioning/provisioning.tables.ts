import type { ColumnType } from 'kysely';

type Json = ColumnType<Record<string, unknown>, string, string>;

export interface ProvisionRunTable {
  id: string;
  website_id: string;
  kind: 'install' | 'suspend' | 'resume' | 'retire' | 'rollback';
  status: ColumnType<
    'queued' | 'running' | 'done' | 'failed',
    'queued' | undefined,
    'queued' | 'running' | 'done' | 'failed'
  >;
  params: Json;
  plan: Json;
  undoes_id: string | null;
  case_id: string | null;
  created_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  started_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
  lease_owner: ColumnType<string | null, string | null | undefined, string | null>;
  lease_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ProvisionStepTable {
  run_id: string;
  seq: number;
  key: string;
  status: ColumnType<
    'pending' | 'running' | 'done' | 'failed' | 'skipped',
    'pending' | undefined,
    'pending' | 'running' | 'done' | 'failed' | 'skipped'
  >;
  attempts: ColumnType<number, number | undefined, number>;
  started_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  result: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ProvisioningTables {
  provision_runs: ProvisionRunTable;
  provision_steps: ProvisionStepTable;
}
