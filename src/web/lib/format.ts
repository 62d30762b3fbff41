/**
 * Number formatting for the dashboard. Every formatter answers "—" for a missing or non-finite
 * value, so no page ever shows NaN, undefined or Infinity.
 */
export const MISSING = '—';

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatInteger(v: number | null | undefined): string {
  return isNumber(v) ? integer.format(v) : MISSING;
}

/** 1,234 up to 100k, then 123.4K / 1.2M. */
export function formatCount(v: number | null | undefined): string {
  if (!isNumber(v)) return MISSING;
  return Math.abs(v) >= 100_000 ? compact.format(v) : integer.format(v);
}

export function formatDecimal(v: number | null | undefined, digits = 2): string {
  if (!isNumber(v)) return MISSING;
  return digits === 2 ? decimal.format(v) : v.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function formatMoney(v: number | null | undefined, currency = 'USD', opts: { compact?: boolean } = {}): string {
  if (!isNumber(v)) return MISSING;
  const big = opts.compact && Math.abs(v) >= 100_000;
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    notation: big ? 'compact' : 'standard',
    maximumFractionDigits: big ? 1 : Math.abs(v) >= 1000 ? 0 : 2,
  }).format(v);
}

/** A ratio (0.123) as a percentage (12.3%). */
export function formatPercent(v: number | null | undefined, digits = 1): string {
  if (!isNumber(v)) return MISSING;
  return `${(v * 100).toFixed(digits)}%`;
}

/** A multiple such as ROAS (3.21×). */
export function formatMultiple(v: number | null | undefined): string {
  return isNumber(v) ? `${v.toFixed(2)}×` : MISSING;
}

/** A relative change (0.052 → "+5.2%"); "new" when the previous value was zero. */
export function formatChange(current: number | null | undefined, previous: number | null | undefined): { text: string; direction: 'up' | 'down' | 'flat' | 'none' } {
  if (!isNumber(current) || !isNumber(previous)) return { text: MISSING, direction: 'none' };
  if (previous === 0) return current === 0 ? { text: '0%', direction: 'flat' } : { text: 'new', direction: 'up' };
  const change = (current - previous) / Math.abs(previous);
  if (Math.abs(change) < 0.0005) return { text: '0%', direction: 'flat' };
  return { text: `${change > 0 ? '+' : ''}${(change * 100).toFixed(1)}%`, direction: change > 0 ? 'up' : 'down' };
}

/** Milliseconds as "3.2 h", "4.5 d". */
export function formatDuration(ms: number | null | undefined): string {
  if (!isNumber(ms)) return MISSING;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(0)} s`;
  if (s < 3600) return `${(s / 60).toFixed(1)} min`;
  if (s < 86_400) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} d`;
}

/** Safe numeric value for charts: non-finite becomes null (a gap), never NaN. */
export function chartValue(v: number | null | undefined): number | null {
  return isNumber(v) ? v : null;
}
