// What `npm start` and the other npm scripts run (docs/adr/0012-memory-and-start-up.md): Node's
// on-disk compile cache first, so a later start does not compile Loket's TypeScript and its
// dependencies again; for `start`, the web app built when web/ changed (in this process: one Node
// start fewer than an npm `prestart` hook); then the command line itself. The cache lives in the
// system's temporary directory (node-compile-cache); without it Loket only starts slower.
import module from 'node:module';

module.enableCompileCache?.();
if (process.argv[2] === 'start') {
  const { buildWebIfStale } = await import('../scripts/build-web-if-stale.ts');
  const status = buildWebIfStale();
  if (status !== 0) process.exit(status);
}
await import('./cli.ts');
