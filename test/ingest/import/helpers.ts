import fs from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { openStore, raw, type Row } from '../../../src/store/index.ts';
import { makeTestDataDir, TEST_ADMIN_TOKEN, TEST_WRITE_KEY } from '../../helpers/server.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process (`main` returns the exit code), capturing stdout and stderr. */
export async function runCli(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'tributary', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

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
