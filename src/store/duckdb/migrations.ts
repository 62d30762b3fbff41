import { migration001 } from './migrations/001-core.ts';
import { migration002 } from './migrations/002-identity.ts';
import { migration003 } from './migrations/003-derived.ts';
import { migration004 } from './migrations/004-spend.ts';
import { migration005 } from './migrations/005-funnels.ts';
import { migration006 } from './migrations/006-analytics.ts';
import { migration007 } from './migrations/007-access.ts';
import { migration008 } from './migrations/008-erasure.ts';
import { migration009 } from './migrations/009-consent.ts';
import { migration010 } from './migrations/010-event-catalog.ts';
import { migration011 } from './migrations/011-pii-keys.ts';
import { migration012 } from './migrations/012-conversion-events.ts';
import { migration013 } from './migrations/013-pair-keys.ts';

/**
 * Versioned schema for the DuckDB engine. Never edit a released migration: add a new one.
 * Timestamps are TIMESTAMP in UTC. JSON documents (properties, traits, context) are VARCHAR
 * holding JSON text written by Tributary itself: the json_* functions read them as JSON, and the
 * JSON type's re-validation on every insert would cost a third of the ingest throughput.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** Every migration in version order; each capability adds its own file under migrations/. */
export const DUCKDB_MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013];
