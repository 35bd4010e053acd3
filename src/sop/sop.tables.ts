import type { ColumnType } from 'kysely';

/** A service across its versions (0015_sop_definitions): retired or not. */
export interface SopServiceTable {
  key: string;
  retired: boolean;
  retired_at: Date | null;
  retired_by: string | null;
  /** Counts changes, for the catalogue's stamp (every instance sees a retirement). */
  revision: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** Tables of published SOPs besides `sop_versions` (which lives with the documents' tables). */
export type SopTables = {
  sop_services: SopServiceTable;
};
