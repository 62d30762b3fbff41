import fs from 'node:fs';
import path from 'node:path';

/** Written by a running server so CLI commands on the same data directory go through its API. */
export interface ServerFile {
  readonly url: string;
  readonly pid: number;
  /** A process-local admin token, valid only while this server runs. */
  readonly token: string;
}

export const SERVER_FILE = 'server.json';

export function writeServerFile(dataDir: string, info: ServerFile): void {
  const file = path.join(dataDir, SERVER_FILE);
  fs.writeFileSync(file, JSON.stringify(info) + '\n', { mode: 0o600 });
}

export function removeServerFile(dataDir: string, pid: number): void {
  const current = readServerFile(dataDir);
  if (current && current.pid === pid) fs.rmSync(path.join(dataDir, SERVER_FILE), { force: true });
}

/** The running server of a data directory, or null (no file, or its process is gone). */
export function readServerFile(dataDir: string): ServerFile | null {
  let info: ServerFile;
  try {
    info = JSON.parse(fs.readFileSync(path.join(dataDir, SERVER_FILE), 'utf8')) as ServerFile;
  } catch {
    return null;
  }
  try {
    process.kill(info.pid, 0);
  } catch {
    return null;
  }
  return info;
}
