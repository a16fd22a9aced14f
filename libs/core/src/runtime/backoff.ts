// Exponential restart backoff: initial delay doubling up to a cap, reset after a clean run, optional give-up.
import type { RestartOptions } from '../graph/document.js';

export type BackoffStep = { readonly attempt: number; readonly delayMs: number } | { readonly giveUp: true; readonly attempts: number };

export class Backoff {
  private attempts = 0;

  constructor(private readonly options: RestartOptions) {}

  /** How long a node must run without failing before its attempt count starts again from 1. */
  get stableAfterMs(): number {
    return this.options.maxDelayMs;
  }

  /** The next restart after a failure of a run that lasted `ranForMs`. */
  next(ranForMs: number): BackoffStep {
    if (ranForMs >= this.stableAfterMs) this.attempts = 0;
    const { initialDelayMs, maxDelayMs, maxAttempts } = this.options;
    if (maxAttempts !== undefined && this.attempts >= maxAttempts) return { giveUp: true, attempts: this.attempts };
    this.attempts++;
    const delayMs = Math.min(initialDelayMs * 2 ** (this.attempts - 1), maxDelayMs);
    return { attempt: this.attempts, delayMs };
  }
}
