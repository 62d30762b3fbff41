import { toCsv } from './export-csv.ts';
import type { AudienceExport } from './export-service.ts';

/** Audience CSV columns, as the JSON names them; e-mail and phone only in an export with personal data. */
export const AUDIENCE_COLUMNS = ['personId', 'firstSeen', 'lastSeen', 'channels', 'conversions', 'revenue'] as const;
export const PII_COLUMNS = ['email', 'phone'] as const;

/** The audience as CSV (pure): one row per person; channels joined by `; `. */
export function audienceCsv(e: AudienceExport): string {
  const columns = e.pii ? [...AUDIENCE_COLUMNS, ...PII_COLUMNS] : [...AUDIENCE_COLUMNS];
  const rows = e.people.map((p) => [p.personId, p.firstSeen, p.lastSeen, p.channels, p.conversions, p.revenue, ...(e.pii ? [p.email ?? null, p.phone ?? null] : [])]);
  return toCsv(columns, rows);
}
