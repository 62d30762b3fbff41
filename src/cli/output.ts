import { isTributaryError } from '../errors/index.ts';

/** Exit codes: 0 ok, 1 user error, 2 configuration error, 70 internal error. */
export const EXIT = { ok: 0, user: 1, config: 2, internal: 70 } as const;

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** A plain aligned table on stdout, for people. */
export function printTable(rows: ReadonlyArray<Record<string, unknown>>, columns?: readonly string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cols = columns ?? Object.keys(rows[0]);
  const cell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = cols.map((c) => Math.min(60, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const line = (values: string[]): string => values.map((v, i) => (v.length > widths[i] ? v.slice(0, widths[i] - 1) + '…' : v.padEnd(widths[i]))).join('  ').trimEnd();
  process.stdout.write(line([...cols]) + '\n');
  process.stdout.write(line(widths.map((w) => '-'.repeat(w))) + '\n');
  for (const r of rows) process.stdout.write(line(cols.map((c) => cell(r[c]))) + '\n');
}

/** Diagnostics go to stderr so stdout stays machine-readable. */
export function note(message: string): void {
  process.stderr.write(message + '\n');
}

/** Maps an error to its exit code after printing it (JSON envelope with --json). */
export function reportError(err: unknown, json: boolean): number {
  if (isTributaryError(err)) {
    const code = err.code === 'config_invalid' ? EXIT.config : err.status >= 500 && err.code !== 'unavailable' ? EXIT.internal : EXIT.user;
    if (json) process.stderr.write(JSON.stringify({ error: { code: err.code, message: err.message, details: err.details } }) + '\n');
    else note(`error: ${err.message}`);
    return code;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (json) process.stderr.write(JSON.stringify({ error: { code: 'internal', message } }) + '\n');
  else note(`error: ${message}`);
  return EXIT.internal;
}
