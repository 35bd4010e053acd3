import type { ColumnType } from 'kysely';

/** A creating request's idempotency key and the answer it got (migration 0011_idempotency). */
export interface IdempotencyKeyTable {
  user_id: string;
  /** `METHOD /path` of the request. */
  route: string;
  key: string;
  request_hash: string;
  status: ColumnType<number, number | undefined, number>;
  response: ColumnType<unknown, string | undefined, string>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type IdempotencyTables = {
  idempotency_keys: IdempotencyKeyTable;
};
