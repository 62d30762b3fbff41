/** Tables of the identity capability (created by DuckDB migration 002). */
export const IDENTITY_TABLES = {
  identities: 'identities',
  people: 'people',
  merges: 'identity_merges',
  flags: 'identity_flags',
  conflicts: 'identity_conflicts',
  imports: 'identity_imports',
  state: 'identity_state',
} as const;

/** Key in `identity_state` of the received_at (epoch ms) up to which events are processed. */
export const WATERMARK_KEY = 'events_watermark';
