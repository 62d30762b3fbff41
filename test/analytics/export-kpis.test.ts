import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { kpiExport, kpiExportCsv, neutralizeFormula, toCsv, type KpiReport } from '../../src/analytics/index.ts';
import { loadConfig } from '../../src/config/index.ts';

/** A KPI document with just what an export reads: the breakdown rows. */
function report(breakdown: Array<Record<string, number | string | null>>): KpiReport {
  return {
    from: '2025-04-07',
    to: '2025-04-13',
    granularity: 'day',
    by: 'campaign',
    conversion: 'Order Completed',
    metrics: ['people', 'convertingPeople', 'revenue', 'spend'],
    totals: {},
    previous: { from: '2025-03-31', to: '2025-04-06', totals: {} },
    change: {},
    series: [],
    breakdown: breakdown as unknown as KpiReport['breakdown'],
    reconciliation: { series: [], breakdown: [] },
  };
}

const ROWS = [
  { key: 'four', people: 4, convertingPeople: 1, revenue: 10, spend: 100 },
  { key: 'five', people: 5, convertingPeople: 0, revenue: 0, spend: 50 },
  // Conversions credited through a touch before the range: 5 converting people, 2 with a touch in it.
  { key: 'late', people: 2, convertingPeople: 5, revenue: 99, spend: null },
  // Spend without anyone behind it: nothing about a person to hide.
  { key: 'spend only', people: 0, convertingPeople: 0, revenue: 0, spend: 70 },
];

describe('KPI breakdown export', () => {
  it('suppresses groups under k people, keeps groups of k and rows with no one behind them', () => {
    const e = kpiExport(report(ROWS), ['revenue', 'spend'], 5);
    expect(e.rows).toEqual([
      { key: 'five', revenue: 0, spend: 50 },
      { key: 'late', revenue: 99, spend: null },
      { key: 'spend only', revenue: 0, spend: 70 },
    ]);
    expect(e.suppressedGroups).toBe(1);
    expect(kpiExport(report(ROWS), ['revenue'], 4).suppressedGroups).toBe(0);
    expect(kpiExport(report(ROWS), ['revenue'], 6).rows.map((r) => r.key)).toEqual(['spend only']);
    expect(kpiExport(report(ROWS), ['revenue'], 1).suppressedGroups).toBe(0);
  });

  it('writes a CSV whose last row says how many groups were suppressed', () => {
    const csv = kpiExportCsv(kpiExport(report(ROWS), ['people', 'spend'], 5));
    expect(parse(csv)).toEqual([
      ['campaign', 'people', 'spend'],
      ['five', '5', '50'],
      ['late', '2', ''],
      ['spend only', '0', '70'],
      ['(suppressed: 1 group under 5 people)', '', ''],
    ]);
    expect(kpiExportCsv(kpiExport(report(ROWS), ['people'], 6)).trim().split('\n').at(-1)).toBe('(suppressed: 3 groups under 6 people),');
  });

  it('takes k from TRIBUTARY_EXPORT_MIN_GROUP_SIZE (default 5)', () => {
    expect(loadConfig({}, {}).access.exportMinGroupSize).toBe(5);
    expect(loadConfig({}, { TRIBUTARY_EXPORT_MIN_GROUP_SIZE: '10' }).access.exportMinGroupSize).toBe(10);
    expect(() => loadConfig({}, { TRIBUTARY_EXPORT_MIN_GROUP_SIZE: '0' })).toThrow(/access\.exportMinGroupSize/);
  });
});

describe('CSV cells', () => {
  it('quotes what needs quoting and parses back to the same values', () => {
    const rows = [
      ['a, b', 'say "hi"', 'two\nlines', 1.5, null, ['Email', 'Paid Search']],
      ['plain', '', 'ünïcödé', -3, true, []],
    ] as const;
    const parsed = parse(toCsv(['text', 'quoted', 'multi', 'n', 'maybe', 'list'], rows));
    expect(parsed).toEqual([
      ['text', 'quoted', 'multi', 'n', 'maybe', 'list'],
      ['a, b', 'say "hi"', 'two\nlines', '1.5', '', 'Email; Paid Search'],
      ['plain', '', 'ünïcödé', '-3', 'true', ''],
    ]);
  });

  it('keeps spreadsheet formulas out of text cells, not out of numbers and phone numbers', () => {
    expect(neutralizeFormula('=HYPERLINK("http://x.test","click")')).toBe(`'=HYPERLINK("http://x.test","click")`);
    expect(neutralizeFormula("-2+3+cmd|' /C calc'!A0")).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(neutralizeFormula('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(neutralizeFormula('+1+2')).toBe("'+1+2");
    expect(neutralizeFormula('\t=1')).toBe("'\t=1");
    expect(neutralizeFormula('+14155550100')).toBe('+14155550100');
    expect(neutralizeFormula('+1 (415) 555-0100')).toBe('+1 (415) 555-0100');
    expect(neutralizeFormula('-12.5')).toBe('-12.5');
    expect(neutralizeFormula('spring = sale')).toBe('spring = sale');
    expect(parse(toCsv(['campaign'], [['=cmd()']]))).toEqual([['campaign'], ["'=cmd()"]]);
  });
});
