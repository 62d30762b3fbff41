import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import { openStore } from '../../store/index.ts';
import { loadOrCreateSecret } from '../../privacy/index.ts';
import { readServerFile } from '../../server/index.ts';
import { createServices } from '../../server/services.ts';
import { note, printJson } from '../output.ts';
import { startPhase } from '../progress.ts';

/**
 * Re-derives everything computed from events: the identity graph, then sessions and touches
 * (after changing identity rules, channel rules or the session timeout).
 */
export function registerRebuild(program: Command): void {
  program
    .command('rebuild')
    .description('rebuild the identity graph, sessions and touches from all stored events')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--json', 'print what was rebuilt as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      const config = loadConfig({ dataDir: opts.data });
      if (readServerFile(config.dataDir)) {
        throw new TributaryError('unavailable', `a server is running on ${config.dataDir}: stop it first (rebuild needs the store to itself)`);
      }
      const store = await openStore(config.dataDir);
      try {
        const services = await createServices(store, config, loadOrCreateSecret(config.dataDir, config.secret));
        const started = Date.now();
        // Each phase says when it ends, as the demo's loading does (quiet with --json).
        const stitching = startPhase('stitching identities', opts.json === true);
        const identity = await services.identity.rebuild();
        stitching.stop();
        const deriving = startPhase('sessions and touches', opts.json === true);
        const sessions = await services.derive.rebuild();
        deriving.stop();
        const result = { identity, sessions, ms: Date.now() - started };
        if (opts.json) printJson(result);
        else note(`rebuilt ${identity.peopleCreated} ${identity.peopleCreated === 1 ? 'person' : 'people'} (${identity.merges} merges), ${sessions.sessions} sessions and ${sessions.touches} touches in ${(result.ms / 1000).toFixed(1)} s`);
      } finally {
        await store.close();
      }
    });
}
