/**
 * The Segment-spec message shapes the demo generator emits — plain objects exactly as an SDK
 * would put them in a `/v1/batch` body (analytics.js, analytics-ios/android, analytics-node).
 * These types describe what we *send*; the ingest capability owns the zod schemas that decide
 * what it *accepts*, and the demo tests check the two agree on the required fields.
 */

/** Any JSON value; message payloads must survive `JSON.stringify` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type DeviceType = 'desktop' | 'mobile' | 'tablet';

/** `context.campaign`, parsed by analytics.js from utm_* on the current page URL. */
export type CampaignContext = {
  source: string;
  medium: string;
  name: string;
  term?: string;
  content?: string;
};

/** `context.page` as analytics.js fills it. `referrer` is '' when there is none. */
export type PageContext = {
  path: string;
  referrer: string;
  search: string;
  title: string;
  url: string;
};

export type MessageContext = {
  library: { name: string; version: string };
  /** Absent only on point-of-sale messages (a till knows no device). */
  device?: { type: DeviceType; manufacturer?: string; model?: string };
  locale: string;
  ip?: string;
  userAgent?: string;
  page?: PageContext;
  campaign?: CampaignContext;
  app?: { name: string; version: string; build: string; namespace: string };
  os?: { name: string; version: string };
};

type BaseMessage = {
  messageId: string;
  /** Always set on client-side messages; server-side (ESP, POS) messages may carry userId only. */
  anonymousId?: string;
  userId?: string;
  context: MessageContext;
  /** ISO-8601 UTC with milliseconds, inside the generated window. */
  timestamp: string;
};

export type TrackMessage = BaseMessage & { type: 'track'; event: string; properties: JsonObject };
export type PageMessage = BaseMessage & { type: 'page'; name: string; properties: JsonObject };
export type ScreenMessage = BaseMessage & { type: 'screen'; name: string; properties: JsonObject };
export type IdentifyMessage = BaseMessage & { type: 'identify'; userId: string; traits: JsonObject };
export type AliasMessage = BaseMessage & { type: 'alias'; previousId: string; userId: string };

export type SegmentMessage = TrackMessage | PageMessage | ScreenMessage | IdentifyMessage | AliasMessage;
export type MessageType = SegmentMessage['type'];
export const MESSAGE_TYPES: readonly MessageType[] = ['track', 'identify', 'page', 'screen', 'alias'];

/** One line of an ecommerce `products` array (Segment ecommerce spec v2). */
export type ProductLine = {
  product_id: string;
  sku: string;
  name: string;
  category: string;
  price: number;
  quantity: number;
};
