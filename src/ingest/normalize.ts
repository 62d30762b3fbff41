import { randomUUID } from 'node:crypto';
import type { Sealer } from '../privacy/index.ts';
import type { AppendRow } from '../store/index.ts';
import { truncateIp } from './ip.ts';
import type { SegmentMessage } from './schema.ts';

export interface NormalizeContext {
  readonly sourceId: string;
  /** Server time the request arrived (epoch ms). */
  readonly receivedAt: number;
  /** `sentAt` of the batch envelope, used when a message has none of its own. */
  readonly envelopeSentAt?: string | null;
  /** Seals personal fields (e-mail, phone, names, addresses, IP…) before they are stored. */
  readonly sealer?: Sealer | null;
}

export interface NormalizedEvent {
  readonly messageId: string;
  readonly row: AppendRow;
  /** Approximate serialized size in bytes, for the 32 KB per-message limit. */
  readonly bytes: number;
}

type Dict = Record<string, unknown>;

function asDict(value: unknown): Dict | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Dict) : undefined;
}

function str(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function utf8Bytes(text: string | null): number {
  return text === null ? 0 : Buffer.byteLength(text, 'utf8');
}

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

const HAS_ZONE = /(?:z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * Epoch ms of an ISO-8601 time. A date-time without a zone is UTC (JavaScript would read it in
 * the server's local zone, so the same event would land at different times on different hosts).
 */
export function parseTime(iso: string): number {
  return Date.parse(iso.length > 10 && !HAS_ZONE.test(iso) ? iso + 'Z' : iso);
}

/**
 * Event time corrected for the client's clock skew, as Segment does:
 * `timestamp = receivedAt − (sentAt − originalTimestamp)`. Without `sentAt` the client's own
 * time is kept (historical imports); without any client time, the receive time.
 */
export function correctTimestamp(clientTime: string | null | undefined, sentAt: string | null | undefined, receivedAt: number): number {
  if (!clientTime) return receivedAt;
  const original = parseTime(clientTime);
  if (!sentAt) return original;
  const sent = parseTime(sentAt);
  if (Number.isNaN(sent)) return original;
  return receivedAt - (sent - original);
}

/** Reads utm_* parameters from a landing URL when the SDK did not fill `context.campaign`. */
function campaignFromUrl(url: string | null): Dict | undefined {
  if (url === null || !url.includes('utm_')) return undefined;
  try {
    const params = new URL(url).searchParams;
    const out: Dict = {};
    for (const [key, field] of [
      ['utm_source', 'source'],
      ['utm_medium', 'medium'],
      ['utm_campaign', 'name'],
      ['utm_term', 'term'],
      ['utm_content', 'content'],
    ] as const) {
      const v = params.get(key);
      if (v) out[field] = v;
    }
    return out;
  } catch {
    return undefined;
  }
}

/** The context with its IP address truncated (see truncateIp); the same object when it has none. */
function withTruncatedIp(context: Dict | undefined): Dict | undefined {
  if (!context || context.ip === undefined) return context;
  return { ...context, ip: truncateIp(context.ip) };
}

/** One validated message → a row of the events table (EVENTS_TABLE column order). */
export function normalizeMessage(message: SegmentMessage, ctx: NormalizeContext): NormalizedEvent {
  const m = message as SegmentMessage & Dict;
  const context = withTruncatedIp(asDict(m.context));
  const properties = asDict(m.properties);
  const page = asDict(context?.page);
  const isPage = m.type === 'page' || m.type === 'screen';
  const pageUrl = str(page?.url) ?? (isPage ? str(properties?.url) : null);
  const campaign = asDict(context?.campaign) ?? campaignFromUrl(pageUrl);

  const sentAt = m.sentAt ?? ctx.envelopeSentAt ?? null;
  const clientTime = m.originalTimestamp ?? m.timestamp ?? null;
  // RudderStack sends the device time as originalTimestamp and a caller's explicit time as
  // timestamp: an explicit time is kept as given (historical events), the device time corrected.
  const timestamp =
    m.originalTimestamp && m.timestamp ? parseTime(m.timestamp) : correctTimestamp(clientTime, sentAt, ctx.receivedAt);
  const messageId = m.messageId ?? `trb-${randomUUID()}`;

  const sealer = ctx.sealer;
  const traits = asDict(m.traits);
  const sealedProperties = sealer ? sealer.seal('properties', properties) : properties;
  const sealedTraits = sealer && traits ? sealer.seal('traits', traits) : m.traits;
  const sealedContext = sealer ? sealer.seal('context', context) : context;
  const propertiesJson = json(sealedProperties);
  const traitsJson = json(sealedTraits);
  const contextJson = json(sealedContext);
  const integrationsJson = json(m.integrations);
  const row: AppendRow = [
    messageId,
    ctx.sourceId,
    m.type,
    m.type === 'track' ? m.event : null,
    isPage ? str(m.name) : null,
    str(m.anonymousId),
    str(m.userId),
    m.type === 'group' ? str(m.groupId) : null,
    m.type === 'alias' ? str(m.previousId) : null,
    timestamp,
    clientTime ? parseTime(clientTime) : null,
    sentAt ? parseTime(sentAt) : null,
    ctx.receivedAt,
    str(campaign?.source),
    str(campaign?.medium),
    str(campaign?.name),
    str(campaign?.term),
    str(campaign?.content),
    pageUrl,
    str(page?.path) ?? (isPage ? str(properties?.path) : null),
    str(page?.referrer) ?? (isPage ? str(properties?.referrer) : null),
    str(properties?.channel),
    num(properties?.revenue) ?? num(properties?.total),
    str(properties?.currency),
    propertiesJson,
    traitsJson,
    contextJson,
    integrationsJson,
  ];
  // UTF-8 bytes, not UTF-16 code units: the limit is in bytes.
  // The size limit is on the message as sent: sealed fields are measured in the clear.
  const bytes =
    200 +
    utf8Bytes(messageId) +
    utf8Bytes(sealedProperties === properties ? propertiesJson : json(properties)) +
    utf8Bytes(sealedTraits === m.traits ? traitsJson : json(m.traits)) +
    utf8Bytes(sealedContext === context ? contextJson : json(context)) +
    utf8Bytes(integrationsJson) +
    utf8Bytes(typeof m.event === 'string' ? m.event : null);
  return { messageId, row, bytes };
}
