import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsafeValueError } from '../types.ts';
import { RATIO_GRACE_BYTES } from './archive.ts';
import {
  gnuLongNameEntry,
  gzip,
  paxEntry,
  type TarSpec,
  tarArchive,
  tarEntry,
  targz,
  type ZipSpec,
  zipArchive,
  zipLocalRecord,
} from './hostile-archives.ts';
import {
  type ArchiveKind,
  type ArchiveLimits,
  ArchiveRejected,
  DEFAULT_ARCHIVE_LIMITS,
  deployArchive,
  inspectArchive,
  readArchive,
  writeEntries,
} from './index.ts';
import { deployArchiveWith } from './write.ts';

const run = promisify(execFile);

async function hasCommand(cmd: string): Promise<boolean> {
  try {
    await run(cmd, ['--version']);
    return true;
  } catch {
    return false;
  }
}

// `tar` is always there; `zip` may not be. Locally a missing zip skips its tests; in CI it must run.
const zipAvailable = await hasCommand('zip');
if (!zipAvailable && process.env.CI === 'true')
  throw new Error('zip is required in CI (apt-get install zip)');
if (!zipAvailable)
  console.warn('deploy tests: `zip` not installed (apt-get install zip); system-zip tests skipped');

let root: string;
let counter = 0;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'loket-deploy-'));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** A fresh directory under the test root. */
async function freshDir(label: string): Promise<string> {
  counter += 1;
  const dir = path.join(root, `${label}-${counter}`);
  await fs.mkdir(dir);
  return dir;
}

async function writeArchive(buf: Buffer, kind: ArchiveKind): Promise<string> {
  const dir = await freshDir('archive');
  const file = path.join(dir, kind === 'zip' ? 'a.zip' : 'a.tar.gz');
  await fs.writeFile(file, buf);
  return file;
}

/** Every path under dir with its type, mode and content hash (or link target), sorted. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string, rel: string) {
    for (const name of (await fs.readdir(d)).sort()) {
      const p = path.join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = await fs.lstat(p);
      if (st.isSymbolicLink()) out.push(`${r} -> ${await fs.readlink(p)}`);
      else if (st.isDirectory()) {
        out.push(`${r}/ ${(st.mode & 0o7777).toString(8)}`);
        await walk(p, r);
      } else {
        const hash = createHash('sha256')
          .update(await fs.readFile(p))
          .digest('hex');
        out.push(`${r} ${(st.mode & 0o7777).toString(8)} ${hash}`);
      }
    }
  }
  await walk(dir, '');
  return out;
}

async function rejection(p: Promise<unknown>): Promise<ArchiveRejected> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ArchiveRejected) return err;
    throw err;
  }
  throw new Error('expected an ArchiveRejected, got success');
}

async function drain(it: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of it) {
    // read everything
  }
}

/** A site tree on disk, the way a build step leaves it. */
async function makeSite(
  parent: string,
  name = 'site',
): Promise<{ dir: string; files: Record<string, Buffer> }> {
  const dir = path.join(parent, name);
  const files: Record<string, Buffer> = {
    'index.html': Buffer.from(
      '<!doctype html><title>Dinas Kesehatan</title><link rel="stylesheet" href="css/site.css">',
    ),
    'css/site.css': Buffer.from('body { font-family: sans-serif; }\n'),
    'img/logo.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), randomBytes(70_000)]),
    'img/icons/empty.bin': Buffer.alloc(0),
  };
  for (const [rel, data] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), data);
  }
  // exec and setuid bits in the source must not survive
  await fs.chmod(path.join(dir, 'index.html'), 0o4755);
  await fs.chmod(path.join(dir, 'css'), 0o777);
  return { dir, files };
}

async function expectTree(dir: string, files: Record<string, Buffer>): Promise<void> {
  const expected = new Set<string>();
  for (const rel of Object.keys(files)) {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) expected.add(`${parts.slice(0, i).join('/')}/`);
    expected.add(rel);
  }
  const seen = new Set<string>();
  async function walk(d: string, rel: string) {
    for (const name of await fs.readdir(d)) {
      const p = path.join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = await fs.lstat(p);
      expect(st.isSymbolicLink()).toBe(false);
      if (st.isDirectory()) {
        expect(st.mode & 0o7777).toBe(0o755);
        seen.add(`${r}/`);
        await walk(p, r);
      } else {
        expect(st.isFile()).toBe(true);
        expect(st.mode & 0o7777).toBe(0o644);
        expect((await fs.readFile(p)).equals(files[r] as Buffer)).toBe(true);
        seen.add(r);
      }
    }
  }
  await walk(dir, '');
  expect([...seen].sort()).toEqual([...expected].sort());
}

async function systemTarGz(args: string[], cwd: string): Promise<string> {
  const out = path.join(await freshDir('tar'), 'site.tar.gz');
  await run('tar', ['-czf', out, ...args], { cwd });
  return out;
}

async function systemZip(args: string[], cwd: string): Promise<string> {
  const out = path.join(await freshDir('zip'), 'site.zip');
  await run('zip', ['-q', '-X', out, ...args], { cwd });
  return out;
}

// ---------------------------------------------------------------------------------------------------

describe('good archives made by the system tools', () => {
  it('tar.gz (GNU format): inspect lists, read yields exact data with fixed modes', async () => {
    const src = await freshDir('src');
    const { files } = await makeSite(src);
    const file = await systemTarGz(['site'], src);
    const listing = await inspectArchive(file, 'targz');
    expect(listing.files.map((f) => f.path).sort()).toEqual(
      Object.keys(files)
        .map((f) => `site/${f}`)
        .sort(),
    );
    expect(listing.dirs.sort()).toEqual(['site', 'site/css', 'site/img', 'site/img/icons']);
    const total = Object.values(files).reduce((n, b) => n + b.length, 0);
    expect(listing.totalBytes).toBe(total);
    const read: Record<string, Buffer> = {};
    for await (const e of readArchive(file, 'targz')) {
      if (e.type === 'file') {
        expect(e.mode).toBe(0o644);
        read[e.path] = e.data as Buffer;
      } else {
        expect(e.mode).toBe(0o755);
        expect(e.data).toBeUndefined();
      }
    }
    for (const [rel, data] of Object.entries(files)) expect(read[`site/${rel}`]?.equals(data)).toBe(true);
  });

  it.skipIf(!zipAvailable)('zip (Info-ZIP): inspect lists, read yields exact data', async () => {
    const src = await freshDir('src');
    const { files } = await makeSite(src);
    const file = await systemZip(['-r', 'site'], src);
    const listing = await inspectArchive(file, 'zip');
    expect(listing.files.map((f) => f.path).sort()).toEqual(
      Object.keys(files)
        .map((f) => `site/${f}`)
        .sort(),
    );
    const read: Record<string, Buffer> = {};
    for await (const e of readArchive(file, 'zip')) if (e.type === 'file') read[e.path] = e.data as Buffer;
    for (const [rel, data] of Object.entries(files)) expect(read[`site/${rel}`]?.equals(data)).toBe(true);
  });

  const longDir = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
  const longName = `${'panjang-'.repeat(20)}.html`; // 165 characters

  for (const format of ['pax', 'gnu', 'ustar'] as const) {
    it(`tar.gz --format=${format} with long and non-ASCII names deploys exactly`, async () => {
      const src = await freshDir('src');
      const dir = path.join(src, 'site');
      const files: Record<string, Buffer> = {
        'index.html': Buffer.from('<h1>Beranda</h1>'),
        'berkas/peta kabupaten ü.html': Buffer.from('peta'),
        [`${longDir}/halaman.html`]: Buffer.from('dalam'),
      };
      // ustar cannot hold a 165-character last segment; pax and GNU can
      if (format !== 'ustar') {
        files[`${longDir}/${longName}`] = randomBytes(3000);
        files[`${'ü'.repeat(70)}.html`] = Buffer.from('umlaut'); // 145 bytes: cut mid-character in a header
      }
      for (const [rel, data] of Object.entries(files)) {
        await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
        await fs.writeFile(path.join(dir, rel), data);
      }
      const file = await systemTarGz([`--format=${format}`, '-C', dir, '.'], src);
      const listing = await inspectArchive(file, 'targz');
      expect(listing.files.map((f) => f.path).sort()).toEqual(Object.keys(files).sort());
      const base = await freshDir('www');
      const docroot = path.join(base, 'site');
      const result = await deployArchive(file, 'targz', docroot, base);
      expect(result.files).toBe(Object.keys(files).length);
      await expectTree(docroot, files);
    });
  }

  it('a global pax header (as git archive writes) is accepted', async () => {
    const buf = gzip(
      tarArchive([
        paxEntry({ comment: 'c3f1e2d4b5a6978812345678' }, 'g'),
        tarEntry({ name: 'index.html', data: 'hai' }),
      ]),
    );
    const listing = await inspectArchive(await writeArchive(buf, 'targz'), 'targz');
    expect(listing.files).toEqual([{ path: 'index.html', size: 3 }]);
  });

  it('names differing only in case are distinct; "./" is the root', async () => {
    const buf = gzip(
      tarArchive([
        tarEntry({ name: './', type: '5' }),
        tarEntry({ name: './A.html', data: 'A' }),
        tarEntry({ name: './a.html', data: 'a' }),
      ]),
    );
    const listing = await inspectArchive(await writeArchive(buf, 'targz'), 'targz');
    expect(listing.files.map((f) => f.path)).toEqual(['A.html', 'a.html']);
    expect(listing.dirs).toEqual([]);
  });

  it('a deflated zip with a directory entry and implied directories', async () => {
    const file = await writeArchive(
      zipArchive([
        { name: 'css/' },
        { name: 'css/site.css', data: 'body{}' },
        { name: 'img/logo.png', data: randomBytes(500), method: 0 },
      ]),
      'zip',
    );
    const listing = await inspectArchive(file, 'zip');
    expect(listing.dirs).toEqual(['css', 'img']);
    expect(listing.files).toEqual([
      { path: 'css/site.css', size: 6 },
      { path: 'img/logo.png', size: 500 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------

type Case = {
  label: string;
  kind: ArchiveKind;
  build: () => Buffer | Promise<Buffer>;
  code: string;
  limits?: ArchiveLimits;
  /** What the message must say, when the code alone could come from an earlier check. */
  message?: RegExp;
};

const small = (over: Partial<ArchiveLimits>): ArchiveLimits => ({ ...DEFAULT_ARCHIVE_LIMITS, ...over });
const zip = (specs: ZipSpec[]) => () => zipArchive(specs);
const tgz = (specs: TarSpec[]) => () => targz(specs);
const tgzRaw = (entries: Buffer[], options?: Parameters<typeof tarArchive>[1]) => () =>
  gzip(tarArchive(entries, options));

let zerosCache: Buffer | undefined;
const fiftyMegabytesOfZeros = () => {
  zerosCache ??= Buffer.alloc(50 * 1024 * 1024);
  return zerosCache;
};

const cases: Case[] = [
  // names (zip)
  {
    label: 'zip ../',
    kind: 'zip',
    build: zip([{ name: '../evil.html', data: 'x' }]),
    code: 'PATH_TRAVERSAL',
  },
  {
    label: 'zip a/../../',
    kind: 'zip',
    build: zip([{ name: 'a/../../evil.html', data: 'x' }]),
    code: 'PATH_TRAVERSAL',
  },
  {
    label: 'zip absolute',
    kind: 'zip',
    build: zip([{ name: '/etc/passwd', data: 'x' }]),
    code: 'ABSOLUTE_PATH',
  },
  { label: 'zip C:\\', kind: 'zip', build: zip([{ name: 'C:\\x', data: 'x' }]), code: 'DRIVE_PATH' },
  { label: 'zip C:/', kind: 'zip', build: zip([{ name: 'C:/x', data: 'x' }]), code: 'DRIVE_PATH' },
  { label: 'zip backslash', kind: 'zip', build: zip([{ name: 'a\\..\\b', data: 'x' }]), code: 'BACKSLASH' },
  { label: 'zip NUL', kind: 'zip', build: zip([{ name: 'a\0.html', data: 'x' }]), code: 'BAD_NAME' },
  { label: 'zip newline', kind: 'zip', build: zip([{ name: 'a\nb.html', data: 'x' }]), code: 'BAD_NAME' },
  {
    label: 'zip bidi override (UTF-8 flag)',
    kind: 'zip',
    build: zip([{ name: 'a\u202eb.html', data: 'x', flags: 0x800 }]),
    code: 'BAD_NAME',
  },
  {
    label: 'zip newline (UTF-8 flag)',
    kind: 'zip',
    build: zip([{ name: 'a\nb.html', data: 'x', flags: 0x800 }]),
    code: 'BAD_NAME',
  },
  {
    label: 'zip Unicode path extra field is checked too',
    kind: 'zip',
    build: zip([{ name: 'a.html', unicodePath: '../../evil.html', data: 'x' }]),
    code: 'PATH_TRAVERSAL',
  },
  {
    label: 'zip empty segment',
    kind: 'zip',
    build: zip([{ name: 'a//b.html', data: 'x' }]),
    code: 'BAD_NAME',
  },
  // types (zip)
  {
    label: 'zip symlink',
    kind: 'zip',
    build: zip([{ name: 'link', data: '/etc', method: 0, unixMode: 0o120777 }]),
    code: 'SYMLINK',
  },
  {
    label: 'zip char device',
    kind: 'zip',
    build: zip([{ name: 'dev', unixMode: 0o020644 }]),
    code: 'DEVICE',
  },
  { label: 'zip fifo', kind: 'zip', build: zip([{ name: 'fifo', unixMode: 0o010644 }]), code: 'DEVICE' },
  {
    label: 'zip encrypted',
    kind: 'zip',
    build: zip([{ name: 'secret.html', data: 'x', flags: 1, method: 0 }]),
    code: 'ENCRYPTED',
  },
  {
    label: 'zip strong encryption',
    kind: 'zip',
    build: zip([{ name: 'secret.html', data: 'x', flags: 0x41, method: 0 }]),
    code: 'ENCRYPTED',
  },
  // duplicates (zip)
  {
    label: 'zip duplicate file',
    kind: 'zip',
    build: zip([
      { name: 'a.html', data: '1' },
      { name: 'a.html', data: '2' },
    ]),
    code: 'DUPLICATE',
  },
  {
    label: 'zip file and dir with one path',
    kind: 'zip',
    build: zip([{ name: 'a', data: '1' }, { name: 'a/' }]),
    code: 'DUPLICATE',
  },
  {
    label: 'zip file used as a directory',
    kind: 'zip',
    build: zip([
      { name: 'a', data: '1' },
      { name: 'a/b.html', data: '2' },
    ]),
    code: 'DUPLICATE',
  },
  {
    label: 'zip duplicate through ./',
    kind: 'zip',
    build: zip([
      { name: 'a.html', data: '1' },
      { name: './a.html', data: '2' },
    ]),
    code: 'DUPLICATE',
  },
  // limits (zip)
  {
    label: 'zip too many entries',
    kind: 'zip',
    build: zip([1, 2, 3, 4].map((i) => ({ name: `f${i}.html`, data: 'x' }))),
    code: 'TOO_MANY_ENTRIES',
    limits: small({ maxEntries: 3 }),
  },
  {
    label: 'zip file too large',
    kind: 'zip',
    build: zip([{ name: 'big.bin', data: randomBytes(2000) }]),
    code: 'TOO_LARGE',
    limits: small({ maxFileBytes: 1000 }),
  },
  {
    label: 'zip total too large',
    kind: 'zip',
    build: zip([1, 2, 3].map((i) => ({ name: `f${i}.bin`, data: randomBytes(800) }))),
    code: 'TOO_LARGE',
    limits: small({ maxFileBytes: 1000, maxTotalBytes: 2000 }),
  },
  {
    label: 'zip bomb (50 MB of zeros)',
    kind: 'zip',
    build: () => zipArchive([{ name: 'zeros.bin', data: fiftyMegabytesOfZeros() }]),
    code: 'RATIO',
  },
  {
    // The header claims 100 bytes; only counting the real inflated stream finds the 50 MB.
    label: 'zip lying about its size is counted on the stream',
    kind: 'zip',
    build: () => zipArchive([{ name: 'zeros.bin', data: fiftyMegabytesOfZeros(), declaredSize: 100 }]),
    code: 'TOO_LARGE',
    limits: small({ maxFileBytes: 10 * 1024 * 1024, maxRatio: 1e9 }),
    message: /a file larger than 10485760 bytes/,
  },
  {
    label: 'zip bomb lying about its size is caught on the stream',
    kind: 'zip',
    build: () => zipArchive([{ name: 'zeros.bin', data: fiftyMegabytesOfZeros(), declaredSize: 100 }]),
    code: 'RATIO',
    message: /entry compression ratio/,
  },
  // corrupt (zip)
  {
    label: 'zip shorter than declared',
    kind: 'zip',
    build: zip([{ name: 'a.html', data: 'short', declaredSize: 100 }]),
    code: 'CORRUPT',
  },
  {
    label: 'zip bad CRC',
    kind: 'zip',
    build: zip([{ name: 'a.html', data: 'hello', crc: 1234 }]),
    code: 'CORRUPT',
  },
  {
    label: 'zip truncated',
    kind: 'zip',
    build: () => zipArchive([{ name: 'a.html', data: randomBytes(4000) }]).subarray(0, 3000),
    code: 'CORRUPT',
  },
  { label: 'zip random bytes', kind: 'zip', build: () => randomBytes(5000), code: 'CORRUPT' },
  {
    label: 'zip local header names another file',
    kind: 'zip',
    build: zip([{ name: 'index.html', localName: '../../evil', data: 'x' }]),
    code: 'CORRUPT',
  },
  {
    label: 'zip unsupported compression method',
    kind: 'zip',
    build: zip([{ name: 'a.html', data: 'x', method: 12 }]),
    code: 'CORRUPT',
  },
  {
    label: 'zip overlapping entries',
    kind: 'zip',
    build: () => {
      const hidden: ZipSpec = { name: 'b.html', data: 'hidden', method: 0 };
      const outer: ZipSpec = { name: 'a.html', data: zipLocalRecord(hidden), method: 0 };
      return zipArchive([outer, { ...hidden, centralOnly: { offset: 30 + 'a.html'.length } }]);
    },
    code: 'CORRUPT',
  },

  // names (tar)
  {
    label: 'tar ../',
    kind: 'targz',
    build: tgz([{ name: '../evil.html', data: 'x' }]),
    code: 'PATH_TRAVERSAL',
  },
  {
    label: 'tar ./a/../../',
    kind: 'targz',
    build: tgz([{ name: './a/../../evil', data: 'x' }]),
    code: 'PATH_TRAVERSAL',
  },
  {
    label: 'tar absolute',
    kind: 'targz',
    build: tgz([{ name: '/etc/passwd', data: 'x' }]),
    code: 'ABSOLUTE_PATH',
  },
  { label: 'tar C:\\', kind: 'targz', build: tgz([{ name: 'C:\\x', data: 'x' }]), code: 'DRIVE_PATH' },
  { label: 'tar C:/', kind: 'targz', build: tgz([{ name: 'C:/x', data: 'x' }]), code: 'DRIVE_PATH' },
  { label: 'tar backslash', kind: 'targz', build: tgz([{ name: 'a\\b', data: 'x' }]), code: 'BACKSLASH' },
  { label: 'tar control', kind: 'targz', build: tgz([{ name: 'a\u001bb', data: 'x' }]), code: 'BAD_NAME' },
  { label: 'tar empty segment', kind: 'targz', build: tgz([{ name: 'a//b', data: 'x' }]), code: 'BAD_NAME' },
  {
    label: 'tar invalid UTF-8',
    kind: 'targz',
    build: tgz([{ name: Buffer.from([0x61, 0xff, 0x62]), data: 'x' }]),
    code: 'BAD_NAME',
  },
  {
    label: 'tar pax path with ..',
    kind: 'targz',
    build: tgzRaw([paxEntry({ path: '../../etc/cron.d/x' }), tarEntry({ name: 'harmless.html', data: 'x' })]),
    code: 'PATH_TRAVERSAL',
  },
  {
    label: 'tar pax path with NUL',
    kind: 'targz',
    build: tgzRaw([paxEntry({ path: 'a\0/../../x' }), tarEntry({ name: 'harmless.html', data: 'x' })]),
    code: 'BAD_NAME',
  },
  {
    label: 'tar GNU long name with ..',
    kind: 'targz',
    build: tgzRaw([
      gnuLongNameEntry(
        `${'a/'.repeat(60)}../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../x`,
      ),
      tarEntry({ name: 'harmless', data: 'x', format: 'gnu' }),
    ]),
    code: 'PATH_TRAVERSAL',
  },
  {
    label: 'tar GNU long name with NUL inside',
    kind: 'targz',
    build: tgzRaw([
      gnuLongNameEntry('a.html\0../../x'),
      tarEntry({ name: 'harmless', data: 'x', format: 'gnu' }),
    ]),
    code: 'BAD_NAME',
  },
  // types (tar)
  {
    label: 'tar symlink',
    kind: 'targz',
    build: tgz([{ name: 'link', type: '2', linkname: '/etc/passwd' }]),
    code: 'SYMLINK',
  },
  {
    label: 'tar hardlink',
    kind: 'targz',
    build: tgz([{ name: 'link', type: '1', linkname: 'etc/passwd' }]),
    code: 'HARDLINK',
  },
  { label: 'tar char device', kind: 'targz', build: tgz([{ name: 'null', type: '3' }]), code: 'DEVICE' },
  { label: 'tar block device', kind: 'targz', build: tgz([{ name: 'sda', type: '4' }]), code: 'DEVICE' },
  { label: 'tar fifo', kind: 'targz', build: tgz([{ name: 'fifo', type: '6' }]), code: 'DEVICE' },
  {
    label: 'tar sparse (unsupported type)',
    kind: 'targz',
    build: tgz([{ name: 'sparse', type: 'S', data: 'x' }]),
    code: 'CORRUPT',
  },
  // duplicates (tar)
  {
    label: 'tar duplicate file',
    kind: 'targz',
    build: tgz([
      { name: 'a.html', data: '1' },
      { name: 'a.html', data: '2' },
    ]),
    code: 'DUPLICATE',
  },
  {
    label: 'tar file and dir with one path',
    kind: 'targz',
    build: tgz([
      { name: 'a/', type: '5' },
      { name: 'a', data: '1' },
    ]),
    code: 'DUPLICATE',
  },
  // limits (tar)
  {
    label: 'tar too many entries',
    kind: 'targz',
    build: tgz([1, 2, 3, 4].map((i) => ({ name: `f${i}.html`, data: 'x' }))),
    code: 'TOO_MANY_ENTRIES',
    limits: small({ maxEntries: 3 }),
  },
  {
    label: 'tar file too large',
    kind: 'targz',
    build: tgz([{ name: 'big.bin', data: randomBytes(2000) }]),
    code: 'TOO_LARGE',
    limits: small({ maxFileBytes: 1000 }),
  },
  {
    label: 'tar total too large',
    kind: 'targz',
    build: tgz([1, 2, 3].map((i) => ({ name: `f${i}.bin`, data: randomBytes(800) }))),
    code: 'TOO_LARGE',
    limits: small({ maxFileBytes: 1000, maxTotalBytes: 2000 }),
  },
  {
    label: 'tar.gz bomb (50 MB of zeros)',
    kind: 'targz',
    build: () => targz([{ name: 'zeros.bin', data: fiftyMegabytesOfZeros() }]),
    code: 'RATIO',
  },
  {
    label: 'tar.gz bomb after the end-of-archive marker',
    kind: 'targz',
    build: () =>
      gzip(tarArchive([tarEntry({ name: 'a.html', data: 'x' })], { trailing: fiftyMegabytesOfZeros() })),
    code: 'RATIO',
  },
  // corrupt (tar)
  {
    label: 'tar bad header checksum',
    kind: 'targz',
    build: tgz([{ name: 'a.html', data: 'x', badChecksum: true }]),
    code: 'CORRUPT',
  },
  {
    label: 'tar without end-of-archive marker',
    kind: 'targz',
    build: tgzRaw([tarEntry({ name: 'a.html', data: 'x' })], { eof: false }),
    code: 'CORRUPT',
  },
  {
    label: 'tar with data hidden after the end marker',
    kind: 'targz',
    build: tgzRaw([tarEntry({ name: 'a.html', data: 'x' })], {
      trailing: tarEntry({ name: 'hidden', data: 'y' }),
    }),
    code: 'CORRUPT',
  },
  {
    label: 'tar entry longer than the stream',
    kind: 'targz',
    build: () => gzip(tarEntry({ name: 'a.html', data: 'x', size: 100_000 })),
    code: 'CORRUPT',
  },
  {
    label: 'tar malformed pax record',
    kind: 'targz',
    build: tgzRaw([
      tarEntry({ name: 'PaxHeaders/x', type: 'x', data: '99 path=evil\n' }),
      tarEntry({ name: 'a.html', data: 'x' }),
    ]),
    code: 'CORRUPT',
  },
  {
    label: 'gzip truncated',
    kind: 'targz',
    build: () => {
      const gz = targz([{ name: 'a.html', data: randomBytes(5000) }]);
      return gz.subarray(0, gz.length - 100);
    },
    code: 'CORRUPT',
  },
  {
    label: 'gzip CRC mismatch',
    kind: 'targz',
    build: () => {
      const gz = Buffer.from(targz([{ name: 'a.html', data: 'hello' }]));
      gz.writeUInt32LE((gz.readUInt32LE(gz.length - 8) ^ 1) >>> 0, gz.length - 8);
      return gz;
    },
    code: 'CORRUPT',
  },
  { label: 'not gzip at all', kind: 'targz', build: () => randomBytes(5000), code: 'CORRUPT' },
  {
    label: 'a zip given as tar.gz',
    kind: 'targz',
    build: zip([{ name: 'a.html', data: 'x' }]),
    code: 'CORRUPT',
  },
];

describe('hostile archives are rejected and nothing is written anywhere', () => {
  for (const c of cases) {
    it(`${c.label} → ${c.code}`, async () => {
      const file = await writeArchive(await c.build(), c.kind);
      const limits = c.limits ?? DEFAULT_ARCHIVE_LIMITS;

      const inspected = await rejection(inspectArchive(file, c.kind, limits));
      expect(inspected.code).toBe(c.code);
      if (c.message) expect(inspected.message).toMatch(c.message);
      const read = await rejection(drain(readArchive(file, c.kind, limits)));
      expect(read.code).toBe(c.code);

      // a live site next to another site; after the refused deploy both are exactly as before
      const base = await freshDir('www');
      const docroot = path.join(base, 'sites', 'dinkes');
      await fs.mkdir(docroot, { recursive: true });
      await fs.writeFile(path.join(docroot, 'index.html'), 'old site');
      await fs.mkdir(path.join(base, 'sites', 'other'));
      await fs.writeFile(path.join(base, 'sites', 'other', 'index.html'), 'other site');
      const before = await snapshot(base);
      const deployed = await rejection(deployArchive(file, c.kind, docroot, base, limits));
      expect(deployed.code).toBe(c.code);
      expect(deployed).toBeInstanceOf(ArchiveRejected);
      expect(await snapshot(base)).toEqual(before);
    });
  }

  it('the ratio grace lets small, very compressible files through', async () => {
    const file = await writeArchive(
      zipArchive([{ name: 'blank.txt', data: Buffer.alloc(RATIO_GRACE_BYTES / 2) }]),
      'zip',
    );
    const listing = await inspectArchive(file, 'zip');
    expect(listing.totalBytes).toBe(RATIO_GRACE_BYTES / 2);
  });

  it('system tar with a symlink, a hardlink and a FIFO', async () => {
    const src = await freshDir('src');
    await fs.mkdir(path.join(src, 'site'));
    await fs.writeFile(path.join(src, 'site', 'index.html'), 'x');
    await fs.symlink('/etc/passwd', path.join(src, 'site', 'passwd'));
    const withLink = await systemTarGz(['site'], src);
    expect((await rejection(inspectArchive(withLink, 'targz'))).code).toBe('SYMLINK');

    await fs.rm(path.join(src, 'site', 'passwd'));
    await fs.link(path.join(src, 'site', 'index.html'), path.join(src, 'site', 'copy.html'));
    const withHardlink = await systemTarGz(['site'], src);
    const hard = await rejection(inspectArchive(withHardlink, 'targz'));
    expect(hard.code).toBe('HARDLINK');

    await fs.rm(path.join(src, 'site', 'copy.html'));
    await run('mkfifo', [path.join(src, 'site', 'pipe')]);
    const withFifo = await systemTarGz(['site'], src);
    expect((await rejection(inspectArchive(withFifo, 'targz'))).code).toBe('DEVICE');
  });

  it.skipIf(!zipAvailable)('system zip with a stored symlink (zip -y)', async () => {
    const src = await freshDir('src');
    await fs.mkdir(path.join(src, 'site'));
    await fs.writeFile(path.join(src, 'site', 'index.html'), 'x');
    await fs.symlink('/etc', path.join(src, 'site', 'etc'));
    const file = await systemZip(['-r', '-y', 'site'], src);
    const r = await rejection(inspectArchive(file, 'zip'));
    expect(r.code).toBe('SYMLINK');
    expect(r.entry).toBe('site/etc');
  });

  it('the rejection names the entry, with control characters escaped', async () => {
    const file = await writeArchive(
      zipArchive([
        { name: 'ok.html', data: 'x' },
        { name: 'bad\nname', data: 'x' },
      ]),
      'zip',
    );
    const r = await rejection(inspectArchive(file, 'zip'));
    expect(r.code).toBe('BAD_NAME');
    expect(r.entry).toBe('bad\\u{a}name');
  });
});

// ---------------------------------------------------------------------------------------------------

async function* entriesOf(
  list: { path: string; type: 'file' | 'dir'; data?: Buffer | string; mode?: number }[],
  between?: (i: number) => Promise<void>,
) {
  let i = 0;
  for (const e of list) {
    await between?.(i++);
    yield {
      path: e.path,
      type: e.type,
      data: e.data === undefined ? undefined : Buffer.from(e.data),
      mode: e.mode ?? 0o644,
    };
  }
}

describe('writeEntries', () => {
  it('writes files 0644 and directories 0755 whatever the entries ask for', async () => {
    const target = await freshDir('target');
    const result = await writeEntries(
      target,
      entriesOf([
        { path: 'bin', type: 'dir', mode: 0o7777 },
        { path: 'bin/run.sh', type: 'file', data: '#!/bin/sh\n', mode: 0o4777 },
        { path: 'a/b/c.html', type: 'file', data: 'c' },
      ]),
    );
    expect(result).toEqual({ files: 2, bytes: 11 });
    await expectTree(target, { 'bin/run.sh': Buffer.from('#!/bin/sh\n'), 'a/b/c.html': Buffer.from('c') });
  });

  it('refuses a target that is missing, not empty, a file or a symbolic link', async () => {
    const dir = await freshDir('targets');
    await expect(writeEntries(path.join(dir, 'missing'), entriesOf([]))).rejects.toBeInstanceOf(
      UnsafeValueError,
    );
    await fs.mkdir(path.join(dir, 'full'));
    await fs.writeFile(path.join(dir, 'full', 'x'), 'x');
    await expect(writeEntries(path.join(dir, 'full'), entriesOf([]))).rejects.toThrow(/not empty/);
    await fs.writeFile(path.join(dir, 'file'), 'x');
    await expect(writeEntries(path.join(dir, 'file'), entriesOf([]))).rejects.toThrow(/not a directory/);
    await fs.mkdir(path.join(dir, 'real'));
    await fs.symlink(path.join(dir, 'real'), path.join(dir, 'link'));
    await expect(writeEntries(path.join(dir, 'link'), entriesOf([]))).rejects.toThrow(/symbolic link/);
    await expect(writeEntries('relative/dir', entriesOf([]))).rejects.toBeInstanceOf(UnsafeValueError);
  });

  for (const [bad, code] of [
    ['../escape.html', 'PATH_TRAVERSAL'],
    ['a/../../escape.html', 'PATH_TRAVERSAL'],
    ['/tmp/escape.html', 'ABSOLUTE_PATH'],
    ['C:/escape.html', 'DRIVE_PATH'],
    ['a\\escape.html', 'BACKSLASH'],
    ['a/./b.html', 'BAD_NAME'],
    ['./b.html', 'BAD_NAME'],
    ['a//b.html', 'BAD_NAME'],
    ['a/', 'BAD_NAME'],
    ['', 'BAD_NAME'],
  ] as const) {
    it(`re-checks every path itself: ${JSON.stringify(bad)} → ${code}`, async () => {
      const parent = await freshDir('parent');
      const target = path.join(parent, 'target');
      await fs.mkdir(target);
      const r = await rejection(writeEntries(target, entriesOf([{ path: bad, type: 'file', data: 'x' }])));
      expect(r.code).toBe(code);
      expect(await snapshot(parent)).toEqual(['target/ 755']);
    });
  }

  it('refuses a directory swapped for a symlink between entries (nothing lands outside)', async () => {
    const parent = await freshDir('parent');
    const target = path.join(parent, 'target');
    const outside = path.join(parent, 'outside');
    await fs.mkdir(target);
    await fs.mkdir(outside);
    const r = await rejection(
      writeEntries(
        target,
        entriesOf(
          [
            { path: 'css/a.css', type: 'file', data: 'a' },
            { path: 'css/b.css', type: 'file', data: 'b' },
          ],
          async (i) => {
            if (i === 1) {
              await fs.rm(path.join(target, 'css'), { recursive: true });
              await fs.symlink(outside, path.join(target, 'css'));
            }
          },
        ),
      ),
    );
    expect(r.code).toBe('SYMLINK');
    expect(await fs.readdir(outside)).toEqual([]);
  });

  it('never opens a symlink planted at a file path', async () => {
    const parent = await freshDir('parent');
    const target = path.join(parent, 'target');
    const victim = path.join(parent, 'victim.html');
    await fs.mkdir(target);
    await fs.writeFile(victim, 'precious');
    const r = await rejection(
      writeEntries(
        target,
        entriesOf(
          [
            { path: 'a.html', type: 'file', data: 'a' },
            { path: 'index.html', type: 'file', data: 'overwritten!' },
          ],
          async (i) => {
            if (i === 1) await fs.symlink(victim, path.join(target, 'index.html'));
          },
        ),
      ),
    );
    expect(r.code).toBe('SYMLINK');
    expect(await fs.readFile(victim, 'utf8')).toBe('precious');
  });

  it('a file in the way of a directory, and a file written twice, are duplicates', async () => {
    const t1 = await freshDir('target');
    const r1 = await rejection(
      writeEntries(
        t1,
        entriesOf([
          { path: 'a', type: 'file', data: '1' },
          { path: 'a/b', type: 'file', data: '2' },
        ]),
      ),
    );
    expect(r1.code).toBe('DUPLICATE');
    const t2 = await freshDir('target');
    const r2 = await rejection(
      writeEntries(
        t2,
        entriesOf([
          { path: 'a', type: 'file', data: '1' },
          { path: 'a', type: 'file', data: '2' },
        ]),
      ),
    );
    expect(r2.code).toBe('DUPLICATE');
    expect(await fs.readFile(path.join(t2, 'a'), 'utf8')).toBe('1');
  });
});

// ---------------------------------------------------------------------------------------------------

describe('deployArchive', () => {
  async function siteArchive(files: Record<string, string | Buffer>, top = 'site'): Promise<string> {
    const src = await freshDir('src');
    for (const [rel, data] of Object.entries(files)) {
      const p = path.join(src, top, rel);
      await fs.mkdir(path.dirname(p), { recursive: true });
      await fs.writeFile(p, data);
    }
    return systemTarGz([top], src);
  }

  const siblings = async (docroot: string) =>
    (await fs.readdir(path.dirname(docroot))).filter((n) => n.startsWith(`${path.basename(docroot)}.loket-`));

  it('deploys a normal site (tar.gz, wrapper directory stripped) with exact content', async () => {
    const src = await freshDir('src');
    const { files } = await makeSite(src);
    const file = await systemTarGz(['site'], src);
    const base = await freshDir('www');
    const docroot = path.join(base, 'opd', 'dinkes');
    const result = await deployArchive(file, 'targz', docroot, base);
    expect(result).toEqual({ files: 4, bytes: Object.values(files).reduce((n, b) => n + b.length, 0) });
    await expectTree(docroot, files);
    expect((await fs.lstat(path.join(base, 'opd'))).mode & 0o777).toBe(0o755);
    expect(await siblings(docroot)).toEqual([]);
  });

  it.skipIf(!zipAvailable)('deploys a normal site from a zip made by zip(1)', async () => {
    const src = await freshDir('src');
    const { files } = await makeSite(src);
    const file = await systemZip(['-r', 'site'], src);
    const base = await freshDir('www');
    const docroot = path.join(base, 'dinkes');
    await deployArchive(file, 'zip', docroot, base);
    await expectTree(docroot, files);
  });

  it('does not strip when there is more than one top-level name', async () => {
    const file = await writeArchive(
      zipArchive([
        { name: 'site/index.html', data: 'a' },
        { name: 'README', data: 'b' },
      ]),
      'zip',
    );
    const base = await freshDir('www');
    const docroot = path.join(base, 'dinkes');
    await deployArchive(file, 'zip', docroot, base);
    await expectTree(docroot, { 'site/index.html': Buffer.from('a'), README: Buffer.from('b') });
  });

  it('re-deploying replaces the content (removed files disappear) and is idempotent', async () => {
    const base = await freshDir('www');
    const docroot = path.join(base, 'dinkes');
    const v1 = await siteArchive({ 'index.html': 'v1', 'old.html': 'gone soon', 'css/a.css': 'a' });
    const v2 = await siteArchive({ 'index.html': 'v2', 'css/b.css': 'b' });
    await deployArchive(v1, 'targz', docroot, base);
    await expectTree(docroot, {
      'index.html': Buffer.from('v1'),
      'old.html': Buffer.from('gone soon'),
      'css/a.css': Buffer.from('a'),
    });
    await deployArchive(v2, 'targz', docroot, base);
    const expected = { 'index.html': Buffer.from('v2'), 'css/b.css': Buffer.from('b') };
    await expectTree(docroot, expected);
    const again = await deployArchive(v2, 'targz', docroot, base);
    expect(again).toEqual({ files: 2, bytes: 3 });
    await expectTree(docroot, expected);
    expect(await siblings(docroot)).toEqual([]);
  });

  it('removes what a killed earlier deploy left behind, and nothing else', async () => {
    const base = await freshDir('www');
    const docroot = path.join(base, 'dinkes');
    const stale = `${docroot}.loket-new-0123456789abcdef`;
    const staleOld = `${docroot}.loket-old-fedcba9876543210`;
    await fs.mkdir(stale);
    await fs.writeFile(path.join(stale, 'half.html'), 'half');
    await fs.mkdir(staleOld);
    await fs.writeFile(path.join(base, 'dinkes.loket-new-notours'), 'keep');
    await deployArchive(await siteArchive({ 'index.html': 'x' }), 'targz', docroot, base);
    expect((await fs.readdir(base)).sort()).toEqual(['dinkes', 'dinkes.loket-new-notours']);
  });

  it('does not follow a symlink planted at the staging path', async () => {
    const base = await freshDir('www');
    const outside = await freshDir('outside');
    const docroot = path.join(base, 'dinkes');
    const planted = `${docroot}.loket-new-aaaaaaaaaaaaaaaa`;
    await fs.symlink(outside, planted);
    const suffixes = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb', 'cccccccccccccccc'];
    await deployArchiveWith(
      await siteArchive({ 'index.html': 'x', 'css/a.css': 'a' }),
      'targz',
      docroot,
      base,
      DEFAULT_ARCHIVE_LIMITS,
      { suffix: () => suffixes.shift() as string },
    );
    expect(await fs.readdir(outside)).toEqual([]);
    expect(await fs.readlink(planted)).toBe(outside); // not ours: left alone
    await expectTree(docroot, { 'index.html': Buffer.from('x'), 'css/a.css': Buffer.from('a') });
  });

  it('does not follow symlinks inside the existing document root (removing the old tree)', async () => {
    const base = await freshDir('www');
    const outside = await freshDir('outside');
    await fs.writeFile(path.join(outside, 'keep.txt'), 'keep');
    const docroot = path.join(base, 'dinkes');
    await fs.mkdir(docroot);
    await fs.symlink(outside, path.join(docroot, 'css'));
    await fs.symlink(path.join(outside, 'keep.txt'), path.join(docroot, 'index.html'));
    await deployArchive(await siteArchive({ 'index.html': 'new', 'css/a.css': 'a' }), 'targz', docroot, base);
    await expectTree(docroot, { 'index.html': Buffer.from('new'), 'css/a.css': Buffer.from('a') });
    expect(await snapshot(outside)).toEqual([
      `keep.txt 644 ${createHash('sha256').update('keep').digest('hex')}`,
    ]);
  });

  it('refuses a document root outside baseDir, at baseDir, not normalised, or a symlink', async () => {
    const base = await freshDir('www');
    const file = await siteArchive({ 'index.html': 'x' });
    const elsewhere = await freshDir('elsewhere');
    for (const bad of [
      path.join(elsewhere, 'dinkes'),
      base,
      `${base}/../x`,
      `${base}/a//b`,
      `${base}/dinkes/`,
      'relative/dinkes',
      `${base}/dinkes\nAlias /x /etc`,
    ]) {
      await expect(deployArchive(file, 'targz', bad, base)).rejects.toBeInstanceOf(UnsafeValueError);
    }
    expect(await fs.readdir(elsewhere)).toEqual([]);
    const target = await freshDir('target');
    await fs.writeFile(path.join(target, 'keep.html'), 'keep');
    await fs.symlink(target, path.join(base, 'linked'));
    await expect(deployArchive(file, 'targz', path.join(base, 'linked'), base)).rejects.toThrow(
      /symbolic link/,
    );
    await fs.mkdir(path.join(base, 'real'));
    await fs.symlink(target, path.join(base, 'real', 'sub'));
    await expect(deployArchive(file, 'targz', path.join(base, 'real', 'sub', 'site'), base)).rejects.toThrow(
      /symbolic link/,
    );
    expect(await fs.readdir(target)).toEqual(['keep.html']);
    expect((await fs.readdir(base)).sort()).toEqual(['linked', 'real']);
  });

  it('an archive that changes between the check and the extraction leaves the live site intact', async () => {
    const base = await freshDir('www');
    const docroot = path.join(base, 'dinkes');
    await deployArchive(await siteArchive({ 'index.html': 'live' }), 'targz', docroot, base);
    const file = await siteArchive({ 'index.html': 'new', 'b.html': 'b' });
    const hostile = tarArchive([
      tarEntry({ name: 'site/', type: '5' }),
      tarEntry({ name: 'site/index.html', data: 'new' }),
      tarEntry({ name: 'site/../../escape.html', data: 'evil' }),
    ]);
    const r = await rejection(
      deployArchiveWith(file, 'targz', docroot, base, DEFAULT_ARCHIVE_LIMITS, {
        // called after the check, just before extraction: swap the file under our feet
        suffix: () => {
          writeFileSync(file, gzip(hostile));
          return 'dddddddddddddddd';
        },
      }),
    );
    expect(r.code).toBe('PATH_TRAVERSAL');
    await expectTree(docroot, { 'index.html': Buffer.from('live') });
    expect(await fs.readdir(base)).toEqual(['dinkes']);
  });

  it('rejects an unknown archive kind and nonsensical limits', async () => {
    const base = await freshDir('www');
    const file = await siteArchive({ 'index.html': 'x' });
    await expect(deployArchive(file, 'rar' as ArchiveKind, path.join(base, 'd'), base)).rejects.toThrow(
      /kind/,
    );
    await expect(inspectArchive(file, 'targz', small({ maxRatio: Number.NaN }))).rejects.toThrow(/maxRatio/);
    expect(await fs.readdir(base)).toEqual([]);
  });
});
