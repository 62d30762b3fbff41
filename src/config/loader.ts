import path from 'node:path';
import { configSchema, type Config } from './schema.ts';
import { TributaryError } from '../errors/index.ts';

type Env = Record<string, string | undefined>;

const ENV_KEYS: Record<string, string> = {
  TRIBUTARY_DATA_DIR: 'dataDir',
  TRIBUTARY_HOST: 'host',
  TRIBUTARY_PORT: 'port',
  TRIBUTARY_SECRET: 'secret',
  TRIBUTARY_WRITE_KEY: 'writeKey',
  TRIBUTARY_ADMIN_TOKEN: 'adminToken',
  TRIBUTARY_LOG_LEVEL: 'logLevel',
  TRIBUTARY_TRUST_PROXY: 'trustProxy',
  TRIBUTARY_PROCESSING_INTERVAL_MS: 'processingIntervalMs',
  TRIBUTARY_RETENTION_DAYS: 'retentionDays',
  TRIBUTARY_PERSONAL_FIELDS: 'personalFields',
};

const IDENTITY_ENV_KEYS: Record<string, string> = {
  TRIBUTARY_MERGE_DISTINCT_USER_IDS: 'mergeDistinctUserIds',
  TRIBUTARY_MAX_PEOPLE_PER_IDENTIFIER: 'maxPeoplePerIdentifier',
  TRIBUTARY_DEFAULT_PHONE_COUNTRY_CODE: 'defaultPhoneCountryCode',
};

const INGEST_ENV_KEYS: Record<string, string> = {
  TRIBUTARY_FLUSH_INTERVAL_MS: 'flushIntervalMs',
  TRIBUTARY_FLUSH_MAX_ROWS: 'flushMaxRows',
  TRIBUTARY_RATE_LIMIT: 'rateLimitPerSecond',
  TRIBUTARY_RATE_LIMIT_BURST: 'rateLimitBurst',
  TRIBUTARY_DEDUP_WINDOW_HOURS: 'dedupWindowHours',
  TRIBUTARY_PARSE_WORKERS: 'parseWorkers',
};

const ACCESS_ENV_KEYS: Record<string, string> = {
  TRIBUTARY_API_RATE_LIMIT: 'apiRateLimitPerSecond',
  TRIBUTARY_API_RATE_LIMIT_BURST: 'apiRateLimitBurst',
  TRIBUTARY_LOGIN_MAX_FAILURES: 'loginMaxFailures',
  TRIBUTARY_LOGIN_LOCK_MINUTES: 'loginLockMinutes',
  TRIBUTARY_LOGIN_ATTEMPTS_PER_MINUTE: 'loginAttemptsPerMinute',
  TRIBUTARY_SESSION_HOURS: 'sessionHours',
  TRIBUTARY_EXPORT_MIN_GROUP_SIZE: 'exportMinGroupSize',
};

const CONSENT_ENV_KEYS: Record<string, string> = {
  TRIBUTARY_CONSENT_DEFAULT_GRANTED: 'defaultGranted',
  TRIBUTARY_CONSENT_DENIED_REGIONS: 'deniedRegions',
  TRIBUTARY_CONSENT_GRANTED_REGIONS: 'grantedRegions',
  TRIBUTARY_CONSENT_CATEGORIES: 'categories',
};

export type ConfigOverrides = Partial<Omit<Config, 'ingest' | 'identity' | 'sessions' | 'access' | 'consent'>> & {
  access?: Partial<Config['access']>;
  consent?: Partial<Config['consent']>;
  ingest?: Partial<Config['ingest']>;
  identity?: Partial<Config['identity']>;
  sessions?: Partial<Config['sessions']>;
};

/** Reads the configuration: defaults < TRIBUTARY_* environment < overrides (CLI flags). */
export function loadConfig(overrides: ConfigOverrides = {}, env: Env = process.env): Config {
  const fromEnv: Record<string, unknown> = {};
  const ingest: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(ENV_KEYS)) {
    if (env[key] !== undefined && env[key] !== '') fromEnv[field] = env[key];
  }
  for (const [key, field] of Object.entries(INGEST_ENV_KEYS)) {
    if (env[key] !== undefined && env[key] !== '') ingest[field] = env[key];
  }
  const identity: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(IDENTITY_ENV_KEYS)) {
    if (env[key] !== undefined && env[key] !== '') identity[field] = env[key];
  }
  const access: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(ACCESS_ENV_KEYS)) {
    if (env[key] !== undefined && env[key] !== '') access[field] = env[key];
  }
  const consent: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(CONSENT_ENV_KEYS)) {
    if (env[key] !== undefined && env[key] !== '') consent[field] = env[key];
  }
  const sessions: Record<string, unknown> = {};
  if (env.TRIBUTARY_SESSION_TIMEOUT_MINUTES) sessions.timeoutMinutes = env.TRIBUTARY_SESSION_TIMEOUT_MINUTES;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const merged = {
    ...fromEnv,
    ...defined,
    ingest: { ...ingest, ...(overrides.ingest ?? {}) },
    identity: { ...identity, ...(overrides.identity ?? {}) },
    sessions: { ...sessions, ...(overrides.sessions ?? {}) },
    access: { ...access, ...(overrides.access ?? {}) },
    consent: { ...consent, ...(overrides.consent ?? {}) },
  };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TributaryError('config_invalid', `invalid configuration: ${issue.path.join('.')}: ${issue.message}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) };
}

/** Whether the process runs under CI (progress bars and colours are quieter there). */
export function isCi(env: Env = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}
