import { sql, type Sql } from '../store/index.ts';

export interface AuditRow {
  seq: number;
  occurred_at: string;
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  ip: string | null;
  details: string | null;
}

export interface AuditEntryInput {
  readonly actor: string;
  readonly action: string;
  readonly target?: string | null;
  readonly outcome?: 'ok' | 'denied' | 'failed';
  readonly ip?: string | null;
  readonly details?: Record<string, unknown> | null;
}

export const insertAuditSql = (e: AuditEntryInput, now: Date): Sql => sql`
  INSERT INTO audit_log (seq, occurred_at, actor, action, target, outcome, ip, details)
  VALUES (nextval('audit_seq'), ${now}, ${e.actor}, ${e.action}, ${e.target ?? null}, ${e.outcome ?? 'ok'}, ${e.ip ?? null},
          ${e.details ? JSON.stringify(e.details) : null})`;

/** Newest first; `before` pages by sequence number; filters are exact matches. */
export const listAuditSql = (q: { limit: number; before: number | null; action: string | null; actor: string | null }): Sql => sql`
  SELECT seq, occurred_at, actor, action, target, outcome, ip, details FROM audit_log
  WHERE (${q.before}::BIGINT IS NULL OR seq < ${q.before})
    AND (${q.action}::VARCHAR IS NULL OR action = ${q.action} OR action LIKE ${q.action === null ? null : `${q.action}.%`})
    AND (${q.actor}::VARCHAR IS NULL OR actor = ${q.actor})
  ORDER BY seq DESC LIMIT ${q.limit}`;
