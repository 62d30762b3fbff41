export { IngestService, writeKeyOf, type IngestOutcome, type Rejection } from './service.ts';
export { decodeBody, bodyLimitFor } from './body.ts';
export { listEvents, listQuarantine, type StoredEvent, type EventPage, type QuarantinedMessage } from './read-service.ts';
export { SHORT_PATHS, MESSAGE_TYPES, LIMITS, messageSchema, type MessageType, type SegmentMessage } from './schema.ts';
export { validateMessage } from './validate.ts';
export { normalizeMessage, correctTimestamp } from './normalize.ts';
export { quarantineRow, type QuarantineEntry } from './quarantine.ts';
export { BatchWriter } from './writer.ts';
export { RecentIds } from './dedup.ts';
