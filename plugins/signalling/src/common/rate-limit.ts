// Token bucket per connection: a client that floods gets refused without slowing anyone else.
export class RateLimiter {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number = perSecond * 2,
  ) {
    this.tokens = burst;
  }

  /** Takes one token; false when the client is over its rate. */
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
