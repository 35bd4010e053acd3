// Builds the web app when web/dist is missing or older than any source file, so `npm start`
// always serves the current UI without rebuilding on every start.
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

if (!fs.existsSync(web)) process.exit(0);
const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
if (built >= newestMtime(web)) process.exit(0);

console.log('Building the web app (web/dist)…');
const vite = path.join(root, 'node_modules', '.bin', 'vite');
const res = spawnSync(vite, ['build', '--config', path.join(web, 'vite.config.ts'), '--logLevel', 'warn'], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(res.status ?? 1);
