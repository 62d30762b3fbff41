import type { z } from 'zod';
import {
  DEPTH_LIMITED_FIELDS,
  exceedsDepth,
  isBlankId,
  LIMITS,
  MESSAGE_TYPES,
  messageSchema,
  type MessageType,
  type SegmentMessage,
} from './schema.ts';
import { ok, reject, type Result } from './result.ts';
import { isCertainlyValid } from './validate-fast.ts';

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

/**
 * Checks one message against the Segment spec. `impliedType` is the type a single-message
 * endpoint (`/v1/track`) implies when the body has none. A message that the hand-written check
 * (validate-fast.ts) finds certainly valid is answered as it is, without the schema's copy;
 * nothing downstream mutates an accepted message, so the copy bought nothing.
 */
export function validateMessage(input: unknown, impliedType?: MessageType): Result<SegmentMessage> {
  return check(input, impliedType, true);
}

/** validateMessage with every message through the schema: the reference the fast path is tested against. */
export function validateMessageWithSchema(input: unknown, impliedType?: MessageType): Result<SegmentMessage> {
  return check(input, impliedType, false);
}

function check(input: unknown, impliedType: MessageType | undefined, fast: boolean): Result<SegmentMessage> {
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
  if (fast && isCertainlyValid(candidate)) return ok(candidate as SegmentMessage);
  return checkWithSchema(candidate);
}

function checkWithSchema(candidate: Record<string, unknown>): Result<SegmentMessage> {
  const parsed = messageSchema.safeParse(candidate);
  if (!parsed.success) return reject(parsed.error.issues.slice(0, 3).map((issue) => formatIssue(issue, candidate)).join('; '));
  const message = parsed.data;
  if (message.type !== 'alias' && isBlankId(message.userId) && isBlankId(message.anonymousId)) {
    return reject('userId or anonymousId: one of them is required');
  }
  for (const field of DEPTH_LIMITED_FIELDS) {
    if (exceedsDepth(message[field], LIMITS.maxDepth)) {
      return reject(`${field}: nested deeper than ${LIMITS.maxDepth} levels`);
    }
  }
  return ok(message);
}
