import { useId, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { LIVE_REFRESH_MS, useEvents, useSources, type StoredEvent } from '../api/data.ts';
import { formatInteger, MISSING } from '../lib/format.ts';
import { DataTable, type Column } from './data-table.tsx';
import { eventTitle } from './data-fields.tsx';
import { formatAgo, Time } from './data-time.tsx';
import { KEY_PLACEHOLDER, serverUrl } from './data-snippets.tsx';
import { Empty, QueryView } from './states.tsx';

const TYPES = ['track', 'page', 'identify', 'screen', 'group', 'alias'] as const;
const SHOWN = 25;

const personLink = (kind: 'userId' | 'anonymousId', id: string | null) =>
  id ? (
    <Link href={`~/people?${new URLSearchParams({ kind, q: id }).toString()}`} title="Open this person's profile">
      {id}
    </Link>
  ) : (
    <span className="muted">{MISSING}</span>
  );

function eventColumns(sourceNames: ReadonlyMap<string, string>): Column<StoredEvent>[] {
  return [
    { key: 'received', header: 'Received', value: (e) => e.receivedAt, render: (e) => <Time iso={e.receivedAt} format={formatAgo} /> },
    { key: 'time', header: 'Event time (UTC)', value: (e) => e.timestamp, render: (e) => <Time iso={e.timestamp} /> },
    { key: 'type', header: 'Type', value: (e) => e.type, render: (e) => <span className="tag">{e.type}</span> },
    { key: 'event', header: 'Event', value: (e) => eventTitle(e) },
    { key: 'userId', header: 'User ID', value: (e) => e.userId, render: (e) => personLink('userId', e.userId) },
    { key: 'anonymousId', header: 'Anonymous ID', value: (e) => e.anonymousId, render: (e) => personLink('anonymousId', e.anonymousId) },
    { key: 'channel', header: 'Channel', value: (e) => e.channel ?? MISSING },
    { key: 'source', header: 'Source', value: (e) => sourceNames.get(e.sourceId) ?? e.sourceId },
  ];
}

/** How a new user sends the first event: curl against this server. */
export function FirstEventHelp() {
  return (
    <Empty title="No events yet">
      <p>Send a first event with a source's write key (printed when the server first started, or create a source above), then watch it arrive here:</p>
      <pre className="snippet-inline">
        <code>{`curl -u '${KEY_PLACEHOLDER}:' ${serverUrl()}/v1/track \\
  -H 'content-type: application/json' \\
  -d '{"userId": "u-123", "event": "Signed Up"}'`}</code>
      </pre>
    </Empty>
  );
}

/** The latest events, refreshed every few seconds until paused. */
export function DataEvents({ live, onLiveChange }: { live: boolean; onLiveChange: (live: boolean) => void }) {
  const [type, setType] = useState('');
  const typeId = useId();
  const events = useEvents({ type: type || undefined, limit: SHOWN }, live);
  const sources = useSources();
  const columns = useMemo(() => eventColumns(new Map((sources.data?.sources ?? []).map((s) => [s.id, s.name]))), [sources.data]);
  return (
    <section className="panel section" aria-labelledby="events-title">
      <div className="page-head">
        <h2 id="events-title">Recent events</h2>
        <span className="muted live-status" role="status" aria-live="off">
          {live ? `Live: updates every ${LIVE_REFRESH_MS / 1000} s` : 'Paused'}
          {events.isFetching && live ? ' · refreshing' : ''}
        </span>
      </div>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={typeId}>Type</label>
          <select id={typeId} value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All types</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <button type="button" aria-pressed={!live} onClick={() => onLiveChange(!live)}>
          {live ? 'Pause' : 'Resume'}
        </button>
      </div>
      <QueryView query={events} isEmpty={(d) => d.total === 0} empty={type ? <Empty title={`No ${type} events yet`}>Choose “All types” to see every event.</Empty> : <FirstEventHelp />}>
        {(d) => (
          <>
            <p className="help" data-events-total={d.total}>
              The latest {formatInteger(Math.min(d.events.length, SHOWN))} of {formatInteger(d.total)} stored {type ? `${type} ` : ''}events, newest received first.
              Click an id to open the person.
            </p>
            <DataTable name="events" caption="Recent events, newest first" columns={columns} rows={d.events} rowKey={(e) => e.messageId} />
          </>
        )}
      </QueryView>
    </section>
  );
}
