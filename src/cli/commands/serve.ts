import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { startServer } from '../../server/index.ts';
import { note, printJson } from '../output.ts';
import { printCredentials } from './init.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the ingestion and query API (initialises an empty data directory first)')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)')
    .option('--host <host>', 'interface to listen on (env TRIBUTARY_HOST, default 127.0.0.1)')
    .option('--port <port>', 'port (env TRIBUTARY_PORT, default 7070)')
    .option('--json', 'print {"url", "writeKey", "adminToken"} as one JSON line once listening')
    .action(async (opts: { data?: string; host?: string; port?: string; json?: boolean }) => {
      const config = loadConfig({ dataDir: opts.data, host: opts.host, port: opts.port === undefined ? undefined : Number(opts.port) });
      const server = await startServer(config);
      if (opts.json) {
        printJson({ url: server.url, dataDir: config.dataDir, writeKey: server.bootstrap.writeKey, adminToken: server.bootstrap.adminToken });
      } else {
        note(`Tributary is listening on ${server.url}  (data: ${config.dataDir})`);
        printCredentials(server.bootstrap, config.dataDir);
        note(`Send events to ${server.url}/v1/batch with the write key as the HTTP Basic user name. Ctrl-C stops.`);
      }
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          note(`${signal}: finishing pending writes…`);
          server.close().then(resolve, (err: unknown) => {
            note(`error while stopping: ${(err as Error).message}`);
            resolve();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}
