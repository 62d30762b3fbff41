import { exceedsDepth, isBlankId, isIsoDateTime, isJsonObject, LIMITS, MAX_CHARS } from './schema.ts';

/*
 * A hand-written twin of messageSchema (schema.ts) for the hot path: one read of each field, no
 * allocation, no issue objects. It answers only "certainly valid"; `false` means "not sure", and
 * the caller then runs the schema, which also words the rejection. So it may refuse what the
 * schema accepts (a string over a limit in UTF-16 units but within it in code points, an object
 * with another prototype), never the converse. The limits, the timestamp rule, the object test and
 * the depth walk are the schema's own (imported), so the two cannot drift apart.
 */

type Dict = Record<string, unknown>;

function isId(v: unknown): boolean {
  if (typeof v === 'string') return v.length !== 0 && v.length <= MAX_CHARS.id;
  return typeof v === 'number' && Number.isFinite(v);
}

const isOptionalId = (v: unknown): boolean => v === undefined || v === null || isId(v);

const isOptionalTimestamp = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && isIsoDateTime(v));

const isOptionalDict = (v: unknown): boolean => v === undefined || v === null || (isJsonObject(v) && !exceedsDepth(v, LIMITS.maxDepth));

const isOptionalName = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.length <= MAX_CHARS.name);

/** The fields only some types have (track's event, group's groupId, alias's previousId and userId). */
function hasTypeFields(m: Dict): boolean {
  switch (m.type) {
    case 'track': {
      const event = m.event;
      return typeof event === 'string' && event.length !== 0 && event.length <= MAX_CHARS.event;
    }
    case 'identify':
      return true;
    case 'page':
    case 'screen': {
      const category = m.category;
      return isOptionalName(m.name) && (category === undefined || category === null || typeof category === 'string');
    }
    case 'group':
      return isId(m.groupId);
    case 'alias':
      return isId(m.previousId) && isId(m.userId);
    default:
      return false;
  }
}

/**
 * Whether validateMessage's schema and rules certainly accept `m` (a message whose type is
 * already known to be one of MESSAGE_TYPES). Only plain objects qualify: the schema's copy of
 * anything else (another prototype, an own `__proto__` key, which the copy drops) could differ
 * from the object itself, which is what an accepted message is answered with.
 */
export function isCertainlyValid(m: Dict): boolean {
  if (Object.getPrototypeOf(m) !== Object.prototype || Object.hasOwn(m, '__proto__')) return false;
  if (!hasTypeFields(m)) return false;
  const messageId = m.messageId;
  if (messageId !== undefined && !(typeof messageId === 'string' && messageId.length !== 0 && messageId.length <= MAX_CHARS.messageId)) {
    return false;
  }
  const userId = m.userId;
  const anonymousId = m.anonymousId;
  if (!isOptionalId(userId) || !isOptionalId(anonymousId)) return false;
  if (m.type !== 'alias' && isBlankId(userId) && isBlankId(anonymousId)) return false;
  return (
    isOptionalTimestamp(m.timestamp) &&
    isOptionalTimestamp(m.originalTimestamp) &&
    isOptionalTimestamp(m.sentAt) &&
    isOptionalDict(m.context) &&
    isOptionalDict(m.integrations) &&
    isOptionalDict(m.properties) &&
    isOptionalDict(m.traits)
  );
}
