import { chartValue, formatChange } from '../lib/format.ts';

/**
 * Which way is good for a metric: `up` for revenue or conversions, `down` for costs per result
 * (CAC, CPA, CPC), `neutral` where more is neither good nor bad by itself (spend).
 */
export type Polarity = 'up' | 'down' | 'neutral';

export interface KpiCardProps {
  /** Stable id for tests (data-kpi). */
  readonly id: string;
  readonly label: string;
  /** The value as shown (already formatted). */
  readonly value: string;
  /** The exact value, for the tooltip (e.g. $1,234,567.89 when the card says $1.2M). */
  readonly exact?: string;
  readonly current: number | null | undefined;
  readonly previous: number | null | undefined;
  /** The previous value as shown. */
  readonly previousText: string;
  /** "previous 30 days", to say what the change compares with. */
  readonly previousLabel: string;
  readonly polarity: Polarity;
  /** One value per period, oldest first (null: no value that period). */
  readonly series: readonly (number | null | undefined)[];
  /** How the metric is computed, shown on hover and to screen readers. */
  readonly definition: string;
}

const ARROW = { up: '▲', down: '▼', flat: '', none: '' } as const;

/** Whether a change reads as good, bad or neither for this metric. */
export function changeTone(direction: 'up' | 'down' | 'flat' | 'none', polarity: Polarity): 'up' | 'down' | 'flat' {
  if (direction === 'flat' || direction === 'none' || polarity === 'neutral') return 'flat';
  return direction === polarity ? 'up' : 'down';
}

/** A headline number with its change on the previous period and a sparkline of its series. */
export function KpiCard(props: KpiCardProps) {
  const change = formatChange(props.current, props.previous);
  const tone = changeTone(change.direction, props.polarity);
  const verdict = tone === 'up' ? 'better' : tone === 'down' ? 'worse' : '';
  return (
    <article className="kpi kpi-card" data-kpi={props.id} aria-label={props.label}>
      <div className="label" title={props.definition}>
        {props.label}
      </div>
      <div className="value" data-value title={props.exact ?? props.value}>
        {props.value}
      </div>
      <div className="kpi-change">
        <span className={`change-${tone}`} data-change={change.direction} title={`${props.previousLabel}: ${props.previousText}`}>
          <span aria-hidden="true">{ARROW[change.direction]} </span>
          {change.text}
          {verdict ? <span className="visually-hidden"> ({verdict})</span> : null}
        </span>{' '}
        <span className="muted">vs {props.previousText}</span>
      </div>
      <Sparkline values={props.series} label={`${props.label} per period`} tone={tone} />
      <p className="visually-hidden">{props.definition}</p>
    </article>
  );
}

const WIDTH = 120;
const HEIGHT = 28;

/** Polyline segments of a series; a missing value breaks the line rather than dropping to zero. */
export function sparklinePaths(values: readonly (number | null | undefined)[], width = WIDTH, height = HEIGHT): string[] {
  const points = values.map(chartValue);
  const finite = points.filter((v): v is number => v !== null);
  if (finite.length === 0) return [];
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min || 1;
  const step = points.length > 1 ? width / (points.length - 1) : 0;
  const paths: string[] = [];
  let current: string[] = [];
  points.forEach((v, i) => {
    if (v === null) {
      if (current.length) paths.push(current.join(' '));
      current = [];
      return;
    }
    const x = points.length > 1 ? i * step : width / 2;
    // A flat series sits in the middle; otherwise the range fills the height with 2px margins.
    const y = max === min ? height / 2 : height - 2 - ((v - min) / span) * (height - 4);
    current.push(`${current.length ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`);
  });
  if (current.length) paths.push(current.join(' '));
  return paths;
}

/** A small trend line; `data-points` counts the values drawn (for tests). */
export function Sparkline({ values, label, tone }: { values: readonly (number | null | undefined)[]; label: string; tone: 'up' | 'down' | 'flat' }) {
  const paths = sparklinePaths(values);
  const drawn = values.filter((v) => chartValue(v) !== null).length;
  return (
    <svg className={`sparkline sparkline-${tone}`} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label} data-sparkline data-points={drawn}>
      {paths.map((d, i) => (
        <path key={i} d={d} fill="none" stroke="currentColor" strokeWidth="1.5" vectorEffect="non-scaling-stroke" strokeLinejoin="round" />
      ))}
      {/* A lone point between gaps would be invisible as a path: mark it. */}
      {paths
        .filter((d) => !d.includes('L'))
        .map((d, i) => {
          const [x, y] = d.slice(1).split(',').map(Number);
          return <circle key={`p${i}`} cx={x} cy={y} r="1.5" fill="currentColor" />;
        })}
    </svg>
  );
}
