/**
 * Token bucket per key: `ratePerSecond` sustained, `burst` at once. `take` answers how many
 * seconds to wait when the bucket is empty (for Retry-After), or 0 when the request may pass.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  take(key: string, now: number, cost = 1): number {
    if (this.ratePerSecond <= 0) return 0;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((cost - bucket.tokens) / this.ratePerSecond));
  }
}
