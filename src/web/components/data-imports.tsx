import { useImports, type ImportEntry } from '../api/data.ts';
import { formatInteger } from '../lib/format.ts';
import { DataTable, type Column } from './data-table.tsx';
import { Time } from './data-time.tsx';
import { Empty, QueryView } from './states.tsx';

/** Where an import's rejected rows can be read. */
function rejectsWhere(i: ImportEntry): string {
  if (i.rejected === 0) return 'none';
  const file = `${i.file}.rejects.ndjson`;
  // Spend rows are not messages, so only the CLI's rejects file lists them.
  if (i.kind === 'spend') return `${file} (next to the imported file)`;
  return `quarantine (origin import:${i.file}) and ${file}`;
}

function status(i: ImportEntry): { text: string; tone: 'good' | 'warn' | 'bad' } {
  if (i.read > 0 && i.rejected >= i.read) return { text: 'all rejected', tone: 'bad' };
  if (i.rejected > 0) return { text: 'with rejects', tone: 'warn' };
  return { text: 'complete', tone: 'good' };
}

const COLUMNS: readonly Column<ImportEntry>[] = [
  { key: 'started', header: 'Started (UTC)', value: (i) => i.startedAt, render: (i) => <Time iso={i.startedAt} /> },
  { key: 'kind', header: 'Kind', value: (i) => i.kind, render: (i) => <span className="tag">{i.kind}</span> },
  { key: 'file', header: 'File', value: (i) => i.file, render: (i) => <code>{i.file}</code> },
  {
    key: 'status',
    header: 'Status',
    value: (i) => status(i).text,
    render: (i) => {
      const s = status(i);
      return <span className={`tag tag-${s.tone}`}>{s.text}</span>;
    },
  },
  { key: 'read', header: 'Rows read', value: (i) => i.read, render: (i) => formatInteger(i.read), numeric: true },
  { key: 'stored', header: 'Accepted', value: (i) => i.stored, render: (i) => formatInteger(i.stored), numeric: true },
  { key: 'duplicates', header: 'Duplicates', value: (i) => i.duplicates, render: (i) => formatInteger(i.duplicates), numeric: true },
  { key: 'rejected', header: 'Rejected', value: (i) => i.rejected, render: (i) => formatInteger(i.rejected), numeric: true },
  { key: 'where', header: 'Rejects are in', value: (i) => rejectsWhere(i), render: (i) => <span className="cell-wrap">{rejectsWhere(i)}</span> },
];

/** Import runs, newest first, with what was accepted and where the rejects went. */
export function DataImports() {
  const imports = useImports();
  return (
    <section className="panel section" aria-labelledby="imports-title">
      <h2 id="imports-title">Import history</h2>
      <p className="help">
        Bulk loads of past events, CRM customers and ad spend (<code>tributary import events|customers|spend FILE</code>). Re-importing a file stores
        only what is new: the rest counts as duplicates.
      </p>
      <QueryView
        query={imports}
        isEmpty={(d) => d.imports.length === 0}
        empty={
          <Empty title="No imports yet">
            Load history from another tool with <code>tributary import events export.ndjson</code> (Segment-format NDJSON or CSV), customers with{' '}
            <code>tributary import customers crm.csv</code>, and ad spend with <code>tributary import spend spend.csv</code>.
          </Empty>
        }
      >
        {(d) => <DataTable name="imports" caption="Import history, newest first" columns={COLUMNS} rows={d.imports} rowKey={(i) => i.id} />}
      </QueryView>
    </section>
  );
}
