import { useEffect, useState } from 'react';
import { PRESETS, useDateRange, type PresetId } from '../lib/date-range.ts';

/**
 * The shared date range: presets and a custom from/to, written to the URL. `unused` (why the page
 * shows something without dates) disables it and says so in place of the days.
 */
export function DateRangePicker({ unused = null }: { unused?: string | null }) {
  const [range, setRange] = useDateRange();
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  useEffect(() => {
    setFrom(range.from);
    setTo(range.to);
  }, [range.from, range.to]);
  const invalid = from === '' || to === '' || to < from;

  return (
    <form
      className="date-range"
      aria-label="Date range"
      onSubmit={(e) => {
        e.preventDefault();
        if (!invalid) setRange({ preset: 'custom', from, to });
      }}
    >
      <label>
        <span className="visually-hidden">Preset range</span>
        <select
          name="preset"
          value={range.preset}
          disabled={unused !== null}
          onChange={(e) => {
            const preset = e.target.value as PresetId;
            if (preset !== 'custom') setRange({ preset });
            else setRange({ preset: 'custom', from: range.from, to: range.to });
          }}
        >
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {unused !== null ? (
        <span className="range-days" data-range-unused="">
          {unused}
        </span>
      ) : range.preset === 'custom' ? (
        <>
          <label>
            <span className="visually-hidden">From</span>
            <input type="date" name="from" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <span aria-hidden="true">–</span>
          <label>
            <span className="visually-hidden">To</span>
            <input type="date" name="to" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit" disabled={invalid}>
            Apply
          </button>
        </>
      ) : (
        <span className="range-days" aria-live="polite">
          {range.from} – {range.to}
        </span>
      )}
    </form>
  );
}
