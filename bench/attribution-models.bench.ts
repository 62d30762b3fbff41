/**
 * Attribution model benchmark: `node --import tsx bench/attribution-models.bench.ts`.
 *
 * Generates synthetic journeys deterministically (mulberry32, seed 20240501; 12 channels with
 * Zipf-like popularity, 1–10 touches with sticky repeats, ~8 % conversion), aggregates them to
 * unique paths on numeric keys, then times order-1, order-3 (and, untargeted, order-4) Markov
 * and Shapley on 1M and 10M journeys: median of 3 after a warm-up run, whose time is shown as
 * `cold`, with the ratio to each target. Each line also shows a few of the model's numbers so a
 * run proves the work was done. Timings cover everything a model does from `PathAggregate[]`
 * (encoding, counting, solving); generating the journeys is not timed against a target. */
import { attributeMarkov, attributeShapley, type AttributionResult, type PathAggregate } from '../src/attribution/index.ts';
import { mulberry32 } from '../test/helpers/prng.ts';

const CHANNELS = ['search', 'social', 'email', 'display', 'direct', 'affiliate', 'video', 'referral', 'sms', 'push', 'podcast', 'print'];
const BASE = CHANNELS.length + 1;

/** Cumulative Zipf(0.8) popularity over the channels. */
function channelCdf(): Float64Array {
  const w = CHANNELS.map((_, i) => 1 / Math.pow(i + 1, 0.8));
  const total = w.reduce((a, b) => a + b, 0);
  const cdf = new Float64Array(w.length);
  let acc = 0;
  w.forEach((x, i) => {
    acc += x / total;
    cdf[i] = acc;
  });
  return cdf;
}

/** Per-channel lift of the conversion odds (deterministic, so models have something to find). */
const LIFT = CHANNELS.map((_, i) => 0.6 + ((i * 7) % 12) / 10);

/** Generates `journeys` journeys and aggregates them to unique paths. */
function generatePaths(journeys: number, seed: number): PathAggregate[] {
  const rand = mulberry32(seed);
  const cdf = channelCdf();
  const index = new Map<number, number>();
  const keys: number[] = [];
  const conv: number[] = [];
  const value: number[] = [];
  const nulls: number[] = [];
  const draw = (): number => {
    const u = rand();
    let c = 0;
    while (c < cdf.length - 1 && u > cdf[c]) c++;
    return c;
  };
  for (let j = 0; j < journeys; j++) {
    let len = 1;
    while (len < 10 && rand() < 0.645) len++;
    let key = 0;
    let prev = -1;
    let lift = 0;
    for (let t = 0; t < len; t++) {
      const c = prev >= 0 && rand() < 0.2 ? prev : draw();
      key = key * BASE + c + 1;
      lift += LIFT[c];
      prev = c;
    }
    const converted = rand() < 0.05 * (lift / len) * Math.sqrt(len);
    let i = index.get(key);
    if (i === undefined) {
      i = keys.length;
      index.set(key, i);
      keys.push(key);
      conv.push(0);
      value.push(0);
      nulls.push(0);
    }
    if (converted) {
      conv[i]++;
      value[i] += 20 + Math.floor(rand() * 8000) / 100;
    } else nulls[i]++;
  }
  return keys.map((k, i) => {
    const path: string[] = [];
    for (let x = k; x > 0; x = Math.floor(x / BASE)) path.unshift(CHANNELS[(x % BASE) - 1]);
    return { path, conversions: conv[i], value: value[i], nulls: nulls[i] };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeIt<T>(fn: () => T, runs = 3): { seconds: number; cold: number; result: T } {
  const c0 = performance.now();
  let result = fn();
  const cold = (performance.now() - c0) / 1000;
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    result = fn();
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(times), cold, result };
}

function top(r: AttributionResult): string {
  return [...r.channels]
    .sort((a, b) => b.conversions - a.conversions)
    .slice(0, 3)
    .map((c) => `${c.channel} ${c.conversions.toFixed(1)}${c.removalEffect === null ? '' : ` (RE ${c.removalEffect.toFixed(4)})`}`)
    .join(', ');
}

function report(
  label: string,
  target: number | null,
  timing: { seconds: number; cold: number; result: AttributionResult },
  extra = '',
): void {
  const { seconds, cold, result: r } = timing;
  const sum = r.channels.reduce((a, c) => a + c.conversions, 0);
  console.log(
    `${label.padEnd(30)} ${seconds.toFixed(3)} s  ` +
      (target === null ? 'no target              ' : `target ≤ ${target.toFixed(1)} s  ratio ${(seconds / target).toFixed(2)}`) +
      `  (cold ${cold.toFixed(3)} s)` +
      `  ${extra}Σ credit ${sum.toFixed(1)} / ${r.totalConversions}  top: ${top(r)}`,
  );
}

function runSize(label: string, journeys: number, targets: { m1: number; m3: number; shapley: number | null }): void {
  const t0 = performance.now();
  const paths = generatePaths(journeys, 20240501);
  const gen = (performance.now() - t0) / 1000;
  const conv = paths.reduce((a, p) => a + p.conversions, 0);
  console.log(
    `\n${label}: ${journeys.toLocaleString('en-US')} journeys → ${paths.length.toLocaleString('en-US')} unique paths, ` +
      `conversion ${((100 * conv) / journeys).toFixed(2)} %, generated in ${gen.toFixed(1)} s`,
  );
  const m1 = timeIt(() => attributeMarkov(paths, { order: 1 }));
  report(`markov order 1 (${label})`, targets.m1, m1, `P(conv) ${m1.result.conversionProbability?.toFixed(6)}  `);
  const m3 = timeIt(() => attributeMarkov(paths, { order: 3 }));
  report(`markov order 3 (${label})`, targets.m3, m3, `${m3.result.stateCount} states  `);
  const m4 = timeIt(() => attributeMarkov(paths, { order: 4 }));
  report(`markov order 4 (${label})`, null, m4, `${m4.result.stateCount} states  `);
  const sh = timeIt(() => attributeShapley(paths));
  report(`shapley (${label})`, targets.shapley, sh, `${sh.result.game.method}  `);
}

runSize('1M', 1_000_000, { m1: 0.3, m3: 0.6, shapley: 0.5 });
runSize('10M', 10_000_000, { m1: 2, m3: 3.5, shapley: null });
