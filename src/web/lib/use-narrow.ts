import { useEffect, useState } from 'react';

/** The dashboard's phone breakpoint (styles.css stacks grids below it). */
export const NARROW_QUERY = '(max-width: 760px)';

/** Whether the viewport is phone-narrow, kept current as it changes (charts shorten their labels). */
export function useNarrow(query = NARROW_QUERY): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setNarrow(list.matches);
    update();
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return narrow;
}
