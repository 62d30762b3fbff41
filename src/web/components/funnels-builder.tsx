import { useId } from 'react';
import type { CatalogEvent } from '../api/catalog.ts';
import { formatCount } from '../lib/format.ts';
import { FILTER_OPS, MAX_STEPS, MIN_STEPS, move, WINDOWS, type FilterDraft, type FilterOp, type FunnelDraft, type StepDraft } from './funnels-state.ts';

const TYPE_GROUPS: ReadonlyArray<{ type: CatalogEvent['type']; label: string }> = [
  { type: 'track', label: 'Events' },
  { type: 'page', label: 'Page views' },
  { type: 'screen', label: 'Screen views' },
];

function stepLabel(head: string): string {
  if (head === 'page') return 'Any page view';
  if (head === 'screen') return 'Any screen view';
  if (head.startsWith('page:')) return `Page: ${head.slice(5)}`;
  if (head.startsWith('screen:')) return `Screen: ${head.slice(7)}`;
  return head;
}

/** The catalog's options for a step, grouped by type; "any page/screen view" always offered. */
function StepOptions({ events, current }: { events: readonly CatalogEvent[]; current: string }) {
  const known = new Set(events.map((e) => e.step));
  return (
    <>
      {!known.has(current) && current !== 'page' && current !== 'screen' ? <option value={current}>{stepLabel(current)} (none in this range)</option> : null}
      {TYPE_GROUPS.map((g) => {
        const list = events.filter((e) => e.type === g.type && e.name !== null);
        const anyCount = events.filter((e) => e.type === g.type).reduce((s, e) => s + e.count, 0);
        if (g.type === 'track' && list.length === 0) return null;
        return (
          <optgroup key={g.type} label={g.label}>
            {g.type !== 'track' ? <option value={g.type}>{`${stepLabel(g.type)} (${formatCount(anyCount)})`}</option> : null}
            {list.map((e) => (
              <option key={e.step} value={e.step}>{`${stepLabel(e.step)} (${formatCount(e.count)})`}</option>
            ))}
          </optgroup>
        );
      })}
    </>
  );
}

/** Property keys seen on a step's events (for the filter and breakdown pickers). */
export function keysOf(events: readonly CatalogEvent[], head: string): string[] {
  if (head === 'page' || head === 'screen') {
    const keys = new Set(events.filter((e) => e.type === head).flatMap((e) => e.properties.map((p) => p.key)));
    return [...keys].sort();
  }
  return events.find((e) => e.step === head)?.properties.map((p) => p.key) ?? [];
}

function FilterRow({ filter, keys, stepNo, index, onChange, onRemove }: { filter: FilterDraft; keys: string[]; stepNo: number; index: number; onChange: (f: FilterDraft) => void; onRemove: () => void }) {
  const listId = useId();
  const where = `step ${stepNo} filter ${index + 1}`;
  return (
    <div className="funnel-filter" role="group" aria-label={`Filter ${index + 1} of step ${stepNo}`}>
      <span className="muted">{index === 0 ? 'where' : 'and'}</span>
      <input type="text" aria-label={`Property of ${where}`} placeholder="property" list={listId} value={filter.key} onChange={(e) => onChange({ ...filter, key: e.target.value.replace(/^properties\./, '') })} />
      <datalist id={listId}>
        {keys.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      <select aria-label={`Operator of ${where}`} value={filter.op} onChange={(e) => onChange({ ...filter, op: e.target.value as FilterOp })}>
        {FILTER_OPS.map((op) => (
          <option key={op} value={op}>
            {op}
          </option>
        ))}
      </select>
      <input type="text" aria-label={`Value of ${where}`} placeholder="value" value={filter.value} onChange={(e) => onChange({ ...filter, value: e.target.value })} />
      <button type="button" className="icon" aria-label={`Remove ${where}`} onClick={onRemove}>
        ✕
      </button>
    </div>
  );
}

function StepRow({ step, index, count, events, onChange, onMove, onRemove }: { step: StepDraft; index: number; count: number; events: readonly CatalogEvent[]; onChange: (s: StepDraft) => void; onMove: (to: number) => void; onRemove: () => void }) {
  const n = index + 1;
  const keys = keysOf(events, step.head);
  return (
    <li className="funnel-step" data-step={n}>
      <div className="funnel-step-head">
        <span className="funnel-step-no" aria-hidden="true">
          {n}
        </span>
        <select aria-label={`Step ${n}`} value={step.head} onChange={(e) => onChange({ head: e.target.value, filters: [] })}>
          <StepOptions events={events} current={step.head} />
        </select>
        <button type="button" onClick={() => onChange({ ...step, filters: [...step.filters, { key: keys[0] ?? '', op: '=', value: '' }] })} disabled={step.filters.length >= 10}>
          + Filter
        </button>
        <span className="funnel-step-tools">
          <button type="button" className="icon" aria-label={`Move step ${n} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>
            ↑
          </button>
          <button type="button" className="icon" aria-label={`Move step ${n} down`} disabled={index === count - 1} onClick={() => onMove(index + 1)}>
            ↓
          </button>
          <button type="button" className="icon" aria-label={`Remove step ${n}`} disabled={count <= MIN_STEPS} onClick={onRemove}>
            ✕
          </button>
        </span>
      </div>
      {step.filters.map((f, i) => (
        <FilterRow
          key={i}
          filter={f}
          keys={keys}
          stepNo={n}
          index={i}
          onChange={(next) => onChange({ ...step, filters: step.filters.map((x, j) => (j === i ? next : x)) })}
          onRemove={() => onChange({ ...step, filters: step.filters.filter((_, j) => j !== i) })}
        />
      ))}
    </li>
  );
}

/** Window, step order, unit and breakdown (a property breakdown offers step 1's keys). */
function FunnelSettings({ draft, firstKeys, onChange }: { draft: FunnelDraft; firstKeys: readonly string[]; onChange: (d: FunnelDraft) => void }) {
  return (
    <div className="toolbar funnel-settings">
      <label>
        Conversion window
        <select value={draft.window} onChange={(e) => onChange({ ...draft, window: e.target.value })}>
          {WINDOWS.some((w) => w.value === draft.window) ? null : <option value={draft.window}>{draft.window}</option>}
          {WINDOWS.map((w) => (
            <option key={w.value} value={w.value}>
              {w.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Step order
        <select value={draft.mode} onChange={(e) => onChange({ ...draft, mode: e.target.value as FunnelDraft['mode'] })}>
          <option value="strict">In this order</option>
          <option value="any">In any order</option>
        </select>
      </label>
      <label>
        Count
        <select value={draft.countBy} onChange={(e) => onChange({ ...draft, countBy: e.target.value as FunnelDraft['countBy'] })}>
          <option value="person">People</option>
          <option value="session">Sessions</option>
        </select>
      </label>
      <label>
        Breakdown
        <select value={draft.by} onChange={(e) => onChange({ ...draft, by: e.target.value })}>
          <option value="">None</option>
          <option value="channel">Channel</option>
          <option value="campaign">Campaign</option>
          {draft.by.startsWith('properties.') && !firstKeys.includes(draft.by.slice(11)) ? <option value={draft.by}>{draft.by}</option> : null}
          {firstKeys.length > 0 ? (
            <optgroup label="Property of step 1">
              {firstKeys.map((k) => (
                <option key={k} value={`properties.${k}`}>
                  {k}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </label>
    </div>
  );
}

/** Picks steps from the catalog, with filters, order, window, mode, unit and breakdown. */
export function FunnelBuilder({ draft, events, onChange }: { draft: FunnelDraft; events: readonly CatalogEvent[]; onChange: (d: FunnelDraft) => void }) {
  const setSteps = (steps: StepDraft[]) => {
    // A property breakdown reads step 1's events: drop it when step 1 changes.
    const by = draft.by.startsWith('properties.') && steps[0]?.head !== draft.steps[0]?.head ? '' : draft.by;
    onChange({ ...draft, steps, by });
  };
  const firstKeys = draft.steps[0] ? keysOf(events, draft.steps[0].head) : [];
  const nextHead = events.find((e) => e.type === 'track' && !draft.steps.some((s) => s.head === e.step))?.step ?? events[0]?.step ?? 'page';
  return (
    <div className="funnel-builder">
      <ol className="funnel-steps" aria-label="Funnel steps">
        {draft.steps.map((s, i) => (
          <StepRow
            key={i}
            step={s}
            index={i}
            count={draft.steps.length}
            events={events}
            onChange={(next) => setSteps(draft.steps.map((x, j) => (j === i ? next : x)))}
            onMove={(to) => setSteps(move(draft.steps, i, to))}
            onRemove={() => setSteps(draft.steps.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <button type="button" onClick={() => setSteps([...draft.steps, { head: nextHead, filters: [] }])} disabled={draft.steps.length >= MAX_STEPS}>
        + Add step
      </button>
      <FunnelSettings draft={draft} firstKeys={firstKeys} onChange={onChange} />
    </div>
  );
}
