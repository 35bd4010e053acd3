import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentDisposition } from './download.ts';
import { containsMarkup, declaredMatches, extensionOf, sniff } from './sniff.ts';
import { fakes, jpeg, odt, pdf, png, targz, zip } from './test-fixtures.ts';
import { checkFileName } from './upload.ts';

describe('sniff', () => {
  it('recognises the accepted types from their bytes', () => {
    expect(sniff(pdf())).toBe('pdf');
    expect(sniff(png())).toBe('png');
    expect(sniff(jpeg())).toBe('jpeg');
    expect(sniff(zip({ 'index.html': '<html><script></script></html>' }))).toBe('zip');
    expect(sniff(targz({ 'index.html': '<html></html>', 'style.css': 'body{}' }))).toBe('targz');
    expect(sniff(odt())).toBe('odt');
  });

  it('refuses what is none of them, or pretends', () => {
    for (const fake of [fakes.html(), fakes.svg(), fakes.elf(), fakes.exe(), fakes.plainGzip()])
      expect(sniff(fake)).toBeNull();
    expect(sniff(fakes.lateHeaderPdf())).toBeNull();
    expect(sniff(Buffer.alloc(0))).toBeNull();
    expect(sniff(Buffer.from('%PDF'))).toBeNull();
    expect(sniff(Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]))).toBeNull();
    // An empty ZIP (end-of-directory record only) is no archive worth storing.
    expect(sniff(Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]))).toBeNull();
  });

  it('refuses documents and images carrying HTML or SVG markup (polyglots)', () => {
    expect(sniff(fakes.polyglotPng())).toBeNull();
    expect(sniff(png('an innocent comment'))).toBe('png');
    expect(sniff(Buffer.concat([pdf(), Buffer.from('<script>alert(1)</script>')]))).toBeNull();
    const jpegWithSvg = Buffer.concat([jpeg().subarray(0, 20), Buffer.from('<svg onload=alert(1)>'), jpeg()]);
    expect(sniff(jpegWithSvg)).toBeNull();
    expect(containsMarkup(Buffer.from('<<  /Type /Catalog >>'))).toBe(false);
    expect(containsMarkup(Buffer.from('x<IFRAME src=y>'))).toBe(true);
  });

  it('tells a truncated tar.gz head as well as a whole one', () => {
    const big = targz({ 'a.bin': randomBytes(200_000) });
    expect(big.length).toBeGreaterThan(128 * 1024);
    expect(sniff(big.subarray(0, 64 * 1024))).toBe('targz');
    expect(sniff(big.subarray(0, 300))).toBe('targz');
  });
});

describe('declared name and MIME type', () => {
  it('must agree with the sniffed type; a generic MIME type claims nothing', () => {
    expect(declaredMatches('pdf', 'Surat Permohonan.PDF', 'application/pdf')).toBe(true);
    expect(declaredMatches('pdf', 'surat.pdf', 'application/octet-stream')).toBe(true);
    expect(declaredMatches('pdf', 'surat.pdf', undefined)).toBe(true);
    expect(declaredMatches('pdf', 'surat.png', 'application/pdf')).toBe(false);
    expect(declaredMatches('pdf', 'surat.pdf', 'text/html')).toBe(false);
    expect(declaredMatches('png', 'foto.png', 'image/svg+xml')).toBe(false);
    expect(declaredMatches('jpeg', 'foto.JPG', 'image/jpeg; charset=binary')).toBe(true);
    expect(declaredMatches('zip', 'situs.zip', 'application/x-zip-compressed')).toBe(true);
    expect(declaredMatches('targz', 'situs.tar.gz', 'application/x-gzip')).toBe(true);
    expect(declaredMatches('targz', 'situs.tgz', 'application/gzip')).toBe(true);
    expect(declaredMatches('targz', 'situs.gz', 'application/gzip')).toBe(false);
    expect(declaredMatches('zip', 'laporan.docx', 'application/zip')).toBe(false);
  });

  it('extensionOf', () => {
    expect(extensionOf('a.tar.gz')).toBe('.tar.gz');
    expect(extensionOf('A.PDF')).toBe('.pdf');
    expect(extensionOf('.pdf')).toBe('');
    expect(extensionOf('noext')).toBe('');
  });
});

describe('file names', () => {
  it('keeps ordinary names, Indonesian and otherwise', () => {
    expect(checkFileName('Surat Permohonan No. 12-2025.pdf')).toBe('Surat Permohonan No. 12-2025.pdf');
    expect(checkFileName('  foto kegiatan (1).jpg ')).toBe('foto kegiatan (1).jpg');
    expect(checkFileName('Café.pdf')).toBe('Café.pdf');
    expect(checkFileName(`${'a'.repeat(251)}.pdf`)).toHaveLength(255);
  });

  it('refuses paths, traversal, control and bidi characters, and over-long names', () => {
    for (const bad of [
      '../../x.pdf',
      'a/b.pdf',
      'a\\b.pdf',
      'x\u0000.pdf',
      'x\n.pdf',
      'x\u007f.pdf',
      'invoice\u202Efdp.exe',
      '..',
      '',
      '   ',
      `${'a'.repeat(252)}.pdf`,
      `${'é'.repeat(126)}.pdf`, // 256 bytes in UTF-8
    ])
      expect(checkFileName(bad), JSON.stringify(bad)).toBeNull();
  });
});

describe('Content-Disposition', () => {
  it('is an attachment with an ASCII fallback and an RFC 5987 UTF-8 name', () => {
    expect(contentDisposition('Surat Dinas.pdf')).toBe(
      `attachment; filename="Surat Dinas.pdf"; filename*=UTF-8''Surat%20Dinas.pdf`,
    );
    expect(contentDisposition('Laporan Café (final)*.pdf')).toBe(
      `attachment; filename="Laporan Cafe (final)_.pdf"; filename*=UTF-8''Laporan%20Caf%C3%A9%20%28final%29%2A.pdf`,
    );
  });

  it('cannot be broken out of, whatever the stored name', () => {
    const header = contentDisposition('a"; filename="evil.html\r\nX-Injected: 1\\..\u202e.pdf');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.match(/"/g)).toHaveLength(2);
    expect(header).toMatch(/^attachment; filename="[^"\\]*"; filename\*=UTF-8''[A-Za-z0-9%!#$&+\-.^_`|~]*$/);
    expect(contentDisposition('\u0000')).toContain('filename="berkas"');
  });
});
