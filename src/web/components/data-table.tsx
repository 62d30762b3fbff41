import { useMemo, useState, type ReactNode } from 'react';

export interface Column<Row> {
  readonly key: string;
  readonly header: string;
  /** The value sorted on (numbers sort numerically; null/undefined last). */
  readonly value: (row: Row) => number | string | null | undefined;
  /** How the cell reads; defaults to the value. */
  readonly render?: (row: Row) => ReactNode;
  readonly numeric?: boolean;
}

/** A sortable table: click (or Enter on) a header to sort, again to reverse. */
export function DataTable<Row>({
  name,
  caption,
  columns,
  rows,
  rowKey,
  initialSort,
  onRowClick,
  footer,
}: {
  name: string;
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  initialSort?: { key: string; desc: boolean };
  onRowClick?: (row: Row) => void;
  /** Rows kept below the sorted body (e.g. totals), as <tr> elements. */
  footer?: ReactNode;
}) {
  const [sort, setSort] = useState(initialSort ?? null);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const col = columns.find((c) => c.key === sort.key);
    if (!col) return rows;
    const dir = sort.desc ? -1 : 1;
    return [...rows].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      if (x === y) return 0;
      if (x === null || x === undefined || (typeof x === 'number' && !Number.isFinite(x))) return 1;
      if (y === null || y === undefined || (typeof y === 'number' && !Number.isFinite(y))) return -1;
      return (x < y ? -1 : 1) * dir;
    });
  }, [rows, columns, sort]);

  return (
    <div className="table-wrap">
      <table className="data-table" data-table={name}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={active ? (sort!.desc ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" className="sort" onClick={() => setSort({ key: c.key, desc: active ? !sort!.desc : c.numeric === true })}>
                    {c.header}
                    <span aria-hidden="true">{active ? (sort!.desc ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={rowKey(row)} className={onRowClick ? 'clickable' : undefined} onClick={onRowClick ? () => onRowClick(row) : undefined}>
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {c.render ? c.render(row) : String(c.value(row) ?? '—')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {footer ? <tfoot>{footer}</tfoot> : null}
      </table>
    </div>
  );
}
