/** Tables of SOP cases (filled in by migration 0002_cases). */
// biome-ignore lint/complexity/noBannedTypes: filled in as the case tables are added
export type CaseTables = {};
