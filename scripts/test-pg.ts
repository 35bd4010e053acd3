// Runs the whole integration suite against a real PostgreSQL server: the one in
// TEST_DATABASE_URL, or else a throw-away server this script starts and stops itself.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startPostgres } from '../test/servers/postgres.ts';

const root = path.join(import.meta.dirname, '..');
let url = process.env.TEST_DATABASE_URL;
const server = url ? undefined : await startPostgres();
url ??= server?.url;
console.log(`Running the test suite on PostgreSQL at ${url}`);
const res = spawnSync(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, TEST_DATABASE_URL: url },
});
await server?.stop();
process.exit(res.status ?? 1);
