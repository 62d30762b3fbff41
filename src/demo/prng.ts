/**
 * Seeded pseudo-random numbers for the demo world.
 *
 * The generator must be byte-for-byte reproducible across runs, machines and Node versions, so it
 * uses only 32-bit integer arithmetic (`Math.imul`, `| 0`, `>>> 0`) and never `Math.random`.
 * The core is sfc32 (Chris Doty-Humphrey's "small fast counting" generator, PractRand-clean,
 * period ≥ 2^32 thanks to its counter word). Each person gets an independent stream seeded from
 * (world seed, person index, purpose), so a person can be re-simulated alone, in any order, and
 * yield the same life twice — which is what lets `events()` stream without holding the world.
 */

/** murmur3's 32-bit finaliser: a bijection on uint32 with good avalanche, used to spread seeds. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lower-case, zero-padded hexadecimal of a uint32 (8 characters); table-driven, it is on the hot path. */
export function hex8(value: number): string {
  return HEX_BYTE[(value >>> 24) & 255] + HEX_BYTE[(value >>> 16) & 255] + HEX_BYTE[(value >>> 8) & 255] + HEX_BYTE[value & 255];
}

/** Streams are separated by purpose so adding draws to one never shifts another. */
export const STREAM = {
  person: 0x9e3779b9,
  media: 0x7f4a7c15,
  offline: 0x94d049bb,
  catalog: 0x2545f491,
} as const;

/**
 * A seeded random source. All draws are deterministic functions of the seed words and the number
 * of previous draws; see the module comment for why.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Distinct seed triples give distinct sfc32 states (mix32 is a bijection per word). */
  constructor(seed: number, index = 0, stream = 0) {
    this.a = mix32(seed ^ 0x6a09e667);
    this.b = mix32(index ^ 0xbb67ae85);
    this.c = mix32(stream ^ 0x3c6ef372);
    this.d = 1;
    // Warm-up so nearby seeds (index 0, 1, 2…) decorrelate before the first draw is used.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** Next uint32 (sfc32 step). */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, maxExclusive). */
  int(min: number, maxExclusive: number): number {
    return min + Math.floor(this.next() * (maxExclusive - min));
  }

  /** True with probability p (p ≤ 0 never, p ≥ 1 always). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal by Box–Muller (one value per call; the twin is discarded for simplicity). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1] so log is finite
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Lognormal with the given *arithmetic* mean and log-scale sigma:
   * exp(μ + σZ) with μ = ln(mean) − σ²/2, so E[X] = mean.
   */
  lognormal(mean: number, sigma: number): number {
    return Math.exp(Math.log(mean) - (sigma * sigma) / 2 + sigma * this.normal());
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /**
   * Poisson(λ). Inversion with one uniform for λ < 30 (the demo's rates are small, so this is
   * the hot path); a rounded normal approximation above, where the error is negligible here.
   * λ ≤ 0 returns 0.
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda >= 30) {
      return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    }
    const u = this.next();
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    while (u > cdf && k < 200) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }

  /** Geometric number of failures before a success with probability p (mean (1−p)/p). */
  geometric(p: number): number {
    if (p >= 1) return 0;
    return Math.floor(Math.log(1 - this.next()) / Math.log(1 - p));
  }

  /**
   * Index drawn with probability weights[i] / Σ weights. Zero weights are never drawn; if every
   * weight is zero the last index is returned (callers guarantee a positive total).
   */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0 && weights[i] > 0) return i;
    }
    return weights.length - 1;
  }

  /** One element uniformly at random (the array must not be empty). */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}
