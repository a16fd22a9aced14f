// Rate limit for repeated identical warnings from a child (a reconnecting source warns every second).

export interface WarningLimiterOptions {
  readonly log: (line: string) => void;
  /** At most one line per distinct warning in this window; later repeats are counted. */
  readonly windowMs?: number;
  readonly now?: () => number;
}

/** Logs the first of identical warnings, then `… repeated N times` at most once per window. */
export class WarningLimiter {
  private readonly seen = new Map<string, { line: string; at: number; repeats: number }>();
  private readonly windowMs: number;
  private readonly now: () => number;
  constructor(private readonly options: WarningLimiterOptions) {
    this.windowMs = options.windowMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  warn(line: string): void {
    const now = this.now();
    const entry = this.seen.get(line);
    if (!entry) {
      // Distinct lines are few (one per element and reason); the cap only guards a pathological child.
      if (this.seen.size >= 256) this.seen.delete(this.seen.keys().next().value!);
      this.seen.set(line, { line, at: now, repeats: 0 });
      this.options.log(line);
      return;
    }
    entry.repeats++;
    if (now - entry.at < this.windowMs) return;
    this.report(entry, now);
  }

  /** Logs the counts still pending (on stop), so no repeat goes unmentioned. */
  flush(): void {
    const now = this.now();
    for (const entry of this.seen.values()) if (entry.repeats > 0) this.report(entry, now);
  }

  private report(entry: { line: string; at: number; repeats: number }, now: number): void {
    const seconds = Math.max(1, Math.round((now - entry.at) / 1000));
    this.options.log(`${entry.line} … repeated ${entry.repeats} ${entry.repeats === 1 ? 'time' : 'times'} in ${seconds} s`);
    entry.at = now;
    entry.repeats = 0;
  }
}
