/**
 * Absorption probabilities of an absorbing Markov chain with two absorbing states (conversion,
 * null). For transient states, x = Q x + r, i.e. (I − Q) x = r, where Q holds transient →
 * transient probabilities and r_s = P(s → conversion); x_s = P(eventually converting | at s).
 *
 * Removing states (Markov removal effects) fixes x_t = 0 for them: every transition into a
 * removed state is redirected to the null state.
 *
 * Small systems (n ≤ 64) are solved directly by Gaussian elimination with partial pivoting;
 * larger ones by Gauss–Seidel over a CSR matrix, self-loops solved exactly
 * (x_s = (r_s + Σ_{t≠s} q_st x_t)/(1 − q_ss)), sweeping states in reverse id order (ids follow
 * discovery along paths, so later ids lie deeper and converge first), until the largest update
 * is ≤ 1e-14.
 */

/** Transient part of the chain in CSR form (self-loops kept apart in `diag`). */
export interface AbsorbingSystem {
  n: number;
  rowStart: Int32Array;
  col: Int32Array;
  prob: Float64Array;
  diag: Float64Array;
  reward: Float64Array;
}

/** Solver choice; `auto` is direct for n ≤ 64, Gauss–Seidel above. */
export type AbsorptionSolver = 'auto' | 'direct' | 'gauss-seidel';

/** Largest system solved directly under `auto`. */
export const DIRECT_SOLVE_MAX_STATES = 64;
const TOLERANCE = 1e-14;
const MAX_SWEEPS = 200_000;

/**
 * x_s = P(conversion | s) for every transient state. `removed[s] = 1` pins x_s = 0. `start`
 * (optional) warm-starts Gauss–Seidel from a vector ≥ the answer (e.g. the unremoved solution).
 */
export function solveAbsorption(
  sys: AbsorbingSystem,
  removed: Uint8Array | null = null,
  solver: AbsorptionSolver = 'auto',
  start: Float64Array | null = null,
): Float64Array {
  const direct = solver === 'direct' || (solver === 'auto' && sys.n <= DIRECT_SOLVE_MAX_STATES);
  return direct ? solveDirect(sys, removed) : solveGaussSeidel(sys, removed, start);
}

function solveDirect(sys: AbsorbingSystem, removed: Uint8Array | null): Float64Array {
  const n = sys.n;
  const a = new Float64Array(n * n);
  const b = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    a[s * n + s] = 1;
    if (removed && removed[s]) continue;
    a[s * n + s] -= sys.diag[s];
    b[s] = sys.reward[s];
    for (let e = sys.rowStart[s]; e < sys.rowStart[s + 1]; e++) a[s * n + sys.col[e]] -= sys.prob[e];
  }
  return gaussianElimination(a, b, n);
}

/** Solves the dense n×n system a x = b in place (partial pivoting). */
export function gaussianElimination(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]) > Math.abs(a[p * n + k])) p = i;
    if (a[p * n + k] === 0) throw new Error('absorbing chain: singular system (a state never leaves)');
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j];
        a[k * n + j] = a[p * n + j];
        a[p * n + j] = t;
      }
      const t = b[k];
      b[k] = b[p];
      b[p] = t;
    }
    const pivot = a[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] / pivot;
      if (f === 0) continue;
      for (let j = k; j < n; j++) a[i * n + j] -= f * a[k * n + j];
      b[i] -= f * b[k];
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= a[i * n + j] * x[j];
    x[i] = s / a[i * n + i];
  }
  return x;
}

function solveGaussSeidel(sys: AbsorbingSystem, removed: Uint8Array | null, start: Float64Array | null): Float64Array {
  const { n, rowStart, col, prob, diag, reward } = sys;
  const x = start ? Float64Array.from(start) : new Float64Array(n);
  const inv = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    if (removed && removed[s]) x[s] = 0;
    else inv[s] = 1 / (1 - diag[s]);
  }
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let delta = 0;
    for (let s = n - 1; s >= 0; s--) {
      if (removed && removed[s]) continue;
      let acc = reward[s];
      for (let e = rowStart[s]; e < rowStart[s + 1]; e++) acc += prob[e] * x[col[e]];
      const next = acc * inv[s];
      const d = Math.abs(next - x[s]);
      if (d > delta) delta = d;
      x[s] = next;
    }
    if (delta <= TOLERANCE) return x;
  }
  throw new Error(`absorbing chain: Gauss–Seidel did not converge in ${MAX_SWEEPS} sweeps; use solver "direct"`);
}
