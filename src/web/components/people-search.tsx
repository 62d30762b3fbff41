import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError } from '../api/client.ts';
import { useEvents } from '../api/data.ts';
import { detectKind, usePersonLookup, type SearchKind } from '../api/people.ts';
import { Empty, ErrorState, Loading, QueryView } from './states.tsx';
import { DataTable, type Column } from './data-table.tsx';
import { formatAgo, Time } from './data-time.tsx';
import type { StoredEvent } from '../api/data.ts';

export const KIND_LABELS: Record<SearchKind, string> = {
  auto: 'Auto-detect',
  userId: 'User ID',
  anonymousId: 'Anonymous ID',
  email: 'E-mail',
  phone: 'Phone',
};
const KINDS = Object.keys(KIND_LABELS) as SearchKind[];
const isKind = (v: string | null): v is SearchKind => v !== null && (KINDS as string[]).includes(v);

/** The People page's search for a value (`?` keeps the page's own path: no trailing slash). */
export const searchHref = (kind: SearchKind, q: string): string => `?${new URLSearchParams({ kind, q }).toString()}`;

/** The profile path of a person, relative to the People page. */
export const personHref = (personId: string): string => `/${encodeURIComponent(personId)}`;

/** The search form: a kind (or auto-detect) and a value; submitting puts both in the URL. */
export function PeopleSearchForm({ initialKind = 'auto', initialValue = '' }: { initialKind?: SearchKind; initialValue?: string }) {
  const [, navigate] = useLocation();
  const [kind, setKind] = useState<SearchKind>(initialKind);
  const [value, setValue] = useState(initialValue);
  const hintId = useId();
  const detected = kind === 'auto' && value.trim() !== '' ? detectKind(value) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = value.trim();
    if (v === '') return;
    navigate(searchHref(kind, v));
  };

  return (
    <form className="toolbar people-search" role="search" aria-label="Find a person" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${hintId}-kind`}>Identifier</label>
        <select id={`${hintId}-kind`} value={kind} onChange={(e) => setKind(e.target.value as SearchKind)}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      <div className="field grow">
        <label htmlFor={`${hintId}-value`}>Value</label>
        <input
          id={`${hintId}-value`}
          type="search"
          name="q"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="usr_123, jane@example.com, +14155550123"
          aria-describedby={hintId}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <button type="submit" className="primary" disabled={value.trim() === ''}>
        Find person
      </button>
      <p id={hintId} className="help search-hint">
        {detected === 'email' || detected === 'phone'
          ? `Looks like ${detected === 'email' ? 'an e-mail' : 'a phone number'}: matched by its keyed hash, never stored in the clear.`
          : 'Auto-detect: an @ means an e-mail, a leading + a phone number; anything else is tried as a user id, then an anonymous id.'}
      </p>
    </form>
  );
}

/** The state for an identifier nobody has. */
export function PersonNotFound({ what }: { what: string }) {
  return (
    <div className="state state-empty" data-state="not-found" role="status">
      <strong>No person has that identifier</strong>
      <div>
        Nothing matches {what}. Check the spelling and the identifier kind: e-mails and phone numbers are matched as they were sent in
        identify traits (case and spaces do not matter), user ids exactly.
      </div>
    </div>
  );
}

/** The People page without a person: looks up `?kind=&q=` and opens the profile, or shows recent users. */
export function PeopleSearchView() {
  const params = new URLSearchParams(useSearch());
  const q = params.get('q') ?? '';
  const kindParam = params.get('kind');
  const kind: SearchKind = isKind(kindParam) ? kindParam : 'auto';
  const lookup = usePersonLookup(kind, q);
  const [, navigate] = useLocation();
  const personId = lookup.data;

  useEffect(() => {
    // Replace, so Back does not land on a search that would open the profile again.
    if (personId) navigate(personHref(personId), { replace: true });
  }, [personId, navigate]);

  let result = null;
  if (q.trim() !== '') {
    if (lookup.isPending || personId) result = <Loading label="Looking up…" />;
    else if (lookup.error instanceof ApiError && lookup.error.status === 404) result = <PersonNotFound what={`${KIND_LABELS[kind].toLowerCase()} “${q}”`} />;
    else if (lookup.error) result = <ErrorState error={lookup.error} retry={() => void lookup.refetch()} />;
  }
  return (
    <>
      <PeopleSearchForm key={`${kind}|${q}`} initialKind={kind} initialValue={q} />
      {result ?? <RecentPeople />}
    </>
  );
}

const RECENT_COLUMNS: readonly Column<StoredEvent>[] = [
  {
    key: 'who',
    header: 'Person',
    value: (e) => e.userId ?? e.anonymousId,
    render: (e) => {
      const kind = e.userId ? 'userId' : 'anonymousId';
      const id = (e.userId ?? e.anonymousId)!;
      return <Link href={searchHref(kind, id)}>{id}</Link>;
    },
  },
  { key: 'kind', header: 'Id kind', value: (e) => (e.userId ? 'User ID' : 'Anonymous ID') },
  { key: 'received', header: 'Identified', value: (e) => e.receivedAt, render: (e) => <Time iso={e.receivedAt} format={formatAgo} /> },
  { key: 'time', header: 'Event time (UTC)', value: (e) => e.timestamp, render: (e) => <Time iso={e.timestamp} /> },
];

/** The latest identify calls, as a starting point before anyone is searched for. */
function RecentPeople() {
  const identifies = useEvents({ type: 'identify', limit: 25 }, false);
  return (
    <section className="panel section" aria-labelledby="recent-people">
      <h2 id="recent-people">Recently identified</h2>
      <QueryView
        query={identifies}
        isEmpty={(d) => d.events.length === 0}
        empty={
          <Empty title="Nobody has been identified yet">
            People appear here when your site or app sends an <code>identify</code> call with a <code>userId</code> or traits such as an e-mail.
            See the <Link href="~/data">Data</Link> page for a write key and code to send one.
          </Empty>
        }
      >
        {(d) => (
          <DataTable
            name="recent-people"
            caption="People from the latest identify calls"
            columns={RECENT_COLUMNS}
            rows={dedupe(d.events)}
            rowKey={(e) => e.messageId}
          />
        )}
      </QueryView>
    </section>
  );
}

/** One row per person id (a person identified twice in a row is listed once). */
function dedupe(events: readonly StoredEvent[]): StoredEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const id = e.userId ?? e.anonymousId;
    if (!id || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
