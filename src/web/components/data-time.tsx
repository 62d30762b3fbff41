import { MISSING } from '../lib/format.ts';

/** Times are shown in UTC, the time zone the analytics pages count days in. */
const dateTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });

const parse = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
};

/** "Nov 17, 2026, 20:45:07" (UTC), or "—". */
export function formatDateTime(iso: string | null | undefined): string {
  const ms = parse(iso);
  return ms === null ? MISSING : dateTime.format(ms);
}

/** "Nov 17, 2026" (UTC), or "—". */
export function formatDate(iso: string | null | undefined): string {
  const ms = parse(iso);
  return ms === null ? MISSING : dateOnly.format(ms);
}

/** "12 s ago", "5 min ago", "3 h ago", "4 d ago"; a time in the future reads "just now". */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  const ms = parse(iso);
  if (ms === null) return MISSING;
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** A `<time>` with the exact instant in its tooltip. */
export function Time({ iso, format = formatDateTime }: { iso: string | null | undefined; format?: (iso: string | null | undefined) => string }) {
  const ms = parse(iso);
  if (ms === null) return <span>{MISSING}</span>;
  return (
    <time dateTime={new Date(ms).toISOString()} title={`${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`}>
      {format(iso)}
    </time>
  );
}
