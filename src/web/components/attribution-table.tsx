import { useState } from 'react';
import type { AttributionChannel } from '../api/attribution.ts';
import { formatDecimal, formatMoney, formatMultiple } from '../lib/format.ts';
import type { ModelComparison } from './attribution-data.ts';
import { modelLabel } from './attribution-models.tsx';

type ModelMetric = 'conversions' | 'value' | 'costPerConversion' | 'roas';

const METRICS: ReadonlyArray<{ key: ModelMetric; header: string; format: (v: number | null | undefined) => string }> = [
  { key: 'conversions', header: 'Conversions', format: (v) => formatDecimal(v, 1) },
  { key: 'value', header: 'Value', format: (v) => formatMoney(v) },
  { key: 'costPerConversion', header: 'Cost / conv.', format: (v) => formatMoney(v) },
  { key: 'roas', header: 'ROAS', format: formatMultiple },
];

/** Without spend (a path file) cost per conversion and ROAS have nothing to divide: only credit is shown. */
const CREDIT_METRICS = METRICS.filter((m) => m.key === 'conversions' || m.key === 'value');

/** `label`, `spend`, or `<model>:<metric>`. */
type SortKey = string;

function sortValue(cmp: ModelComparison, label: string, key: SortKey): number | string | null {
  if (key === 'label') return label;
  if (key === 'spend') return cmp.spend.get(label) ?? null;
  const [model, metric] = key.split(':') as [string, ModelMetric];
  return cmp.cell(label, model)?.[metric] ?? (metric === 'conversions' || metric === 'value' ? 0 : null);
}

function sortLabels(cmp: ModelComparison, key: SortKey, desc: boolean): string[] {
  const dir = desc ? -1 : 1;
  return [...cmp.labels].sort((a, b) => {
    const x = sortValue(cmp, a, key);
    const y = sortValue(cmp, b, key);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * dir;
  });
}

function SortButton({ id, label, sort, onSort, numeric, children }: { id: SortKey; label: string; sort: { key: SortKey; desc: boolean }; onSort: (key: SortKey, desc: boolean) => void; numeric: boolean; children: string }) {
  const active = sort.key === id;
  return (
    <button type="button" className="sort" aria-label={label} onClick={() => onSort(id, active ? !sort.desc : numeric)}>
      {children}
      <span aria-hidden="true">{active ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
    </button>
  );
}

const ariaSort = (sort: { key: SortKey; desc: boolean }, key: SortKey) => (sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none');

/**
 * Per channel: spend, then per chosen model its attributed conversions, value, cost per attributed
 * conversion and ROAS. `withSpend` false (a path file, which has no spend) leaves out the spend,
 * cost and ROAS columns instead of filling them with blanks. Cells carry data-model / data-metric
 * so a test can read any of them.
 */
export function AttributionTable({ comparison, grouping, withSpend = true }: { comparison: ModelComparison; grouping: string; withSpend?: boolean }) {
  const metrics = withSpend ? METRICS : CREDIT_METRICS;
  const first = comparison.results[0]?.model;
  const [chosen, setSort] = useState<{ key: SortKey; desc: boolean } | null>(null);
  const valid =
    chosen && (chosen.key === 'label' || (withSpend && chosen.key === 'spend') || comparison.results.some((r) => metrics.some((m) => chosen.key === `${r.model}:${m.key}`)));
  const sort = valid ? chosen : { key: first ? `${first}:conversions` : 'label', desc: Boolean(first) };
  const onSort = (key: SortKey, desc: boolean) => setSort({ key, desc });
  const labels = sortLabels(comparison, sort.key, sort.desc);
  const heading = grouping === 'campaign' ? 'Campaign' : grouping === 'source-medium' ? 'Source / medium' : 'Channel';

  return (
    <div className="table-wrap">
      <table className="data-table attribution-table" data-table="attribution">
        <caption className="visually-hidden">
          Attributed conversions, value{withSpend ? ', spend, cost per conversion and ROAS' : ''} per {heading.toLowerCase()} and model
        </caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2} className="sticky-col" aria-sort={ariaSort(sort, 'label')}>
              <SortButton id="label" label={heading} sort={sort} onSort={onSort} numeric={false}>{heading}</SortButton>
            </th>
            {withSpend ? (
              <th scope="col" rowSpan={2} className="num" aria-sort={ariaSort(sort, 'spend')}>
                <SortButton id="spend" label="Spend" sort={sort} onSort={onSort} numeric>Spend</SortButton>
              </th>
            ) : null}
            {comparison.results.map((r) => (
              <th key={r.model} scope="colgroup" colSpan={metrics.length} className="model-group">
                {modelLabel(r.model)}
              </th>
            ))}
          </tr>
          <tr>
            {comparison.results.flatMap((r) =>
              metrics.map((m) => (
                <th key={`${r.model}:${m.key}`} scope="col" className="num" aria-sort={ariaSort(sort, `${r.model}:${m.key}`)}>
                  <SortButton id={`${r.model}:${m.key}`} label={`${modelLabel(r.model)} ${m.header}`} sort={sort} onSort={onSort} numeric>{m.header}</SortButton>
                </th>
              )),
            )}
          </tr>
        </thead>
        <tbody>
          {labels.map((label) => (
            <tr key={label} data-label={label}>
              <th scope="row" className="sticky-col">{label}</th>
              {withSpend ? <td className="num" data-metric="spend">{formatMoney(comparison.spend.get(label))}</td> : null}
              {comparison.results.flatMap((r) => {
                const cell: AttributionChannel | undefined = comparison.cell(label, r.model);
                return metrics.map((m) => (
                  <td key={`${r.model}:${m.key}`} className="num" data-model={r.model} data-metric={m.key}>
                    {m.format(cell?.[m.key] ?? (m.key === 'conversions' || m.key === 'value' ? 0 : null))}
                  </td>
                ));
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
