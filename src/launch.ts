// What `npm start` and the other npm scripts run (docs/adr/0008-memory-and-start-up.md): Node's
// on-disk compile cache first, so a later start does not compile Loket's TypeScript and its
// dependencies again, then the command line itself. The cache lives in the system's temporary
// directory (node-compile-cache); without it Loket only starts slower.
import module from 'node:module';

module.enableCompileCache?.();
await import('./cli.ts');
