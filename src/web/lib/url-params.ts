import { useLocation, useSearch } from 'wouter';

/**
 * A page's own settings kept in the URL next to the shared range, so a copied link shows the
 * same view. Writes replace the history entry (a toggle is not a page). Works inside nested
 * routes: wouter's useSearchParams would navigate to the nest's base plus "/", adding a trailing
 * slash to the page's path.
 */
export function useUrlParams(): [URLSearchParams, (patch: Record<string, string | null>) => void] {
  const search = useSearch();
  const [, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    const qs = next.toString();
    navigate(`~${window.location.pathname}${qs ? `?${qs}` : ''}`, { replace: true });
  };
  return [params, set];
}

/** `value` when it is one of `allowed`, else `fallback` (hand-edited URLs never break a page). */
export function pickParam<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}
