import { changedRows, type Executor, type Sql, type Store } from '../store/index.ts';
import { classifyChannel, type ClassifyOptions } from './classify.ts';
import { DEFAULT_RULES } from './default-rules.ts';
import type { ChannelRule } from './rules-schema.ts';
import {
  clearDerivedSql,
  collectAffectedVisitorsSql,
  dropAffectedSql,
  hitsQuery,
  stageHitsSql,
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

const WATERMARK = 'sessions.received_at';

export interface DeriveReport {
  readonly visitors: number;
  readonly newTrafficKeys: number;
  /** Sessions and touches derived (again) by the run. */
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
 * run's watermark, which never passes an event write still under way (`store.receipts`).
 */
export async function readConversionCopy(store: Pick<Store, 'query'>): Promise<ConversionCopy | null> {
  const [row] = await store.query<{ events: string | null; watermark: string | null }>(conversionCopyStateSql(WATERMARK));
  if (!row || row.events === null || row.watermark === null) return null;
  return { events: JSON.parse(row.events) as string[], through: Number(row.watermark) };
}

/**
 * Keeps sessions, touches and the copy of the conversion events current: each run derives again
 * only what the events received since the last run can change — from each such visitor's last
 * session before its earliest new event (collectAffectedVisitorsSql), so late events land where
 * they belong.
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
    // Taken before the transaction's snapshot: every event received up to it is committed.
    const settled = this.store.receipts.settled();
    return this.store.transaction(async (tx) => {
      const [state] = await tx.query<{ value: string }>(readStateSql(WATERMARK));
      // Without a watermark nothing was derived yet: start from empty tables, as a rebuild does.
      const since = all || !state ? null : Number(state.value);
      if (since === null) for (const q of clearDerivedSql()) await tx.exec(q);
      const [{ at: latest }] = await tx.query<{ at: number | null }>(maxReceivedSql());
      const maxAt = latest === null ? null : Math.min(latest, settled);
      let visitors = 0;
      if (maxAt !== null && (since === null || maxAt > since)) {
        for (const q of collectAffectedVisitorsSql(since, maxAt)) await tx.exec(q);
        [{ n: visitors }] = await tx.query<{ n: number }>({ text: 'SELECT count(*) AS n FROM derive_affected', params: [] });
      }
      let newKeys = 0;
      let sessions = 0;
      let touches = 0;
      if (visitors > 0 && maxAt !== null) {
        // A run over new events stages its hits once; a run from nothing (every event) streams them.
        const staged = since !== null;
        if (staged) await tx.exec(stageHitsSql(this.store.dialect, maxAt));
        const hits = hitsQuery(this.store.dialect, maxAt, staged);
        newKeys = await this.classifyNewKeys(tx, hits);
        await tx.exec(deleteAffectedSql('sessions'));
        await tx.exec(deleteAffectedSql('touches'));
        sessions = changedRows(await tx.query(insertSessionsSql(hits, this.options.sessionTimeoutMinutes)));
        touches = changedRows(await tx.query(insertTouchesSql(hits)));
      }
      await this.copyConversions(tx, since);
      if (maxAt !== null && (since === null || maxAt > since)) await tx.exec(writeStateSql(WATERMARK, String(maxAt)));
      for (const q of dropAffectedSql()) await tx.exec(q);
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

  private async classifyNewKeys(tx: Executor, hits: Sql): Promise<number> {
    const keys = await tx.query<KeyRow>(unclassifiedTrafficKeysSql(hits));
    const rows = keys.map((k) => classifyTrafficKey(k, this.options));
    for (let i = 0; i < rows.length; i += 500) await tx.exec(insertTrafficChannelsSql(rows.slice(i, i + 500)));
    return rows.length;
  }
}
