import { ident, raw, sql, type Dialect, type Sql } from '../store/index.ts';
import { IDENTITY_TABLES } from './tables.ts';

/**
 * The events that can link identifiers, read from the engine so only they reach Node:
 *
 * - every `identify` and `alias` (their traits feed the person's profile), one row each;
 * - the other messages that carry a userId or `context.traits` e-mail/phone, grouped by
 *   (anonymousId, userId, e-mail, phone): a logged-in visitor sends the same pair on every
 *   page view, and only the first one can change the graph (a repeated link is a no-op), so
 *   each group is one row with its first message (time, then messageId) and its last time.
 *
 * Anonymous-only page views and tracks are not read: they map to people at query time through
 * their anonymousId. Rows come in event-time order (timestamp, messageId): the graph is
 * deterministic for that order. `context.traits` is parsed only where the text mentions it.
 */
export interface LinkEventsParams {
  /** Events received after this time (epoch ms); null: from the beginning. */
  readonly receivedFrom: number | null;
  /** Events received at or before this time (epoch ms). */
  readonly receivedTo: number;
}

/** Row shape of `buildLinkEventsSql`. Times are epoch ms. */
export interface LinkEventRow {
  message_id: string;
  type: string;
  anonymous_id: string | null;
  user_id: string | null;
  previous_id: string | null;
  first_ms: number;
  last_ms: number;
  traits: string | null;
  ctx_email: string | null;
  ctx_phone: string | null;
}

export function buildLinkEventsSql(dialect: Dialect, params: LinkEventsParams): Sql {
  const from = params.receivedFrom === null ? raw('TRUE') : sql`received_at > ${dialect.timestampFromMs(params.receivedFrom)}`;
  const context = raw('context');
  const hasTraits = sql`context LIKE ${'%"traits"%'}`;
  return sql`
    WITH scoped AS (
      SELECT message_id, type, anonymous_id, user_id, previous_id, timestamp, traits,
        CASE WHEN ${hasTraits} THEN ${dialect.jsonString(context, ['traits', 'email'])} END AS ctx_email,
        CASE WHEN ${hasTraits} THEN ${dialect.jsonString(context, ['traits', 'phone'])} END AS ctx_phone
      FROM events
      WHERE ${from} AND received_at <= ${dialect.timestampFromMs(params.receivedTo)}
    ),
    singles AS (
      SELECT message_id, type, anonymous_id, user_id, previous_id, timestamp AS first_at, timestamp AS last_at, traits, ctx_email, ctx_phone
      FROM scoped WHERE type IN ('identify', 'alias')
    ),
    pairs AS (
      SELECT min({'t': timestamp, 'm': message_id, 'y': type}) AS head, max(timestamp) AS last_at,
        anonymous_id, user_id, ctx_email, ctx_phone
      FROM scoped
      WHERE type NOT IN ('identify', 'alias') AND (user_id IS NOT NULL OR ctx_email IS NOT NULL OR ctx_phone IS NOT NULL)
      GROUP BY anonymous_id, user_id, ctx_email, ctx_phone
    )
    SELECT message_id, type, anonymous_id, user_id, previous_id, ${dialect.epochMs(raw('first_at'))} AS first_ms,
      ${dialect.epochMs(raw('last_at'))} AS last_ms, traits, ctx_email, ctx_phone
    FROM singles
    UNION ALL
    SELECT head.m, head.y, anonymous_id, user_id, NULL, ${dialect.epochMs(raw('head.t'))}, ${dialect.epochMs(raw('last_at'))},
      NULL, ctx_email, ctx_phone
    FROM pairs
    ORDER BY first_ms, message_id`;
}

/** The latest received_at of any event (epoch ms), null when there are none. */
export function buildMaxReceivedSql(dialect: Dialect): Sql {
  return sql`SELECT ${dialect.epochMs(raw('max(received_at)'))} AS max_received FROM events`;
}

/** Row shape of `buildImportsSql`. */
export interface ImportRow {
  message_id: string;
  known_ms: number;
  external_id: string | null;
  identifiers: string;
  traits: string | null;
}

/** Every stored customer import, in time order (replayed by a rebuild). */
export function buildImportsSql(dialect: Dialect): Sql {
  return sql`SELECT message_id, ${dialect.epochMs(raw('known_at'))} AS known_ms, external_id, identifiers, traits
    FROM ${ident(IDENTITY_TABLES.imports)} ORDER BY known_at, message_id`;
}
