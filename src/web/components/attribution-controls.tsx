import type { AttributionGrouping, CompareModel } from '../api/attribution.ts';
import { pickParam, useUrlParams } from '../lib/url-params.ts';
import { COMPARE_MODELS, MODEL_INFO } from './attribution-models.tsx';
import { SelectField } from './select-field.tsx';

export type AttributionMetric = 'conversions' | 'value';

export interface AttributionSettings {
  readonly models: readonly CompareModel[];
  readonly metric: AttributionMetric;
  readonly lookback: string;
  readonly order: number;
  readonly nulls: boolean;
  readonly by: AttributionGrouping;
  readonly halfLife: string;
}

/** The two single-touch rules, the even split and a data-driven model: the classic comparison. */
const DEFAULT_MODELS: readonly CompareModel[] = ['first', 'last', 'linear', 'markov'];
export const LOOKBACKS = ['7d', '14d', '30d', '60d', '90d'] as const;
const HALF_LIVES = ['1d', '3d', '7d', '14d', '30d'] as const;
const ORDERS = ['1', '2', '3', '4'] as const;
export const GROUPINGS: ReadonlyArray<{ id: AttributionGrouping; label: string }> = [
  { id: 'channel', label: 'Channel' },
  { id: 'campaign', label: 'Campaign' },
  { id: 'source-medium', label: 'Source / medium' },
];
const GROUPING_IDS = GROUPINGS.map((g) => g.id);

/** The page's settings, read from and written to the URL. */
export function useAttributionSettings(): [AttributionSettings, (patch: Partial<AttributionSettings>) => void] {
  const [params, setParams] = useUrlParams();
  const listed = params.get('models');
  const models = listed === null ? DEFAULT_MODELS : COMPARE_MODELS.filter((m) => listed.split(',').includes(m));
  const settings: AttributionSettings = {
    models,
    metric: pickParam(params.get('metric'), ['conversions', 'value'], 'conversions'),
    lookback: pickParam(params.get('lookback'), LOOKBACKS, '30d'),
    order: Number(pickParam(params.get('order'), ORDERS, '1')),
    nulls: params.get('nulls') !== 'no',
    by: pickParam(params.get('by'), GROUPING_IDS, 'channel'),
    halfLife: pickParam(params.get('halfLife'), HALF_LIVES, '7d'),
  };
  const update = (patch: Partial<AttributionSettings>) => {
    const out: Record<string, string | null> = {};
    if (patch.models) out.models = patch.models.join(',');
    if (patch.metric) out.metric = patch.metric;
    if (patch.lookback) out.lookback = patch.lookback;
    if (patch.order !== undefined) out.order = String(patch.order);
    if (patch.nulls !== undefined) out.nulls = patch.nulls ? 'yes' : 'no';
    if (patch.by) out.by = patch.by;
    if (patch.halfLife) out.halfLife = patch.halfLife;
    setParams(out);
  };
  return [settings, update];
}


const days = (d: string) => ({ id: d, label: d === '1d' ? '1 day' : `${d.slice(0, -1)} days` });

/**
 * Lookback, Markov order, null paths, grouping and half-life: each one refetches the comparison.
 * For a path file only the Markov settings apply; the others are hidden and the note says why.
 */
export function AttributionToolbar({ settings, onChange, pathFile = false }: { settings: AttributionSettings; onChange: (patch: Partial<AttributionSettings>) => void; pathFile?: boolean }) {
  return (
    <div className="toolbar" role="group" aria-label="Attribution settings">
      {pathFile ? null : (
        <>
          <SelectField label="Group by" name="by" value={settings.by} options={GROUPINGS} onChange={(by) => onChange({ by })} />
          <SelectField label="Lookback window" name="lookback" value={settings.lookback} options={LOOKBACKS.map(days)} onChange={(lookback) => onChange({ lookback })} />
        </>
      )}
      <SelectField
        label="Markov order"
        name="order"
        value={String(settings.order)}
        options={ORDERS.map((o) => ({ id: o, label: o === '1' ? '1 (last step)' : `${o} (last ${o} steps)` }))}
        onChange={(o) => onChange({ order: Number(o) })}
      />
      <SelectField
        label="Null paths"
        name="nulls"
        value={settings.nulls ? 'yes' : 'no'}
        options={[
          { id: 'yes', label: 'Included' },
          { id: 'no', label: 'Left out' },
        ]}
        onChange={(v) => onChange({ nulls: v === 'yes' })}
      />
      {pathFile ? (
        <p className="help toolbar-note" data-note="path-file-settings">
          The date range, grouping, lookback window and time-decay half-life apply to the store’s journeys only: a path file’s rows are whole journeys
          already, per channel and without dates.
        </p>
      ) : (
        <SelectField label="Time-decay half-life" name="halfLife" value={settings.halfLife} options={HALF_LIVES.map(days)} onChange={(halfLife) => onChange({ halfLife })} />
      )}
    </div>
  );
}

/** Which models to compare (checkboxes) and whether bars show conversions or value. */
export function ModelPicker({ settings, onChange }: { settings: AttributionSettings; onChange: (patch: Partial<AttributionSettings>) => void }) {
  const toggle = (m: CompareModel, on: boolean) => onChange({ models: COMPARE_MODELS.filter((x) => (x === m ? on : settings.models.includes(x))) });
  return (
    <div className="attribution-pickers">
      <fieldset className="model-picker">
        <legend>Models</legend>
        {COMPARE_MODELS.map((m) => (
          <label key={m} className="chip" title={MODEL_INFO[m].explain}>
            <input type="checkbox" name="model" value={m} checked={settings.models.includes(m)} onChange={(e) => toggle(m, e.target.checked)} />
            {MODEL_INFO[m].label}
          </label>
        ))}
      </fieldset>
      <fieldset className="segmented">
        <legend className="visually-hidden">Measure</legend>
        {(['conversions', 'value'] as const).map((m) => (
          <label key={m} className={settings.metric === m ? 'active' : undefined}>
            <input type="radio" name="metric" value={m} checked={settings.metric === m} onChange={() => onChange({ metric: m })} />
            {m === 'conversions' ? 'Conversions' : 'Value'}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
