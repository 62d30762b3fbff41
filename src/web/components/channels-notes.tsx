import type { KpiReconciliationLine, KpiReport } from '../api/kpis.ts';
import { formatCount, formatMoney } from '../lib/format.ts';

const NAMES: Partial<Record<string, string>> = {
  people: 'People',
  convertingPeople: 'Converting people',
  newPeople: 'New people',
  sessions: 'Sessions',
  conversions: 'Conversions',
  revenue: 'Revenue',
  spend: 'Spend',
};

/** One plain sentence per count metric whose rows do not add up to the total. */
export function reconciliationSentence(line: KpiReconciliationLine, keyLabel: string): string | null {
  if (line.reconciles || line.sum === null) return null;
  const money = line.metric === 'revenue' || line.metric === 'spend';
  const fmt = (v: number | null) => (money ? formatMoney(v) : formatCount(v));
  const sum = fmt(line.sum);
  const total = fmt(line.total);
  if (line.metric === 'people') {
    return `The People column adds up to ${sum}, but ${total} distinct people were active: a person who came through several ${keyLabel} values in the range is counted under each of them. The total row counts every person once.`;
  }
  if (line.metric === 'convertingPeople') {
    return `Converting people add up to ${sum} across the rows against ${total} in all: a person whose conversions were credited to different ${keyLabel} values is counted under each, so row conversion rates do not average to the total's.`;
  }
  return `${NAMES[line.metric] ?? line.metric} adds up to ${sum} across the rows, not the total of ${total}${line.note ? `: ${line.note}` : ''}.`;
}

/** What the table's numbers mean, and where its rows do not add up to the totals row. */
export function ChannelsNotes({ report, keyLabel, spend }: { report: KpiReport; keyLabel: string; spend: boolean }) {
  const sentences = report.reconciliation.breakdown.map((l) => reconciliationSentence(l, keyLabel)).filter((s): s is string => s !== null);
  const hasNone = report.breakdown.some((r) => r.key === '(none)');
  const hasNotSet = report.breakdown.some((r) => r.key === '(not set)');
  return (
    <div className="channels-notes">
      <p className="help" data-note="conversion-rate">
        <strong>Conv. rate</strong> is a people rate: people with a <span className="tag">{report.conversion}</span> credited to the row ÷ people with a touch of
        it in the range (not per session). Conversions and revenue are credited to the last touch within 30 days before each conversion; the Attribution page
        compares other models.
      </p>
      {!spend ? (
        <p className="help" data-note="no-spend">
          Ad spend is imported per channel and campaign, so spend, ROAS, CAC, CPA, CPC and CTR are not broken down by {keyLabel}.
        </p>
      ) : null}
      {hasNone || hasNotSet ? (
        <p className="help">
          {hasNone ? <><strong>(none)</strong>: people active in the range without any touch (for example only server-side events). </> : null}
          {hasNotSet ? <><strong>(not set)</strong>: touches without a {keyLabel}.</> : null}
        </p>
      ) : null}
      {sentences.length > 0 ? (
        <div className="note-box" role="note" data-note="reconciliation">
          <strong>Why the rows do not add up to the total</strong>
          <ul>
            {sentences.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
