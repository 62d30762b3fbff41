import type { JourneyGrouping } from '../api/journeys.ts';
import { pickParam, useUrlParams } from '../lib/url-params.ts';
import { SelectField } from './select-field.tsx';

export interface JourneySettings {
  readonly lookback: string;
  readonly by: JourneyGrouping;
  /** Sankey steps, 1–10. */
  readonly depth: number;
  /** Paths per list. */
  readonly limit: number;
}

const LOOKBACKS = ['7d', '14d', '30d', '60d', '90d'] as const;
const DEPTHS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] as const;
const LIMITS = ['10', '25', '50'] as const;
export const JOURNEY_GROUPINGS: ReadonlyArray<{ id: JourneyGrouping; label: string }> = [
  { id: 'channel', label: 'Channel' },
  { id: 'campaign', label: 'Campaign' },
  { id: 'source-medium', label: 'Source / medium' },
];

/** The page's settings, read from and written to the URL. */
export function useJourneySettings(): [JourneySettings, (patch: Partial<JourneySettings>) => void] {
  const [params, setParams] = useUrlParams();
  const settings: JourneySettings = {
    lookback: pickParam(params.get('lookback'), LOOKBACKS, '30d'),
    by: pickParam(params.get('by'), JOURNEY_GROUPINGS.map((g) => g.id), 'channel'),
    depth: Number(pickParam(params.get('depth'), DEPTHS, '4')),
    limit: Number(pickParam(params.get('limit'), LIMITS, '10')),
  };
  const update = (patch: Partial<JourneySettings>) => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) out[key] = String(value);
    setParams(out);
  };
  return [settings, update];
}


/** Grouping and lookback: they define the journeys, so they drive every view on the page. */
export function JourneyToolbar({ settings, onChange }: { settings: JourneySettings; onChange: (patch: Partial<JourneySettings>) => void }) {
  return (
    <div className="toolbar" role="group" aria-label="Journey settings">
      <SelectField label="Steps by" name="by" value={settings.by} options={JOURNEY_GROUPINGS} onChange={(v) => onChange({ by: v as JourneyGrouping })} />
      <SelectField
        label="Lookback window"
        name="lookback"
        value={settings.lookback}
        options={LOOKBACKS.map((d) => ({ id: d, label: `${d.slice(0, -1)} days` }))}
        onChange={(lookback) => onChange({ lookback })}
      />
    </div>
  );
}

/** How many steps the Sankey follows before every journey goes to its outcome. */
export function DepthControl({ depth, onChange }: { depth: number; onChange: (depth: number) => void }) {
  return (
    <div className="toolbar inline-toolbar">
      <SelectField label="Flow depth" name="depth" value={String(depth)} options={DEPTHS.map((d) => ({ id: d, label: d === '1' ? '1 step' : `${d} steps` }))} onChange={(d) => onChange(Number(d))} />
    </div>
  );
}

export function LimitControl({ limit, onChange }: { limit: number; onChange: (limit: number) => void }) {
  return (
    <div className="toolbar inline-toolbar">
      <SelectField label="Paths listed" name="limit" value={String(limit)} options={LIMITS.map((l) => ({ id: l, label: `Top ${l}` }))} onChange={(l) => onChange(Number(l))} />
    </div>
  );
}
