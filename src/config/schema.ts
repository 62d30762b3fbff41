import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * Every setting Tributary reads, with defaults that work on a laptop.
 * Precedence: defaults < TRIBUTARY_* environment < flags (see loader.ts).
 */
export const configSchema = z.object({
  dataDir: z.string().min(1).default('./data'),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(7070),
  /** Key material for token/key hashing and for the keys that encrypt personal data. Generated into the data dir when absent. */
  secret: z.string().min(16).optional(),
  /** Seeds the default source's write key on first start (automation). */
  writeKey: z.string().min(8).optional(),
  /** Seeds the admin token on first start (automation). */
  adminToken: z.string().min(16).optional(),
  /** Honour X-Forwarded-* headers (set when a reverse proxy terminates TLS in front of Tributary). */
  trustProxy: z.union([z.boolean(), z.stringbool()]).default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ingest: z
    .object({
      /** Group commit: flush pending events after this many milliseconds... */
      flushIntervalMs: z.coerce.number().int().min(1).max(1000).default(5),
      /** ...or as soon as this many rows are pending. */
      flushMaxRows: z.coerce.number().int().min(1).default(10_000),
      /** Sustained requests per second allowed per write key (token bucket). 0 disables the limit. */
      rateLimitPerSecond: z.coerce.number().min(0).default(2_000),
      /** Burst size of the per-key token bucket. */
      rateLimitBurst: z.coerce.number().min(1).default(4_000),
      /** How long a messageId is remembered for de-duplication of retries. */
      dedupWindowHours: z.coerce.number().min(0).default(24),
      /** Upper bound on remembered messageIds (oldest are forgotten first). */
      dedupMaxIds: z.coerce.number().int().min(0).default(5_000_000),
      /** Worker threads that parse and validate request bodies (0: on the event loop). */
      parseWorkers: z.coerce.number().int().min(0).max(64).default(Math.max(1, Math.min(4, availableParallelism()))),
      /** Pending rows beyond which the writer answers 503 (back-pressure). */
      maxPendingRows: z.coerce.number().int().min(1).default(200_000),
    })
    .prefault({}),
  identity: z
    .object({
      /** Merge two people with different userIds when a shared anonymousId links them (a shared device). */
      mergeDistinctUserIds: z.union([z.boolean(), z.stringbool()]).default(false),
      /** An identifier linked to more people than this is flagged and stops merging. */
      maxPeoplePerIdentifier: z.coerce.number().int().min(1).default(10),
      /** Country calling code for phone numbers given without one (e.g. "1", "44"). */
      defaultPhoneCountryCode: z.string().regex(/^\d{1,3}$/).optional(),
    })
    .prefault({}),
  /** Raw events (and sessions, touches, per-visitor roll-ups) older than this many days are deleted; 0 keeps everything. */
  retentionDays: z.coerce.number().min(0).default(0),
  /** More field names (in traits, properties, context) that hold personal data and are stored encrypted. */
  personalFields: z.union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))]).default([]),
  /** How often identity, sessions and touches catch up with new events (ms; 0: only on demand). */
  processingIntervalMs: z.coerce.number().int().min(0).default(5_000),
  sessions: z
    .object({
      /** Inactivity that ends a session (GA4: 30 minutes). */
      timeoutMinutes: z.coerce.number().int().min(1).max(24 * 60).default(30),
    })
    .prefault({}),
  access: z
    .object({
      /** Sustained API requests per second per token or session (token bucket). 0 disables the limit. */
      apiRateLimitPerSecond: z.coerce.number().min(0).default(50),
      apiRateLimitBurst: z.coerce.number().min(1).default(200),
      /** Wrong passwords in a row that lock an account... */
      loginMaxFailures: z.coerce.number().int().min(1).default(5),
      /** ...for this long. */
      loginLockMinutes: z.coerce.number().min(1).default(15),
      /** Sign-in attempts per minute from one address (any account), against password guessing across accounts. */
      loginAttemptsPerMinute: z.coerce.number().min(1).default(20),
      /** How long a dashboard session lasts. */
      sessionHours: z.coerce.number().min(0.1).max(24 * 30).default(12),
      /** Exports (CSV, JSON) leave out breakdown rows of fewer people than this (k-anonymity of aggregates). */
      exportMinGroupSize: z.coerce.number().int().min(1).default(5),
    })
    .prefault({}),
  consent: z
    .object({
      /** The decision for a purpose a person never stated consent for (true: opt-out regime; false: opt-in). */
      defaultGranted: z.union([z.boolean(), z.stringbool()]).default(true),
      /** Countries (as in context.location.country / the session's country) where the default is "denied", e.g. the EEA. */
      deniedRegions: z.union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))]).default([]),
      /** Countries where the default is "granted" (when defaultGranted is false). */
      grantedRegions: z.union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))]).default([]),
      /** Extra consent categories per purpose, e.g. {"advertising": ["c0004"]} (JSON in the environment). */
      categories: z
        .union([z.record(z.string(), z.array(z.string())), z.string().transform((s, ctx) => {
          try {
            return JSON.parse(s) as Record<string, string[]>;
          } catch {
            ctx.addIssue({ code: 'custom', message: 'must be JSON such as {"advertising": ["c0004"]}' });
            return z.NEVER;
          }
        })])
        .default({}),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type AccessConfig = Config['access'];
export type IdentityConfig = Config['identity'];
export type IngestConfig = Config['ingest'];
