import { useSearchParams } from 'wouter';

export const PRESETS = [
  { id: '7d', label: 'Last 7 days', days: 7 },
  { id: '30d', label: 'Last 30 days', days: 30 },
  { id: '90d', label: 'Last 90 days', days: 90 },
] as const;
export type PresetId = (typeof PRESETS)[number]['id'] | 'custom';
export const DEFAULT_PRESET = '30d' satisfies PresetId;

export interface DateRange {
  readonly preset: PresetId;
  /** First day, YYYY-MM-DD (inclusive). */
  readonly from: string;
  /** Last day, YYYY-MM-DD (inclusive; the API's `to` includes the whole day). */
  readonly to: string;
  /** Days in the range. */
  readonly days: number;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** The range a preset means today (ending today, UTC). */
export function presetRange(preset: Exclude<PresetId, 'custom'>, now = Date.now()): DateRange {
  const days = PRESETS.find((p) => p.id === preset)!.days;
  const to = isoDay(now);
  return { preset, from: isoDay(dayMs(to) - (days - 1) * DAY_MS), to, days };
}

/** Reads the range from URL params (`range=30d`, or `range=custom&from=…&to=…`); bad values fall back to the default. */
export function rangeFromParams(params: URLSearchParams, now = Date.now()): DateRange {
  const preset = params.get('range') ?? DEFAULT_PRESET;
  if (preset === 'custom') {
    const from = params.get('from') ?? '';
    const to = params.get('to') ?? '';
    if (ISO_DAY.test(from) && ISO_DAY.test(to) && Number.isFinite(dayMs(from)) && Number.isFinite(dayMs(to)) && dayMs(to) >= dayMs(from)) {
      return { preset: 'custom', from, to, days: Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1 };
    }
  }
  const known = PRESETS.find((p) => p.id === preset);
  return presetRange(known ? known.id : DEFAULT_PRESET, now);
}

/** The previous period of equal length, for comparisons. */
export function previousRange(range: DateRange): { from: string; to: string } {
  const from = dayMs(range.from) - range.days * DAY_MS;
  return { from: isoDay(from), to: isoDay(dayMs(range.from) - DAY_MS) };
}

/** The shared date range, kept in the URL so a link shows the same view; every page reads this. */
export function useDateRange(): [DateRange, (next: { preset: PresetId; from?: string; to?: string }) => void] {
  const [params, setParams] = useSearchParams();
  const range = rangeFromParams(params);
  const set = (next: { preset: PresetId; from?: string; to?: string }) =>
    setParams((prev) => {
      const p = new URLSearchParams(prev);
      p.set('range', next.preset);
      if (next.preset === 'custom' && next.from && next.to) {
        p.set('from', next.from);
        p.set('to', next.to);
      } else {
        p.delete('from');
        p.delete('to');
      }
      return p;
    });
  return [range, set];
}

/** The query params the analytics APIs take for a range. */
export const rangeParams = (range: DateRange): { from: string; to: string } => ({ from: range.from, to: range.to });

/** Search-string keys that belong to the shared range (carried across page links). */
export const RANGE_KEYS = ['range', 'from', 'to'] as const;
