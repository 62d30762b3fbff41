import type { Store } from '../store/index.ts';
import { getConversionDefinition } from '../attribution/index.ts';
import { refreshActivity } from './kpis-activity-service.ts';
import { effectiveScope, latestEventMs, type AnalyticsOptions } from './kpis-service.ts';
import { nextPeriod, truncateTo, DAY_MS } from './kpis-time.ts';
import { assembleRetention, type RetentionReport, type RetentionRow } from './retention.ts';
import type { RetentionRequest } from './retention-request.ts';
import { retentionSql, type CohortUnit } from './retention.sql.ts';

/** Cohorts shown when no range is asked: this many periods up to the latest event's. */
export const DEFAULT_COHORTS = 12;

/** The range widened to whole cohort periods; defaults to the last DEFAULT_COHORTS periods. */
export function cohortRange(unit: CohortUnit, request: { from: number | null; to: number | null }, latest: number | null, now: number): { from: number; to: number } {
  const end = request.to ?? truncateTo('day', latest ?? now) + DAY_MS;
  const to = nextPeriod(unit, truncateTo(unit, end - 1));
  let from = request.from === null ? truncateTo(unit, end - 1) : truncateTo(unit, request.from);
  if (request.from === null) for (let i = 1; i < DEFAULT_COHORTS; i++) from = truncateTo(unit, from - 1);
  return { from, to };
}

/**
 * A cohort table: people by the week or month of their first conversion (or first event), and
 * per later period the share that converted again, was active, or the revenue per member; by
 * acquisition channel on request. Brings the activity rollups up to date first. People outside
 * `options.scope` are members of no cohort.
 */
export async function retentionFromStore(store: Store, request: RetentionRequest, options: AnalyticsOptions = {}): Promise<RetentionReport> {
  const definition = await getConversionDefinition(store, request.conversion);
  await refreshActivity(store);
  const scope = await effectiveScope(store, options.scope);
  const latest = await latestEventMs(store);
  const range = cohortRange(request.unit, request, latest, options.now ?? Date.now());
  const rows = await store.query<RetentionRow>(
    retentionSql(store.dialect, {
      unit: request.unit,
      anchor: request.anchor,
      measure: request.measure,
      by: request.by,
      from: range.from,
      to: range.to,
      conversionEvent: definition.event,
      valueProperty: definition.valueProperty,
      scope,
    }),
  );
  return assembleRetention(rows, {
    unit: request.unit,
    anchor: request.anchor,
    measure: request.measure,
    by: request.by,
    conversion: definition.name,
    range,
    observedThrough: latest,
  });
}
