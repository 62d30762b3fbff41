/**
 * `tributary rebuild` re-derives people, sessions and touches from every stored event, saying
 * each phase as it ends, and refuses while a server holds the data directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { makeTestDataDir, removeTestDataDir } from '../helpers/server.ts';
import { loadConfig } from '../../src/config/index.ts';
import { startServer } from '../../src/server/index.ts';

const dataDir = makeTestDataDir();
afterAll(() => removeTestDataDir(dataDir));

const at = (minutes: number) => new Date(Date.UTC(2025, 2, 3, 9, 0) + minutes * 60_000).toISOString();
/** Two visitors; a1 comes back after more than 30 minutes (two sessions), then signs up as user_1. */
const MESSAGES = [
  { type: 'page', anonymousId: 'a1', name: 'Home', timestamp: at(0), context: { page: { url: 'https://shop.example/?utm_source=google&utm_medium=cpc' } } },
  { type: 'page', anonymousId: 'a1', name: 'Pricing', timestamp: at(5) },
  { type: 'page', anonymousId: 'a1', name: 'Home', timestamp: at(60), context: { page: { referrer: 'https://news.example/' } } },
  { type: 'identify', anonymousId: 'a1', userId: 'user_1', timestamp: at(61) },
  { type: 'page', anonymousId: 'a2', name: 'Home', timestamp: at(10) },
];

describe('tributary rebuild', () => {
  it('re-derives people and sessions from all events, phase by phase', async () => {
    expect((await runCli('init', '--data', dataDir)).code).toBe(0);
    const file = path.join(dataDir, 'events.ndjson');
    fs.writeFileSync(file, MESSAGES.map((m, i) => JSON.stringify({ ...m, messageId: `m${i}` })).join('\n') + '\n');
    expect((await runCli('import', 'events', file, '--data', dataDir)).code).toBe(0);

    const run = await runCli('rebuild', '--data', dataDir);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/stitching identities: done in \d+\.\d s\nsessions and touches: done in \d+\.\d s\n/);
    // The identify links a1 to user_1: one person in the graph (a2 never identified, so it stays a
    // visitor). a1's visits 55 minutes apart are two sessions, a2's one; each session's first page is a touch.
    expect(run.stderr).toMatch(/rebuilt 1 person \(0 merges\), 3 sessions and 3 touches in \d+\.\d s/);

    const json = await runCli('rebuild', '--data', dataDir, '--json');
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const result = JSON.parse(json.stdout);
    expect(result.identity.peopleCreated).toBe(1);
    expect(result.sessions).toMatchObject({ sessions: 3, touches: 3 });
  });

  it('refuses while a server holds the data directory', async () => {
    const server = await startServer(loadConfig({ dataDir, port: 0, logLevel: 'silent' }, {}), { processingIntervalMs: 60_000 });
    try {
      const run = await runCli('rebuild', '--data', dataDir);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('a server is running');
    } finally {
      await server.close();
    }
  });
});
