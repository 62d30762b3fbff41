import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { CohortAnchor, CohortUnit, RetentionMeasure, RetentionReport } from '../../analytics/index.ts';
import type { ConversionDefinition } from '../../channels/index.ts';
import { apiFetch } from './client.ts';

/** Cohort tables (src/analytics/README.md, "Retention and cohorts"): GET /api/retention answers a RetentionReport. */
export type { CohortUnit, CohortAnchor, RetentionMeasure, CohortLine, RetentionReport } from '../../analytics/index.ts';

export interface RetentionParams {
  readonly from: string;
  /** Last day, inclusive. */
  readonly to: string;
  readonly cohort: CohortUnit;
  readonly anchor: CohortAnchor;
  readonly measure: RetentionMeasure;
  /** A conversion definition's name; '' for the default one. */
  readonly conversion: string;
}

/** GET /api/retention: cohorts of the range by week or month, one value per later period. */
export function useRetention(params: RetentionParams) {
  return useQuery({
    queryKey: ['retention', params],
    queryFn: ({ signal }) => apiFetch<RetentionReport>('/api/retention', { params: { ...params }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/conversions: the conversion definitions a cohort can be anchored on and counted by. */
export function useConversionDefinitions() {
  return useQuery({
    queryKey: ['conversions'],
    queryFn: ({ signal }) => apiFetch<{ conversions: ConversionDefinition[] }>('/api/conversions', { signal }).then((r) => r.conversions),
    staleTime: 60_000,
  });
}
