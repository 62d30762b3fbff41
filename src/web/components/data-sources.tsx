import { useId, useState, type FormEvent } from 'react';
import { useCan, useCreateSource, useRevokeSource, useRotateSource, useSources, type CreatedSource, type Source } from '../api/data.ts';
import { DataTable, type Column } from './data-table.tsx';
import { Time } from './data-time.tsx';
import { buildSnippets, CopyButton, KEY_PLACEHOLDER, serverUrl, SnippetTabs } from './data-snippets.tsx';
import { Empty, QueryView } from './states.tsx';

const BASE_COLUMNS: readonly Column<Source>[] = [
  { key: 'name', header: 'Name', value: (s) => s.name, render: (s) => <strong>{s.name}</strong> },
  { key: 'id', header: 'Source id', value: (s) => s.id, render: (s) => <code>{s.id}</code> },
  { key: 'hint', header: 'Write key', value: (s) => s.keyHint, render: (s) => <code title="Only the last characters are known">{s.keyHint}</code> },
  { key: 'created', header: 'Created (UTC)', value: (s) => s.createdAt, render: (s) => <Time iso={s.createdAt} /> },
  {
    key: 'status',
    header: 'Status',
    value: (s) => (s.revoked ? 'revoked' : 'active'),
    render: (s) => <span className={`tag ${s.revoked ? 'tag-bad' : 'tag-good'}`}>{s.revoked ? 'revoked' : 'active'}</span>,
  },
];

/** Rotate and revoke, each confirmed first: both stop the current key at once. */
function SourceActions({ source, onRotated }: { source: Source; onRotated: (created: CreatedSource) => void }) {
  const rotate = useRotateSource();
  const revoke = useRevokeSource();
  if (source.revoked) return <span className="muted">—</span>;
  const busy = rotate.isPending || revoke.isPending;
  const error = rotate.error ?? revoke.error;
  return (
    <span className="row-actions">
      <button
        type="button"
        disabled={busy}
        aria-label={`Rotate the write key of ${source.name}`}
        onClick={() => {
          if (window.confirm(`Rotate the write key of “${source.name}”? The current key stops working at once; the new one is shown once.`)) rotate.mutate(source.id, { onSuccess: onRotated });
        }}
      >
        Rotate key
      </button>
      <button
        type="button"
        disabled={busy}
        aria-label={`Revoke ${source.name}`}
        onClick={() => {
          if (window.confirm(`Revoke “${source.name}”? Events sent with its key will be refused; events already stored stay.`)) revoke.mutate(source.id);
        }}
      >
        Revoke
      </button>
      {error ? (
        <span role="alert" className="error-text">
          {error.message}
        </span>
      ) : null}
    </span>
  );
}

/** The form that creates a source; its answer carries the write key, shown once. */
function CreateSourceForm({ onCreated }: { onCreated: (created: CreatedSource) => void }) {
  const create = useCreateSource();
  const [name, setName] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(name.trim(), {
      onSuccess: (created) => {
        setName('');
        onCreated(created);
      },
    });
  };
  return (
    <form className="toolbar create-source" onSubmit={submit} aria-label="Create a source">
      <label className="grow">
        New source name
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="Website, iOS app, Backend…" maxLength={100} />
      </label>
      <button type="submit" className="primary" disabled={name.trim() === '' || create.isPending}>
        {create.isPending ? 'Creating…' : 'Create source'}
      </button>
      {create.error ? (
        <p role="alert" className="error-text">
          {create.error.message}
        </p>
      ) : null}
    </form>
  );
}

/** The just-created key: shown in full once, with a copy button and a warning. */
function NewKeyCallout({ created }: { created: CreatedSource }) {
  return (
    <div className="callout" role="status" data-new-key={created.source.id}>
      <strong>New write key for “{created.source.name}”</strong>
      <div className="key-line">
        <code className="write-key" data-write-key>
          {created.writeKey}
        </code>
        <CopyButton text={created.writeKey} label="Copy the write key" />
      </div>
      <p>Copy it now: it is shown only this once. Tributary keeps only a hash of it, so it cannot show it again.</p>
    </div>
  );
}

/**
 * Sources with their key hints, a form to create one, and code to send events with a chosen
 * source's key. Only a source created on this visit has its key in the code.
 */
export function DataSources() {
  const sources = useSources();
  const canManage = useCan('sources:manage');
  const [created, setCreated] = useState<CreatedSource | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const selectId = useId();
  const list = sources.data?.sources ?? [];
  const active = list.filter((s) => !s.revoked);
  const selected = active.find((s) => s.id === chosen) ?? (created ? active.find((s) => s.id === created.source.id) : undefined) ?? active[0];
  const key = created && selected && created.source.id === selected.id ? created.writeKey : null;
  const snippets = buildSnippets(serverUrl(), key ?? KEY_PLACEHOLDER);
  const showKey = (c: CreatedSource) => {
    setCreated(c);
    setChosen(c.source.id);
  };
  const columns: readonly Column<Source>[] = canManage
    ? [...BASE_COLUMNS, { key: 'actions', header: 'Actions', value: () => null, render: (s) => <SourceActions source={s} onRotated={showKey} /> }]
    : BASE_COLUMNS;

  return (
    <section className="panel section" aria-labelledby="sources-title">
      <h2 id="sources-title">Sources and write keys</h2>
      <p className="help">
        Each site, app or backend sends events with its source's write key (the HTTP Basic user name, as with Segment). Create one source per
        place that sends data, so you can tell them apart and revoke one without touching the others.
      </p>
      <QueryView query={sources} isEmpty={(d) => d.sources.length === 0} empty={<Empty title="No sources yet">Create one below to get a write key.</Empty>}>
        {(d) => <DataTable name="sources" caption="Sources" columns={columns} rows={d.sources} rowKey={(s) => s.id} />}
      </QueryView>
      {canManage ? <CreateSourceForm onCreated={showKey} /> : <p className="help">Your role can see sources but not create or change them; ask an admin for a write key.</p>}
      {created ? <NewKeyCallout created={created} /> : null}
      <h3>Send events</h3>
      {active.length > 0 ? (
        <div className="toolbar">
          <div className="field">
            <label htmlFor={selectId}>Source</label>
            <select id={selectId} value={selected?.id ?? ''} onChange={(e) => setChosen(e.target.value)}>
              {active.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.keyHint})
                </option>
              ))}
            </select>
          </div>
        </div>
      ) : null}
      {key === null ? (
        <p className="help" data-key-hidden>
          The code shows <code>{KEY_PLACEHOLDER}</code>: write keys are stored only as hashes, so the key of {selected ? `“${selected.name}”` : 'a source'} cannot be shown
          again. Use the key you saved when the source was created (the first one is printed when the server first starts), or rotate the key
          or create a new source to get a fresh one.
        </p>
      ) : (
        <p className="help">The code below contains “{selected?.name}”'s new write key. Anyone with it can send events to this source (a key in browser code is public, as with Segment).</p>
      )}
      <SnippetTabs snippets={snippets} label="Code to send events" />
    </section>
  );
}
