import { useQuery } from '@tanstack/react-query';
import type { AttributionQuery, attributeFromStore, compareResults, ModelName } from '../../attribution/index.ts';
import { apiFetch } from './client.ts';

/**
 * The models GET /api/attribution/compare runs (src/attribution/service.ts DEFAULT_MODELS): every
 * model but custom weights, Shao & Li and Fractribution, which /api/attribution runs one at a time.
 * MODEL_INFO (components/attribution-models.tsx) describes each one and lists them in order.
 */
export type CompareModel = Exclude<ModelName, 'custom-weights' | 'shao-li' | 'fractribution'>;

/** Journey labels the attribution groups touches by (`by=`); source / medium has no spend. */
export type AttributionGrouping = NonNullable<AttributionQuery['by']>;

/** One channel's (or campaign's) credit under one model, joined with spend over the same period. */
export type { ReportChannel as AttributionChannel, ReportResult as AttributionModelResult } from '../../attribution/index.ts';

/** GET /api/attribution/compare: every model's result, and conversions side by side (the route spreads both). */
export type AttributionComparison = Awaited<ReturnType<typeof attributeFromStore>> & ReturnType<typeof compareResults>;

export interface AttributionParams {
  readonly from: string;
  /** Last day, inclusive. */
  readonly to: string;
  /** e.g. "30d". */
  readonly lookback: string;
  /** Markov order, 1–4. */
  readonly order: number;
  /** Count journeys that did not convert (Markov's null paths). */
  readonly nulls: boolean;
  readonly by: AttributionGrouping;
  /** Time-decay half-life, e.g. "7d". */
  readonly halfLife: string;
  /** The models to compare (only these are computed). */
  readonly models: readonly CompareModel[];
}

/**
 * GET /api/attribution/compare for the range, settings and chosen models (none chosen, or
 * `enabled: false` while the page shows something else: no request).
 */
export function useAttributionCompare(params: AttributionParams, options: { enabled?: boolean } = {}) {
  const { models, ...rest } = params;
  const model = [...models].sort().join(',');
  return useQuery({
    queryKey: ['attribution', 'compare', { ...rest, model }],
    queryFn: ({ signal }) => apiFetch<AttributionComparison>('/api/attribution/compare', { params: { ...rest, model }, signal }),
    enabled: models.length > 0 && options.enabled !== false,
    // Keep the last answer on screen while settings change, but not across groupings: channel rows
    // under a campaign heading would mislead.
    placeholderData: (previous, previousQuery) => ((previousQuery?.queryKey[2] as { by?: string } | undefined)?.by === params.by ? previous : undefined),
  });
}

/**
 * POST /api/attribution/paths: the models run on the paths of a path file instead of the store's
 * journeys. `results`, `channels`, `models` and `rows` are laid out as the comparison's.
 */
export type PathFileAttribution = Pick<AttributionComparison, 'results' | 'channels' | 'models' | 'rows'> & {
  /** Distinct paths in the file (rows of the same path are added up). */
  readonly paths: number;
  /** Models asked for that a path file cannot run, with why (time decay: no touch times). */
  readonly skipped: ReadonlyArray<{ readonly model: string; readonly reason: string }>;
};

/** A path file the analyst chose; `id` tells two choices of the same file apart. */
export interface PathUpload {
  readonly id: number;
  readonly file: File;
}

/** The settings that apply to a path file: its rows are journeys already, without dates or campaigns. */
export type PathFileParams = Pick<AttributionParams, 'order' | 'nulls' | 'models'>;

/** POST /api/attribution/paths with the chosen file as text/csv (no file or no model: no request). */
export function usePathFileAttribution(upload: PathUpload | null, params: PathFileParams) {
  const model = [...params.models].sort().join(',');
  const query = { model, order: params.order, nulls: params.nulls };
  return useQuery({
    queryKey: ['attribution', 'paths', upload?.id ?? null, query],
    queryFn: ({ signal }) => apiFetch<PathFileAttribution>('/api/attribution/paths', { params: query, raw: { type: 'text/csv', data: upload!.file }, signal }),
    enabled: upload !== null && params.models.length > 0,
    // The same file under the same settings answers the same: no need to send it again.
    staleTime: Infinity,
    // Keep the file's last answer on screen while its settings change, never another file's.
    placeholderData: (previous, previousQuery) => (upload !== null && previousQuery?.queryKey[2] === upload.id ? previous : undefined),
  });
}
