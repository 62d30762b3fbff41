import { TributaryError } from '../errors/index.ts';
import type { Store } from '../store/index.ts';
import { formatStep, toFunnelSpec, type FunnelDefinition, type FunnelSpec, type FunnelUnit } from './funnels-definition.ts';
import { parseFunnelDefinition, splitFunnelInput, type DroppedPage } from './funnels-request.ts';
import { assembleFunnelReport, type FunnelReport, type FunnelSummaryRow } from './funnels-report.ts';
import { funnelDroppedSql, funnelSummarySql, type UnitOptions } from './funnels.sql.ts';
import { deleteSavedFunnelSql, getSavedFunnelSql, listSavedFunnelsSql, upsertSavedFunnelSql } from './funnels-saved.sql.ts';

/** Breakdown groups shown before the rest is folded into "(other)". */
export const FUNNEL_BREAKDOWN_GROUPS = 25;

export interface SavedFunnel {
  readonly name: string;
  readonly definition: FunnelSpec;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DroppedUnit {
  readonly personId: string;
  /** Session mode only: the session that dropped. */
  readonly sessionId?: string;
  /** When the unit reached the step it dropped after. */
  readonly reachedAt: string;
}

export interface DroppedPeoplePage {
  readonly step: number;
  readonly stepLabel: string;
  readonly nextStepLabel: string;
  readonly countBy: FunnelUnit;
  /** Every unit that dropped after this step (all pages). */
  readonly total: number;
  readonly people: readonly DroppedUnit[];
  readonly nextCursor: string | null;
}

/** Which people a funnel may count (consent for analytics); absent: everyone. */
export interface FunnelOptions {
  readonly personAllowed?: UnitOptions['personAllowed'];
}

/** The funnel report of a definition (counts, rates, times; breakdown groups). */
export async function runFunnel(store: Store, definition: FunnelDefinition, options: FunnelOptions = {}): Promise<FunnelReport> {
  const rows = await store.query<FunnelSummaryRow>(funnelSummarySql(store.dialect, definition, FUNNEL_BREAKDOWN_GROUPS, options.personAllowed));
  return assembleFunnelReport(definition, rows);
}

const encodeCursor = (unit: string): string => Buffer.from(unit, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const unit = Buffer.from(cursor, 'base64url').toString('utf8');
  if (unit === '' || encodeCursor(unit) !== cursor) throw new TributaryError('bad_request', 'cursor: not a cursor from a previous page');
  return unit;
}

/** One page of the people (or sessions) that reached `page.step` and not the next step, by id. */
export async function listDroppedPeople(store: Store, definition: FunnelDefinition, page: DroppedPage, options: FunnelOptions = {}): Promise<DroppedPeoplePage> {
  const n = definition.steps.length;
  if (page.step > n - 1) throw new TributaryError('bad_request', `step: must be 1 to ${n - 1} (people who dropped between step k and k+1)`);
  const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
  const rows = await store.query<{ unit: string; person_id: string; reached_ms: number; total: number }>(
    funnelDroppedSql(store.dialect, { ...definition, breakdown: null }, page.step, page.limit, after, options.personAllowed),
  );
  const more = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  const bySession = definition.countBy === 'session';
  return {
    step: page.step,
    stepLabel: formatStep(definition.steps[page.step - 1]),
    nextStepLabel: formatStep(definition.steps[page.step]),
    countBy: definition.countBy,
    total: rows.length > 0 ? rows[0].total : 0,
    people: shown.map((r) => ({
      personId: r.person_id,
      ...(bySession ? { sessionId: r.unit } : {}),
      reachedAt: new Date(r.reached_ms).toISOString(),
    })),
    nextCursor: more ? encodeCursor(shown[shown.length - 1].unit) : null,
  };
}

interface SavedRow {
  name: string;
  definition: string;
  created_at: string;
  updated_at: string;
}

function toSaved(row: SavedRow): SavedFunnel {
  return { name: row.name, definition: JSON.parse(row.definition) as FunnelSpec, createdAt: row.created_at, updatedAt: row.updated_at };
}

export async function listSavedFunnels(store: Store): Promise<SavedFunnel[]> {
  return (await store.query<SavedRow>(listSavedFunnelsSql())).map(toSaved);
}

export async function getSavedFunnel(store: Store, name: string): Promise<SavedFunnel> {
  const [row] = await store.query<SavedRow>(getSavedFunnelSql(name));
  if (!row) throw new TributaryError('not_found', `saved: no saved funnel named "${name}"`);
  return toSaved(row);
}

/** Validates and saves (or replaces) a definition under a name; stores its canonical spec. */
export async function saveFunnel(store: Store, name: string, input: unknown): Promise<SavedFunnel> {
  const spec = toFunnelSpec(parseFunnelDefinition(input));
  await store.exec(upsertSavedFunnelSql(name, JSON.stringify(spec), new Date()));
  return getSavedFunnel(store, name);
}

export async function deleteSavedFunnel(store: Store, name: string): Promise<void> {
  const rows = await store.transaction((tx) => tx.query<{ name: string }>(deleteSavedFunnelSql(name)));
  if (rows.length === 0) throw new TributaryError('not_found', `saved: no saved funnel named "${name}"`);
}

/**
 * The definition of a request: its own fields, or a saved funnel's (`saved: name`) with any
 * other given fields (window, mode, countBy, by, from, to) overriding the saved ones.
 */
export async function resolveFunnelDefinition(store: Store, input: unknown): Promise<FunnelDefinition> {
  const { saved, rest } = splitFunnelInput(input);
  if (saved === null) return parseFunnelDefinition(rest);
  const found = await getSavedFunnel(store, saved);
  return parseFunnelDefinition({ ...found.definition, ...rest });
}
