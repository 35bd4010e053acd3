import { PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { AppError } from '../errors.ts';

// The format layer of the registry's import and export: a CSV or XLSX file in, a header and rows
// of strings out; rows of strings in, a CSV or XLSX file out. Nothing here knows about websites.

export type TabularFormat = 'csv' | 'xlsx';

export type TableRow = {
  /** The row's number as a spreadsheet shows it (the header is usually row 1). */
  line: number;
  cells: string[];
};

export type Table = {
  /** The first non-blank row, each cell trimmed. */
  header: string[];
  /**
   * The rows after it, each with at least as many cells as the header (more when the row has
   * values beyond the last named column); blank rows are left out (their numbers are kept).
   */
  rows: TableRow[];
};

export type ReadLimits = {
  /** Most data rows (default 5000). */
  maxRows?: number;
  /** Most columns (default 100). */
  maxColumns?: number;
  /** Most bytes an XLSX may unpack to (default 32 MiB): a ZIP bomb is refused before it is parsed. */
  maxUnpackedBytes?: number;
};

export const MAX_ROWS = 5000;
const MAX_COLUMNS = 100;
const MAX_UNPACKED_BYTES = 32 * 1024 * 1024;

export const CONTENT_TYPES: Record<TabularFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function invalid(message: string): AppError {
  return new AppError('IMPORT_INVALID', message, { details: { rows: [] } });
}

function notAllowed(): AppError {
  return new AppError('FILE_TYPE_NOT_ALLOWED', 'Only CSV (UTF-8) and XLSX files can be imported', {
    details: { allowed: ['.csv', '.xlsx'] },
  });
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet formula injection

/** What makes a spreadsheet program treat a cell of a CSV file as a formula. */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

/**
 * A value as written to CSV: one that a spreadsheet would run as a formula (starting with
 * = + - @ tab or CR) gets a leading apostrophe. So does one that already starts with apostrophes
 * before such a character, so that `restoreFormulaText` gives every value back exactly.
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The inverse of `neutraliseFormula`: one leading apostrophe goes, only before = + - @ tab CR. */
export function restoreFormulaText(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}

// ---------------------------------------------------------------------------------------------
// What a file is

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;

type ZipEntry = { name: string; method: number; compressedSize: number; size: number; offset: number };

/** The entries of a ZIP's central directory, or null when the bytes are no (plain, non-ZIP64) ZIP. */
function zipEntries(buf: Buffer): ZipEntry[] | null {
  if (buf.length < 22 || buf.readUInt32LE(0) !== ZIP_LOCAL) return null;
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== ZIP_CENTRAL) return null;
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    if (at + 46 + nameLength > buf.length) return null;
    entries.push({
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      offset: buf.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** An entry's bytes, unpacked, refusing to produce more than `budget` bytes whatever it declares. */
function unzipEntry(buf: Buffer, e: ZipEntry, budget: number): Buffer {
  const at = e.offset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== ZIP_LOCAL) throw invalid('The XLSX file is damaged');
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  if (start + e.compressedSize > buf.length) throw invalid('The XLSX file is damaged');
  const data = buf.subarray(start, start + e.compressedSize);
  let out: Buffer;
  if (e.method === 0) out = data;
  else if (e.method === 8) {
    try {
      out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLargeUnpacked();
      throw invalid('The XLSX file is damaged');
    }
  } else throw invalid('The XLSX file uses a compression Loket does not read');
  if (out.length > budget) throw tooLargeUnpacked();
  return out;
}

function tooLargeUnpacked(): AppError {
  return new AppError('FILE_TOO_LARGE', 'The spreadsheet is too large when unpacked', {
    details: { rows: [] },
  });
}

/** Control characters that never occur in text (tab, LF, CR and form feed do). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const BINARY = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

/**
 * What the bytes are, from their content only: XLSX (a ZIP holding `xl/workbook.xml`), CSV (UTF-8
 * text, with or without a BOM, without binary control characters), or null.
 */
export function detectFormat(buf: Buffer): TabularFormat | null {
  if (buf.length >= 4 && buf.readUInt32LE(0) === ZIP_LOCAL) {
    const entries = zipEntries(buf);
    return entries?.some((e) => e.name === 'xl/workbook.xml') ? 'xlsx' : null;
  }
  const text = decodeUtf8(buf);
  return text !== null && !BINARY.test(text) ? 'csv' : null;
}

function decodeUtf8(buf: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Reads a CSV or XLSX file (told apart by content). 415 FILE_TYPE_NOT_ALLOWED for anything else. */
export async function readTable(
  buf: Buffer,
  limits: ReadLimits = {},
): Promise<Table & { format: TabularFormat }> {
  const format = detectFormat(buf);
  if (format === 'csv') return { format, ...readCsv(buf, limits) };
  if (format === 'xlsx') return { format, ...(await readXlsx(buf, limits)) };
  throw notAllowed();
}

const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/** The delimiter of the header line: `;` when it has more semicolons than commas outside quotes. */
function headerDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (commas + semicolons > 0) break;
    } else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

function shape(records: { line: number; cells: string[] }[], limits: ReadLimits): Table {
  const maxRows = limits.maxRows ?? MAX_ROWS;
  const maxColumns = limits.maxColumns ?? MAX_COLUMNS;
  const nonBlank = records.filter((r) => !isBlank(r.cells));
  const [head, ...rows] = nonBlank;
  if (!head) throw invalid('The file is empty: the first row must name the columns');
  if (rows.length > maxRows)
    throw invalid(`At most ${maxRows} rows per import (this file has ${rows.length})`);
  const header = head.cells.map((c) => c.trim());
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  if (header.length > maxColumns) throw invalid(`At most ${maxColumns} columns`);
  for (const r of rows) while (r.cells.length < header.length) r.cells.push('');
  return { header, rows };
}

/**
 * Reads CSV: UTF-8 with or without a BOM, `,` or `;` between fields (told from the header line),
 * RFC 4180 quoting (lenient about stray quotes inside unquoted fields), CRLF or LF. A leading
 * apostrophe that neutralised a formula on export is removed again.
 */
export function readCsv(buf: Buffer, limits: ReadLimits = {}): Table {
  const decoded = decodeUtf8(buf);
  if (decoded === null || BINARY.test(decoded)) throw notAllowed();
  const text = decoded.replace(/^\uFEFF/, '');
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: headerDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      max_record_size: 1024 * 1024,
    }) as string[][];
  } catch (e) {
    throw invalid(`The file is not valid CSV: ${(e as Error).message}`);
  }
  return shape(
    records.map((cells, i) => ({ line: i + 1, cells: cells.map(restoreFormulaText) })),
    limits,
  );
}

function errorText(v: ExcelJS.CellErrorValue): string {
  return String(v.error);
}

/** A cell's value as text: dates as ISO 8601, rich text as its plain text, formulas as their result. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (typeof v !== 'object') return '';
  if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text ?? '').join('');
  if ('formula' in v || 'sharedFormula' in v) {
    // Never evaluated: the value the spreadsheet program saved with it, or nothing.
    const r = (v as ExcelJS.CellFormulaValue).result;
    return r === undefined ? '' : cellText(r as ExcelJS.CellValue);
  }
  if ('hyperlink' in v) return cellText((v as ExcelJS.CellHyperlinkValue).text as ExcelJS.CellValue);
  if ('error' in v) return errorText(v as ExcelJS.CellErrorValue);
  if ('text' in v) return cellText((v as { text: ExcelJS.CellValue }).text);
  return '';
}

const ROW_TAG = /<(?:[A-Za-z_][\w.-]*:)?row[\s>/]/g;

/**
 * Checks an XLSX before it is parsed: every entry unpacks within the byte budget (the sizes the
 * ZIP declares are not trusted), and no worksheet has more rows than allowed.
 */
function precheckXlsx(buf: Buffer, limits: ReadLimits): void {
  const entries = zipEntries(buf);
  if (!entries?.some((e) => e.name === 'xl/workbook.xml')) throw notAllowed();
  let budget = limits.maxUnpackedBytes ?? MAX_UNPACKED_BYTES;
  const maxRows = limits.maxRows ?? MAX_ROWS;
  // Generous (formatted blank rows count here, not later); the exact count is made after parsing.
  const maxRowTags = 2 * maxRows + 2;
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    const data = unzipEntry(buf, e, budget);
    budget -= data.length;
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(e.name)) {
      let rows = 0;
      const xml = data.toString('latin1');
      ROW_TAG.lastIndex = 0;
      while (ROW_TAG.exec(xml)) {
        if (++rows > maxRowTags) throw invalid(`At most ${maxRows} rows per import`);
      }
    }
  }
}

/**
 * Reads the first worksheet of an XLSX workbook: each cell as text (`cellText`). Formulas are
 * never evaluated. Apostrophes are not touched: XLSX cells are typed, a text cell is no formula.
 */
export async function readXlsx(buf: Buffer, limits: ReadLimits = {}): Promise<Table> {
  precheckXlsx(buf, limits);
  // Loaded on first use: exceljs is large and most processes never read a workbook.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    // exceljs declares its own Buffer type (an ArrayBuffer); a Node Buffer is what it reads.
    await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw invalid('The XLSX file could not be read');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw invalid('The workbook has no worksheet');
  const maxColumns = limits.maxColumns ?? MAX_COLUMNS;
  const records: { line: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const values = row.values as ExcelJS.CellValue[];
    const cells: string[] = [];
    const last = Math.min(values.length - 1, maxColumns + 1);
    for (let c = 1; c <= last; c++) cells.push(cellText(values[c]));
    records.push({ line, cells });
  });
  return shape(records, limits);
}

// ---------------------------------------------------------------------------------------------
// Writing

const CSV_QUOTE = /[",;\r\n]|^\s|\s$/;

/** One CSV field: neutralised against formulas, quoted (RFC 4180) when it needs to be. */
export function csvField(value: string): string {
  const v = neutraliseFormula(value);
  return CSV_QUOTE.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** A whole CSV file: UTF-8 with a BOM (so spreadsheet programs read it as UTF-8), CRLF lines. */
export function writeCsv(header: readonly string[], rows: Iterable<readonly string[]>): Buffer {
  const parts = ['\uFEFF', csvLine(header)];
  for (const r of rows) parts.push(csvLine(r));
  return Buffer.from(parts.join(''), 'utf8');
}

/** The same, streamed: the rows are pulled as the client reads. */
export function csvStream(header: readonly string[], rows: AsyncIterable<readonly string[]>): Readable {
  async function* lines() {
    yield Buffer.from(`\uFEFF${csvLine(header)}`, 'utf8');
    let batch = '';
    for await (const r of rows) {
      batch += csvLine(r);
      if (batch.length >= 64 * 1024) {
        yield Buffer.from(batch, 'utf8');
        batch = '';
      }
    }
    if (batch) yield Buffer.from(batch, 'utf8');
  }
  return Readable.from(lines(), { objectMode: false });
}

/** XML 1.0 cannot carry these; a spreadsheet program refuses the file if they are written raw. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

async function writeSheet(
  header: readonly string[],
  rows: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
  sheetName: string,
  stream: PassThrough,
): Promise<void> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  const head = ws.addRow([...header]);
  head.font = { bold: true };
  head.commit();
  for await (const r of rows) {
    // Every value is a text cell: never a formula, a number or a date the program may reformat.
    ws.addRow(r.map((v) => v.replace(NOT_XML, ''))).commit();
  }
  ws.commit();
  await wb.commit();
}

/** An XLSX workbook with one worksheet: the header row (bold, frozen), then the rows as text cells. */
export async function writeXlsx(
  header: readonly string[],
  rows: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
  sheetName = 'Sheet1',
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await writeSheet(header, rows, sheetName, out);
  await ended;
  return Buffer.concat(chunks);
}

/** The same, streamed to the client as it is written. */
export function xlsxStream(
  header: readonly string[],
  rows: AsyncIterable<readonly string[]>,
  sheetName = 'Sheet1',
): Readable {
  const out = new PassThrough();
  writeSheet(header, rows, sheetName, out).catch((err: unknown) => out.destroy(err as Error));
  return out;
}
