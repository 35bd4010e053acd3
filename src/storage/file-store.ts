import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

/** Stored files are known only by a generated key: 32 lower-case hex digits (128 random bits). */
const KEY = /^[0-9a-f]{32}$/;

export function isFileKey(key: string): boolean {
  return KEY.test(key);
}

function checkKey(key: string): void {
  // Keys come from our own database; anything else is a bug, never a path to follow.
  if (typeof key !== 'string' || !KEY.test(key)) throw new Error('Invalid file key');
}

export type FileStat = { size: number };

/**
 * Where case documents live. Files go in under generated keys only — never under a name a
 * client chose — and come out as streams; who may read them is the caller's decision.
 */
export interface FileStore {
  /** Moves the file at `fromTempPath` (a received upload) into the store; it is gone from there. */
  put(fromTempPath: string): Promise<{ key: string }>;
  /** The file's bytes. Check `stat` first: a missing file errors on the stream. */
  open(key: string): Readable;
  /** Its size, or null when there is no such file. */
  stat(key: string): Promise<FileStat | null>;
  /** Deletes it; deleting a missing file is not an error. */
  remove(key: string): Promise<void>;
}

function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === code;
}

/** fsync a directory so a rename in it survives a crash; not every platform allows it. */
async function syncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort (e.g. Windows cannot open directories).
  } finally {
    await handle?.close();
  }
}

/**
 * Files on the local disk under `rootDir` (`<LOKET_DATA_DIR>/files`, outside anything served):
 * `<rootDir>/<first 2 hex of key>/<key>`, directories 0700, files 0600. `put` is an atomic rename
 * from the temp directory, which lives on the same file system.
 */
export class LocalFileStore implements FileStore {
  readonly rootDir: string;
  #rootReady: Promise<void> | undefined;

  constructor(rootDir: string) {
    this.rootDir = path.resolve(rootDir);
  }

  /** The path of a key's file; the key is checked before it touches a path. */
  pathOf(key: string): string {
    checkKey(key);
    return path.join(this.rootDir, key.slice(0, 2), key);
  }

  #ensureRoot(): Promise<void> {
    this.#rootReady ??= (async () => {
      await fsp.mkdir(this.rootDir, { recursive: true, mode: 0o700 });
      await fsp.chmod(this.rootDir, 0o700);
    })().catch((err: unknown) => {
      this.#rootReady = undefined;
      throw err;
    });
    return this.#rootReady;
  }

  async put(fromTempPath: string): Promise<{ key: string }> {
    await this.#ensureRoot();
    const key = randomBytes(16).toString('hex');
    const target = this.pathOf(key);
    const dir = path.dirname(target);
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    await fsp.chmod(fromTempPath, 0o600);
    try {
      await fsp.rename(fromTempPath, target);
    } catch (err) {
      if (!isCode(err, 'EXDEV')) throw err;
      await this.#copyAcross(fromTempPath, target);
    }
    // The orphan sweep's grace period counts from here (a rename keeps the upload's own times).
    const now = new Date();
    await fsp.utimes(target, now, now);
    await syncDir(dir);
    return { key };
  }

  /** The temp directory is on another file system: copy, flush, then rename into place. */
  async #copyAcross(from: string, target: string): Promise<void> {
    const partial = `${target}.partial`;
    try {
      await fsp.copyFile(from, partial, fs.constants.COPYFILE_EXCL);
      await fsp.chmod(partial, 0o600);
      const handle = await fsp.open(partial, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(partial, target);
    } catch (err) {
      await fsp.rm(partial, { force: true });
      throw err;
    }
    await fsp.rm(from, { force: true });
  }

  open(key: string): Readable {
    return fs.createReadStream(this.pathOf(key));
  }

  async stat(key: string): Promise<FileStat | null> {
    try {
      const s = await fsp.stat(this.pathOf(key));
      return s.isFile() ? { size: s.size } : null;
    } catch (err) {
      if (isCode(err, 'ENOENT') || isCode(err, 'ENOTDIR')) return null;
      throw err;
    }
  }

  async remove(key: string): Promise<void> {
    try {
      await fsp.unlink(this.pathOf(key));
    } catch (err) {
      if (!isCode(err, 'ENOENT')) throw err;
    }
  }
}

/** An in-memory store for the tests of code that stores files (same key rules, same moving `put`). */
export class MemoryFileStore implements FileStore {
  readonly files = new Map<string, Buffer>();

  async put(fromTempPath: string): Promise<{ key: string }> {
    const key = randomBytes(16).toString('hex');
    this.files.set(key, await fsp.readFile(fromTempPath));
    await fsp.rm(fromTempPath, { force: true });
    return { key };
  }

  open(key: string): Readable {
    checkKey(key);
    const bytes = this.files.get(key);
    if (!bytes) {
      const stream = new Readable({ read() {} });
      process.nextTick(() => stream.destroy(Object.assign(new Error('No such file'), { code: 'ENOENT' })));
      return stream;
    }
    return Readable.from([bytes]);
  }

  async stat(key: string): Promise<FileStat | null> {
    checkKey(key);
    const bytes = this.files.get(key);
    return bytes ? { size: bytes.length } : null;
  }

  async remove(key: string): Promise<void> {
    checkKey(key);
    this.files.delete(key);
  }
}
