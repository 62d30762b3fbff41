import { useState } from 'react';
import { MISSING } from '../lib/format.ts';

/** One readable line per leaf: `address.city`, `products[2].price`. */
export function flattenFields(value: unknown, prefix = '', out: Array<[string, string]> = []): Array<[string, string]> {
  if (value === null || value === undefined) {
    if (prefix) out.push([prefix, MISSING]);
    return out;
  }
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) out.push([prefix || 'value', value.length === 0 ? '(none)' : value.map((v) => (v === null ? MISSING : String(v))).join(', ')]);
    else value.forEach((v, i) => flattenFields(v, `${prefix}[${i}]`, out));
    return out;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.push([prefix, '(empty)']);
    for (const [k, v] of entries) flattenFields(v, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) out.push([prefix || 'value', MISSING]);
  else out.push([prefix || 'value', String(value)]);
  return out;
}

/** Fields of an object as a definition list, the first `max` shown and the rest behind a button. */
export function FieldList({ value, max = 12, label }: { value: unknown; max?: number; label: string }) {
  const [all, setAll] = useState(false);
  const fields = flattenFields(value);
  if (fields.length === 0) return <p className="muted">None.</p>;
  const shown = all ? fields : fields.slice(0, max);
  return (
    <>
      <dl className="fields" aria-label={label}>
        {shown.map(([k, v]) => (
          <div key={k} className="field-row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {fields.length > shown.length ? (
        <button type="button" className="link" onClick={() => setAll(true)}>
          Show {fields.length - shown.length} more
        </button>
      ) : null}
    </>
  );
}

/** What an event is called: the track event's name, the page's name, or its type. */
export function eventTitle(e: { type: string; event: string | null; name: string | null }): string {
  if (e.type === 'track') return e.event ?? 'track';
  if ((e.type === 'page' || e.type === 'screen') && e.name) return `${e.type === 'page' ? 'Page' : 'Screen'}: ${e.name}`;
  return e.type.charAt(0).toUpperCase() + e.type.slice(1);
}
