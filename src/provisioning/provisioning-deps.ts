import os from 'node:os';
import type { Config } from '../config.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { makeRegistryDeps } from '../registry/registry-deps.ts';
import { LocalFileStore } from '../storage/file-store.ts';
import { storageSettings } from '../storage/settings.ts';
import type { ProvisioningDeps } from './runs.ts';

const WORKER = `${os.hostname()}:${process.pid}`;

/** Provisioning's outside world for this configuration (`now`: the app's clock, for registry changes). */
export function makeProvisioningDeps(
  config: Config,
  jobs?: Pick<Jobs, 'send'>,
  now: () => Date = () => new Date(),
): ProvisioningDeps {
  const store = new LocalFileStore(storageSettings(config).filesDir);
  return {
    config,
    registry: makeRegistryDeps(config, now),
    archivePath: (key) => store.pathOf(key),
    jobs,
    workerId: WORKER,
  };
}
