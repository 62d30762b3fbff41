import { Fragment, useState } from 'react';
import { useCan, useClearQuarantine, useQuarantine, type QuarantinedMessage } from '../api/data.ts';
import { formatInteger } from '../lib/format.ts';
import { FieldList } from './data-fields.tsx';
import { Time } from './data-time.tsx';
import { Empty, QueryView } from './states.tsx';

const PAGE = 25;

/** `userId: is required` (or `userId or anonymousId: …`) → field and message; a reason without a field is all message. */
export function splitReason(reason: string): { field: string | null; message: string } {
  const m = /^([A-Za-z_$][\w$.[\]-]*(?: or [A-Za-z_$][\w$.[\]-]*)*): (.+)$/s.exec(reason);
  return m ? { field: m[1], message: m[2] } : { field: null, message: reason };
}

/** The payload as sent; JSON is indented so it can be read. */
function readablePayload(payload: string | null): string {
  if (payload === null) return '(not kept)';
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

function originText(m: QuarantinedMessage): string {
  if (m.origin.startsWith('import:')) return `import ${m.origin.slice(7)}${m.index !== null ? `, line ${m.index}` : ''}`;
  return m.index !== null ? `${m.origin}, message ${m.index}` : m.origin;
}

function QuarantineRow({ m, open, onToggle }: { m: QuarantinedMessage; open: boolean; onToggle: () => void }) {
  const { field, message } = splitReason(m.reason);
  const details = m.details !== null && typeof m.details === 'object' && Object.keys(m.details).length > 0 ? m.details : null;
  return (
    <Fragment>
      <tr data-quarantine-id={m.id}>
        <td>
          <Time iso={m.receivedAt} />
        </td>
        <td>{originText(m)}</td>
        <td>{field ? <code>{field}</code> : <span className="muted">message</span>}</td>
        <td className="wrap">{message}</td>
        <td>
          <button type="button" className="link" aria-expanded={open} aria-controls={`payload-${m.id}`} onClick={onToggle}>
            {open ? 'Hide payload' : 'Show payload'}
          </button>
        </td>
      </tr>
      {open ? (
        <tr id={`payload-${m.id}`} className="expanded">
          <td colSpan={5}>
            {details ? <FieldList value={details} label="Rejection details" /> : null}
            <pre className="payload">
              <code>{readablePayload(m.payload)}</code>
            </pre>
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

/** Deletes every rejected message after a confirmation that says what is lost. */
function ClearQuarantine({ total, onCleared }: { total: number; onCleared: () => void }) {
  const clear = useClearQuarantine();
  return (
    <p className="row-actions">
      <button
        type="button"
        disabled={clear.isPending}
        onClick={() => {
          const question = `Delete all ${formatInteger(total)} rejected messages? They cannot be imported again afterwards: download them first to keep them.`;
          if (window.confirm(question)) clear.mutate(undefined, { onSuccess: onCleared });
        }}
      >
        {clear.isPending ? 'Deleting…' : 'Delete all rejected messages'}
      </button>
      {clear.error ? (
        <span role="alert" className="error-text">
          {clear.error.message}
        </span>
      ) : null}
    </p>
  );
}

/** Rejected messages with their reasons, newest first; each row expands to the payload as received. */
export function DataQuarantine({ live }: { live: boolean }) {
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const quarantine = useQuarantine(PAGE, offset, live && offset === 0);
  // The export carries personal data opened, to be imported again.
  const canExport = useCan('pii:read');
  const canClear = useCan('data:write');
  return (
    <section className="panel section" aria-labelledby="quarantine-title">
      <h2 id="quarantine-title">Quarantine</h2>
      <p className="help">
        Messages that can never be stored as sent (a missing id, a bad timestamp, a malformed import row) are kept here with the reason, so you can
        fix the sender. Valid messages of the same batch are stored. To keep the rejected ones, download them as NDJSON, correct them and import the
        file as events.
      </p>
      <QueryView
        query={quarantine}
        isEmpty={(d) => d.total === 0}
        empty={<Empty title="Nothing rejected">Every message received so far was valid.</Empty>}
      >
        {(d) => (
          <>
            <p className="help" data-quarantine-total={d.total}>
              {formatInteger(d.total)} rejected messages; showing {formatInteger(d.total === 0 ? 0 : offset + 1)}–{formatInteger(offset + d.messages.length)}, newest first.
              {canExport ? (
                <>
                  {' '}
                  <a href="/api/quarantine/export.ndjson" download="rejected-messages.ndjson">
                    Download all as NDJSON
                  </a>{' '}
                  (oldest first, personal data included).
                </>
              ) : null}
            </p>
            {canClear ? <ClearQuarantine total={d.total} onCleared={() => setOffset(0)} /> : null}
            <div className="table-wrap quarantine-wrap">
              <table className="data-table" data-table="quarantine">
                <caption className="visually-hidden">Rejected messages, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Received (UTC)</th>
                    <th scope="col">Origin</th>
                    <th scope="col">Field</th>
                    <th scope="col">Reason</th>
                    <th scope="col">
                      <span className="visually-hidden">Payload</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.messages.map((m) => (
                    <QuarantineRow key={m.id} m={m} open={open === m.id} onToggle={() => setOpen(open === m.id ? null : m.id)} />
                  ))}
                </tbody>
              </table>
            </div>
            <div className="pager">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Newer
              </button>
              <button type="button" disabled={offset + d.messages.length >= d.total} onClick={() => setOffset(offset + PAGE)}>
                Older
              </button>
            </div>
          </>
        )}
      </QueryView>
    </section>
  );
}
