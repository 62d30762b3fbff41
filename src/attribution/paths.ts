/**
 * Parser of the ChannelAttribution path-file layout:
 *
 *   path,total_conversions,total_conversion_value,total_null
 *   "eta > iota > alpha",1,0.244,3
 *
 * `path` and `total_conversions` are required, the value and null columns optional (0 when
 * absent), columns in any order, fields quoted ("" escapes a quote) or not, CRLF or LF, a UTF-8
 * BOM and blank lines ignored. Steps are separated by " > "; equal paths are merged by summing
 * (first occurrence keeps its place).
 * Every problem is a `PathFileError` naming the 1-based line.
 */
import type { PathAggregate } from './types.ts';

/** A path file that cannot be read, with the 1-based line of the problem. */
export class PathFileError extends Error {
  readonly line: number;

  constructor(line: number, problem: string) {
    super(`path file line ${line}: ${problem}`);
    this.name = 'PathFileError';
    this.line = line;
  }
}

/** Recognised columns. */
export const PATH_FILE_COLUMNS = ['path', 'total_conversions', 'total_conversion_value', 'total_null'] as const;
type Column = (typeof PATH_FILE_COLUMNS)[number];

/** Incremental parser: feed lines in order, then `finish()`. */
export interface PathFileParser {
  pushLine(line: string): void;
  finish(): PathAggregate[];
}

/** Splits one CSV line into fields (RFC 4180 quoting, no embedded newlines). */
export function splitCsvLine(line: string, lineNo: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new PathFileError(lineNo, 'unterminated quoted field');
        field += line.slice(i, q);
        i = q + 1;
        if (line[i] !== '"') break;
        field += '"';
        i++;
      }
      if (i < line.length && line[i] !== ',') throw new PathFileError(lineNo, `unexpected text after a closing quote at column ${i + 1}`);
    } else {
      const c = line.indexOf(',', i);
      field = line.slice(i, c < 0 ? line.length : c);
      i = c < 0 ? line.length : c;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++;
  }
}

function parseHeader(fields: string[], lineNo: number): Map<Column, number> {
  const columns = new Map<Column, number>();
  fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (!(PATH_FILE_COLUMNS as readonly string[]).includes(name)) {
      throw new PathFileError(lineNo, `unknown column "${raw}" (expected ${PATH_FILE_COLUMNS.join(', ')})`);
    }
    if (columns.has(name as Column)) throw new PathFileError(lineNo, `duplicate column "${name}"`);
    columns.set(name as Column, index);
  });
  for (const required of ['path', 'total_conversions'] as const) {
    if (!columns.has(required)) throw new PathFileError(lineNo, `missing required column "${required}"`);
  }
  return columns;
}

const OTHER_SEPARATORS = [',', '|', ';', '→', '\t'];

/**
 * Splits a path on " > " (extra whitespace around ">" is tolerated), refusing ">" without
 * spaces, empty steps, and single-step paths that look separated by another character.
 */
export function splitPath(raw: string, lineNo: number): string[] {
  const text = raw.trim();
  if (text === '') throw new PathFileError(lineNo, 'empty path');
  const parts = text.split('>');
  if (parts.length === 1) {
    const sep = OTHER_SEPARATORS.find((s) => text.includes(s));
    if (sep !== undefined) {
      throw new PathFileError(lineNo, `path "${text}" looks separated by "${sep === '\t' ? '\\t' : sep}"; steps must be separated by " > "`);
    }
    return [text];
  }
  parts.forEach((part, k) => {
    if (part.trim() === '') throw new PathFileError(lineNo, `empty step ${k + 1} in path "${text}"`);
  });
  for (let k = 0; k + 1 < parts.length; k++) {
    if (!/\s$/.test(parts[k]) || !/^\s/.test(parts[k + 1])) {
      throw new PathFileError(lineNo, `path "${text}" contains ">" without spaces; steps must be separated by " > "`);
    }
  }
  return parts.map((part) => part.trim());
}

function parseCount(raw: string | undefined, column: Column, lineNo: number): number {
  const text = (raw ?? '').trim();
  if (text === '') throw new PathFileError(lineNo, `missing ${column}`);
  const n = Number(text);
  if (!Number.isFinite(n)) throw new PathFileError(lineNo, `${column} "${text}" is not a number`);
  if (n < 0) throw new PathFileError(lineNo, `${column} ${text} is negative`);
  return n;
}

/** Creates an incremental parser (the first non-blank line is the header). */
export function createPathFileParser(): PathFileParser {
  let lineNo = 0;
  let columns: Map<Column, number> | null = null;
  const merged = new Map<string, PathAggregate>();
  return {
    pushLine(line: string): void {
      lineNo++;
      let text = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.trim() === '') return;
      const fields = splitCsvLine(text, lineNo);
      if (!columns) {
        columns = parseHeader(fields, lineNo);
        return;
      }
      const cols = columns;
      if (fields.length !== cols.size) throw new PathFileError(lineNo, `expected ${cols.size} fields, got ${fields.length}`);
      const at = (c: Column): string | undefined => {
        const index = cols.get(c);
        return index === undefined ? undefined : fields[index];
      };
      const path = splitPath(at('path') ?? '', lineNo);
      const conversions = parseCount(at('total_conversions'), 'total_conversions', lineNo);
      const value = cols.has('total_conversion_value') ? parseCount(at('total_conversion_value'), 'total_conversion_value', lineNo) : 0;
      const nulls = cols.has('total_null') ? parseCount(at('total_null'), 'total_null', lineNo) : 0;
      const key = path.join('\u0000');
      const row = merged.get(key);
      if (row) {
        row.conversions += conversions;
        row.value += value;
        row.nulls += nulls;
      } else merged.set(key, { path, conversions, value, nulls });
    },
    finish(): PathAggregate[] {
      if (!columns) throw new PathFileError(Math.max(1, lineNo), 'empty file: expected the header "path,total_conversions,…"');
      if (merged.size === 0) throw new PathFileError(lineNo, 'no path rows after the header');
      return [...merged.values()];
    },
  };
}

/** Parses a whole path file held in a string. */
export function parsePathFile(text: string): PathAggregate[] {
  const parser = createPathFileParser();
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) parser.pushLine(line);
  return parser.finish();
}

/** Parses a path file from lines (e.g. `readline` over a file stream), one at a time. */
export async function parsePathFileLines(lines: AsyncIterable<string> | Iterable<string>): Promise<PathAggregate[]> {
  const parser = createPathFileParser();
  for await (const line of lines) parser.pushLine(line);
  return parser.finish();
}
