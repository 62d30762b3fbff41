/**
 * The funnel builder's state and its translation to and from the API's definition. Steps use
 * the API's own text grammar (`Product Viewed where properties.category = 'shoes'`), parsed and
 * formatted by the same pure module the server uses, so a saved or linked funnel reads back
 * exactly as it was built.
 */
import { FILTER_OPS, formatStep, FunnelSyntaxError, MAX_STEPS, MIN_STEPS, parseStepText, type FilterOp, type FunnelStep } from '../../analytics/funnels-definition.ts';
import type { CatalogEvent } from '../api/catalog.ts';
import type { FunnelMode, FunnelSpec, FunnelUnit } from '../api/funnels.ts';

export { FILTER_OPS, MAX_STEPS, MIN_STEPS, type FilterOp };

export interface FilterDraft {
  readonly key: string;
  readonly op: FilterOp;
  /** As typed: numbers and true/false are sent as such, anything else as text. */
  readonly value: string;
}

export interface StepDraft {
  /** The step without filters: `Product Viewed`, `page:Cart`, `page`, `screen:Home`. */
  readonly head: string;
  readonly filters: readonly FilterDraft[];
}

export interface FunnelDraft {
  readonly steps: readonly StepDraft[];
  /** Conversion window, API spelling (`7d`, `1h`). */
  readonly window: string;
  readonly mode: FunnelMode;
  readonly countBy: FunnelUnit;
  /** '' (none), `channel`, `campaign` or `properties.<key>`. */
  readonly by: string;
}

export const WINDOWS: ReadonlyArray<{ readonly value: string; readonly label: string; readonly days: number }> = [
  { value: '1h', label: '1 hour', days: 1 / 24 },
  { value: '1d', label: '1 day', days: 1 },
  { value: '3d', label: '3 days', days: 3 },
  { value: '7d', label: '7 days', days: 7 },
  { value: '14d', label: '14 days', days: 14 },
  { value: '30d', label: '30 days', days: 30 },
  { value: '60d', label: '60 days', days: 60 },
  { value: '90d', label: '90 days', days: 90 },
];
export const DEFAULT_WINDOW = '7d';

/** The classic shop funnel, used as the starting point when these events exist. */
const SHOP_FUNNEL = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'];

/** Days of a window in the API's spelling (`7d`, `12h`, `2w`, `0.5d`); null when unreadable. */
export function windowDays(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([hdw])?$/i.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'd').toLowerCase();
  return unit === 'h' ? n / 24 : unit === 'w' ? n * 7 : n;
}

/** The window option matching a saved window (the API echoes days: `0.0416…d` for 1h). */
export function normalizeWindow(text: string): string {
  const days = windowDays(text);
  if (days === null) return DEFAULT_WINDOW;
  const option = WINDOWS.find((w) => Math.abs(w.days - days) < 1e-6);
  return option ? option.value : `${Number(days.toFixed(4))}d`;
}

function filterValue(text: string): string | number | boolean {
  const t = text.trim();
  if (/^-?(?:\d+(?:\.\d*)?|\.\d+)$/.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return text;
}

/** A step draft as grammar text; filters without a key or value are left out (still being typed). */
export function stepText(step: StepDraft): string {
  const head = parseStepText(step.head);
  const where = step.filters
    .filter((f) => f.key.trim() !== '' && f.value.trim() !== '')
    .map((f) => ({ key: f.key.trim(), op: f.op, value: f.op === 'contains' ? f.value : filterValue(f.value) }));
  return formatStep({ ...head, where });
}

/** A grammar step as a draft; null when the text is not a step. */
export function stepDraft(text: string): StepDraft | null {
  let step: FunnelStep;
  try {
    step = parseStepText(text);
  } catch (err) {
    if (err instanceof FunnelSyntaxError) return null;
    throw err;
  }
  return { head: formatStep({ ...step, where: [] }), filters: step.where.map((f) => ({ key: f.key, op: f.op, value: String(f.value) })) };
}

/** Every step as grammar text; null when a step names no event (nothing can be asked yet). */
function stepTexts(draft: FunnelDraft): string[] | null {
  try {
    return draft.steps.map(stepText);
  } catch (err) {
    if (err instanceof FunnelSyntaxError) return null;
    throw err;
  }
}

const settings = (draft: FunnelDraft) => ({ window: draft.window, mode: draft.mode, countBy: draft.countBy, ...(draft.by ? { by: draft.by } : {}) });

/** The API definition of a draft (no range: the page adds the shared one); null below two steps. */
export function draftSpec(draft: FunnelDraft): FunnelSpec | null {
  const steps = stepTexts(draft);
  return steps && steps.length >= MIN_STEPS ? { steps, ...settings(draft) } : null;
}

/** A saved or linked definition as a draft (unreadable steps are dropped). */
export function specDraft(spec: Pick<FunnelSpec, 'steps' | 'window' | 'mode' | 'countBy' | 'by'>): FunnelDraft {
  return {
    steps: spec.steps.map(stepDraft).filter((s): s is StepDraft => s !== null),
    window: normalizeWindow(spec.window),
    mode: spec.mode === 'any' ? 'any' : 'strict',
    countBy: spec.countBy === 'session' ? 'session' : 'person',
    by: spec.by ?? '',
  };
}

/** A starting funnel from what exists: the shop funnel's steps that were seen, else the top events. */
export function defaultDraft(events: readonly CatalogEvent[]): FunnelDraft {
  const track = events.filter((e) => e.type === 'track' && e.name !== null);
  const shop = SHOP_FUNNEL.filter((name) => track.some((e) => e.name === name));
  const heads = shop.length >= MIN_STEPS ? shop : (track.length >= MIN_STEPS ? track : events).slice(0, 3).map((e) => e.step);
  return { steps: heads.map((head) => ({ head, filters: [] })), window: DEFAULT_WINDOW, mode: 'strict', countBy: 'person', by: '' };
}

/** URL form of a draft (one `funnel` param of JSON, so a link shows the same funnel); null when a step names no event. */
export function encodeDraft(draft: FunnelDraft): string | null {
  const steps = stepTexts(draft);
  return steps ? JSON.stringify({ steps, ...settings(draft) }) : null;
}

/** Reads the `funnel` URL param; null when absent or unreadable (hand-edited links never break the page). */
export function decodeDraft(text: string | null): FunnelDraft | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<FunnelSpec>;
    if (!Array.isArray(value.steps) || !value.steps.every((s) => typeof s === 'string')) return null;
    return specDraft({ steps: value.steps, window: String(value.window ?? DEFAULT_WINDOW), mode: value.mode ?? 'strict', countBy: value.countBy ?? 'person', by: typeof value.by === 'string' ? value.by : undefined });
  } catch {
    return null;
  }
}

/** Moves item `from` to `to` (reordering steps). */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}
