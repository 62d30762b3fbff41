import { Link, Route, Switch, useParams } from 'wouter';
import { ApiError } from '../api/client.ts';
import { usePerson } from '../api/people.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { PeopleSearchForm, PeopleSearchView, PersonNotFound } from '../components/people-search.tsx';
import { ProfileIdentity, ProfileSummary, ProfileTouches } from '../components/people-profile.tsx';
import { PeopleTimeline } from '../components/people-timeline.tsx';

/** The id in the path; a malformed escape is taken as typed. */
function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** One person: summary, identity, touches and the paged timeline. */
function PersonView({ personId }: { personId: string }) {
  const person = usePerson(personId);
  if (person.isPending) return <Loading label="Loading the profile…" />;
  if (person.error instanceof ApiError && person.error.status === 404) return <PersonNotFound what={`the id “${personId}”`} />;
  if (person.error && !person.data) return <ErrorState error={person.error} retry={() => void person.refetch()} />;
  const pages = person.data!.pages;
  const profile = pages[0];
  const timeline = pages.flatMap((p) => p.timeline);
  return (
    <article aria-labelledby="person-title" data-person={profile.personId}>
      <h2 id="person-title" className="person-title">
        Person <code>{profile.personId}</code>
      </h2>
      {profile.mergedFrom ? (
        <p className="help">
          This person was merged from <code>{profile.mergedFrom}</code>: links to the old id open this profile.
        </p>
      ) : null}
      {profile.personId.startsWith('anon:') || profile.personId.startsWith('user:') ? (
        <p className="help">Not linked to other identifiers yet: this profile shows one {profile.personId.startsWith('anon:') ? 'anonymous' : 'user'} id's activity.</p>
      ) : null}
      <ProfileSummary profile={profile} />
      <ProfileIdentity profile={profile} />
      <ProfileTouches profile={profile} />
      <PeopleTimeline
        events={timeline}
        total={profile.events}
        hasMore={person.hasNextPage}
        loadingMore={person.isFetchingNextPage}
        onLoadMore={() => void person.fetchNextPage()}
      />
      {person.error ? <ErrorState error={person.error} retry={() => void person.fetchNextPage()} /> : null}
    </article>
  );
}

function PersonRoute() {
  const { id = '' } = useParams<{ id: string }>();
  const personId = decodeId(id);
  return (
    <>
      <PeopleSearchForm />
      <p className="back-link">
        <Link href="~/people">← Search</Link>
      </p>
      <PersonView key={personId} personId={personId} />
    </>
  );
}

/** People: find a customer by any identifier and see everything known about them. */
export default function PeoplePage() {
  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">People</h1>
      </div>
      <p className="help">
        Find a customer by user id, anonymous id, e-mail or phone: their identifiers across devices, traits, the channels that brought them, and every
        event they sent.
      </p>
      <Switch>
        <Route path="/:id" component={PersonRoute} />
        <Route component={PeopleSearchView} />
      </Switch>
    </section>
  );
}
