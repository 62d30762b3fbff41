/**
 * A person's message clock and writer. Behaviour code says *what* happens ("page view of /cart on
 * this device"); the timeline stamps it with a strictly increasing timestamp, the right ids and a
 * Segment context, and either keeps the message (build mode) or only counts it (count mode).
 *
 * Count mode exists because the world is simulated twice: once up front for the aggregates
 * (truth, spend, CRM rows, summary) and again, person by person, when `events()` streams. Payloads
 * are therefore passed as thunks that are only called in build mode, and they must never draw
 * random numbers — otherwise the two passes would diverge.
 *
 * Messages share frozen nested context objects (library, device, app, os, page, campaign) to keep
 * allocation down; each message's own top-level objects and `context` are fresh.
 */
import type {
  CampaignContext, JsonObject, MessageContext, MessageType, PageContext, SegmentMessage, TrackMessage,
} from './messages.ts';
import type { Device, Person } from './people.ts';
import { hex8, mix32 } from './prng.ts';
import { APP_INFO, SERVER_LIBRARY, SITE_ORIGIN, WEB_LIBRARY } from './reference-data.ts';

export type MessageCounts = Record<MessageType, number>;

export function createMessageCounts(): MessageCounts {
  return { track: 0, identify: 0, page: 0, screen: 0, alias: 0 };
}

type Props = () => JsonObject;

const DAY_MS = 86_400_000;
const PAD2: readonly string[] = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
let cachedDay = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(ms).toISOString()` for the years the demo uses, ~5× faster: the date part is cached
 * per day (messages of one person arrive day by day). Same output, checked by the tests.
 */
export function isoTimestamp(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let rest = ms - day * DAY_MS;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const sec = rest % 60;
  rest = (rest - sec) / 60;
  const min = rest % 60;
  const hour = (rest - min) / 60;
  const milliStr = milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : String(milli);
  return `${cachedPrefix}${PAD2[hour]}:${PAD2[min]}:${PAD2[sec]}.${milliStr}Z`;
}

export type ServerOptions = { campaign?: CampaignContext; userOnly?: boolean; noDevice?: boolean };

/** Context parts that never change for a device, built once and frozen (shared by its messages). */
type DeviceParts = Pick<MessageContext, 'library' | 'device' | 'app' | 'os'> & { server: MessageContext['device'] };

function deviceParts(d: Device): DeviceParts {
  const app = d.app;
  const device = Object.freeze(app ? { type: d.type, manufacturer: app.manufacturer, model: app.model } : { type: d.type });
  return {
    library: Object.freeze(app ? { name: app.library, version: app.libraryVersion } : { ...WEB_LIBRARY }),
    device,
    app: app ? Object.freeze({ ...APP_INFO }) : undefined,
    os: app ? Object.freeze({ name: app.os, version: app.osVersion }) : undefined,
    server: device,
  };
}

const SERVER_LIB = Object.freeze({ ...SERVER_LIBRARY });

export class Timeline {
  /** Epoch ms of the last message (or the floor set by moveTo). */
  cursor = 0;
  private lastStamp = 0;
  private seq = 0;
  private readonly idPrefix: string;
  private readonly personMix: number;
  private device: Device;
  private parts: DeviceParts | undefined;
  private readonly partsCache = new Map<Device, DeviceParts>();
  private pageCtx: PageContext | undefined;
  private campaign: CampaignContext | undefined;

  constructor(
    seedHash: number,
    private readonly person: Person,
    /** null in count mode. */
    private readonly out: SegmentMessage[] | null,
    private readonly counts: MessageCounts,
  ) {
    const personHex = hex8(mix32(person.index ^ seedHash));
    this.personMix = mix32(person.index + seedHash);
    this.idPrefix = `${hex8(seedHash)}-${personHex.slice(0, 4)}-${personHex.slice(4)}-`;
    this.device = person.devices[0];
  }

  /** Moves the clock to `ms`, or 1 ms past the last message if that is later (strict order). */
  moveTo(ms: number): void {
    this.cursor = Math.max(ms, this.cursor + 1);
  }

  advance(ms: number): void {
    this.cursor += Math.max(1, Math.round(ms));
  }

  get currentDevice(): Device {
    return this.device;
  }

  /** Starts a visit on `device`; campaign is the (frozen) utm context of the landing URL, if tagged. */
  startVisit(device: Device, campaign: CampaignContext | undefined): void {
    this.device = device;
    this.parts = undefined;
    this.campaign = campaign;
    this.pageCtx = undefined;
  }

  /** Navigates (web): later messages carry this page; utm context only survives on the landing URL. */
  navigate(path: string, title: string, referrer: string, search = ''): void {
    if (this.pageCtx !== undefined) this.campaign = undefined;
    this.pageCtx = Object.freeze({ path, referrer, search, title, url: `${SITE_ORIGIN}${path}${search}` });
  }

  get currentPage(): PageContext | undefined {
    return this.pageCtx;
  }

  /** Drops the utm context (an app session keeps it on its first screen only). */
  clearCampaign(): void {
    this.campaign = undefined;
  }

  page(name: string, props: Props): void {
    if (!this.emit('page')) return;
    const properties = { ...(this.pageCtx as PageContext), ...props() };
    this.push(this.withUser({ type: 'page', messageId: this.nextId(), anonymousId: this.device.anonymousId, name, properties, context: this.clientContext(), timestamp: this.iso() }));
  }

  screen(name: string, props: Props): void {
    if (!this.emit('screen')) return;
    this.push(this.withUser({ type: 'screen', messageId: this.nextId(), anonymousId: this.device.anonymousId, name, properties: props(), context: this.clientContext(), timestamp: this.iso() }));
  }

  /** A client-side track call from the current device. */
  track(event: string, props: Props): void {
    if (!this.emit('track')) return;
    this.push(this.withUser({ type: 'track', messageId: this.nextId(), anonymousId: this.device.anonymousId, event, properties: props(), context: this.clientContext(), timestamp: this.iso() }));
  }

  /**
   * A server-side track call (ad platform, ESP, SMS tool, POS). `userOnly` sends the userId alone,
   * as an ESP or POS does; otherwise the device's ids (a pixel / click-id match). `noDevice` leaves
   * out the device, IP and user agent (a till knows none of them).
   */
  serverTrack(event: string, opts: ServerOptions, props: Props): void {
    if (!this.emit('track')) return;
    const d = this.device;
    const context: MessageContext = opts.noDevice
      ? { library: SERVER_LIB, locale: this.person.locale }
      : { library: SERVER_LIB, device: this.deviceParts().server, locale: this.person.locale, ip: d.ip, userAgent: d.userAgent };
    if (opts.campaign) context.campaign = opts.campaign;
    const message: TrackMessage = opts.userOnly
      ? { type: 'track', messageId: this.nextId(), userId: this.person.userId, event, properties: props(), context, timestamp: this.iso() }
      : this.withUser({ type: 'track', messageId: this.nextId(), anonymousId: d.anonymousId, event, properties: props(), context, timestamp: this.iso() });
    this.push(message);
  }

  /** Identifies the current device as `userId` (persisted on the device, as the SDKs do). */
  identify(userId: string, traits: Props): void {
    this.device.userId = userId;
    if (!this.emit('identify')) return;
    this.push({ type: 'identify', messageId: this.nextId(), anonymousId: this.device.anonymousId, userId, traits: traits(), context: this.clientContext(), timestamp: this.iso() });
  }

  alias(previousId: string, userId: string): void {
    this.device.userId = userId;
    if (!this.emit('alias')) return;
    this.push({ type: 'alias', messageId: this.nextId(), anonymousId: this.device.anonymousId, previousId, userId, context: this.clientContext(), timestamp: this.iso() });
  }

  /**
   * Counts the message and reports whether it must be built. Always advances the id sequence and
   * keeps timestamps strictly increasing (two messages never share a millisecond).
   */
  private emit(type: MessageType): boolean {
    if (this.cursor <= this.lastStamp) this.cursor = this.lastStamp + 1;
    this.lastStamp = this.cursor;
    this.counts[type]++;
    this.seq++;
    return this.out !== null;
  }

  private push(message: SegmentMessage): void {
    (this.out as SegmentMessage[]).push(message);
  }

  private withUser<T extends SegmentMessage>(message: T): T {
    const userId = this.device.userId;
    if (userId !== undefined) message.userId = userId;
    return message;
  }

  /** messageId unique per (seed, person, sequence): a bijective mix of each, shaped like a UUID. */
  private nextId(): string {
    const s = hex8(mix32(this.seq + 0x632be5ab));
    return `${this.idPrefix}${s.slice(0, 4)}-${s.slice(4)}${hex8(mix32(this.seq ^ this.personMix))}`;
  }

  private iso(): string {
    return isoTimestamp(this.cursor);
  }

  private deviceParts(): DeviceParts {
    if (this.parts === undefined) {
      let parts = this.partsCache.get(this.device);
      if (parts === undefined) {
        parts = deviceParts(this.device);
        this.partsCache.set(this.device, parts);
      }
      this.parts = parts;
    }
    return this.parts;
  }

  private clientContext(): MessageContext {
    const d = this.device;
    const parts = this.deviceParts();
    const context: MessageContext = { library: parts.library, device: parts.device, locale: this.person.locale, ip: d.ip, userAgent: d.userAgent };
    if (parts.app) {
      context.app = parts.app;
      context.os = parts.os;
    } else if (this.pageCtx) {
      context.page = this.pageCtx;
    }
    if (this.campaign) context.campaign = this.campaign;
    return context;
  }
}
