// Cold-start baseline: the least a process must do to answer /readyz on an existing PGlite data
// directory — start Node, open the database, listen. Loket's own start is compared with this.
import http from 'node:http';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_OPTIONS } from '../src/db/create-db.ts';

const db = await PGlite.create(
  path.join(path.resolve(process.env.LOKET_DATA_DIR ?? './data'), 'pglite'),
  PGLITE_OPTIONS,
);
http
  .createServer(async (_req, res) => {
    await db.query('SELECT 1');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
