import type { z } from 'zod';
import { LIMITS, MESSAGE_TYPES, messageSchema, type MessageType, type SegmentMessage } from './schema.ts';
import { ok, reject, type Result } from './result.ts';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

// zod 4 issues carry no `input`: look the value up to tell "missing" from "wrong type".
function formatIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'message';
  const value = valueAt(input, issue.path);
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && value === undefined) return `${where}: is required`;
  if (issue.code === 'invalid_union') {
    const expected = issue.errors.flatMap((branch) =>
      branch.filter((i) => i.code === 'invalid_type' && i.path.length === 0).map((i) => (i as { expected: string }).expected),
    );
    if (expected.length === issue.errors.length) return `${where}: expected ${expected.join(' or ')}, received ${kindOf(value)}`;
  }
  return `${where}: ${issue.message}`;
}

/** Depth of nested objects/arrays, stopping as soon as `limit` is passed. */
function exceedsDepth(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) {
    for (const child of value) if (exceedsDepth(child, limit - 1)) return true;
    return false;
  }
  for (const key in value) if (exceedsDepth((value as Record<string, unknown>)[key], limit - 1)) return true;
  return false;
}

/**
 * Checks one message against the Segment spec. `impliedType` is the type a single-message
 * endpoint (`/v1/track`) implies when the body has none.
 */
export function validateMessage(input: unknown, impliedType?: MessageType): Result<SegmentMessage> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return reject(`message: must be a JSON object, got ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}`);
  }
  const raw = input as Record<string, unknown>;
  let candidate = raw;
  if (impliedType !== undefined) {
    if (raw.type !== undefined && raw.type !== impliedType) {
      return reject(`type: "${String(raw.type)}" does not match the endpoint /v1/${impliedType}`);
    }
    if (raw.type === undefined) candidate = { ...raw, type: impliedType };
  } else if (raw.type === undefined) {
    return reject('type: is required (one of ' + MESSAGE_TYPES.join(', ') + ')');
  } else if (!(MESSAGE_TYPES as readonly unknown[]).includes(raw.type)) {
    return reject(`type: unknown message type ${JSON.stringify(raw.type)} (expected one of ${MESSAGE_TYPES.join(', ')})`);
  }
  const parsed = messageSchema.safeParse(candidate);
  if (!parsed.success) return reject(parsed.error.issues.slice(0, 3).map((issue) => formatIssue(issue, candidate)).join('; '));
  const message = parsed.data;
  if (message.type !== 'alias' && isBlank(message.userId) && isBlank(message.anonymousId)) {
    return reject('userId or anonymousId: one of them is required');
  }
  for (const field of ['properties', 'traits', 'context', 'integrations'] as const) {
    if (exceedsDepth(message[field], LIMITS.maxDepth)) {
      return reject(`${field}: nested deeper than ${LIMITS.maxDepth} levels`);
    }
  }
  return ok(message);
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
