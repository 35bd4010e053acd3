import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { spawnLoket } from './helpers/loket-process.ts';

// What a killed Loket left in its embedded data directory is cleaned up by the next start: every
// unfinished upload (this process is the directory's only user), and stored files no record refers
// to once they are past the grace period (a young one may belong to a transaction elsewhere).

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-sweep-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

it('the start removes unfinished uploads and old orphaned files, and keeps young ones', async () => {
  const tmp = path.join(dataDir, 'tmp');
  const shard = path.join(dataDir, 'files', 'ab');
  fs.mkdirSync(tmp, { recursive: true });
  fs.mkdirSync(shard, { recursive: true });
  const upload = path.join(tmp, `upload-${'1'.repeat(32)}.part`);
  fs.writeFileSync(upload, 'half an upload');
  const oldOrphan = path.join(shard, `ab${'2'.repeat(30)}`);
  const youngOrphan = path.join(shard, `ab${'3'.repeat(30)}`);
  fs.writeFileSync(oldOrphan, 'left by a crash');
  fs.writeFileSync(youngOrphan, 'a transaction may still record it');
  const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
  fs.utimesSync(oldOrphan, twoHoursAgo, twoHoursAgo);

  const loket = await spawnLoket({
    LOKET_DATA_DIR: dataDir,
    LOKET_ADMIN_PASSWORD: 'Sweep-Test-Password-2026!',
  });
  try {
    const started = Date.now();
    while (fs.existsSync(oldOrphan) && Date.now() - started < 20_000)
      await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(upload)).toBe(false);
    expect(fs.existsSync(oldOrphan)).toBe(false);
    expect(fs.existsSync(youngOrphan)).toBe(true);
  } finally {
    await loket.stop();
  }
}, 120_000);
