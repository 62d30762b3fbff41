import { sql, type Sql } from '../store/index.ts';

/**
 * Raw, person-level rows older than the retention cut-off, table by table. Aggregates that
 * identify nobody (spend, the event catalog, import history) and consent records (the evidence of
 * what a person agreed to) are kept.
 */
export function retentionStatements(cutoff: Date): Array<{ table: string; sql: Sql }> {
  return [
    { table: 'events', sql: sql`DELETE FROM events WHERE timestamp < ${cutoff}` },
    { table: 'sessions', sql: sql`DELETE FROM sessions WHERE started_at < ${cutoff}` },
    { table: 'touches', sql: sql`DELETE FROM touches WHERE occurred_at < ${cutoff}` },
    { table: 'analytics_activity', sql: sql`DELETE FROM analytics_activity WHERE hour < ${cutoff}` },
    { table: 'analytics_conversions', sql: sql`DELETE FROM analytics_conversions WHERE timestamp < ${cutoff}` },
    { table: 'conversion_events', sql: sql`DELETE FROM conversion_events WHERE timestamp < ${cutoff}` },
    { table: 'quarantine', sql: sql`DELETE FROM quarantine WHERE received_at < ${cutoff}` },
  ];
}
