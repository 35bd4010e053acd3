import path from 'node:path';
import { type Config, ConfigError } from '../config.ts';
import type { FileType } from './sniff.ts';

/**
 * What a file field holds. Letters, attachments and report documentation are `document`s; the
 * website source is an `archive`. Each kind has its own size limit.
 */
export type FileKind = 'document' | 'archive';

/** The types each kind accepts. ODT/DOCX/XLSX are not accepted yet (see `sniff.ts`). */
export const FILE_KINDS: Record<FileKind, readonly FileType[]> = {
  document: ['pdf', 'jpeg', 'png'],
  archive: ['zip', 'targz'],
};

export type StorageSettings = {
  /** Stored files: `<dataDir>/files/<2-hex prefix>/<32-hex key>`. */
  filesDir: string;
  /** Uploads being received: `<dataDir>/tmp/upload-<32-hex>.part`. Same file system as `filesDir`. */
  tmpDir: string;
  /** Largest file per kind, in bytes. */
  maxBytes: Record<FileKind, number>;
};

function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Where files live and how large they may be, from the configuration. Refuses a data directory
 * inside the served web directory: stored files must never be reachable as static files.
 */
export function storageSettings(
  config: Pick<Config, 'dataDir' | 'webDir' | 'uploadMaxBytes' | 'archiveMaxBytes'>,
): StorageSettings {
  const filesDir = path.resolve(config.dataDir, 'files');
  const tmpDir = path.resolve(config.dataDir, 'tmp');
  const webDir = path.resolve(config.webDir);
  if (isWithin(filesDir, webDir) || isWithin(tmpDir, webDir)) {
    throw new ConfigError([`LOKET_DATA_DIR: must not be inside the served web directory (${webDir})`]);
  }
  return {
    filesDir,
    tmpDir,
    maxBytes: { document: config.uploadMaxBytes, archive: config.archiveMaxBytes },
  };
}
