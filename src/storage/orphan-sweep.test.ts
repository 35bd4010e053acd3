import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import { jakartaDate } from '../../test/helpers/clock.ts';
import { LocalFileStore } from './file-store.ts';
import { sweepOrphanFiles } from './orphan-sweep.ts';
import { storageSettings } from './settings.ts';
import { pdf, png } from './test-fixtures.ts';

// A file is moved into the store before the transaction that records it commits. When the commit
// does not happen (here: refused at COMMIT by a deferred trigger; in life: a crash, a lost
// connection) the file stays with no row: the sweep removes such files once they are old enough.

let t: TestApp;
let store: LocalFileStore;
let opd: string;
let admin: string;
const HOUR = 60 * 60 * 1000;
const today = () => jakartaDate(t.now());

/** Every key in the store (the files, not the half-written copies). */
function storedKeys(): string[] {
  if (!fs.existsSync(store.rootDir)) return [];
  return fs
    .readdirSync(store.rootDir)
    .flatMap((shard) => fs.readdirSync(path.join(store.rootDir, shard)))
    .filter((n) => /^[0-9a-f]{32}$/.test(n));
}

async function referenced(): Promise<string[]> {
  const files = await t.db.selectFrom('case_files').select('storage_key').execute();
  const docs = await t.db.selectFrom('documents').select('storage_key').execute();
  const settings = await t.db.selectFrom('settings').select('value').where('key', '=', 'documents').execute();
  const logo = settings.map((s) => (s.value as { logo?: { key?: string } } | null)?.logo?.key);
  return [...files.map((f) => f.storage_key), ...docs.map((d) => d.storage_key), ...logo].filter(
    (k): k is string => typeof k === 'string',
  );
}

function fileCase(letterName: string) {
  const body = multipart(
    {
      kind: 'new',
      subject: 'Berkas yatim',
      letterNumber: '027/5/ORPHAN/2026',
      letterDate: today(),
      description: 'Permohonan.',
    },
    [{ field: 'letter', name: letterName, type: 'application/pdf', data: pdf() }],
  );
  return t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { ...body.headers, cookie: opd },
    payload: body.payload,
  });
}

beforeAll(async () => {
  t = await createTestApp();
  store = new LocalFileStore(storageSettings(t.config).filesDir);
  opd = (await t.as(['opd'])).cookie;
  admin = (await t.as(['admin'])).cookie;
  // COMMIT refuses a case file named "gagal.pdf": the file is already in the store by then.
  await sql`
    CREATE FUNCTION test_refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'commit refused (test)'; END $$`.execute(t.db);
  await sql`
    CREATE CONSTRAINT TRIGGER test_refuse_commit AFTER INSERT ON case_files
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.display_name = 'gagal.pdf')
    EXECUTE FUNCTION test_refuse_at_commit()`.execute(t.db);
});
afterAll(() => t.close());

describe('orphaned stored files', () => {
  it('a commit that fails after the file was stored leaves an orphan; the sweep removes it after the grace period, and only it', async () => {
    expect((await fileCase('surat.pdf')).statusCode).toBe(201);
    const logo = multipart({}, [{ field: 'logo', name: 'logo.png', type: 'image/png', data: png() }]);
    const setLogo = await t.app.inject({
      method: 'POST',
      url: '/api/document-settings/logo',
      headers: { ...logo.headers, cookie: admin },
      payload: logo.payload,
    });
    expect(setLogo.statusCode, setLogo.body).toBe(200);

    const failed = await fileCase('gagal.pdf');
    expect(failed.statusCode).toBeGreaterThanOrEqual(500);
    const live = await referenced();
    const orphans = storedKeys().filter((k) => !live.includes(k));
    expect(orphans).toHaveLength(1);

    // Young files are left alone: their transaction may still be running.
    expect(await sweepOrphanFiles(t.db, store)).toEqual([]);
    // A copy half-written when the process died, an hour old.
    const partial = path.join(store.rootDir, 'ab', `ab${'0'.repeat(30)}.partial`);
    fs.mkdirSync(path.dirname(partial), { recursive: true });
    fs.writeFileSync(partial, 'half');
    const old = new Date(Date.now() - 2 * HOUR);
    fs.utimesSync(partial, old, old);

    const removed = await sweepOrphanFiles(t.db, store, { now: Date.now() + 2 * HOUR });
    expect(removed.sort()).toEqual([...orphans, path.basename(partial)].sort());
    expect(storedKeys().sort()).toEqual(live.sort());
    expect(fs.existsSync(partial)).toBe(false);
    // Every referenced file is still readable.
    for (const key of live) expect(await store.stat(key)).not.toBeNull();
  });
});
