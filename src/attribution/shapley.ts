/**
 * Shapley-value attribution over channel SETS (order and repeats ignored). Two coalition games:
 *
 * (a) `conversions` (Zhao, Mahboobi & Bagheri 2018): v(S) = conversions of journeys whose
 *     channel set ⊆ S. Its Harsanyi dividends are R(T), the conversions of journeys whose set is
 *     exactly T, so φ_j = Σ_{T∋j} R(T)/|T| (the paper's simplified formula). Value: the same
 *     game on conversion value. Credits sum to the totals without normalising.
 * (b) `conversion-rate`: v(S) = Σ_{T⊆S} CR(T), CR(T) = conv/(conv + nulls) of journeys whose set
 *     is exactly T. Its dividends are CR(T), so φ_j = Σ_{T∋j} CR(T)/|T| as well; the φ are then
 *     normalised: conv(j) = N·φ_j/Σφ, value(j) = V·φ_j/Σφ.
 *
 * Methods: `subsets` evaluates the game on all 2^n coalitions and applies the Shapley formula
 * (exact, any game, n ≤ 22); `dividends` uses the closed form above (exact for both games, any
 * n); `auto` (default) is `subsets` up to 22 channels and `dividends` beyond. Empty paths go to
 * `unattributed`. No rounding.
 *
 * Ordered Shapley (`ordered: true`, game (a) only): each converting path's conversions and value
 * are split equally over its distinct channels, each credited at the position of its first
 * touch among the path's distinct channels (A > A > B: A at 1, B at 2); channel totals equal φ.
 */
import { groupChannelSets, type ChannelSet } from './channel-sets.ts';
import { encodePaths, type EncodedPaths } from './encode.ts';
import { addCredit, buildResult, compareChannels, createLedger, sumPathTotals } from './ledger.ts';
import { computeSubsetShapley, MAX_SUBSET_PLAYERS, zetaTransform } from './subset-shapley.ts';
import type { PathAggregate, PositionCredit, ShapleyResult } from './types.ts';

/** Coalition game: (a) `conversions` or (b) `conversion-rate`. */
export type ShapleyGame = 'conversions' | 'conversion-rate';
/** How to compute the values; see the module comment. */
export type ShapleyMethod = 'auto' | 'subsets' | 'dividends';

/** Options of the Shapley model. */
export interface ShapleyOptions {
  game?: ShapleyGame;
  method?: ShapleyMethod;
  ordered?: boolean;
}

const GAME_WORTH: Record<ShapleyGame, string> = {
  conversions: 'v(S) = conversions (and value) of journeys whose channel set ⊆ S (Zhao et al. 2018)',
  'conversion-rate':
    'v(S) = Σ_{T⊆S} CR(T), CR(T) = conversions/(conversions + nulls) of journeys whose channel set is exactly T; φ normalised to total conversions and value',
};

/** Dividend of a set under the game, for conversions and for value. */
function dividends(game: ShapleyGame, g: ChannelSet): [number, number] {
  if (game === 'conversions') return [g.conversions, g.value];
  const n = g.conversions + g.nulls;
  const cr = n > 0 ? g.conversions / n : 0;
  return [cr, cr];
}

function shapleyByDividends(sets: ChannelSet[], C: number, game: ShapleyGame): [Float64Array, Float64Array] {
  const phi = new Float64Array(C);
  const phiValue = new Float64Array(C);
  for (const g of sets) {
    const [d, dv] = dividends(game, g);
    const m = g.ids.length;
    for (const c of g.ids) {
      phi[c] += d / m;
      phiValue[c] += dv / m;
    }
  }
  return [phi, phiValue];
}

function shapleyBySubsets(sets: ChannelSet[], C: number, game: ShapleyGame): [Float64Array, Float64Array] {
  const size = 1 << C;
  const v = new Float64Array(size);
  const vValue = new Float64Array(size);
  for (const g of sets) {
    let mask = 0;
    for (const c of g.ids) mask |= 1 << c;
    const [d, dv] = dividends(game, g);
    v[mask] += d;
    vValue[mask] += dv;
  }
  zetaTransform(v, C);
  if (game === 'conversion-rate') {
    const [phi] = computeSubsetShapley([v], C);
    return [phi, phi];
  }
  zetaTransform(vValue, C);
  const [phi, phiValue] = computeSubsetShapley([v, vValue], C);
  return [phi, phiValue];
}

/** Per-position credit of ordered Shapley (game (a)); every seen (channel, position) is listed. */
export function computeOrderedShapley(enc: EncodedPaths): PositionCredit[] {
  const C = enc.channels.length;
  const stamp = new Int32Array(C).fill(-1);
  const cells = new Map<number, PositionCredit>();
  const order: number[] = [];
  for (let i = 0; i < enc.conversions.length; i++) {
    order.length = 0;
    for (let t = enc.offsets[i]; t < enc.offsets[i + 1]; t++) {
      const c = enc.touches[t];
      if (stamp[c] !== i) {
        stamp[c] = i;
        order.push(c);
      }
    }
    const m = order.length;
    order.forEach((c, r) => {
      const key = r * C + c;
      let cell = cells.get(key);
      if (!cell) {
        cell = { channel: enc.channels[c], position: r + 1, conversions: 0, value: 0 };
        cells.set(key, cell);
      }
      cell.conversions += enc.conversions[i] / m;
      cell.value += enc.value[i] / m;
    });
  }
  return [...cells.values()].sort((a, b) => compareChannels(a.channel, b.channel) || a.position - b.position);
}

function chooseMethod(method: ShapleyMethod, C: number): 'subsets' | 'dividends' {
  if (method === 'subsets' && C > MAX_SUBSET_PLAYERS) {
    throw new RangeError(
      `Shapley method "subsets" supports at most ${MAX_SUBSET_PLAYERS} channels, got ${C}; use "dividends" (exact for both games)`,
    );
  }
  if (method === 'auto') return C <= MAX_SUBSET_PLAYERS ? 'subsets' : 'dividends';
  return method;
}

/** Shapley attribution; see the module comment for the games and methods. */
export function attributeShapley(paths: readonly PathAggregate[], options: ShapleyOptions = {}): ShapleyResult {
  const game = options.game ?? 'conversions';
  const ordered = options.ordered ?? false;
  if (ordered && game !== 'conversions') throw new RangeError('ordered Shapley is defined for the "conversions" game only');
  const enc = encodePaths(paths);
  const C = enc.channels.length;
  const method = chooseMethod(options.method ?? 'auto', C);
  const sets = groupChannelSets(enc);
  const [phi, phiValue] = method === 'subsets' ? shapleyBySubsets(sets, C, game) : shapleyByDividends(sets, C, game);
  const totals = sumPathTotals(paths);
  const n = totals.conversions - totals.unattributedConversions;
  const v = totals.value - totals.unattributedValue;
  let sum = 0;
  for (const x of phi) sum += x;
  const ledger = createLedger();
  enc.channels.forEach((ch, c) => {
    if (game === 'conversions') addCredit(ledger, ch, phi[c], phiValue[c]);
    else addCredit(ledger, ch, sum > 0 ? (n * phi[c]) / sum : 0, sum > 0 ? (v * phi[c]) / sum : 0);
  });
  const base = buildResult({ model: 'shapley', options: { game, method, ordered }, ledger, totals });
  const shapleyValues = enc.channels
    .map((channel, c) => ({ channel, value: phi[c] }))
    .sort((a, b) => compareChannels(a.channel, b.channel));
  const result: ShapleyResult = { ...base, game: { name: game, worth: GAME_WORTH[game], method }, shapleyValues };
  if (ordered) result.positions = computeOrderedShapley(enc);
  return result;
}
