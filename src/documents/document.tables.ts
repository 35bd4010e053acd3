import type { ColumnType } from 'kysely';

export interface SettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: string | null;
}

export type DocumentKind =
  | 'disposition_sheet'
  | 'follow_up_letter'
  | 'kak'
  | 'report'
  | 'case_summary'
  | 'sop_sheet'
  | 'berita_acara'
  | 'recommendation';

export interface DocumentTable {
  id: string;
  case_id: string | null;
  kind: DocumentKind;
  subject_key: ColumnType<string, string | undefined, never>;
  version: number;
  replaces_id: string | null;
  number: string | null;
  title: string;
  storage_key: string;
  sha256: string;
  size: number;
  issued_at: ColumnType<Date, Date | undefined, never>;
  issued_by: string;
  public_info: ColumnType<Record<string, unknown>, string, never>;
}

export interface SopVersionTable {
  key: string;
  version: number;
  base_version: number;
  standard_times: ColumnType<unknown, string, never>;
  /** The whole definition of a published version (0015); null: standard times over `base_version`. */
  definition: ColumnType<unknown, string | null | undefined, never>;
  note: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  created_by: string;
}

/** Tables of official documents (0005_documents) and administrator-made SOP versions (0006). */
export type DocumentTables = {
  settings: SettingTable;
  documents: DocumentTable;
  sop_versions: SopVersionTable;
};
