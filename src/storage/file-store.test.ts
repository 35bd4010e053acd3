import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { isFileKey, LocalFileStore, MemoryFileStore } from './file-store.ts';
import { storageSettings } from './settings.ts';
import { discardUploads, sweepStaleUploads } from './upload.ts';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'loket-store-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function tempFile(content: string): Promise<string> {
  const tmp = path.join(dir, 'tmp');
  await fsp.mkdir(tmp, { recursive: true });
  const file = path.join(tmp, `upload-${createHash('md5').update(content).digest('hex')}.part`);
  await fsp.writeFile(file, content);
  return file;
}

describe('LocalFileStore', () => {
  it('moves a file in under a generated key, private to the process owner', async () => {
    const store = new LocalFileStore(path.join(dir, 'files'));
    const from = await tempFile('isi berkas');
    const { key } = await store.put(from);
    expect(isFileKey(key)).toBe(true);
    await expect(fsp.access(from)).rejects.toThrow();
    const stored = path.join(dir, 'files', key.slice(0, 2), key);
    expect(store.pathOf(key)).toBe(stored);
    expect(await fsp.readFile(stored, 'utf8')).toBe('isi berkas');
    expect(await store.stat(key)).toEqual({ size: 10 });
    expect(await text(store.open(key))).toBe('isi berkas');
    if (process.platform !== 'win32') {
      expect((await fsp.stat(stored)).mode & 0o777).toBe(0o600);
      expect((await fsp.stat(path.dirname(stored))).mode & 0o777).toBe(0o700);
      expect((await fsp.stat(path.join(dir, 'files'))).mode & 0o777).toBe(0o700);
    }
    await store.remove(key);
    expect(await store.stat(key)).toBeNull();
    await store.remove(key); // again: no error
  });

  it('gives every file its own key', async () => {
    const store = new LocalFileStore(path.join(dir, 'files'));
    const a = await store.put(await tempFile('a'));
    const b = await store.put(await tempFile('b'));
    expect(a.key).not.toBe(b.key);
  });

  it('refuses any key that is not 32 hex digits before touching a path', async () => {
    const store = new LocalFileStore(path.join(dir, 'files'));
    for (const key of [
      '../../etc/passwd',
      '..',
      '',
      'A'.repeat(32),
      `${'a'.repeat(31)}/`,
      `${'a'.repeat(32)}\0`,
    ]) {
      expect(() => store.pathOf(key)).toThrow('Invalid file key');
      expect(() => store.open(key)).toThrow('Invalid file key');
      await expect(store.stat(key)).rejects.toThrow('Invalid file key');
      await expect(store.remove(key)).rejects.toThrow('Invalid file key');
    }
    expect(await store.stat('0'.repeat(32))).toBeNull();
  });
});

describe('MemoryFileStore', () => {
  it('behaves like the disk store', async () => {
    const store = new MemoryFileStore();
    const from = await tempFile('di memori');
    const { key } = await store.put(from);
    await expect(fsp.access(from)).rejects.toThrow();
    expect(await store.stat(key)).toEqual({ size: 9 });
    expect(await text(store.open(key))).toBe('di memori');
    await store.remove(key);
    expect(await store.stat(key)).toBeNull();
    await expect(text(store.open(key))).rejects.toThrow('No such file');
    expect(() => store.open('../x')).toThrow('Invalid file key');
  });
});

describe('temp files', () => {
  it('discardUploads deletes temp files, ignores missing ones and anything not a temp upload', async () => {
    const a = await tempFile('a');
    const other = path.join(dir, 'tmp', 'keep-me.txt');
    await fsp.writeFile(other, 'x');
    await discardUploads([{ tempPath: a }, { tempPath: a }, { tempPath: other }]);
    await expect(fsp.access(a)).rejects.toThrow();
    await expect(fsp.access(other)).resolves.toBeUndefined();
  });

  it('the start-up sweep removes stale temp uploads only', async () => {
    const stale = await tempFile('stale');
    const fresh = await tempFile('fresh');
    const unrelated = path.join(dir, 'tmp', 'README');
    await fsp.writeFile(unrelated, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await fsp.utimes(stale, twoHoursAgo, twoHoursAgo);
    await fsp.utimes(unrelated, twoHoursAgo, twoHoursAgo);
    expect(await sweepStaleUploads(path.join(dir, 'tmp'))).toBe(1);
    expect((await fsp.readdir(path.join(dir, 'tmp'))).sort()).toEqual(
      [path.basename(fresh), 'README'].sort(),
    );
    expect(await sweepStaleUploads(path.join(dir, 'missing'))).toBe(0);
  });
});

describe('storage settings', () => {
  it('come from LOKET_DATA_DIR and the two size limits', () => {
    const defaults = storageSettings(loadConfig({ LOKET_DATA_DIR: dir }));
    expect(defaults).toEqual({
      filesDir: path.join(dir, 'files'),
      tmpDir: path.join(dir, 'tmp'),
      maxBytes: { document: 10 * 1024 * 1024, archive: 200 * 1024 * 1024 },
    });
    const set = storageSettings(
      loadConfig({ LOKET_DATA_DIR: dir, LOKET_UPLOAD_MAX_BYTES: '5000', LOKET_ARCHIVE_MAX_BYTES: '9000' }),
    );
    expect(set.maxBytes).toEqual({ document: 5000, archive: 9000 });
    expect(() => loadConfig({ LOKET_UPLOAD_MAX_BYTES: '10MB', LOKET_ARCHIVE_MAX_BYTES: '12' })).toThrow(
      /LOKET_UPLOAD_MAX_BYTES[\s\S]*LOKET_ARCHIVE_MAX_BYTES/,
    );
  });

  it('refuse a data directory inside the served web directory', () => {
    const web = path.join(dir, 'web');
    expect(() =>
      storageSettings(loadConfig({ LOKET_DATA_DIR: path.join(web, 'data'), LOKET_WEB_DIR: web })),
    ).toThrow(/LOKET_DATA_DIR/);
    expect(() => storageSettings(loadConfig({ LOKET_DATA_DIR: web, LOKET_WEB_DIR: web }))).toThrow(
      /LOKET_DATA_DIR/,
    );
    expect(() =>
      storageSettings(loadConfig({ LOKET_DATA_DIR: path.join(dir, 'data'), LOKET_WEB_DIR: web })),
    ).not.toThrow();
  });
});
