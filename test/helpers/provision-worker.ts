// A provisioning worker in its own process, for the test that kills it with SIGKILL mid-run.
// Env: LOKET_TEST_DB_URL (the test's PostgreSQL database), RUN_ID, HANG_AT (a step key: the worker
// writes MARKER and hangs there, mid-run, holding its lease), plus Loket's usual configuration
// (LOKET_DATA_DIR for the secret key and stored files, LOKET_DOCROOT_BASE, …).
import fs from 'node:fs';
import { loadConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { makeProvisioningDeps } from '../../src/provisioning/provisioning-deps.ts';
import { processRun } from '../../src/provisioning/runs.ts';

const config = loadConfig(process.env);
const handle = await createDb({ databaseUrl: process.env.LOKET_TEST_DB_URL, dataDir: config.dataDir });
const deps = makeProvisioningDeps(config);
deps.workerId = `killed-worker:${process.pid}`;
deps.beforeStep = async (key) => {
  if (key !== process.env.HANG_AT) return;
  fs.writeFileSync(process.env.MARKER ?? '', String(process.pid));
  await new Promise(() => {});
};
await processRun(handle.db, process.env.RUN_ID ?? '', deps);
await handle.close();
