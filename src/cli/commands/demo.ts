import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import { databasePath, openStore, raw } from '../../store/index.ts';
import { loadOrCreateSecret } from '../../privacy/index.ts';
import { ImportService } from '../../ingest/index.ts';
import { generateDemoWorld, resolveDemoOptions } from '../../demo/index.ts';
import { loadDemoWorld, type DemoPhase } from '../../demo/service.ts';
import { readServerFile, startServer } from '../../server/index.ts';
import { createServices } from '../../server/services.ts';
import { refreshActivity } from '../../analytics/index.ts';
import { note, printJson } from '../output.ts';
import { startPhase, type PhaseProgress } from '../progress.ts';
import { initDataDir } from './init.ts';

const MARKER = 'demo.json';

interface DemoMarker {
  readonly people: number;
  readonly days: number;
  readonly seed: number;
  readonly endDate: string;
  /** The demo source's write key, kept so every run can print it (demo data only). */
  readonly writeKey: string;
}

interface DemoOptions {
  people: string;
  days: string;
  seed: string;
  endDate?: string;
  data?: string;
  host?: string;
  port?: string;
  serve: boolean;
  json?: boolean;
}

function yesterday(): string {
  return new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
}

function readMarker(dataDir: string): DemoMarker | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, MARKER), 'utf8')) as DemoMarker;
  } catch {
    return null;
  }
}

/** An existing data directory is reused only if it holds this very world; a demo directory is replaced. */
function prepareDirectory(dataDir: string, wanted: Omit<DemoMarker, 'writeKey'>): DemoMarker | null {
  const marker = readMarker(dataDir);
  if (marker && marker.people === wanted.people && marker.days === wanted.days && marker.seed === wanted.seed && marker.endDate === wanted.endDate) {
    return marker;
  }
  if (marker) {
    note(`replacing the demo world in ${dataDir} (people ${marker.people}, days ${marker.days}, seed ${marker.seed})`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  } else if (fs.existsSync(databasePath(dataDir))) {
    throw new TributaryError('bad_request', `${dataDir} holds data that is not a demo world: choose another --data directory for the demo`);
  }
  return null;
}

async function generateAndLoad(config: Config, wanted: Omit<DemoMarker, 'writeKey'>, quiet: boolean): Promise<DemoMarker> {
  const boot = await initDataDir(config.dataDir, { ...config, writeKey: config.writeKey });
  const generating = startPhase('generating the world', quiet);
  const world = generateDemoWorld({ people: wanted.people, days: wanted.days, seed: wanted.seed, endDate: wanted.endDate });
  generating.stop();
  const store = await openStore(config.dataDir);
  try {
    const secret = loadOrCreateSecret(config.dataDir, config.secret);
    const services = await createServices(store, config, secret);
    const imports = new ImportService(store, services.access, { sealing: services.sealing });
    const bars = new Map<DemoPhase, PhaseProgress>();
    const labels: Record<DemoPhase, string> = { events: 'loading events', spend: 'loading spend', customers: 'loading customers' };
    const report = await loadDemoWorld(imports, world, (phase, done, total) => {
      let bar = bars.get(phase);
      if (!bar) bars.set(phase, (bar = startPhase(labels[phase], quiet)));
      bar.update(done, total);
      if (done >= total) bar.stop();
    });
    await imports.close();
    const stitching = startPhase('stitching identities', quiet);
    await services.identity.processNewEvents();
    stitching.stop();
    const sessions = startPhase('sessions and touches', quiet);
    await services.derive.rebuild();
    sessions.stop();
    const rollups = startPhase('analytics roll-ups', quiet);
    await refreshActivity(store);
    rollups.stop();
    await store.exec(raw('CHECKPOINT'));
    if (!quiet) note(`loaded ${report.events.stored.toLocaleString('en-US')} events, ${report.spendRows} spend rows, ${report.customerMessages} customer messages`);
  } finally {
    await store.close();
  }
  const marker: DemoMarker = { ...wanted, writeKey: boot.writeKey ?? '' };
  fs.writeFileSync(path.join(config.dataDir, MARKER), JSON.stringify(marker, null, 2) + '\n', { mode: 0o600 });
  return marker;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a realistic demo business (people, channels, spend, orders), load it, and serve it')
    .option('--people <n>', 'people in the world', '50000')
    .option('--days <d>', 'days of history', '180')
    .option('--seed <s>', 'random seed (the same seed gives the same world)', '42')
    .option('--end-date <date>', 'last day of the world (YYYY-MM-DD, default yesterday)')
    .option('--data <dir>', 'data directory for the demo (default ./data/demo)')
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option('--port <port>', 'port (default 7070)')
    .option('--no-serve', 'load the world and exit')
    .option('--json', 'print {"url", "dataDir", "writeKey", "adminToken"} as JSON')
    .action(async (opts: DemoOptions) => {
      const resolved = resolveDemoOptions({ people: Number(opts.people), days: Number(opts.days), seed: Number(opts.seed), endDate: opts.endDate ?? yesterday() });
      const config = loadConfig({
        dataDir: opts.data ?? path.join('data', 'demo'),
        host: opts.host,
        port: opts.port === undefined ? undefined : Number(opts.port),
      });
      if (readServerFile(config.dataDir)) throw new TributaryError('unavailable', `a server is already running on ${config.dataDir}`);
      const wanted = { people: resolved.people, days: resolved.days, seed: resolved.seed, endDate: resolved.endDate };
      const marker = prepareDirectory(config.dataDir, wanted) ?? (await generateAndLoad(config, wanted, opts.json === true));
      if (!opts.serve) {
        if (opts.json) printJson({ url: null, dataDir: config.dataDir, writeKey: marker.writeKey, adminToken: null });
        return;
      }
      const server = await startServer(config);
      const { token } = await server.access.createToken(`demo ${new Date().toISOString().slice(0, 16)}`);
      if (opts.json) printJson({ url: server.url, dataDir: config.dataDir, writeKey: marker.writeKey, adminToken: token });
      else {
        note('');
        note(`Tributary demo: ${resolved.people.toLocaleString('en-US')} people over ${resolved.days} days, up to ${resolved.endDate}`);
        note(`  dashboard   ${server.url}/#token=${token}   (opens signed in)`);
        note(`  API         ${server.url}  (health: ${server.url}/api/health)`);
        note(`  API docs    ${server.url}/api/docs  (once signed in; the document: /api/openapi.json)`);
        note(`  admin token ${token}`);
        note(`  write key   ${marker.writeKey}`);
        note(`  try         curl -H "Authorization: Bearer ${token}" '${server.url}/api/attribution?model=last,markov'`);
        note('Ctrl-C stops.');
      }
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(resolve, resolve);
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
