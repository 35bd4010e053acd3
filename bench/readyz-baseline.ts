// Start-up baseline: the least a process must do to answer /readyz on a PGlite data directory —
// start Node, open the database with PGlite's own defaults (creating it when the directory is
// empty), listen. Loket's own start (bench/startup.ts) is compared with this.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const dir = path.join(path.resolve(process.env.LOKET_DATA_DIR ?? './data'), 'pglite');
fs.mkdirSync(dir, { recursive: true });
const db = await PGlite.create(dir);
http
  .createServer(async (_req, res) => {
    await db.query('SELECT 1');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
