import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-lock-unit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the data directory lock', () => {
  it('is held once, names its holder, is found under another spelling of the path, and is free after release', async () => {
    const lock = await lockDataDir(dir);
    const err = await lockDataDir(path.relative(process.cwd(), dir)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    expect((err as Error).message).toMatch(/sedang dipakai[\s\S]*in use by another Loket process/);
    const link = `${dir}-link`;
    fs.symlinkSync(dir, link);
    try {
      await expect(lockDataDir(link)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      fs.rmSync(link);
    }
    await lock.release();
    const again = await lockDataDir(dir);
    await again.release();
  });

  it('keeps its id in the directory, readable by its owner only', async () => {
    const lock = await lockDataDir(dir);
    await lock.release();
    const st = fs.statSync(path.join(dir, 'lock-id'));
    expect(st.mode & 0o077).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'lock-id'), 'utf8').trim()).toMatch(/^[0-9a-f]{32}$/);
  });
});
