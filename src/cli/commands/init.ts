import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import { openStore } from '../../store/index.ts';
import { AccessService, loadOrCreateSecret, type Bootstrap } from '../../privacy/index.ts';
import { readServerFile } from '../../server/index.ts';
import { note, printJson } from '../output.ts';

/** Creates the data directory, its secret, a default source and an admin token. */
export async function initDataDir(dataDir: string, seeds: { writeKey?: string; adminToken?: string; secret?: string }): Promise<Bootstrap> {
  if (readServerFile(dataDir)) throw new TributaryError('unavailable', `a server is running on ${dataDir}; it is already initialised`);
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = loadOrCreateSecret(dataDir, seeds.secret);
  const store = await openStore(dataDir);
  try {
    return await new AccessService(store, secret).bootstrap(seeds);
  } finally {
    await store.close();
  }
}

export function printCredentials(boot: Bootstrap, dataDir: string): void {
  if (boot.writeKey) note(`write key:   ${boot.writeKey}   (source ${boot.sourceId})`);
  if (boot.adminToken) note(`admin token: ${boot.adminToken}`);
  if (boot.writeKey || boot.adminToken) note('These are shown once and stored only as hashes: keep them now.');
  else note(`${dataDir} is already initialised (credentials are stored hashed and cannot be shown again).`);
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create the data directory with a default source (write key) and an admin token')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print {"writeKey", "adminToken", "sourceId", "dataDir"} as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      const config = loadConfig({ dataDir: opts.data });
      const boot = await initDataDir(config.dataDir, config);
      if (opts.json) printJson({ writeKey: boot.writeKey, adminToken: boot.adminToken, sourceId: boot.sourceId, dataDir: config.dataDir });
      else {
        note(`data directory: ${config.dataDir}`);
        printCredentials(boot, config.dataDir);
      }
    });
}
