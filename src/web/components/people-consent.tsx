import { ApiError } from '../api/client.ts';
import { usePersonConsent, type PersonConsent } from '../api/people.ts';
import { formatDateTime, Time } from './data-time.tsx';
import { ErrorState, Loading } from './states.tsx';

const BASIS: Record<string, string> = {
  consent: 'their consent',
  region: "their region's default",
  default: 'the default policy',
};

const HISTORY_SHOWN = 5;

function Preferences({ preferences }: { preferences: Readonly<Record<string, boolean>> }) {
  const entries = Object.entries(preferences).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted">No categories stated.</p>;
  return (
    <ul className="chips" aria-label="Consent categories">
      {entries.map(([category, granted]) => (
        <li key={category} className={`tag ${granted ? 'tag-good' : 'tag-bad'}`}>
          {category}: {granted ? 'granted' : 'refused'}
        </li>
      ))}
    </ul>
  );
}

function ConsentBody({ consent }: { consent: PersonConsent }) {
  const purposes = Object.entries(consent.purposes);
  return (
    <>
      {consent.preferences === null ? (
        <p className="muted">This person never stated consent: each purpose follows the default policy or their region's.</p>
      ) : (
        <>
          <Preferences preferences={consent.preferences} />
          <p className="help">Last changed {formatDateTime(consent.updatedAt)} UTC.</p>
        </>
      )}
      {purposes.length > 0 ? (
        <dl className="fields" aria-label="Use of their data by purpose">
          {purposes.map(([purpose, d]) => (
            <div key={purpose} className="field-row">
              <dt>{purpose}</dt>
              <dd>
                <span className={`tag ${d.allowed ? 'tag-good' : 'tag-bad'}`}>{d.allowed ? 'allowed' : 'not allowed'}</span> by {BASIS[d.basis] ?? d.basis}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {consent.history.length > 0 ? (
        <details>
          <summary>Changes ({consent.history.length})</summary>
          <ol className="consent-history">
            {consent.history.slice(0, HISTORY_SHOWN).map((h) => (
              <li key={`${h.messageId}|${h.changedAt}`}>
                <Time iso={h.changedAt} /> via {h.via}:{' '}
                {Object.entries(h.preferences)
                  .map(([c, g]) => `${c} ${g ? 'granted' : 'refused'}`)
                  .join(', ') || 'no categories'}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </>
  );
}

/** The person's consent, when the server tracks it. */
export function ProfileConsent({ personId }: { personId: string }) {
  const consent = usePersonConsent(personId);
  // A server without consent tracking has no such route: say nothing rather than fail.
  if (consent.error instanceof ApiError && consent.error.status === 404) return null;
  return (
    <section className="panel" aria-labelledby="person-consent">
      <h2 id="person-consent">Consent</h2>
      {consent.isPending ? <Loading /> : consent.error ? <ErrorState error={consent.error} retry={() => void consent.refetch()} /> : <ConsentBody consent={consent.data} />}
    </section>
  );
}
