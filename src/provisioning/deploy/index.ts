// Provisioning step 4: deploying the build step's source archive (zip or tar.gz) into a website's
// document root. archive.ts reads and validates archives, write.ts writes validated entries and does
// the staging + swap. Nothing is ever written outside the target directory.

import { type ArchiveKind, type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './archive.ts';
import { deployArchiveWith } from './write.ts';

export type { ArchiveKind, ArchiveLimits, ArchiveRejectionCode } from './archive.ts';
export { ArchiveRejected, DEFAULT_ARCHIVE_LIMITS, inspectArchive, readArchive } from './archive.ts';
export { writeEntries } from './write.ts';

/**
 * The deploy step: checks the whole archive first (nothing is created for a rejected archive), extracts
 * into a fresh sibling staging directory `<docroot>.loket-new-<random>`, then swaps it into place
 * (rename; the old tree goes to `<docroot>.loket-old-<random>` and is removed), so a failed or partial
 * extraction never leaves a half-written site. Idempotent: re-running deploys the same content again
 * (and removes what a killed earlier run left behind). docroot must pass assertSafePath(docroot,
 * baseDir), must not be a symbolic link, and its parent directories below baseDir are created (0755)
 * when missing. If the archive has a single top-level directory wrapping everything (e.g. `site/…`),
 * it is stripped. Throws UnsafeValueError for an unsafe docroot, ArchiveRejected for a refused archive.
 */
export async function deployArchive(
  file: string,
  kind: ArchiveKind,
  docroot: string,
  baseDir: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<{ files: number; bytes: number }> {
  return deployArchiveWith(file, kind, docroot, baseDir, limits);
}
