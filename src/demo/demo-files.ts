import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingFile } from '../cases/case-deps.ts';

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
