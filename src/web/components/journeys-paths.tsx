import { useState } from 'react';
import type { PathRow, TopPathsReport } from '../api/journeys.ts';
import { formatCount, formatMoney, formatPercent } from '../lib/format.ts';
import { DataTable, type Column } from './data-table.tsx';
import { Empty } from './states.tsx';

type PathList = 'converting' | 'nonConverting';

/** Consecutive repeats folded into one step with a count (Paid Search ×3), so long paths stay readable. */
export function foldSteps(steps: readonly string[]): Array<{ label: string; times: number }> {
  const out: Array<{ label: string; times: number }> = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    if (last && last.label === s) last.times += 1;
    else out.push({ label: s, times: 1 });
  }
  return out;
}

/** Folded steps shown at each end of a long path; the middle is summarised (the full path is in the title). */
const SHOWN_AT_ENDS = 3;

function PathSteps({ row }: { row: PathRow }) {
  const folded = foldSteps(row.steps);
  const long = folded.length > SHOWN_AT_ENDS * 2 + 1;
  const hidden = long ? folded.slice(SHOWN_AT_ENDS, -SHOWN_AT_ENDS).reduce((n, s) => n + s.times, 0) : 0;
  const shown = long ? [...folded.slice(0, SHOWN_AT_ENDS), { label: '', times: hidden }, ...folded.slice(-SHOWN_AT_ENDS)] : folded;
  return (
    <span className="path-steps" data-path={row.path} title={row.path}>
      {shown.map((s, i) => (
        <span key={i} className="path-step">
          {i > 0 ? <span className="path-arrow" aria-hidden="true">›</span> : null}
          {s.label === '' ? (
            <span className="muted">… {s.times} more …</span>
          ) : (
            <span className="tag">
              {s.label}
              {s.times > 1 ? <span className="muted"> ×{s.times}</span> : null}
            </span>
          )}
        </span>
      ))}
    </span>
  );
}

const COLUMNS: readonly Column<PathRow>[] = [
  { key: 'path', header: 'Path', value: (r) => r.path, render: (r) => <PathSteps row={r} /> },
  { key: 'steps', header: 'Touches', value: (r) => r.steps.length, numeric: true },
  { key: 'journeys', header: 'Journeys', value: (r) => r.journeys, render: (r) => formatCount(r.journeys), numeric: true },
  { key: 'conversions', header: 'Conversions', value: (r) => r.conversions, render: (r) => formatCount(r.conversions), numeric: true },
  { key: 'rate', header: 'Conversion rate', value: (r) => r.conversionRate, render: (r) => formatPercent(r.conversionRate), numeric: true },
  { key: 'value', header: 'Value', value: (r) => r.value, render: (r) => formatMoney(r.value), numeric: true },
];

/** In the server's order: by conversions, and by journeys that did not convert. */
const LISTS: ReadonlyArray<{ id: PathList; label: string }> = [
  { id: 'converting', label: 'To conversion' },
  { id: 'nonConverting', label: 'To no conversion' },
];

/** The most converting paths, or the busiest paths that did not convert, with their rates. */
export function TopPaths({ report }: { report: TopPathsReport }) {
  const [list, setList] = useState<PathList>('converting');
  const current = LISTS.find((l) => l.id === list)!;
  const rows = report[list];
  return (
    <>
      <fieldset className="segmented path-list-switch">
        <legend className="visually-hidden">Which paths</legend>
        {LISTS.map((l) => (
          <label key={l.id} className={l.id === list ? 'active' : undefined}>
            <input type="radio" name="path-list" value={l.id} checked={l.id === list} onChange={() => setList(l.id)} />
            {l.label}
          </label>
        ))}
      </fieldset>
      {rows.length === 0 ? (
        <Empty title={list === 'converting' ? 'No converting journeys in this range' : 'Every journey in this range converted'}>
          {list === 'converting' ? 'Pick a longer date range or lookback window.' : null}
        </Empty>
      ) : (
        <DataTable
          key={list}
          name={`paths-${list}`}
          caption={`Top paths ${current.label.toLowerCase()}: journeys, conversions, conversion rate and value`}
          columns={COLUMNS}
          rows={rows}
          rowKey={(r) => r.path}
        />
      )}
    </>
  );
}
