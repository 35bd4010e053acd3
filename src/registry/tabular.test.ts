import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import {
  cellText,
  csvField,
  detectFormat,
  neutraliseFormula,
  readCsv,
  readTable,
  readXlsx,
  restoreFormulaText,
  writeCsv,
  writeXlsx,
  xlsxStream,
} from './tabular.ts';

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const cellsOf = (t: { rows: { cells: string[] }[] }) => t.rows.map((r) => r.cells);

/** A minimal ZIP (stored or deflated entries) for hand-made archives. */
function zip(entries: { name: string; data: Buffer; deflate?: boolean; declaredSize?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.deflate ? zlib.deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.declaredSize ?? e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.declaredSize ?? e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('formula injection', () => {
  it('neutralises what a spreadsheet would run, and only that', () => {
    for (const v of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutraliseFormula(v)).toBe(`'${v}`);
      expect(restoreFormulaText(neutraliseFormula(v))).toBe(v);
    }
    for (const v of ['plain', "'quoted", "it's", '1=1', ' =x', '']) {
      expect(neutraliseFormula(v)).toBe(v);
      expect(restoreFormulaText(v)).toBe(v);
    }
    // An apostrophe that was there before is kept on the way back.
    expect(neutraliseFormula("'=x")).toBe("''=x");
    expect(restoreFormulaText("''=x")).toBe("'=x");
    // On import, an apostrophe goes only before one of those characters.
    expect(restoreFormulaText("'abc")).toBe("'abc");
    expect(restoreFormulaText("'@x")).toBe('@x');
  });

  it('round-trips every string through neutralise → restore', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(restoreFormulaText(neutraliseFormula(s))).toBe(s);
        expect(/^[=+\-@\t\r]/.test(neutraliseFormula(s))).toBe(false);
      }),
    );
  });
});

describe('CSV', () => {
  it('writes UTF-8 with a BOM, CRLF lines and RFC 4180 quoting', () => {
    const buf = writeCsv(
      ['a', 'b', 'c'],
      [
        ['plain', 'with, comma', 'with "quotes"'],
        ['multi\nline', 'semi;colon', 'Dinas Pendidikan & Kebudayaan — Ñ'],
        ['', ' padded ', '=1+1'],
      ],
    );
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(buf.toString('utf8').slice(1)).toBe(
      'a,b,c\r\n' +
        'plain,"with, comma","with ""quotes"""\r\n' +
        '"multi\nline","semi;colon",Dinas Pendidikan & Kebudayaan — Ñ\r\n' +
        `," padded ",'=1+1\r\n`,
    );
    expect(csvField('-5')).toBe("'-5");
  });

  it('reads back exactly what it wrote, formulas neutralised and restored', () => {
    const rows = [
      ['=cmd|calc', '+62 812', '-', '@home'],
      ['tab\there', '"quoted"', "'=already", 'a\r\nb'],
      ['', 'x', 'y', 'z'],
    ];
    const t = readCsv(writeCsv(['w', 'x', 'y', 'z'], rows));
    expect(t.header).toEqual(['w', 'x', 'y', 'z']);
    expect(cellsOf(t)).toEqual(rows);
    expect(t.rows.map((r) => r.line)).toEqual([2, 3, 4]);
  });

  it('round-trips any text', () => {
    const unit = fc.constantFrom(
      'a',
      'Z',
      '0',
      ' ',
      ',',
      ';',
      '"',
      "'",
      '=',
      '+',
      '-',
      '@',
      '\t',
      '\r',
      '\n',
      'é',
      '漢',
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit, maxLength: 12 }), { minLength: 2, maxLength: 2 }), {
          maxLength: 8,
        }),
        (rows) => {
          const usable = rows.filter((r) => r.some((c) => c.trim() !== ''));
          expect(cellsOf(readCsv(writeCsv(['h1', 'h2'], usable)))).toEqual(usable);
        },
      ),
    );
  });

  it('accepts `;` as the delimiter, no BOM, LF lines, and skips blank lines keeping row numbers', () => {
    const t = readCsv(Buffer.from('hostname;opd_code\n\ndinkes.example.go.id;DINKES\n"a;b";"c"\n'));
    expect(t.header).toEqual(['hostname', 'opd_code']);
    expect(t.rows).toEqual([
      { line: 3, cells: ['dinkes.example.go.id', 'DINKES'] },
      { line: 4, cells: ['a;b', 'c'] },
    ]);
    // A comma inside a value of a `;` file does not split it.
    expect(cellsOf(readCsv(Buffer.from('a;b\n1,5;x\n')))).toEqual([['1,5', 'x']]);
  });

  it('refuses what is not UTF-8 text (415) and broken CSV (422)', async () => {
    const latin1 = Buffer.from('nama\nDinas Pekerjaan Umum \xe9\n', 'latin1');
    expect((await rejection(readTable(latin1))).code).toBe('FILE_TYPE_NOT_ALLOWED');
    const utf16 = Buffer.from('\ufeffhostname\n', 'utf16le');
    expect((await rejection(readTable(utf16))).code).toBe('FILE_TYPE_NOT_ALLOWED');
    const binary = Buffer.from([0x68, 0x00, 0x69, 0x01, 0x02]);
    expect((await rejection(readTable(binary))).code).toBe('FILE_TYPE_NOT_ALLOWED');
    const pdf = Buffer.from('%PDF-1.7\n\x00\x01binary');
    expect((await rejection(readTable(pdf))).code).toBe('FILE_TYPE_NOT_ALLOWED');
    const unclosed = await rejection(() => readCsv(Buffer.from('a,b\n"open,1\n')));
    expect(unclosed.code).toBe('IMPORT_INVALID');
    expect(unclosed.message).toMatch(/not valid CSV/);
    expect((await rejection(() => readCsv(Buffer.from('\n\n')))).code).toBe('IMPORT_INVALID');
    expect((await rejection(() => readCsv(Buffer.from('')))).code).toBe('IMPORT_INVALID');
  });

  it('caps the rows', async () => {
    const body = `h\n${Array.from({ length: 11 }, (_, i) => `r${i}`).join('\n')}\n`;
    const e = await rejection(() => readCsv(Buffer.from(body), { maxRows: 10 }));
    expect(e.code).toBe('IMPORT_INVALID');
    expect(e.message).toMatch(/At most 10 rows/);
    expect(readCsv(Buffer.from(body), { maxRows: 11 }).rows).toHaveLength(11);
  });
});

describe('XLSX', () => {
  it('writes a workbook that reads back identically, formulas never evaluated', async () => {
    const rows = [
      ['=1+1', 'Dinas Kesehatan', '2026-11-28T00:00:00.000Z'],
      ["'=x", '-5', ''],
      ['multi\nline', 'ü ñ 漢字', '0012'],
    ];
    const buf = await writeXlsx(['a', 'b', 'c'], rows, 'Website');
    expect(detectFormat(buf)).toBe('xlsx');
    const t = await readTable(buf);
    expect(t.format).toBe('xlsx');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(cellsOf(t)).toEqual(rows);
    // Every value is a text cell: "=1+1" is no formula, "0012" no number.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0];
    expect(ws?.name).toBe('Website');
    expect(ws?.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(ws?.getCell('C4').value).toBe('0012');
  });

  it('streams the same workbook', async () => {
    async function* rows() {
      for (let i = 0; i < 3; i++) yield [`r${i}`, String(i)];
    }
    const chunks: Buffer[] = [];
    for await (const c of xlsxStream(['name', 'n'], rows())) chunks.push(c as Buffer);
    expect(cellsOf(await readXlsx(Buffer.concat(chunks)))).toEqual([
      ['r0', '0'],
      ['r1', '1'],
      ['r2', '2'],
    ]);
  });

  it('reads typed cells as text: numbers, dates, rich text, hyperlinks, formula results, errors', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('first');
    wb.addWorksheet('second').addRow(['ignored']);
    ws.addRow(['n', 'd', 'rich', 'link', 'formula', 'bool', 'err']);
    ws.addRow([
      42,
      new Date('2027-01-31T12:00:00Z'),
      { richText: [{ text: 'Dinas ' }, { text: 'Kesehatan', font: { bold: true } }] },
      { text: 'portal', hyperlink: 'https://example-kab.go.id' },
      { formula: 'A2*2', result: 84 },
      true,
      { error: '#N/A' },
    ]);
    ws.addRow(['no result', { formula: 'NOW()' }]);
    const t = await readXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(cellsOf(t)).toEqual([
      ['42', '2027-01-31T12:00:00.000Z', 'Dinas Kesehatan', 'portal', '84', 'true', '#N/A'],
      ['no result', '', '', '', '', '', ''],
    ]);
    expect(cellText(undefined)).toBe('');
  });

  it('refuses a ZIP that is no workbook (415), a damaged workbook and too many rows (422)', async () => {
    const plainZip = zip([{ name: 'readme.txt', data: Buffer.from('hello') }]);
    expect(detectFormat(plainZip)).toBeNull();
    expect((await rejection(readTable(plainZip))).code).toBe('FILE_TYPE_NOT_ALLOWED');

    const fake = zip([{ name: 'xl/workbook.xml', data: Buffer.from('<not a workbook') }]);
    expect(detectFormat(fake)).toBe('xlsx');
    expect((await rejection(readTable(fake))).code).toBe('IMPORT_INVALID');

    const good = await writeXlsx(['h'], [['x']]);
    const truncated = good.subarray(0, good.length - 40);
    expect((await rejection(readTable(truncated))).code).toMatch(/FILE_TYPE_NOT_ALLOWED|IMPORT_INVALID/);

    const many = await writeXlsx(
      ['h'],
      Array.from({ length: 30 }, (_, i) => [String(i)]),
    );
    const e = await rejection(readTable(many, { maxRows: 10 }));
    expect(e.code).toBe('IMPORT_INVALID');
    expect(e.message).toMatch(/At most 10 rows/);
  });

  it('refuses a ZIP bomb before parsing it, whatever sizes it declares', async () => {
    const bomb = zip([
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: Buffer.alloc(8 * 1024 * 1024, 0x20),
        deflate: true,
        declaredSize: 10,
      },
    ]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const e = await rejection(readTable(bomb, { maxUnpackedBytes: 1024 * 1024 }));
    expect(e.code).toBe('FILE_TOO_LARGE');
  });
});
