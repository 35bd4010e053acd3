// Writing validated archive entries into a directory, and the deploy step that puts a whole archive
// into a website's document root through a staging directory and a swap.
//
// Node has no openat(), so "nothing outside the target" is enforced path by path: every entry path is
// checked again here (it must already be in normal form), every directory on the way is lstat()ed and
// refused when it is a symbolic link or not a directory, directories are created one level at a time,
// and files are opened with O_CREAT|O_EXCL|O_NOFOLLOW (an existing file or link is never opened, let
// alone followed). Modes are fixed (0755/0644, set with fchmod so the umask cannot change them); nothing
// from the archive's own modes is used. The remaining window (a directory swapped for a link between
// our lstat and our mkdir/open) needs a writer inside the fresh staging directory, which only this
// process knows about.

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { assertSafePath, UnsafeValueError } from '../types.ts';
import {
  type ArchiveEntry,
  type ArchiveKind,
  type ArchiveLimits,
  type ArchiveListing,
  ArchiveRejected,
  assertArchiveKind,
  assertLimits,
  DIR_MODE,
  FILE_MODE,
  inspectArchive,
  normaliseEntryName,
  readArchive,
} from './archive.ts';

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_DIRECTORY } = constants;

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function assertAbsoluteNormal(field: string, p: string): void {
  if (
    typeof p !== 'string' ||
    !path.isAbsolute(p) ||
    path.normalize(p) !== p ||
    (p.length > 1 && p.endsWith('/'))
  ) {
    throw new UnsafeValueError(field, 'not an absolute, normalised path');
  }
}

/** lstat, or null when nothing is there. */
async function lstatOrNull(p: string) {
  try {
    return await lstat(p);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return null;
    throw err;
  }
}

/** Sets a directory's mode through a descriptor opened without following links. */
async function fixDirMode(dir: string): Promise<void> {
  const fh = await open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  try {
    await fh.chmod(DIR_MODE);
  } finally {
    await fh.close();
  }
}

/** The entry path again, strictly: it must already be in the normal form the reader produces. */
function checkedEntryPath(entry: ArchiveEntry): string {
  if (entry === null || typeof entry !== 'object' || (entry.type !== 'file' && entry.type !== 'dir')) {
    throw new ArchiveRejected('CORRUPT', null, 'an entry that is neither a file nor a directory');
  }
  const norm = normaliseEntryName(entry.path);
  if (norm === null || norm.trailingSlash || norm.path !== entry.path) {
    throw new ArchiveRejected('BAD_NAME', entry.path, 'an entry path that is not in normal form');
  }
  if (entry.type === 'file' && !Buffer.isBuffer(entry.data)) {
    throw new ArchiveRejected('CORRUPT', entry.path, 'a file without data');
  }
  if (entry.type === 'dir' && entry.data !== undefined) {
    throw new ArchiveRejected('CORRUPT', entry.path, 'a directory with data');
  }
  return norm.path;
}

/** `dir` must be a real directory (not a link); `entry` names the entry for errors. */
async function assertRealDir(dir: string, entry: string): Promise<void> {
  const st = await lstat(dir);
  if (st.isSymbolicLink()) throw new ArchiveRejected('SYMLINK', entry, `${dir} is a symbolic link`);
  if (!st.isDirectory())
    throw new ArchiveRejected('DUPLICATE', entry, `${dir} exists and is not a directory`);
}

/** Creates `dir` (mode 0755) unless a real directory is already there; refuses links and files. */
async function ensureRealDir(dir: string, entry: string): Promise<void> {
  let created = false;
  try {
    await mkdir(dir, { mode: DIR_MODE });
    created = true;
  } catch (err) {
    const code = errCode(err);
    if (code === 'ENOTDIR') throw new ArchiveRejected('DUPLICATE', entry, `a file is in the way of ${dir}`);
    if (code !== 'EEXIST') throw err;
  }
  await assertRealDir(dir, entry);
  if (created) await fixDirMode(dir);
}

async function writeNewFile(file: string, data: Buffer, entry: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, FILE_MODE);
  } catch (err) {
    const code = errCode(err);
    if (code === 'ELOOP') throw new ArchiveRejected('SYMLINK', entry, `${file} is a symbolic link`);
    if (code === 'EEXIST') {
      const st = await lstatOrNull(file);
      if (st?.isSymbolicLink()) throw new ArchiveRejected('SYMLINK', entry, `${file} is a symbolic link`);
      throw new ArchiveRejected('DUPLICATE', entry, `${file} already exists`);
    }
    throw err;
  }
  try {
    await fh.writeFile(data);
    await fh.chmod(FILE_MODE);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/** The target of writeEntries: absolute, a real directory (not a link), empty. */
async function assertEmptyRealDir(field: string, dir: string): Promise<void> {
  assertAbsoluteNormal(field, dir);
  const st = await lstatOrNull(dir);
  if (st === null) throw new UnsafeValueError(field, 'does not exist');
  if (st.isSymbolicLink()) throw new UnsafeValueError(field, 'is a symbolic link');
  if (!st.isDirectory()) throw new UnsafeValueError(field, 'is not a directory');
  if ((await readdir(dir)).length > 0) throw new UnsafeValueError(field, 'is not empty');
}

/**
 * Writes validated entries under targetDir (which must already exist, be a real directory, not a
 * symlink, and be empty). Re-checks every path itself; creates directories with mode 0755 and files
 * 0644, opening files with O_CREAT|O_EXCL|O_NOFOLLOW and refusing any existing symlink on the way.
 * On a rejection, what was written so far stays in targetDir: the caller owns (and removes) it.
 */
export async function writeEntries(
  targetDir: string,
  entries: AsyncIterable<ArchiveEntry>,
): Promise<{ files: number; bytes: number }> {
  await assertEmptyRealDir('targetDir', targetDir);
  let files = 0;
  let bytes = 0;
  for await (const entry of entries) {
    const rel = checkedEntryPath(entry);
    const parts = rel.split('/');
    const dirDepth = entry.type === 'dir' ? parts.length : parts.length - 1;
    await assertRealDir(targetDir, rel);
    let dir = targetDir;
    for (let i = 0; i < dirDepth; i++) {
      dir = path.join(dir, parts[i] as string);
      await ensureRealDir(dir, rel);
    }
    if (entry.type === 'file') {
      const data = entry.data as Buffer;
      await writeNewFile(path.join(targetDir, rel), data, rel);
      files += 1;
      bytes += data.length;
    }
  }
  return { files, bytes };
}

// ---------------------------------------------------------------------------------------------------
// deploy: staging + swap

/** The single top-level directory wrapping everything (e.g. `site/`), or null. */
export function singleTopDirectory(listing: ArchiveListing): string | null {
  const tops = new Set<string>();
  for (const f of listing.files) tops.add(f.path.split('/')[0] as string);
  for (const d of listing.dirs) tops.add(d.split('/')[0] as string);
  if (tops.size !== 1) return null;
  const [top] = tops as Set<string>;
  if (listing.files.some((f) => f.path === top)) return null;
  return top ?? null;
}

async function* stripTop(
  entries: AsyncIterable<ArchiveEntry>,
  top: string | null,
): AsyncGenerator<ArchiveEntry> {
  for await (const entry of entries) {
    if (top === null) {
      yield entry;
    } else if (entry.path === top) {
      // the wrapper itself: becomes the document root
    } else if (entry.path.startsWith(`${top}/`)) {
      yield { ...entry, path: entry.path.slice(top.length + 1) };
    } else {
      // inspect said everything is under `top`; a second read that disagrees is a changed file
      throw new ArchiveRejected('CORRUPT', entry.path, 'the archive changed while being deployed');
    }
  }
}

/** Creates the directories between baseDir (which must exist) and docroot's parent, refusing links. */
async function prepareParent(docroot: string, baseDir: string): Promise<string> {
  const base = await stat(baseDir).catch(() => null);
  if (!base?.isDirectory()) throw new Error(`the document root base directory ${baseDir} does not exist`);
  const parent = path.dirname(docroot);
  const rel = path.relative(baseDir, parent);
  let dir = baseDir;
  for (const part of rel === '' ? [] : rel.split('/')) {
    dir = path.join(dir, part);
    try {
      await ensureRealDir(dir, docroot);
    } catch (err) {
      if (err instanceof ArchiveRejected) throw new UnsafeValueError('docroot', `${dir}: ${err.message}`);
      throw err;
    }
  }
  return parent;
}

const SUFFIX_RE = /^[0-9a-f]{16}$/;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes what an earlier, killed deploy of this docroot left behind: real directories named
 * `<docroot>.loket-new-<16 hex>` or `.loket-old-<16 hex>`. Anything else (e.g. a link planted under
 * such a name) is not ours and is left alone. Deploys of one docroot must not run concurrently (the
 * orchestrator's job runs one step at a time).
 */
async function removeLeftovers(docroot: string): Promise<void> {
  const parent = path.dirname(docroot);
  const pattern = new RegExp(`^${escapeRegExp(path.basename(docroot))}\\.loket-(new|old)-[0-9a-f]{16}$`);
  for (const name of await readdir(parent)) {
    if (!pattern.test(name)) continue;
    const p = path.join(parent, name);
    const st = await lstatOrNull(p);
    if (st?.isDirectory() && !st.isSymbolicLink()) await rm(p, { recursive: true, force: true });
  }
}

async function makeStaging(docroot: string, suffix: () => string): Promise<string> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const s = suffix();
    if (!SUFFIX_RE.test(s)) throw new Error('staging suffix must be 16 hex digits');
    const staging = `${docroot}.loket-new-${s}`;
    try {
      await mkdir(staging, { mode: DIR_MODE }); // never follows: an existing link here is EEXIST
    } catch (err) {
      if (errCode(err) === 'EEXIST') continue;
      throw err;
    }
    await fixDirMode(staging);
    return staging;
  }
  throw new Error(`could not create a staging directory next to ${docroot}`);
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, O_RDONLY | O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function assertDocrootUsable(docroot: string) {
  const st = await lstatOrNull(docroot);
  if (st?.isSymbolicLink()) throw new UnsafeValueError('docroot', 'is a symbolic link');
  if (st && !st.isDirectory()) throw new UnsafeValueError('docroot', 'exists and is not a directory');
  return st;
}

/** Puts the complete staging tree in docroot's place; the previous tree is removed afterwards. */
async function swapIntoPlace(staging: string, docroot: string, suffix: () => string): Promise<void> {
  const existing = await assertDocrootUsable(docroot);
  if (existing === null) {
    await rename(staging, docroot);
  } else {
    let old = '';
    for (let attempt = 0; attempt < 8 && old === ''; attempt++) {
      const s = suffix();
      if (!SUFFIX_RE.test(s)) throw new Error('staging suffix must be 16 hex digits');
      const candidate = `${docroot}.loket-old-${s}`;
      if ((await lstatOrNull(candidate)) === null) old = candidate;
    }
    if (old === '') throw new Error(`could not choose a name for the previous tree of ${docroot}`);
    await rename(docroot, old);
    try {
      await rename(staging, docroot);
    } catch (err) {
      await rename(old, docroot).catch(() => {});
      throw err;
    }
    // The site is live; a failure to remove the old tree is cleaned up by the next deploy.
    await rm(old, { recursive: true, force: true }).catch(() => {});
  }
  await syncDir(path.dirname(docroot)).catch(() => {});
}

export type DeployOptions = { suffix?: () => string };

const randomSuffix = () => randomBytes(8).toString('hex');

/**
 * The deploy step (see deployArchive in index.ts). `options.suffix` chooses the random part of the
 * staging names (tests use it to plant things at the exact staging path).
 */
export async function deployArchiveWith(
  file: string,
  kind: ArchiveKind,
  docroot: string,
  baseDir: string,
  limits: ArchiveLimits,
  options: DeployOptions = {},
): Promise<{ files: number; bytes: number }> {
  assertSafePath('docroot', docroot, baseDir);
  assertArchiveKind(kind);
  assertLimits(limits);
  const suffix = options.suffix ?? randomSuffix;
  // The whole archive is checked before anything is created.
  const listing = await inspectArchive(file, kind, limits);
  const top = singleTopDirectory(listing);
  await prepareParent(docroot, baseDir);
  await assertDocrootUsable(docroot);
  await removeLeftovers(docroot);
  const staging = await makeStaging(docroot, suffix);
  try {
    const result = await writeEntries(staging, stripTop(readArchive(file, kind, limits), top));
    await swapIntoPlace(staging, docroot, suffix);
    return result;
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
  }
}
