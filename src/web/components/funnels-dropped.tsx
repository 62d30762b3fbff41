import { useEffect, useRef } from 'react';
import { Link } from 'wouter';
import { useDroppedPeople, type FunnelSpec } from '../api/funnels.ts';
import { formatCount } from '../lib/format.ts';
import { Empty, ErrorState, Loading } from './states.tsx';

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isFinite(d.getTime()) ? d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '—';
}

/** The people (or sessions) that reached `step` and not the next, page by page, each linking to their profile. */
export function DroppedPeople({ spec, step, onClose }: { spec: FunnelSpec; step: number; onClose: () => void }) {
  const dropped = useDroppedPeople(spec, step);
  const first = dropped.data?.pages[0];
  const people = dropped.data?.pages.flatMap((p) => p.people) ?? [];
  const bySession = spec.countBy === 'session';
  // The list opens below the chart: bring it into view and move focus to it (keyboard users too).
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [step]);
  return (
    <section className="card funnel-dropped" aria-labelledby="dropped-title" data-dropped-step={step}>
      <div className="page-head">
        <h2 id="dropped-title" ref={heading} tabIndex={-1}>
          {bySession ? 'Sessions' : 'People'} who dropped after step {step}
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {dropped.isPending ? (
        <Loading label="Finding who dropped…" />
      ) : dropped.error ? (
        <ErrorState error={dropped.error} retry={() => void dropped.refetch()} />
      ) : first && first.total === 0 ? (
        <Empty title="Nobody dropped here">Every {bySession ? 'session' : 'person'} that reached this step went on to the next one.</Empty>
      ) : (
        <>
          <p className="help">
            <span data-field="dropped-total">{formatCount(first?.total)}</span> {bySession ? 'sessions' : 'people'} did “{first?.stepLabel}” but not “{first?.nextStepLabel}” within the window. Showing{' '}
            <span data-field="dropped-shown">{formatCount(people.length)}</span>.
          </p>
          <div className="table-wrap">
            <table className="data-table" data-table="funnel-dropped">
              <caption className="visually-hidden">
                {bySession ? 'Sessions' : 'People'} who dropped after step {step}, with when they reached it
              </caption>
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  {bySession ? <th scope="col">Session</th> : null}
                  <th scope="col">Reached step {step}</th>
                </tr>
              </thead>
              <tbody>
                {people.map((p) => (
                  <tr key={bySession ? p.sessionId : p.personId}>
                    <td>
                      <Link href={`~/people/${encodeURIComponent(p.personId)}`}>{p.personId}</Link>
                    </td>
                    {bySession ? <td>{p.sessionId ?? '—'}</td> : null}
                    <td>{when(p.reachedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {dropped.hasNextPage ? (
            <button type="button" onClick={() => void dropped.fetchNextPage()} disabled={dropped.isFetchingNextPage}>
              {dropped.isFetchingNextPage ? 'Loading…' : 'Show more'}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
