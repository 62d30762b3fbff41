/**
 * Demo world generator: the public face of src/demo. A pure, seeded simulation of a shop's
 * customers, channels, spend and CRM, with the causal truth planted in it exposed as data, so
 * the analytics, attribution and media-mix models can be checked against what really happened.
 * See README.md in this folder for the model and the truth table.
 */
export { generateDemoWorld, resolveDemoOptions, DEFAULT_DEMO_OPTIONS } from './world.ts';
export type { DemoOptions, DemoWorld, ResolvedDemoOptions } from './world.ts';
export type {
  AliasMessage, CampaignContext, DeviceType, IdentifyMessage, JsonObject, JsonValue, MessageContext, MessageType,
  PageContext, PageMessage, ProductLine, ScreenMessage, SegmentMessage, TrackMessage,
} from './messages.ts';
export { MESSAGE_TYPES } from './messages.ts';
export type { SpendRow } from './spend.ts';
export type { CustomerRow, OfflineOrderRow, LoyaltyTier } from './offline.ts';
export type { ChannelTruth, DemoTruth, PlantedEffect, Saturation } from './truth.ts';
export { PLANTED, TRUTH_DEFINITION } from './truth.ts';
export type { DemoSummary } from './summary.ts';
export { CAMPAIGNS, CHANNELS, CHANNEL_IDS, PRODUCTS } from './catalog.ts';
export type { CampaignDef, ChannelDef, ChannelId, ChannelKind, Product } from './catalog.ts';
export { Rng } from './prng.ts';
