import { TributaryError } from '../../errors/index.ts';
import type { MessageType } from '../schema.ts';
import { deterministicId } from './process-task.ts';
import type { CsvRow, MessageRecord } from './types.ts';

type Dict = Record<string, unknown>;

/** snake_case spellings of top-level Segment fields that exports commonly use. */
const TOP_LEVEL_ALIASES: Readonly<Record<string, string>> = {
  user_id: 'userId',
  anonymous_id: 'anonymousId',
  message_id: 'messageId',
  group_id: 'groupId',
  previous_id: 'previousId',
  original_timestamp: 'originalTimestamp',
  sent_at: 'sentAt',
};

/** Columns holding a whole JSON object when named without a dotted path. */
const OBJECT_FIELDS = new Set(['properties', 'traits', 'context', 'integrations']);
const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** Decimal numbers as people write them; `007` and `1.` stay strings (codes, not quantities). */
const NUMERIC = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Header → the message path of each column: `type,event,userId,properties.revenue,
 * context.campaign.source`. Throws (a 400 / exit 1) for empty names, unsafe keys, a column
 * given twice, or a column inside another (`properties` and `properties.revenue`).
 */
export function mapEventHeader(header: readonly string[]): string[][] {
  const paths = header.map((name, i) => {
    const trimmed = name.trim();
    if (trimmed === '') throw new TributaryError('bad_request', `header: column ${i + 1} has no name`);
    const parts = trimmed.split('.');
    if (parts.some((p) => p === '' || UNSAFE_KEYS.has(p))) throw new TributaryError('bad_request', `header: "${trimmed}" is not a field path`);
    parts[0] = TOP_LEVEL_ALIASES[parts[0]] ?? parts[0];
    return parts;
  });
  const keys = paths.map((p) => p.join('.'));
  keys.forEach((key, i) => {
    const clash = keys.findIndex((other, j) => j !== i && (other === key || other.startsWith(key + '.')));
    if (clash !== -1) throw new TributaryError('bad_request', `header: columns "${header[i].trim()}" and "${header[clash].trim()}" both set ${key}`);
  });
  return paths;
}

function setPath(target: Dict, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node[path[i]];
    if (next === undefined) node = node[path[i]] = {} as Dict;
    else node = next as Dict;
  }
  node[path[path.length - 1]] = value;
}

function cellValue(path: readonly string[], text: string): unknown {
  if (path[0] === 'properties' && path.length > 1 && NUMERIC.test(text)) return Number(text);
  if (path.length === 1 && OBJECT_FIELDS.has(path[0]) && text.trimStart().startsWith('{')) return JSON.parse(text);
  return text;
}

/** A row that cannot give a message, with the reason. */
export function rowError(row: CsvRow, width: number): string | null {
  if (row.error !== undefined) return row.error;
  if (row.values.length !== width) return `row: has ${row.values.length} fields, the header has ${width}`;
  return null;
}

/**
 * One CSV row → one Segment message: empty cells are left out, numeric-looking properties become
 * numbers, a `properties`/`traits`/`context` column may hold a JSON object. Without a `type`
 * column the default type applies; without a `messageId` column the id is derived from the
 * message, so re-importing the file stores nothing twice.
 */
export function eventRecord(paths: readonly string[][], row: CsvRow, defaultType: MessageType | null): MessageRecord {
  const error = rowError(row, paths.length);
  if (error !== null) return { line: row.line, raw: row.raw, messages: null, error };
  const message: Dict = {};
  for (let i = 0; i < paths.length; i++) {
    const text = row.values[i];
    if (text === '') continue;
    try {
      setPath(message, paths[i], cellValue(paths[i], text));
    } catch (err) {
      return { line: row.line, raw: row.raw, messages: null, error: `${paths[i].join('.')}: is not valid JSON (${(err as Error).message})` };
    }
  }
  if (message.type === undefined && defaultType !== null) message.type = defaultType;
  if (message.messageId === undefined) message.messageId = deterministicId('imp-', JSON.stringify(message));
  return { line: row.line, raw: row.raw, messages: [message], error: null };
}
