// Builds the web app when web/dist is missing or older than any source file, so `npm start`
// always serves the current UI without rebuilding on every start. `npm start` calls this in its
// own process (src/launch.ts); `node scripts/build-web-if-stale.ts` runs it alone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..');
const web = path.join(root, 'web');
const marker = path.join(web, 'dist', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Returns the exit status: 0 when web/dist is current (or was just built). */
export function buildWebIfStale(): number {
  if (!fs.existsSync(web)) return 0;
  const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  if (built >= newestMtime(web)) return 0;
  console.log('Building the web app (web/dist)…');
  const vite = path.join(root, 'node_modules', '.bin', 'vite');
  const res = spawnSync(vite, ['build', '--config', path.join(web, 'vite.config.ts'), '--logLevel', 'warn'], {
    stdio: 'inherit',
    cwd: root,
  });
  return res.status ?? 1;
}

if (import.meta.main) process.exit(buildWebIfStale());
