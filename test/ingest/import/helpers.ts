import fs from 'node:fs';
import path from 'node:path';
import { openStore, raw, type Row } from '../../../src/store/index.ts';
import { makeTestDataDir, TEST_ADMIN_TOKEN, TEST_WRITE_KEY } from '../../helpers/server.ts';
import { runCli, type CliRun } from '../../helpers/cli.ts';

export { runCli, type CliRun } from '../../helpers/cli.ts';

/** A test data directory initialised by `tributary init`; answers it and its default source. */
export async function initDataDir(): Promise<{ dataDir: string; sourceId: string }> {
  const dataDir = makeTestDataDir();
  process.env.TRIBUTARY_WRITE_KEY = TEST_WRITE_KEY;
  process.env.TRIBUTARY_ADMIN_TOKEN = TEST_ADMIN_TOKEN;
  try {
    const run = await runCli('init', '--data', dataDir, '--json');
    if (run.code !== 0) throw new Error(`init failed: ${run.stderr}`);
    return { dataDir, sourceId: (JSON.parse(run.stdout) as { sourceId: string }).sourceId };
  } finally {
    delete process.env.TRIBUTARY_WRITE_KEY;
    delete process.env.TRIBUTARY_ADMIN_TOKEN;
  }
}

/** Writes an input file into the data directory's folder (which the test removes). */
export function writeInput(dataDir: string, name: string, text: string): string {
  const file = path.join(dataDir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Runs a query on the data directory's file (no server may hold it). */
export async function queryDataDir<T = Row>(dataDir: string, text: string): Promise<T[]> {
  const store = await openStore(dataDir);
  try {
    return await store.query<T>(raw(text));
  } finally {
    await store.close();
  }
}

/** The rejects file's entries. */
export function readRejects(file: string): Array<{ line: number; reason: string; raw: string }> {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { line: number; reason: string; raw: string });
}

/** `import … --json` output. */
export function summaryOf(run: CliRun): { read: number; stored: number; duplicates: number; rejected: number; rejectsFile: string | null } {
  if (run.code !== 0) throw new Error(`import failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}
