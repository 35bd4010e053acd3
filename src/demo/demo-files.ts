import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingFile } from '../cases/case-deps.ts';

/** A one-page PDF that shows a few lines of text (Helvetica, WinAnsi), for demo letters. */
export function textPdf(lines: string[]): Buffer {
  const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
  const content = ['BT', '/F1 12 Tf', '56 780 Td', '16 TL', ...lines.map((l) => `(${esc(l)}) '`), 'ET'].join(
    '\n',
  );
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** Writes bytes to the upload temp directory as if they had been uploaded. */
export function asUpload(
  tmpDir: string,
  field: string,
  displayName: string,
  data: Buffer,
  type: IncomingFile['type'],
  mime: string,
): IncomingFile {
  fs.mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  const tempPath = path.join(tmpDir, `upload-${randomBytes(16).toString('hex')}.part`);
  fs.writeFileSync(tempPath, data, { mode: 0o600 });
  return {
    field,
    displayName,
    type,
    mime,
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    tempPath,
  };
}
