import { describe, expect, it } from 'vitest';
import {
  assembleKpiReport,
  deriveRatios,
  kpiQuerySchema,
  parseBreakdown,
  periodStarts,
  relativeChange,
  safeRatio,
  truncateTo,
  KPI_METRICS,
  COUNT_METRICS,
  type KpiRow,
} from '../../src/analytics/index.ts';

const zero = Object.fromEntries(COUNT_METRICS.map((m) => [m, 0])) as Record<(typeof COUNT_METRICS)[number], number>;

describe('KPI formulas', () => {
  it('derives every ratio from the counts of one row', () => {
    const r = deriveRatios({ ...zero, people: 200, convertingPeople: 10, sessions: 400, conversions: 12, revenue: 600, impressions: 10_000, clicks: 250, spend: 300, newCustomers: 6 });
    expect(r).toMatchObject({ conversionRate: 0.05, sessionConversionRate: 0.03, aov: 50, ctr: 0.025, cpc: 1.2, cpa: 25, cac: 50, roas: 2, roi: 1 });
  });

  it('a zero denominator gives null, never NaN or Infinity', () => {
    const r = deriveRatios({ ...zero });
    for (const m of ['conversionRate', 'sessionConversionRate', 'aov', 'ctr', 'cpc', 'cpa', 'cac', 'roas', 'roi'] as const) expect(r[m], m).toBeNull();
    expect(safeRatio(0, 0)).toBeNull();
    expect(safeRatio(1, null)).toBeNull();
    expect(deriveRatios({ ...zero, spend: 10 }).roi).toBe(-1);
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(null, 3)).toBeNull();
    expect(relativeChange(3, 4)).toBe(-0.25);
    expect(relativeChange(-1, -2)).toBe(0.5);
  });
});

describe('periods', () => {
  it('ISO weeks start on Monday; months on the 1st; ranges list every overlapping period', () => {
    expect(new Date(truncateTo('week', Date.parse('2025-03-02T23:00:00Z'))).toISOString()).toBe('2025-02-24T00:00:00.000Z');
    expect(new Date(truncateTo('week', Date.parse('2025-03-03T00:00:00Z'))).toISOString()).toBe('2025-03-03T00:00:00.000Z');
    expect(new Date(truncateTo('month', Date.parse('2025-03-31T12:00:00Z'))).toISOString()).toBe('2025-03-01T00:00:00.000Z');
    const weeks = periodStarts('week', { from: Date.parse('2025-03-05'), to: Date.parse('2025-03-18') }).map((p) => new Date(p).toISOString().slice(0, 10));
    expect(weeks).toEqual(['2025-03-03', '2025-03-10', '2025-03-17']);
    expect(periodStarts('month', { from: Date.parse('2024-12-15'), to: Date.parse('2025-02-02') }).length).toBe(3);
    expect(periodStarts('hour', { from: 0, to: 86_400_000 }).length).toBe(24);
  });
});

describe('the request', () => {
  it('parses the query the route and the CLI share', () => {
    const r = kpiQuerySchema.parse({ from: '2025-03-01', to: '2025-03-31', granularity: 'week', by: 'source-medium', metrics: 'roas,people' });
    expect(r).toMatchObject({ from: Date.parse('2025-03-01'), to: Date.parse('2025-04-01'), granularity: 'week', by: 'source_medium', metrics: ['people', 'roas'] });
    expect(kpiQuerySchema.parse({}).metrics).toEqual([...KPI_METRICS]);
    expect(parseBreakdown('trait:address.country')).toEqual({ by: 'trait:address.country', dimension: { kind: 'trait', path: ['address', 'country'] } });
    expect(parseBreakdown('none')).toBeNull();
    // Personal traits are stored encrypted and would list people one by one.
    for (const personal of ['trait:email', 'trait:firstName', 'trait:address.street', 'trait:address']) {
      expect(() => parseBreakdown(personal)).toThrow(/is personal data/);
    }
    const bad = kpiQuerySchema.safeParse({ from: 'soon', by: 'weather' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['from', 'by']);
  });
});

describe('assembling the document', () => {
  const ctx = {
    range: { from: Date.parse('2025-03-01'), to: Date.parse('2025-03-03') },
    previous: { from: Date.parse('2025-02-27'), to: Date.parse('2025-03-01') },
    granularity: 'day' as const,
    by: 'device',
    byLabel: 'device',
    byPerson: false,
    spendByKey: false,
    conversion: 'Order Completed',
    metrics: ['people', 'sessions', 'spend', 'roas'] as const,
  };
  const rows: KpiRow[] = [
    { scope: 'cur', period: null, key: null, people: 3, sessions: 5 },
    { scope: 'cur', period: null, key: null, spend: 40 },
    { scope: 'prev', period: null, key: null, people: 2, sessions: 5, spend: 0 },
    { scope: 'period', period: Date.parse('2025-03-02'), key: null, people: 3, sessions: 5 },
    { scope: 'key', period: null, key: 'mobile', people: 2, sessions: 3 },
    { scope: 'key', period: null, key: 'desktop', people: 2, sessions: 2 },
    { scope: 'key', period: null, key: null, spend: 40 },
  ];
  const report = assembleKpiReport(rows, { ...ctx, metrics: [...ctx.metrics] });

  it('fills periods without activity, keeps the metric order and compares with the previous range', () => {
    expect(report.series).toEqual([
      { period: '2025-03-01', people: 0, sessions: 0, spend: 0, roas: null },
      { period: '2025-03-02', people: 3, sessions: 5, spend: 0, roas: null },
    ]);
    expect(report.totals).toEqual({ people: 3, sessions: 5, spend: 40, roas: 0 });
    expect(report.change).toEqual({ people: 0.5, sessions: 0, spend: null, roas: null });
    expect(report).toMatchObject({ from: '2025-03-01', to: '2025-03-02', previous: { from: '2025-02-27', to: '2025-02-28' } });
  });

  it('says which breakdown sums reconcile and why the others do not', () => {
    expect(report.breakdown.map((b) => b.key)).toEqual(['desktop', 'mobile']);
    expect(report.breakdown[0].spend).toBeNull();
    const lines = Object.fromEntries(report.reconciliation.breakdown.map((l) => [l.metric, l]));
    expect(lines.sessions).toEqual({ metric: 'sessions', total: 5, sum: 5, reconciles: true, note: null });
    expect(lines.people).toMatchObject({ total: 3, sum: 4, reconciles: false });
    expect(lines.spend).toMatchObject({ total: 40, sum: null, reconciles: false });
    expect(lines.spend.note).toMatch(/not broken down by device/);
  });
});

describe('money in the document', () => {
  it('shows sums of money without the last digits’ float noise, and derives ratios at full precision', () => {
    // Orders of 3373.06, 0.2 and 0.1 summed as doubles by the engine.
    const revenue = 3373.06 + 0.2 + 0.1;
    const spend = 78.48000000000002;
    expect(revenue).not.toBe(3373.36);
    const report = assembleKpiReport(
      [
        { scope: 'cur', period: null, key: null, conversions: 3, revenue, spend },
        { scope: 'period', period: Date.parse('2025-03-01'), key: null, conversions: 3, revenue, spend },
      ],
      {
        range: { from: Date.parse('2025-03-01'), to: Date.parse('2025-03-02') },
        previous: { from: Date.parse('2025-02-28'), to: Date.parse('2025-03-01') },
        granularity: 'day',
        by: null,
        byLabel: null,
        byPerson: false,
        spendByKey: true,
        conversion: 'Order Completed',
        metrics: ['revenue', 'spend', 'aov', 'roas'],
      },
    );
    expect(report.totals).toEqual({ revenue: 3373.36, spend: 78.48, aov: revenue / 3, roas: revenue / spend });
    expect(report.series[0]).toMatchObject({ revenue: 3373.36, spend: 78.48 });
    expect(report.reconciliation.series.find((l) => l.metric === 'revenue')).toEqual({ metric: 'revenue', total: 3373.36, sum: 3373.36, reconciles: true, note: null });
  });
});
