import { useEffect, useSyncExternalStore } from 'react';

/**
 * Why the shared date range does not apply to what the page shows right now (e.g. the Attribution
 * page showing an uploaded path file, which has no dates), or null. The range picker sits in the
 * top bar, outside the page, so the page publishes the reason here and the picker reads it.
 */
let reason: string | null = null;
const listeners = new Set<() => void>();

function publish(next: string | null): void {
  reason = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Marks the date range as unused, with a short reason, while `why` is set and the caller is mounted. */
export function useMarkRangeUnused(why: string | null): void {
  useEffect(() => {
    if (why === null) return undefined;
    publish(why);
    return () => publish(null);
  }, [why]);
}

/** The reason the date range is unused right now, or null when it applies. */
export function useRangeUnused(): string | null {
  return useSyncExternalStore(subscribe, () => reason);
}
