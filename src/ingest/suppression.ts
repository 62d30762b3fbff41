import { createIdentifierHasher, createSuppressionMatcher, type MessageIdentifiers } from '../identity/index.ts';
import { sql, type AppendRow, type Sql } from '../store/index.ts';

/** What a worker or the API needs to recognise an erased person's messages. */
export interface SuppressionSpec {
  readonly secret: string;
  readonly keys: readonly string[];
  readonly phoneCountryCode?: string;
}

/** Settings that let ingestion load the suppression list (the deployment secret hashes identifiers). */
export interface SuppressionSettings {
  readonly secret: string;
  readonly phoneCountryCode?: string;
}

// Column positions in an events row (see normalize.ts).
const ANONYMOUS_ID = 5;
const USER_ID = 6;
const PREVIOUS_ID = 8;
const TRAITS = 25;

function identifiersOf(row: AppendRow): MessageIdentifiers {
  return {
    userId: row[USER_ID] as string | null,
    anonymousId: row[ANONYMOUS_ID] as string | null,
    previousId: row[PREVIOUS_ID] as string | null,
    traitsJson: row[TRAITS] as string | null,
  };
}

/** A row test for a suppression list, or null when the list is empty (nothing to check). */
export function rowSuppressor(spec: SuppressionSpec | null): ((row: AppendRow) => boolean) | null {
  if (!spec || spec.keys.length === 0) return null;
  const matches = createSuppressionMatcher(spec.keys, createIdentifierHasher(spec.secret), spec.phoneCountryCode);
  return matches ? (row) => matches(identifiersOf(row)) : null;
}

export const loadSuppressionKeysSql = (): Sql => sql`SELECT kind || ':' || hash AS key FROM suppressions`;

/** Adds dropped messages to the day's count for their origin (`api`, `import`). */
export const countSuppressedSql = (at: Date, origin: string, n: number): Sql => sql`
  INSERT INTO suppressed_messages (day, origin, messages) VALUES (${at}::DATE, ${origin}, ${n})
  ON CONFLICT (day, origin) DO UPDATE SET messages = suppressed_messages.messages + excluded.messages`;
