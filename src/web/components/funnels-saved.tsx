import { useState, type FormEvent } from 'react';
import { useDeleteFunnel, useSaveFunnel, useSavedFunnels, type FunnelSpec, type SavedFunnel } from '../api/funnels.ts';
import { ErrorState, Loading } from './states.tsx';

function describe(spec: FunnelSpec): string {
  return `${spec.steps.length} steps · ${spec.window} window${spec.mode === 'any' ? ' · any order' : ''}${spec.countBy === 'session' ? ' · sessions' : ''}${spec.by ? ` · by ${spec.by}` : ''}`;
}

/** Saves the current funnel under a name (saving an existing name replaces it). */
export function SaveFunnelForm({ spec, initialName }: { spec: FunnelSpec | null; initialName: string }) {
  const [name, setName] = useState(initialName);
  const save = useSaveFunnel();
  const [savedAs, setSavedAs] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!spec || name.trim() === '') return;
    save.mutate({ name: name.trim(), definition: spec }, { onSuccess: (f) => setSavedAs(f.name) });
  };
  return (
    <form className="funnel-save" onSubmit={submit} aria-label="Save this funnel">
      <label className="field">
        Funnel name
        <input type="text" value={name} maxLength={100} placeholder="e.g. Checkout" onChange={(e) => setName(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={!spec || name.trim() === '' || save.isPending}>
        {save.isPending ? 'Saving…' : 'Save funnel'}
      </button>
      <span role="status" aria-live="polite" className="muted">
        {save.error ? <span className="error-text">{save.error.message}</span> : savedAs ? `Saved as “${savedAs}”.` : null}
      </span>
    </form>
  );
}

/** The saved funnels: load one into the builder, or delete it (`canEdit`: the role may change definitions). */
export function SavedFunnels({ current, onLoad, canEdit }: { current: string | null; onLoad: (f: SavedFunnel) => void; canEdit: boolean }) {
  const saved = useSavedFunnels();
  const remove = useDeleteFunnel();
  if (saved.isPending) return <Loading label="Loading saved funnels…" />;
  if (saved.error) return <ErrorState error={saved.error} retry={() => void saved.refetch()} />;
  if (saved.data.length === 0) return <p className="muted">No saved funnels yet.{canEdit ? ' Build one above and save it with a name to find it here.' : ''}</p>;
  return (
    <>
      {remove.error ? (
        <p role="alert" className="error-text">
          {remove.error.message}
        </p>
      ) : null}
      <ul className="saved-funnels" aria-label="Saved funnels">
        {saved.data.map((f) => (
          <li key={f.name} data-saved={f.name} className={f.name === current ? 'current' : undefined}>
            <div>
              <strong>{f.name}</strong>
              <div className="muted">{describe(f.definition)}</div>
            </div>
            <span className="saved-funnel-actions">
              <button type="button" onClick={() => onLoad(f)} aria-label={`Load funnel ${f.name}`}>
                Load
              </button>
              {canEdit ? (
                <button
                  type="button"
                  aria-label={`Delete funnel ${f.name}`}
                  disabled={remove.isPending}
                  onClick={() => {
                    if (window.confirm(`Delete the saved funnel “${f.name}”?`)) remove.mutate(f.name);
                  }}
                >
                  Delete
                </button>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
