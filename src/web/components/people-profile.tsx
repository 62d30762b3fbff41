import { useMemo, type ReactNode } from 'react';
import { usePersonOrders, type Profile, type ProfileIdentifier, type ProfileTouch } from '../api/people.ts';
import { formatCount, formatDecimal, formatInteger, formatMoney, MISSING } from '../lib/format.ts';
import { DataTable, type Column } from './data-table.tsx';
import { FieldList } from './data-fields.tsx';
import { ProfileConsent } from './people-consent.tsx';
import { formatDate, Time } from './data-time.tsx';

const IDENTIFIER_LABELS: Record<string, string> = {
  user_id: 'User ID',
  anonymous_id: 'Anonymous ID',
  email: 'E-mail',
  phone: 'Phone',
  external_id: 'External ID',
};
const identifierLabel = (kind: string): string => IDENTIFIER_LABELS[kind] ?? kind.replace(/_/g, ' ');

function Kpi({ label, value, name }: { label: string; value: ReactNode; name: string }) {
  return (
    <div className="kpi" data-kpi={name}>
      <div className="label">{label}</div>
      <div className="value">{value}</div>
    </div>
  );
}

/** Revenue in each currency the person paid in, largest first. */
function revenueText(revenue: ReadonlyArray<{ currency: string; amount: number }>): string {
  if (revenue.length === 0) return '0';
  return revenue.map((r) => (/^[A-Z]{3}$/.test(r.currency) ? formatMoney(r.amount, r.currency) : `${formatDecimal(r.amount)} (no currency)`)).join(' + ');
}

/** Activity counts and the orders summary. */
export function ProfileSummary({ profile }: { profile: Profile }) {
  const orders = usePersonOrders(profile.personId, profile.identifiers);
  const o = orders.data;
  const pending = orders.isPending ? '…' : MISSING;
  return (
    <div className="kpis" aria-label="Summary">
      <Kpi name="first-seen" label="First seen" value={formatDate(profile.firstSeen)} />
      <Kpi name="last-seen" label="Last seen" value={formatDate(profile.lastSeen)} />
      <Kpi name="events" label="Events" value={formatInteger(profile.events)} />
      <Kpi name="sessions" label="Sessions" value={formatInteger(profile.sessions)} />
      <Kpi name="touches" label="Touches" value={formatInteger(profile.touches)} />
      <Kpi name="identifiers" label="Identifiers" value={formatInteger(profile.identifiers.length)} />
      <Kpi name="orders" label={o?.conversion && o.conversion !== 'Order Completed' ? `Conversions (${o.conversion})` : 'Orders'} value={o ? `${formatCount(o.orders)}${o.partial ? '+' : ''}` : pending} />
      <Kpi name="revenue" label="Revenue" value={o ? revenueText(o.revenue) : pending} />
    </div>
  );
}

const IDENTIFIER_COLUMNS: readonly Column<ProfileIdentifier>[] = [
  { key: 'kind', header: 'Kind', value: (i) => identifierLabel(i.kind) },
  {
    key: 'value',
    header: 'Value',
    value: (i) => i.value,
    render: (i) => (
      <>
        <code>{i.value}</code>
        {i.hashed ? (
          <span className="tag" title="Stored as a keyed hash: the original is never kept">
            hashed
          </span>
        ) : null}
      </>
    ),
  },
];

/** Identifiers, traits and consent side by side. */
export function ProfileIdentity({ profile }: { profile: Profile }) {
  return (
    <div className="grid grid-2 section people-grid">
      <section className="panel" aria-labelledby="person-ids">
        <h2 id="person-ids">Identifiers</h2>
        <DataTable name="identifiers" caption="Identifiers linked to this person" columns={IDENTIFIER_COLUMNS} rows={profile.identifiers} rowKey={(i) => `${i.kind}:${i.value}`} />
        <p className="help">E-mail and phone are stored only as keyed hashes; search for them by their value above.</p>
      </section>
      <section className="panel" aria-labelledby="person-traits">
        <h2 id="person-traits">Traits</h2>
        {Object.keys(profile.traits).length === 0 ? (
          <p className="muted">No traits yet: they come from identify calls (and CRM imports).</p>
        ) : (
          <FieldList value={profile.traits} label="Traits" max={16} />
        )}
        <p className="help">Personal fields (name, e-mail, phone, address) are masked unless your role may see personal data.</p>
      </section>
      <ProfileConsent personId={profile.personId} />
    </div>
  );
}

const TOUCH_COLUMNS: readonly Column<ProfileTouch>[] = [
  { key: 'at', header: 'Time (UTC)', value: (t) => t.at, render: (t) => <Time iso={t.at} /> },
  { key: 'channel', header: 'Channel', value: (t) => t.channel, render: (t) => <span className="tag">{t.channel}</span> },
  { key: 'sm', header: 'Source / medium', value: (t) => `${t.source} / ${t.medium}` },
  { key: 'campaign', header: 'Campaign', value: (t) => t.campaign ?? MISSING },
  { key: 'kind', header: 'Touch', value: (t) => (t.kind === 'session' ? 'Visit' : (t.event ?? t.kind)) },
];

/** Channels the person came through and the touches behind them. */
export function ProfileTouches({ profile }: { profile: Profile }) {
  const channels = useMemo(() => {
    const counts = new Map<string, number>();
    for (const t of profile.recentTouches) counts.set(t.channel, (counts.get(t.channel) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }, [profile.recentTouches]);
  const shown = profile.recentTouches.length;
  return (
    <section className="panel section" aria-labelledby="person-touches">
      <h2 id="person-touches">Channels and touches</h2>
      {shown === 0 ? (
        <p className="muted">No marketing touches: no visit or ad/e-mail click has been attributed to this person yet.</p>
      ) : (
        <>
          <ul className="chips" aria-label="Channels">
            {channels.map(([channel, n]) => (
              <li key={channel} className="tag">
                {channel} <span className="muted">×{n}</span>
              </li>
            ))}
          </ul>
          <p className="help">
            {shown < profile.touches ? `The latest ${formatInteger(shown)} of ${formatInteger(profile.touches)} touches.` : `All ${formatInteger(profile.touches)} touches.`}{' '}
            A touch is a visit's traffic source or a click on an ad or e-mail.
          </p>
          <DataTable name="touches" caption="The person's latest touches" columns={TOUCH_COLUMNS} rows={profile.recentTouches} rowKey={(t) => `${t.at}|${t.kind}|${t.event ?? ''}`} />
        </>
      )}
    </section>
  );
}
