import type { Executor, Store } from '../store/index.ts';
import { classifyChannel, type ClassifyOptions } from './classify.ts';
import { DEFAULT_RULES } from './default-rules.ts';
import type { ChannelRule } from './rules-schema.ts';
import {
  clearDerivedSql,
  collectAffectedVisitorsSql,
  conversionCopyStateSql,
  conversionEventNamesSql,
  copyConversionsSql,
  COPIED_CONVERSIONS,
  deleteCopiedConversionsSql,
  deleteAffectedSql,
  insertSessionsSql,
  insertTouchesSql,
  insertTrafficChannelsSql,
  maxReceivedSql,
  readStateSql,
  unclassifiedTrafficKeysSql,
  writeStateSql,
  type TrafficChannelRow,
} from './derive.sql.ts';

export interface DeriveOptions {
  /** Inactivity that ends a session (GA: 30 minutes). */
  readonly sessionTimeoutMinutes: number;
  readonly rules: readonly ChannelRule[];
  readonly classify: ClassifyOptions;
}

export const DEFAULT_DERIVE_OPTIONS: DeriveOptions = { sessionTimeoutMinutes: 30, rules: DEFAULT_RULES, classify: {} };

/** Events committed out of receive order (a slow request) are caught by re-reading this far back. */
const OVERLAP_MS = 5 * 60_000;
const WATERMARK = 'sessions.received_at';

export interface DeriveReport {
  readonly visitors: number;
  readonly newTrafficKeys: number;
  readonly sessions: number;
  readonly touches: number;
  readonly ms: number;
}

interface KeyRow {
  traffic_key: string;
  explicit_channel: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  ext_referrer: string | null;
  click_id: string | null;
}

/** The classifier's view of a traffic key (the same pure function classifies single visits). */
export function classifyTrafficKey(key: KeyRow, options: DeriveOptions): TrafficChannelRow {
  const result = classifyChannel(
    {
      explicitChannel: key.explicit_channel,
      source: key.utm_source,
      medium: key.utm_medium,
      campaign: key.utm_campaign,
      referrer: key.ext_referrer ? `https://${key.ext_referrer}/` : null,
      pageUrl: key.click_id ? `https://landing.invalid/?${key.click_id}=1` : null,
    },
    options.rules,
    options.classify,
  );
  return { trafficKey: key.traffic_key, channel: result.channel, source: result.source, medium: result.medium, campaign: result.campaign, rule: result.rule };
}

/** What `conversion_events` holds: the events it copies, every one received up to `through` (epoch ms). */
export interface ConversionCopy {
  readonly events: readonly string[];
  readonly through: number;
}

/**
 * The state of the conversion copy, or null before derive first ran: complete up to the last
 * run's watermark. An event received before it but committed after the run (a slow request) is
 * left out until the next run copies it, as its touches are: each run re-reads an overlap.
 */
export async function readConversionCopy(store: Pick<Store, 'query'>): Promise<ConversionCopy | null> {
  const [row] = await store.query<{ events: string | null; watermark: string | null }>(conversionCopyStateSql(WATERMARK));
  if (!row || row.events === null || row.watermark === null) return null;
  return { events: JSON.parse(row.events) as string[], through: Number(row.watermark) };
}

/**
 * Keeps sessions, touches and the copy of the conversion events current: each run re-derives only
 * the visitors with events received since the last run (all their sessions, so late events land
 * where they belong).
 */
export class DeriveService {
  constructor(
    private readonly store: Store,
    private readonly options: DeriveOptions = DEFAULT_DERIVE_OPTIONS,
  ) {}

  /** Derives what arrived since the last run. */
  async processNewEvents(): Promise<DeriveReport> {
    return this.run(false);
  }

  /** Drops every derived row and derives them again from all events (e.g. after changing rules). */
  async rebuild(): Promise<DeriveReport> {
    return this.run(true);
  }

  private async run(all: boolean): Promise<DeriveReport> {
    const started = Date.now();
    return this.store.transaction(async (tx) => {
      if (all) for (const q of clearDerivedSql()) await tx.exec(q);
      const [{ at: maxAt }] = await tx.query<{ at: number | null }>(maxReceivedSql());
      const [state] = await tx.query<{ value: string }>(readStateSql(WATERMARK));
      const since = all || !state ? null : Number(state.value) - OVERLAP_MS;
      await tx.exec(collectAffectedVisitorsSql(since));
      const [{ n: visitors }] = await tx.query<{ n: number }>({ text: 'SELECT count(*) AS n FROM derive_affected', params: [] });
      let newKeys = 0;
      let sessions = 0;
      let touches = 0;
      if (visitors > 0) {
        newKeys = await this.classifyNewKeys(tx);
        await tx.exec(deleteAffectedSql('sessions'));
        await tx.exec(deleteAffectedSql('touches'));
        await tx.exec(insertSessionsSql(this.store.dialect, this.options.sessionTimeoutMinutes));
        await tx.exec(insertTouchesSql(this.store.dialect));
        [{ n: sessions }] = await tx.query<{ n: number }>({
          text: 'SELECT count(*) AS n FROM sessions WHERE visitor_key IN (SELECT visitor_key FROM derive_affected)',
          params: [],
        });
        [{ n: touches }] = await tx.query<{ n: number }>({
          text: 'SELECT count(*) AS n FROM touches WHERE visitor_key IN (SELECT visitor_key FROM derive_affected)',
          params: [],
        });
      }
      await this.copyConversions(tx, since);
      if (maxAt !== null) await tx.exec(writeStateSql(WATERMARK, String(maxAt)));
      await tx.exec({ text: 'DROP TABLE IF EXISTS derive_affected', params: [] });
      return { visitors, newTrafficKeys: newKeys, sessions, touches, ms: Date.now() - started };
    });
  }

  /**
   * Keeps `conversion_events` a copy of the conversion events (track events a definition names)
   * received up to this run: those of the re-read period are copied again; when the names changed
   * (a definition added or removed), all of them.
   */
  private async copyConversions(tx: Executor, since: number | null): Promise<void> {
    const names = (await tx.query<{ event: string }>(conversionEventNamesSql())).map((r) => r.event);
    const [copied] = await tx.query<{ value: string }>(readStateSql(COPIED_CONVERSIONS));
    const from = copied?.value === JSON.stringify(names) ? since : null;
    await tx.exec(deleteCopiedConversionsSql(from));
    if (names.length > 0) await tx.exec(copyConversionsSql(names, from));
    await tx.exec(writeStateSql(COPIED_CONVERSIONS, JSON.stringify(names)));
  }

  private async classifyNewKeys(tx: Executor): Promise<number> {
    const keys = await tx.query<KeyRow>(unclassifiedTrafficKeysSql(this.store.dialect));
    const rows = keys.map((k) => classifyTrafficKey(k, this.options));
    for (let i = 0; i < rows.length; i += 500) await tx.exec(insertTrafficChannelsSql(rows.slice(i, i + 500)));
    return rows.length;
  }
}
