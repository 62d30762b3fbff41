import fs from 'node:fs';
import type { LineReject } from './types.ts';

/** Where the rejects of an input file are listed: next to it. */
export const rejectsPathFor = (input: string): string => `${input}.rejects.ndjson`;

/**
 * The rejects file of an import: one `{"line", "reason", "raw"}` per rejected line, in line
 * order. It describes the latest import of its input: a stale one is removed when the import
 * starts, and a new one is created only when there is something to list.
 */
export class RejectsFile {
  private fd: number | null = null;
  count = 0;

  constructor(readonly path: string) {
    fs.rmSync(path, { force: true });
  }

  /** A RejectSink: appends rejects as they come. */
  readonly write = (rejects: readonly LineReject[]): void => {
    if (rejects.length === 0) return;
    this.fd ??= fs.openSync(this.path, 'w');
    fs.writeSync(this.fd, rejects.map((r) => JSON.stringify({ line: r.line, reason: r.reason, raw: r.raw }) + '\n').join(''));
    this.count += rejects.length;
  };

  /** Closes the file; answers its path, or null when nothing was rejected. */
  close(): string | null {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    return this.count > 0 ? this.path : null;
  }
}
