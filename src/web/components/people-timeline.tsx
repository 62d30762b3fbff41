import { useMemo } from 'react';
import type { TimelineEvent } from '../api/people.ts';
import { formatDecimal, formatInteger, formatMoney } from '../lib/format.ts';
import { eventTitle, FieldList } from './data-fields.tsx';
import { formatDate, Time } from './data-time.tsx';

function groupByDay(events: readonly TimelineEvent[]): Array<{ day: string; events: TimelineEvent[] }> {
  const groups: Array<{ day: string; events: TimelineEvent[] }> = [];
  for (const e of events) {
    const day = e.timestamp.slice(0, 10);
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.events.push(e);
    else groups.push({ day, events: [e] });
  }
  return groups;
}

function TimelineItem({ e }: { e: TimelineEvent }) {
  const campaign = e.campaign ? [e.campaign.source, e.campaign.medium, e.campaign.name].filter(Boolean).join(' / ') : null;
  const hasProps = e.properties !== null && Object.keys(e.properties).length > 0;
  return (
    <li className="timeline-item" data-type={e.type}>
      <div className="timeline-line">
        <span className="timeline-time">
          <Time iso={e.timestamp} format={(iso) => (iso ? iso.slice(11, 19) : '')} />
        </span>
        <span className="tag">{e.type}</span>
        <strong>{eventTitle(e)}</strong>
        {e.channel ? <span className="tag">{e.channel}</span> : null}
        {e.revenue !== null ? <span className="timeline-revenue">{/^[A-Z]{3}$/.test(e.currency ?? '') ? formatMoney(e.revenue, e.currency!) : formatDecimal(e.revenue)}</span> : null}
      </div>
      {e.pageUrl || campaign ? (
        <div className="timeline-meta muted">
          {e.pageUrl ? <span className="timeline-url">{e.pageUrl}</span> : null}
          {campaign ? <span>campaign {campaign}</span> : null}
        </div>
      ) : null}
      {hasProps ? (
        <details>
          <summary>Properties</summary>
          <FieldList value={e.properties} label={`Properties of ${eventTitle(e)}`} />
        </details>
      ) : null}
    </li>
  );
}

/** The person's events, newest first, grouped by day (UTC), with "load older". */
export function PeopleTimeline({
  events,
  total,
  hasMore,
  loadingMore,
  onLoadMore,
}: {
  events: readonly TimelineEvent[];
  total: number;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) {
  const groups = useMemo(() => groupByDay(events), [events]);
  return (
    <section className="panel section" aria-labelledby="person-timeline">
      <div className="page-head">
        <h2 id="person-timeline">Timeline</h2>
        <span className="muted" data-timeline-count={events.length}>
          {formatInteger(events.length)} of {formatInteger(total)} events
        </span>
      </div>
      {events.length === 0 ? (
        <p className="muted">No events.</p>
      ) : (
        <ol className="timeline" aria-label="Events, newest first">
          {groups.map((g) => (
            <li key={g.day} className="timeline-day">
              <h3>{formatDate(`${g.day}T00:00:00Z`)}</h3>
              <ol>
                {g.events.map((e) => (
                  <TimelineItem key={e.messageId} e={e} />
                ))}
              </ol>
            </li>
          ))}
        </ol>
      )}
      {hasMore ? (
        <button type="button" onClick={onLoadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load older events'}
        </button>
      ) : events.length > 0 ? (
        <p className="muted">The start of this person's history.</p>
      ) : null}
    </section>
  );
}
