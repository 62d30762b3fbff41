import type { Store } from '../store/index.ts';
import { insertAuditSql, listAuditSql, type AuditEntryInput, type AuditRow } from './audit.sql.ts';

export interface AuditEntry {
  readonly seq: number;
  readonly occurredAt: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: string;
  readonly ip: string | null;
  readonly details: Record<string, unknown> | null;
}

export interface AuditQuery {
  readonly limit?: number;
  readonly before?: number | null;
  /** An action (`user.add`) or a family of actions (`user`). */
  readonly action?: string | null;
  readonly actor?: string | null;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: row.actor,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    ip: row.ip,
    details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
  };
}

/**
 * The append-only audit log: logins (and failures), user/token/key changes, configuration
 * changes, exports and erasures. Nothing in Tributary updates or deletes its rows.
 */
export class AuditLog {
  constructor(private readonly store: Store) {}

  async record(entry: AuditEntryInput): Promise<void> {
    await this.store.exec(insertAuditSql(entry, new Date()));
  }

  async list(q: AuditQuery = {}): Promise<AuditEntry[]> {
    const rows = await this.store.query<AuditRow>(
      listAuditSql({ limit: Math.min(Math.max(q.limit ?? 100, 1), 1000), before: q.before ?? null, action: q.action ?? null, actor: q.actor ?? null }),
    );
    return rows.map(toEntry);
  }
}
