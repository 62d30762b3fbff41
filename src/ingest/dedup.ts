/**
 * Remembers recently stored messageIds per source so SDK retries (same messageId after a 5xx or a
 * time-out) are stored once. Like Segment, the guarantee holds within a window: `windowMs` of
 * receive time and at most `maxIds` ids (oldest forgotten first). Insertion order of a Map gives
 * O(1) eviction.
 */
export class RecentIds {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxIds: number,
  ) {}

  static key(sourceId: string, messageId: string): string {
    return sourceId + '\u0000' + messageId;
  }

  has(key: string): boolean {
    return this.seen.has(key);
  }

  add(key: string, receivedAt: number): void {
    if (this.maxIds === 0) return;
    this.seen.set(key, receivedAt);
    this.evict(receivedAt);
  }

  delete(key: string): void {
    this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }

  private evict(now: number): void {
    const oldest = now - this.windowMs;
    for (const [key, at] of this.seen) {
      if (this.seen.size <= this.maxIds && at >= oldest) break;
      this.seen.delete(key);
    }
  }
}
